// Loading MuJoCo models (MuJoCo's own messages passed on) and MujocoScene,
// with no OpenGL anywhere.
#include "rl/render/mujoco/mujoco_scene.h"

#include <mujoco/mujoco.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

constexpr char kHumanoid[] = "/usr/share/mujoco/model/humanoid/humanoid.xml";

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(MujocoSceneTest, LoadsTheHumanoid) {
  absl::StatusOr<MjModelPtr> model = LoadMujocoModel(kHumanoid);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ((*model)->nu, 21);
  absl::StatusOr<MjDataPtr> data = MakeMujocoData(model->get());
  ASSERT_TRUE(data.ok()) << data.status();
}

TEST(MujocoSceneTest, MissingFileIsNotFound) {
  absl::StatusOr<MjModelPtr> model = LoadMujocoModel("/no/such/model.xml");
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(model.status().message(), HasSubstr("/no/such/model.xml"));
}

TEST(MujocoSceneTest, MalformedXmlCarriesMujocosMessage) {
  const std::string path =
      WriteTempFile("broken.xml", "<mujoco><worldbody><geom type=\"sphere\"");
  absl::StatusOr<MjModelPtr> model = LoadMujocoModel(path);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(model.status().message(), HasSubstr("XML"));
  EXPECT_THAT(model.status().message(), HasSubstr(path));
}

TEST(MujocoSceneTest, UnknownElementCarriesMujocosMessage) {
  const std::string path = WriteTempFile(
      "unknown.xml", "<mujoco><worldbody><gizmo/></worldbody></mujoco>");
  absl::StatusOr<MjModelPtr> model = LoadMujocoModel(path);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  // MuJoCo names the offending element and the line.
  EXPECT_THAT(model.status().message(), HasSubstr("gizmo"));
}

TEST(MujocoSceneTest, TrackingCameraFollowsTheBody) {
  absl::StatusOr<MjModelPtr> model = LoadMujocoModel(kHumanoid);
  ASSERT_TRUE(model.ok()) << model.status();
  absl::StatusOr<MjDataPtr> data = MakeMujocoData(model->get());
  ASSERT_TRUE(data.ok()) << data.status();
  MujocoSceneOptions options;
  options.camera.track_body = 1;
  absl::StatusOr<std::unique_ptr<MujocoScene>> scene =
      MujocoScene::Create(model->get(), options);
  ASSERT_TRUE(scene.ok()) << scene.status();
  mj_forward(model->get(), data->get());
  (*scene)->Update(data->get());
  EXPECT_GT((*scene)->scene()->ngeom, 10);
  EXPECT_EQ((*scene)->camera()->type, mjCAMERA_TRACKING);
  // MuJoCo's smoothing: one update goes part of the way to the torso...
  EXPECT_GT(std::abs((*scene)->camera()->lookat[2] - (*data)->subtree_com[5]),
            0.1);
  // ...snapping goes all the way, and updates keep it there.
  (*scene)->SnapCameraToTarget(data->get());
  (*scene)->Update(data->get());
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR((*scene)->camera()->lookat[i], (*data)->subtree_com[3 + i],
                1e-9);
  }
}

TEST(MujocoSceneTest, RefusesCamerasAndBodiesTheModelLacks) {
  absl::StatusOr<MjModelPtr> model = LoadMujocoModel(kHumanoid);
  ASSERT_TRUE(model.ok()) << model.status();
  MujocoSceneOptions options;
  options.camera.track_body = 1000;
  absl::StatusOr<std::unique_ptr<MujocoScene>> scene =
      MujocoScene::Create(model->get(), options);
  ASSERT_FALSE(scene.ok());
  EXPECT_THAT(scene.status().message(), HasSubstr("body 1000"));
  options = {};
  options.camera.fixed_camera = 99;
  scene = MujocoScene::Create(model->get(), options);
  ASSERT_FALSE(scene.ok());
  EXPECT_THAT(scene.status().message(), HasSubstr("camera 99"));
}

}  // namespace
}  // namespace rl
