#include "rl/core/mujoco_model.h"

#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace rl {
namespace {

constexpr int kErrorSize = 1024;
constexpr char kReference[] =
    "MuJoCo's XML reference: "
    "https://mujoco.readthedocs.io/en/2.2.2/XMLreference.html";

}  // namespace

absl::StatusOr<MjModelPtr> LoadMjcfString(absl::string_view xml,
                                          absl::string_view name) {
  // mjVFS holds its file table inline (megabytes): keep it off the stack.
  auto vfs = std::make_unique<mjVFS>();
  mj_defaultVFS(vfs.get());
  const std::string file(name);
  if (mj_makeEmptyFileVFS(vfs.get(), file.c_str(),
                          static_cast<int>(xml.size())) != 0) {
    mj_deleteVFS(vfs.get());
    return absl::InternalError(
        absl::StrCat("MuJoCo model '", file, "': could not make room for ",
                     xml.size(), " bytes in MuJoCo's virtual file system"));
  }
  const int index = mj_findFileVFS(vfs.get(), file.c_str());
  std::memcpy(vfs->filedata[index], xml.data(), xml.size());
  char error[kErrorSize] = "";
  mjModel* model = mj_loadXML(file.c_str(), vfs.get(), error, kErrorSize);
  mj_deleteVFS(vfs.get());
  if (model == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "MuJoCo model '", file,
        "' does not compile: ", absl::StripTrailingAsciiWhitespace(error),
        " (fix the MJCF; ", kReference, ")"));
  }
  return MjModelPtr(model);
}

absl::StatusOr<MjModelPtr> LoadMjcfFile(const std::string& path) {
  std::error_code error_code;
  if (!std::filesystem::is_regular_file(path, error_code)) {
    return absl::NotFoundError(absl::StrCat(
        "MuJoCo model file '", path,
        "' does not exist or is not a file; give the path of an MJCF (.xml) "
        "model (relative paths start from the working directory)"));
  }
  char error[kErrorSize] = "";
  mjModel* model = mj_loadXML(path.c_str(), nullptr, error, kErrorSize);
  if (model == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "MuJoCo model file '", path,
        "' does not compile: ", absl::StripTrailingAsciiWhitespace(error),
        " (fix the MJCF or give another model; ", kReference, ")"));
  }
  return MjModelPtr(model);
}

absl::StatusOr<MjDataPtr> MakeMujocoData(const mjModel* model) {
  if (model == nullptr) {
    return absl::InvalidArgumentError("MakeMujocoData needs a model, got null");
  }
  MjDataPtr data(mj_makeData(model));
  if (data == nullptr) {
    return absl::ResourceExhaustedError(
        "mj_makeData could not allocate the model's simulation state");
  }
  return data;
}

}  // namespace rl
