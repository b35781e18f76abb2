// MuJoCo models and simulation states with owners: compiling MJCF (from a
// file or from text built into the binary) and mj_makeData, with errors as
// statuses. No OpenGL: the env family (rl/envs/mujoco) and the scene
// renderer (rl/render/mujoco) both build on this.
//
// Example:
//   RL_ASSIGN_OR_RETURN(MjModelPtr model, LoadMjcfFile(path));
//   RL_ASSIGN_OR_RETURN(MjDataPtr data, MakeMujocoData(model.get()));
//   mj_step(model.get(), data.get());
#ifndef RL_CORE_MUJOCO_MODEL_H_
#define RL_CORE_MUJOCO_MODEL_H_

#include <mujoco/mujoco.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rl {

// Owning pointers that free with MuJoCo's own functions.
struct MjModelDeleter {
  void operator()(mjModel* model) const { mj_deleteModel(model); }
};
struct MjDataDeleter {
  void operator()(mjData* data) const { mj_deleteData(data); }
};
using MjModelPtr = std::unique_ptr<mjModel, MjModelDeleter>;
using MjDataPtr = std::unique_ptr<mjData, MjDataDeleter>;

// Compiles MJCF text. `name` is the file name MuJoCo's messages use (it
// also resolves relative includes/assets, of which built-in models have
// none). Errors: InvalidArgument with MuJoCo's own message (and line) for
// malformed or uncompilable MJCF.
absl::StatusOr<MjModelPtr> LoadMjcfString(absl::string_view xml,
                                          absl::string_view name);

// Compiles the MJCF file at `path` (relative paths start from the working
// directory). Errors: NotFound if there is no file there; InvalidArgument
// with MuJoCo's own message if it does not compile.
absl::StatusOr<MjModelPtr> LoadMjcfFile(const std::string& path);

// mj_makeData for `model`: ResourceExhausted if MuJoCo cannot allocate it,
// InvalidArgument for a null model.
absl::StatusOr<MjDataPtr> MakeMujocoData(const mjModel* model);

}  // namespace rl

#endif  // RL_CORE_MUJOCO_MODEL_H_
