// MujocoScene, with no OpenGL anywhere.
#include "rl/render/mujoco/mujoco_scene.h"

#include <mujoco/mujoco.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

constexpr char kHumanoid[] = "/usr/share/mujoco/model/humanoid/humanoid.xml";

TEST(MujocoSceneTest, TrackingCameraFollowsTheBody) {
  absl::StatusOr<MjModelPtr> model = LoadMjcfFile(kHumanoid);
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
  absl::StatusOr<MjModelPtr> model = LoadMjcfFile(kHumanoid);
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
