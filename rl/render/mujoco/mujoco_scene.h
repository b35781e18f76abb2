// A MuJoCo scene as data, with no OpenGL: the mjvScene
// an env fills each step (mjv_updateScene) for a scene renderer to draw
// (mujoco_renderer.h). Envs depend on this target, never on the renderer.
//
// The handover: the env owns its mjModel, mjData and a MujocoScene. When a
// frame is wanted it calls scene->Update(data) (mjv_updateScene: geoms,
// lights and the camera, computed from the simulation state) and hands
// scene->scene() to MujocoRenderer::Render(). Nothing in the scene refers to
// GL; any number of scenes may exist with no context anywhere.
//
// Example:
//   RL_ASSIGN_OR_RETURN(MjModelPtr model, LoadMjcfFile(path));
//   RL_ASSIGN_OR_RETURN(MjDataPtr data, MakeMujocoData(model.get()));
//   MujocoSceneOptions options;
//   options.camera.track_body = 1;  // Follow the torso.
//   RL_ASSIGN_OR_RETURN(auto scene, MujocoScene::Create(model.get(), options));
//   mj_step(model.get(), data.get());
//   scene->Update(data.get());
//   RL_RETURN_IF_ERROR(renderer->Render(scene->scene(), &frame));
#ifndef RL_RENDER_MUJOCO_MUJOCO_SCENE_H_
#define RL_RENDER_MUJOCO_MUJOCO_SCENE_H_

#include <mujoco/mujoco.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "rl/core/mujoco_model.h"

namespace rl {

// Where the scene is seen from.
struct MujocoCameraOptions {
  // >= 0: the model's own camera of this index (mjCAMERA_FIXED); the fields
  // below are then ignored.
  int fixed_camera = -1;
  // >= 0: a camera that follows this body (mjCAMERA_TRACKING: it keeps its
  // distance and angles and moves with the body's subtree centre of mass),
  // as Gymnasium's MuJoCo envs do (body 1 is usually the torso). -1: a free
  // camera looking at the model's centre.
  int track_body = -1;
  // Distance from the point looked at, in model units; <= 0 takes MuJoCo's
  // default for the model (1.5 times its extent).
  double distance = 0;
  // Degrees: azimuth around +z (90 looks along +y, so +x is to the right
  // of the picture), elevation (negative looks down).
  double azimuth = 90;
  double elevation = -20;
};

struct MujocoSceneOptions {
  MujocoCameraOptions camera;
  // Most geoms the scene holds (mjv_makeScene); extra ones are dropped.
  int max_geoms = 2000;
};

// An mjvScene, its mjvOption and its mjvCamera for one model. No GL.
class MujocoScene {
 public:
  // `model` must outlive the scene. InvalidArgument for a camera index or
  // body that the model lacks.
  static absl::StatusOr<std::unique_ptr<MujocoScene>> Create(
      const mjModel* model, const MujocoSceneOptions& options = {});
  ~MujocoScene();
  MujocoScene(const MujocoScene&) = delete;
  MujocoScene& operator=(const MujocoScene&) = delete;

  // Recomputes the scene (geoms, lights, camera) from `data`, a state of
  // this scene's model: mjv_updateScene with every category of geom.
  // mjv_updateScene writes only to the scene and the camera; `data` is
  // non-const because MuJoCo's signature is.
  void Update(mjData* data);

  // A tracking camera follows its body with MuJoCo's smoothing: each Update
  // moves it only part of the way to the body. After a reset (a jump of the
  // state), call this before Update so the first frame is centred on the
  // body already. No effect on other cameras.
  void SnapCameraToTarget(const mjData* data);

  const mjModel* model() const { return model_; }
  mjvScene* scene() { return &scene_; }
  mjvCamera* camera() { return &camera_; }
  mjvOption* option() { return &option_; }

 private:
  explicit MujocoScene(const mjModel* model) : model_(model) {}

  const mjModel* model_;
  mjvScene scene_;
  mjvCamera camera_;
  mjvOption option_;
};

}  // namespace rl

#endif  // RL_RENDER_MUJOCO_MUJOCO_SCENE_H_
