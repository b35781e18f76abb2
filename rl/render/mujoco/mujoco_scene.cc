#include "rl/render/mujoco/mujoco_scene.h"

#include <mujoco/mujoco.h>

#include <fstream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace rl {

absl::StatusOr<std::unique_ptr<MujocoScene>> MujocoScene::Create(
    const mjModel* model, const MujocoSceneOptions& options) {
  if (model == nullptr) {
    return absl::InvalidArgumentError("MujocoScene needs a model, got null");
  }
  const MujocoCameraOptions& camera = options.camera;
  if (camera.fixed_camera >= model->ncam) {
    return absl::InvalidArgumentError(absl::StrCat(
        "camera ", camera.fixed_camera, " does not exist: the model has ",
        model->ncam, " camera(s); use -1 for a free or tracking camera"));
  }
  if (camera.track_body >= model->nbody) {
    return absl::InvalidArgumentError(absl::StrCat(
        "body ", camera.track_body, " to track does not exist: the model has ",
        model->nbody, " bodies (0 is the world)"));
  }
  if (options.max_geoms < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_geoms is ", options.max_geoms, ": a scene needs room for >= 1"));
  }
  std::unique_ptr<MujocoScene> scene(new MujocoScene(model));
  mjv_defaultScene(&scene->scene_);
  mjv_makeScene(model, &scene->scene_, options.max_geoms);
  mjv_defaultOption(&scene->option_);
  mjv_defaultFreeCamera(model, &scene->camera_);
  mjvCamera& cam = scene->camera_;
  if (camera.fixed_camera >= 0) {
    cam.type = mjCAMERA_FIXED;
    cam.fixedcamid = camera.fixed_camera;
  } else {
    if (camera.track_body >= 0) {
      cam.type = mjCAMERA_TRACKING;
      cam.trackbodyid = camera.track_body;
    }
    if (camera.distance > 0) cam.distance = camera.distance;
    cam.azimuth = camera.azimuth;
    cam.elevation = camera.elevation;
  }
  return scene;
}

MujocoScene::~MujocoScene() { mjv_freeScene(&scene_); }

void MujocoScene::Update(mjData* data) {
  mjv_updateScene(model_, data, &option_, nullptr, &camera_, mjCAT_ALL,
                  &scene_);
}

void MujocoScene::SnapCameraToTarget(const mjData* data) {
  if (camera_.type != mjCAMERA_TRACKING) return;
  for (int i = 0; i < 3; ++i) {
    camera_.lookat[i] = data->subtree_com[3 * camera_.trackbodyid + i];
  }
}

}  // namespace rl
