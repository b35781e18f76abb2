#include "rl/render/render_flags.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "rl/render/render_backend.h"

// The help is made when asked for (--help), from the registry.
ABSL_FLAG(std::string, render_backend, "auto", rl::RenderBackendFlagHelp());
ABSL_FLAG(int, egl_device, -1,
          "--render_backend=egl: index of the EGL device (GPU) to use on a "
          "multi-GPU machine; -1 takes the first GPU.");
ABSL_FLAG(std::string, size, "",
          "Frame size WIDTHxHEIGHT, e.g. 1280x720; empty: the env's own "
          "(600x400 for CartPole).");
ABSL_FLAG(std::string, fit, "letterbox",
          "How a 2D env's picture fills a --size of another aspect ratio "
          "than the env's own: letterbox (scaled uniformly, centred, black "
          "bars on the two sides left over) or stretch (fills the frame, "
          "scaled unevenly: circles become ellipses). 3D (MuJoCo) envs "
          "render any aspect ratio undistorted, with a wider or taller view.");
ABSL_FLAG(bool, overlay, false,
          "Draw the env id, episode, step and return into the video frames.");
ABSL_FLAG(std::string, overlay_label, "",
          "A label of your own drawn into the video frames (printable ASCII).");

ABSL_FLAG(std::string, scene_options, "",
          "The look of 3D (MuJoCo) envs, key=value,...: shadows=true, "
          "reflections=true (each several times the frame time on the CPU), "
          "skybox=false, multisamples=4 (antialiasing), shadow_size=2048. "
          "Default: no shadows, no reflections, skybox, no multisampling.");

namespace rl {
namespace {

constexpr int kMaxFrameSide = 8192;

// "--NAME=VALUE: MESSAGE", keeping the code.
absl::Status FlagError(absl::string_view name, absl::string_view value,
                       const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat("--", name, "=", value, ": ",
                                                  status.message()));
}

}  // namespace

std::string RenderBackendFlagHelp() {
  std::vector<std::string> entries;
  for (const std::string& name : RenderBackends().Names()) {
    entries.push_back(
        absl::StrCat(name, " (", RenderBackends().Description(name), ")"));
  }
  std::string help =
      absl::StrCat("How to get an OpenGL context with no screen: ",
                   absl::StrJoin(entries, "; "), ".");
  const std::vector<std::string> not_built = RenderBackends().NotBuiltNames();
  if (!not_built.empty()) {
    absl::StrAppend(&help, " Not built into this binary: ",
                    absl::StrJoin(not_built, ", "), ".");
  }
  return help;
}

absl::StatusOr<std::pair<int, int>> ParseFrameSize(absl::string_view text) {
  if (text.empty()) return std::pair<int, int>(0, 0);
  std::vector<absl::string_view> parts = absl::StrSplit(text, 'x');
  int width = 0;
  int height = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &width) ||
      !absl::SimpleAtoi(parts[1], &height)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad frame size '", text, "': expected WIDTHxHEIGHT, e.g. 600x400"));
  }
  if (width < 1 || height < 1 || width > kMaxFrameSide ||
      height > kMaxFrameSide) {
    return absl::InvalidArgumentError(absl::StrCat("bad frame size '", text,
                                                   "': each side must be 1..",
                                                   kMaxFrameSide, " pixels"));
  }
  return std::pair<int, int>(width, height);
}

absl::StatusOr<RenderFlags> RenderFlagsFromCommandLine() {
  RenderFlags flags;
  flags.render_backend = absl::GetFlag(FLAGS_render_backend);
  if (absl::Status known = RenderBackends().CheckName(flags.render_backend);
      !known.ok()) {
    return FlagError("render_backend", flags.render_backend, known);
  }
  flags.egl_device = absl::GetFlag(FLAGS_egl_device);
  if (flags.egl_device < -1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--egl_device=", flags.egl_device,
        ": must be an EGL device index (0, 1, ...) or -1 for the first GPU"));
  }
  const std::string size = absl::GetFlag(FLAGS_size);
  absl::StatusOr<std::pair<int, int>> parsed = ParseFrameSize(size);
  if (!parsed.ok()) return FlagError("size", size, parsed.status());
  flags.width = parsed->first;
  flags.height = parsed->second;
  const std::string fit = absl::GetFlag(FLAGS_fit);
  if (fit == "letterbox") {
    flags.fit = Fit::kLetterbox;
  } else if (fit == "stretch") {
    flags.fit = Fit::kStretch;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--fit=", fit, ": unknown fit: valid values are letterbox, stretch"));
  }
  flags.overlay = absl::GetFlag(FLAGS_overlay);
  flags.overlay_label = absl::GetFlag(FLAGS_overlay_label);
  const std::string scene = absl::GetFlag(FLAGS_scene_options);
  if (absl::Status parsed = ParseSceneOptions(scene, &flags.scene);
      !parsed.ok()) {
    return FlagError("scene_options", scene, parsed);
  }
  return flags;
}

absl::Status WithRenderFlagContext(const absl::Status& status,
                                   const RenderFlags& flags) {
  if (status.ok() || RenderBackendOfError(status).empty()) return status;
  std::string given = absl::StrCat("--render_backend=", flags.render_backend);
  if (flags.egl_device != -1) {
    absl::StrAppend(&given, " --egl_device=", flags.egl_device);
  }
  absl::Status with_context(status.code(),
                            absl::StrCat(given, ": ", status.message()));
  status.ForEachPayload(
      [&with_context](absl::string_view url, const absl::Cord& payload) {
        with_context.SetPayload(url, payload);
      });
  return with_context;
}

}  // namespace rl
