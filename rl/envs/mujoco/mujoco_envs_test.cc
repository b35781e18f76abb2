// Hand-checked steps of the MuJoCo family beyond InvertedPendulum (which has
// its own test): observation layouts, reward terms recomputed from the
// state, terminations, reset noise within its documented scale, options.
// The seeded-determinism and spec checks are the conformance suite's.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/envs/env.h"
#include "rl/envs/mujoco/half_cheetah.h"
#include "rl/envs/mujoco/hopper.h"
#include "rl/envs/mujoco/humanoid.h"
#include "rl/envs/mujoco/inverted_double_pendulum.h"
#include "rl/envs/mujoco/reacher.h"

namespace rl {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

template <typename T>
std::unique_ptr<T> Make(const typename T::Options& options = {}) {
  auto env = T::Create(options);
  EXPECT_TRUE(env.ok()) << env.status();
  return *std::move(env);
}

// --- InvertedDoublePendulum-v5 ---------------------------------------------

TEST(InvertedDoublePendulumTest, UprightStepRewardAndObservation) {
  auto env = Make<InvertedDoublePendulum>();
  EXPECT_DOUBLE_EQ(env->dt(), 0.05);
  env->Reset(0);
  ASSERT_TRUE(env->SetState({0, 0, 0}, {0, 0, 0}).ok());
  StepResult result;
  ASSERT_TRUE(env->Step(Action::Continuous({0.0f}), &result).ok());
  EXPECT_FALSE(result.terminated);
  // The tip stays 1.2 m up: 10 - (1.2 - 2)^2 = 9.36 (gravity's 1e-5 m/s^2
  // along x moves nothing measurable in one step).
  EXPECT_NEAR(result.reward, 9.36, 1e-6);
  ASSERT_EQ(result.observation.size(), 9u);
  const std::vector<float> expected = {0, 0, 0, 1, 1, 0, 0, 0};
  for (int i = 0; i < 8; ++i) {
    EXPECT_NEAR(result.observation[i], expected[i], 1e-6) << i;
  }
}

TEST(InvertedDoublePendulumTest, SinCosLayoutAndTerminationBelowOneMetre) {
  auto env = Make<InvertedDoublePendulum>();
  env->Reset(0);
  ASSERT_TRUE(env->SetState({0.1, 0.2, -0.3}, {0, 0, 0}).ok());
  StepResult result;
  ASSERT_TRUE(env->Step(Action::Continuous({0.0f}), &result).ok());
  const double q1 = env->data()->qpos[1], q2 = env->data()->qpos[2];
  EXPECT_FLOAT_EQ(result.observation[1], std::sin(q1));
  EXPECT_FLOAT_EQ(result.observation[2], std::sin(q2));
  EXPECT_FLOAT_EQ(result.observation[3], std::cos(q1));
  EXPECT_FLOAT_EQ(result.observation[4], std::cos(q2));
  // Folded down: the tip below 1 m ends the episode, with no alive bonus.
  env->Reset(0);
  ASSERT_TRUE(env->SetState({0, 1.2, 0.5}, {0, 0, 0}).ok());
  ASSERT_TRUE(env->Step(Action::Continuous({0.0f}), &result).ok());
  EXPECT_TRUE(result.terminated);
  const double x = env->data()->site_xpos[0], z = env->data()->site_xpos[2];
  const double w1 = env->data()->qvel[1], w2 = env->data()->qvel[2];
  EXPECT_LE(z, 1.0);
  EXPECT_NEAR(
      result.reward,
      -(0.01 * x * x + (z - 2) * (z - 2)) - (1e-3 * w1 * w1 + 5e-3 * w2 * w2),
      1e-9);
}

TEST(InvertedDoublePendulumTest, ResetNoiseScale) {
  auto env = Make<InvertedDoublePendulum>();
  double sum_sq = 0;
  constexpr int kResets = 400;
  for (int seed = 0; seed < kResets; ++seed) {
    env->Reset(seed);
    for (int i = 0; i < 3; ++i) EXPECT_LE(std::abs(env->data()->qpos[i]), 0.1);
    sum_sq += env->data()->qvel[1] * env->data()->qvel[1];
  }
  // qvel ~ 0.1 N(0, 1): standard deviation 0.1.
  EXPECT_NEAR(std::sqrt(sum_sq / kResets), 0.1, 0.015);
}

// --- Reacher-v5 --------------------------------------------------------------

TEST(ReacherTest, RewardIsDistanceAndControlBeforeTheStep) {
  auto env = Make<Reacher>();
  EXPECT_DOUBLE_EQ(env->dt(), 0.02);
  env->Reset(0);
  // Arm straight along x: fingertip at (0.21, 0); target at (0.1, 0.1).
  ASSERT_TRUE(env->SetState({0, 0, 0.1, 0.1}, {0, 0, 0, 0}).ok());
  EXPECT_NEAR(env->Distance(), std::sqrt(0.11 * 0.11 + 0.1 * 0.1), 1e-12);
  StepResult result;
  ASSERT_TRUE(env->Step(Action::Continuous({0.5f, -0.5f}), &result).ok());
  EXPECT_NEAR(result.reward, -std::sqrt(0.11 * 0.11 + 0.01) - 0.5, 1e-9);
  EXPECT_FALSE(result.terminated);
  // The arm turned (counter-clockwise for a positive torque on joint 0).
  EXPECT_GT(env->data()->qpos[0], 0.0);
  ASSERT_EQ(result.observation.size(), 10u);
  EXPECT_FLOAT_EQ(result.observation[4], 0.1f);  // Target x, y.
  EXPECT_FLOAT_EQ(result.observation[5], 0.1f);
  const double* tip = env->data()->xpos + 3 * 3;  // Body "fingertip".
  EXPECT_FLOAT_EQ(result.observation[8], tip[0] - 0.1);
  EXPECT_FLOAT_EQ(result.observation[9], tip[1] - 0.1);
}

TEST(ReacherTest, TruncatedAtFiftySteps) {
  auto env = Make<Reacher>();
  EXPECT_EQ(env->spec().max_episode_steps, 50);
  env->Reset(0);
  StepResult result;
  for (int i = 1; i <= 50; ++i) {
    ASSERT_TRUE(env->Step(Action::Continuous({0.1f, -0.1f}), &result).ok());
    ASSERT_EQ(result.truncated, i == 50);
  }
}

TEST(ReacherTest, ResetDrawsTheTargetInsideTheDisc) {
  auto env = Make<Reacher>();
  for (int seed = 0; seed < 200; ++seed) {
    const Observation o = env->Reset(seed);
    const mjData* d = env->data();
    EXPECT_LT(std::hypot(d->qpos[2], d->qpos[3]), 0.2);
    EXPECT_LE(std::abs(d->qpos[0]), 0.1);
    EXPECT_LE(std::abs(d->qpos[1]), 0.1);
    EXPECT_LE(std::abs(d->qvel[0]), 0.005);
    EXPECT_LE(std::abs(d->qvel[1]), 0.005);
    EXPECT_EQ(d->qvel[2], 0);
    EXPECT_EQ(d->qvel[3], 0);
    EXPECT_FLOAT_EQ(o[4], d->qpos[2]);
  }
}

// --- HalfCheetah-v5 ---------------------------------------------------------

TEST(HalfCheetahTest, MovingForwardIsRewardedBackwardPenalised) {
  auto env = Make<HalfCheetah>();
  EXPECT_DOUBLE_EQ(env->dt(), 0.05);
  StepResult result;
  std::vector<double> qpos(9, 0.0), qvel(9, 0.0);
  for (double speed : {2.0, -2.0}) {
    env->Reset(0);
    qvel[0] = speed;  // Launched along x.
    ASSERT_TRUE(env->SetState(qpos, qvel).ok());
    ASSERT_TRUE(
        env->Step(Action::Continuous(std::vector<float>(6, 0.0f)), &result)
            .ok());
    EXPECT_EQ(result.reward > 0, speed > 0) << speed;
    EXPECT_NEAR(result.reward, env->x_velocity(), 1e-12);
    EXPECT_EQ(env->x_velocity() > 0, speed > 0);
  }
  // The control cost: 0.1 * sum(a^2), here 0.1 * 6 * 0.64.
  env->Reset(0);
  ASSERT_TRUE(
      env->Step(Action::Continuous(std::vector<float>(6, -0.8f)), &result)
          .ok());
  EXPECT_NEAR(result.reward, env->x_velocity() - 0.384, 1e-6);
  EXPECT_FALSE(result.terminated);
  // Observation: qpos without x, then qvel.
  ASSERT_EQ(result.observation.size(), 17u);
  EXPECT_FLOAT_EQ(result.observation[0], env->data()->qpos[1]);
  EXPECT_FLOAT_EQ(result.observation[8], env->data()->qvel[0]);
}

TEST(HalfCheetahTest, RefusesAnActionValueOutsideTheBoundsNamingIt) {
  auto env = Make<HalfCheetah>();
  env->Reset(0);
  StepResult result;
  std::vector<float> action(6, 1.0f);
  action[3] = 1.25f;
  const absl::Status status = env->Step(Action::Continuous(action), &result);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              AllOf(HasSubstr("HalfCheetah-v5: action value 3 is 1.25"),
                    HasSubstr("[-1, 1]"), HasSubstr("PPO does")))
      << status;
  EXPECT_EQ(env->elapsed_steps(), 0);
  action[3] = -1.0f;  // Both bounds are inside.
  EXPECT_TRUE(env->Step(Action::Continuous(action), &result).ok());
}

TEST(HalfCheetahTest, OptionsWeightsAndPositions) {
  HalfCheetah::Options options;
  options.forward_reward_weight = 0;
  options.ctrl_cost_weight = 1;
  options.exclude_current_positions_from_observation = false;
  auto env = Make<HalfCheetah>(options);
  EXPECT_EQ(env->observation_space().flat_size(), 18);
  env->Reset(1);
  StepResult result;
  ASSERT_TRUE(
      env->Step(Action::Continuous(std::vector<float>(6, 0.5f)), &result).ok());
  EXPECT_NEAR(result.reward, -1.5, 1e-12);
  EXPECT_FLOAT_EQ(result.observation[0], env->data()->qpos[0]);
}

TEST(HalfCheetahTest, ResetNoiseScale) {
  auto env = Make<HalfCheetah>();
  for (int seed = 0; seed < 50; ++seed) {
    env->Reset(seed);
    for (int i = 0; i < 9; ++i) EXPECT_LE(std::abs(env->data()->qpos[i]), 0.1);
  }
}

// --- Hopper-v5 -------------------------------------------------------------

TEST(HopperTest, HealthyStepRewardAndObservation) {
  auto env = Make<Hopper>();
  EXPECT_DOUBLE_EQ(env->dt(), 0.008);
  env->Reset(0);
  EXPECT_NEAR(env->data()->qpos[1], 1.25, 5e-3);  // z reads the height.
  StepResult result;
  ASSERT_TRUE(env->Step(Action::Continuous({0.5f, 0.5f, 0.5f}), &result).ok());
  EXPECT_FALSE(result.terminated);
  EXPECT_NEAR(result.reward, 1.0 + env->x_velocity() - 1e-3 * 0.75, 1e-12);
  ASSERT_EQ(result.observation.size(), 11u);
  EXPECT_FLOAT_EQ(result.observation[0], env->data()->qpos[1]);
}

TEST(HopperTest, FallingOverTerminates) {
  auto env = Make<Hopper>();
  StepResult result;
  // Leaning past the healthy angle (0.2 rad).
  env->Reset(0);
  ASSERT_TRUE(env->SetState({0, 1.25, 0.3, 0, 0, 0}, {0, 0, 0, 0, 0, 0}).ok());
  EXPECT_FALSE(env->IsHealthy());
  ASSERT_TRUE(env->Step(Action::Continuous({0, 0, 0}), &result).ok());
  EXPECT_TRUE(result.terminated);
  EXPECT_NEAR(result.reward, env->x_velocity(), 1e-12);  // No healthy bonus.
  // Down below the healthy height (0.7 m).
  env->Reset(0);
  ASSERT_TRUE(env->SetState({0, 0.6, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0}).ok());
  ASSERT_TRUE(env->Step(Action::Continuous({0, 0, 0}), &result).ok());
  EXPECT_TRUE(result.terminated);
  // Unpowered from the start it tips over within a few seconds.
  env->Reset(0);
  int steps = 0;
  do {
    ASSERT_TRUE(env->Step(Action::Continuous({0, 0, 0}), &result).ok());
    ++steps;
  } while (!result.terminated && steps < 1000);
  EXPECT_TRUE(result.terminated);
  EXPECT_GT(steps, 20);
  EXPECT_FALSE(env->IsHealthy());
}

TEST(HopperTest, TerminateWhenUnhealthyFalseKeepsGoing) {
  Hopper::Options options;
  options.terminate_when_unhealthy = false;
  auto env = Make<Hopper>(options);
  env->Reset(0);
  ASSERT_TRUE(env->SetState({0, 1.25, 0.3, 0, 0, 0}, {0, 0, 0, 0, 0, 0}).ok());
  StepResult result;
  ASSERT_TRUE(env->Step(Action::Continuous({0, 0, 0}), &result).ok());
  EXPECT_FALSE(result.terminated);
}

TEST(HopperTest, ResetNoiseScale) {
  auto env = Make<Hopper>();
  for (int seed = 0; seed < 50; ++seed) {
    env->Reset(seed);
    for (int i = 0; i < 6; ++i) {
      EXPECT_LE(std::abs(env->data()->qpos[i] - env->model()->qpos0[i]), 5e-3);
      EXPECT_LE(std::abs(env->data()->qvel[i]), 5e-3);
    }
  }
}

// --- HumanoidDMC-v0 ----------------------------------------------------------

TEST(HumanoidTest, ObservationLayoutFollowsHumanoidV5) {
  auto env = Make<Humanoid>();
  const mjModel* m = env->model();
  EXPECT_EQ(m->nu, 21);
  EXPECT_DOUBLE_EQ(env->dt(), 0.015);
  const int bodies = m->nbody - 1;
  EXPECT_EQ(env->observation_space().flat_size(),
            (m->nq - 2) + m->nv + 22 * bodies + (m->nv - 6));
  EXPECT_EQ(env->observation_space().flat_size(), 426);  // README's table.
  const Observation o = env->Reset(0);
  EXPECT_FLOAT_EQ(o[0], env->data()->qpos[2]);  // The torso's height.
  EXPECT_NEAR(o[0], 1.5, 0.01);
}

TEST(HumanoidTest, ControlCostAndFalling) {
  Humanoid::Options free_options;
  free_options.ctrl_cost_weight = 0;
  auto env = Make<Humanoid>();
  auto free = Make<Humanoid>(free_options);
  env->Reset(3);
  free->Reset(3);
  StepResult a, b;
  const Action action = Action::Continuous(std::vector<float>(21, 0.5f));
  ASSERT_TRUE(env->Step(action, &a).ok());
  ASSERT_TRUE(free->Step(action, &b).ok());
  EXPECT_EQ(a.observation, b.observation);
  EXPECT_NEAR(b.reward - a.reward, 0.1 * 21 * 0.25, 1e-9);
  // Unpowered it collapses: terminated once the torso is below 1 m.
  env->Reset(0);
  int steps = 0;
  do {
    ASSERT_TRUE(
        env->Step(Action::Continuous(std::vector<float>(21, 0.0f)), &a).ok());
    ++steps;
  } while (!a.terminated && steps < 1000);
  EXPECT_TRUE(a.terminated);
  EXPECT_LE(env->data()->qpos[2], 1.0);
  EXPECT_LT(a.reward, 5.0);  // No healthy bonus on the last step.
}

TEST(HumanoidTest, MissingModelFileIsNotFound) {
  Humanoid::Options options;
  options.xml_file = "/nonexistent/humanoid.xml";
  auto env = Humanoid::Create(options);
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(env.status().message(), HasSubstr("/nonexistent/humanoid.xml"));
}

TEST(HumanoidTest, AModelWithoutAFreeJointIsRefused) {
  Humanoid::Options options;
  options.xml_file = "/usr/share/mujoco/model/slider_crank/slider_crank.xml";
  auto env = Humanoid::Create(options);
  ASSERT_FALSE(env.ok());
  EXPECT_THAT(env.status().message(), HasSubstr("free joint"));
}

}  // namespace
}  // namespace rl
