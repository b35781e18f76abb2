// The MuJoCo base: a model path that is not there, the divergence guard, the
// 2D schematic; and Normal(), which the family's reset noise uses.
#include "rl/envs/mujoco/mujoco_env.h"

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/env.h"
#include "rl/envs/mujoco/inverted_pendulum.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

TEST(LoadMjcfTest, XmlFileOptionReplacesTheBuiltInModel) {
  InvertedPendulum::Options options;
  options.xml_file = "/nonexistent/pendulum.xml";
  auto env = InvertedPendulum::Create(options);
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.status().code(), absl::StatusCode::kNotFound);
}

// A slider whose motor's gear is absurd: one step at full control drives
// the velocity past MuJoCo's limit (mjMAXVAL), which MuJoCo reports as a
// bad qvel/qacc and answers by resetting mjData.
class DivergingEnv : public MujocoEnv {
 public:
  static std::unique_ptr<DivergingEnv> Make() {
    auto model = LoadMjcfString(R"(
<mujoco>
  <option timestep="0.01"/>
  <worldbody>
    <body>
      <joint name="x" type="slide" axis="1 0 0"/>
      <geom type="sphere" size="0.1" mass="1e-6"/>
    </body>
  </worldbody>
  <actuator><motor joint="x" gear="1e30" ctrlrange="-1 1"
                   ctrllimited="true"/></actuator>
</mujoco>)",
                                "diverging.xml");
    EXPECT_TRUE(model.ok()) << model.status();
    EnvSpec spec;
    spec.id = "Diverging-v0";
    spec.observation_space = UnboundedBox(2);
    spec.action_space = MujocoActionSpace(model->get());
    return std::unique_ptr<DivergingEnv>(
        new DivergingEnv(std::move(spec), *std::move(model)));
  }

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override {
    ResetWithNoise(rng, 0.0, VelocityNoise::kUniform);
    WriteObservation(observation);
  }
  void StepState(const Action& action, StepResult* result) override {
    if (!DoSimulation(action.continuous)) return EndDivergedStep(result);
    WriteObservation(&result->observation);
    result->reward = 1;
  }
  void WriteObservation(Observation* observation) const override {
    *observation = {static_cast<float>(data()->qpos[0]),
                    static_cast<float>(data()->qvel[0])};
  }

 private:
  DivergingEnv(EnvSpec spec, MjModelPtr model)
      : MujocoEnv(std::move(spec), std::move(model), 1, MujocoDrawView{}) {}
};

TEST(MujocoEnvTest, DivergenceEndsTheEpisodeWithTheLastFiniteState) {
  auto env = DivergingEnv::Make();
  env->Reset(0);
  StepResult result;
  // A small control first: finite, an ordinary step.
  ASSERT_TRUE(env->Step(Action::Continuous({0.0f}), &result).ok());
  EXPECT_FALSE(result.terminated);
  EXPECT_FALSE(env->diverged());
  ASSERT_TRUE(env->Step(Action::Continuous({1.0f}), &result).ok());
  EXPECT_TRUE(result.terminated);
  EXPECT_TRUE(env->diverged());
  EXPECT_EQ(result.reward, 0);
  ASSERT_EQ(result.observation.size(), 2u);
  EXPECT_EQ(result.observation[0], 0.0f);  // The state before the step.
  EXPECT_EQ(result.observation[1], 0.0f);
  EXPECT_TRUE(std::isfinite(env->data()->qvel[0]));
  EXPECT_EQ(env->Step(Action::Continuous({0.0f}), &result).code(),
            absl::StatusCode::kFailedPrecondition);
  env->Reset();
  EXPECT_FALSE(env->diverged());
}

TEST(MujocoEnvTest, SetStateChecksSizes) {
  auto env = InvertedPendulum::Create();
  ASSERT_TRUE(env.ok());
  const absl::Status status = (*env)->SetState({0.0}, {0.0, 0.0});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("nq = 2"));
  ASSERT_TRUE((*env)->SetState({0.5, 0.1}, {0.0, 0.0}).ok());
  EXPECT_EQ((*env)->data()->qpos[0], 0.5);
}

TEST(MujocoEnvTest, DrawIsASchematicThatSaysSo) {
  auto env = InvertedPendulum::Create();
  ASSERT_TRUE(env.ok());
  (*env)->Reset(0);
  Canvas canvas(1, 1);
  (*env)->Draw(&canvas);
  EXPECT_EQ(canvas.width(), 480);
  bool has_caption = false;
  int circles = 0;
  for (const Shape& shape : canvas.shapes()) {
    if (const auto* text = std::get_if<TextShape>(&shape)) {
      has_caption = text->text.find("schematic") != std::string::npos;
    }
    if (std::holds_alternative<CircleShape>(shape)) ++circles;
  }
  EXPECT_TRUE(has_caption);
  EXPECT_GE(circles, 4);  // The cart's and the pole's capsule ends.
}

// The 3D scene as data: mjv_updateScene works with no GL context at all.
TEST(MujocoEnvTest, EveryMujocoEnvFillsASceneWithoutGl) {
  for (const char* id :
       {"InvertedPendulum-v5", "InvertedDoublePendulum-v5", "Reacher-v5",
        "HalfCheetah-v5", "Hopper-v5", "HumanoidDMC-v0"}) {
    auto created = Envs().Create(id);
    ASSERT_TRUE(created.ok()) << created.status();
    const auto* env = dynamic_cast<const MujocoEnv*>(created->get());
    ASSERT_NE(env, nullptr) << id;
    (*created)->Reset(0);
    mjvScene scene;
    mjv_defaultScene(&scene);
    mjv_makeScene(env->model(), &scene, 1000);
    mjvOption option;
    mjv_defaultOption(&option);
    mjvCamera camera = env->DefaultCamera();
    env->UpdateScene(&option, &camera, &scene);
    EXPECT_GE(scene.ngeom, env->model()->ngeom - 1) << id;  // Maybe no floor.
    mjv_freeScene(&scene);
  }
}

TEST(MujocoEnvTest, DefaultCameraFollowsGymnasiumAndTracks) {
  auto created = Envs().Create("HalfCheetah-v5");
  ASSERT_TRUE(created.ok());
  auto* env = dynamic_cast<MujocoEnv*>(created->get());
  env->Reset(0);
  mjvCamera camera = env->DefaultCamera();
  EXPECT_EQ(camera.type, mjCAMERA_TRACKING);
  EXPECT_EQ(camera.trackbodyid, 1);
  EXPECT_EQ(camera.distance, 4.0);
  std::vector<double> qpos(9, 0.0), qvel(9, 0.0);
  qpos[0] = 5;  // The cheetah 5 m along x: the camera follows.
  ASSERT_TRUE(env->SetState(qpos, qvel).ok());
  mjvScene scene;
  mjv_defaultScene(&scene);
  mjv_makeScene(env->model(), &scene, 1000);
  mjvOption option;
  mjv_defaultOption(&option);
  // MuJoCo's tracking camera glides towards the tracked body's subtree
  // centre of mass a fraction per update.
  double previous = camera.lookat[0];
  for (int i = 0; i < 300; ++i) {
    env->UpdateScene(&option, &camera, &scene);
    ASSERT_GE(camera.lookat[0], previous);
    previous = camera.lookat[0];
  }
  EXPECT_NEAR(camera.lookat[0], env->data()->subtree_com[3 * 1], 1e-3);
  EXPECT_GT(camera.lookat[0], 4.0);
  mjv_freeScene(&scene);

  auto pendulum = InvertedPendulum::Create();
  ASSERT_TRUE(pendulum.ok());
  const mjvCamera fixed = (*pendulum)->DefaultCamera();
  EXPECT_EQ(fixed.type, mjCAMERA_FREE);
  EXPECT_EQ(fixed.distance, 2.04);
}

TEST(NormalTest, MomentsAndDeterminism) {
  std::mt19937_64 rng(3), again(3);
  constexpr int kN = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < kN; ++i) {
    const double x = Normal(rng, 1.0, 2.0);
    ASSERT_EQ(x, Normal(again, 1.0, 2.0));
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / kN;
  const double variance = sum_sq / kN - mean * mean;
  EXPECT_NEAR(mean, 1.0, 0.02);
  EXPECT_NEAR(variance, 4.0, 0.05);
}

}  // namespace
}  // namespace rl
