#include "rl/render/render_backend.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace rl {

bool IsSoftwareRenderer(absl::string_view gl_renderer) {
  const std::string lower = absl::AsciiStrToLower(gl_renderer);
  for (absl::string_view software :
       {"llvmpipe", "softpipe", "swrast", "software rasterizer", "swiftshader",
        "basic render driver", "lavapipe"}) {
    if (absl::StrContains(lower, software)) return true;
  }
  return false;
}

void LogRenderBackendLine(const RenderBackendOptions& options,
                          absl::string_view line) {
  if (options.log) {
    options.log(line);
  } else if (RenderBackends().FirstTimeLogged(line)) {
    // Once per process: a run makes several renderers (videos, evaluation
    // videos, the live view), and the same notice each time is noise.
    std::cerr << line << "\n" << std::flush;
  }
}

bool RenderBackendRegistry::FirstTimeLogged(absl::string_view line) {
  absl::MutexLock lock(&mutex_);
  return logged_.insert(std::string(line)).second;
}

const std::vector<std::string>& RenderBackendRegistry::KnownNames() {
  static const auto* names =
      new std::vector<std::string>{"auto", "egl", "glx", "llvmpipe"};
  return *names;
}

bool RenderBackendRegistry::Register(std::string name, std::string description,
                                     Factory factory) {
  return registry_.Register(std::move(name), std::move(description),
                            std::move(factory));
}

bool RenderBackendRegistry::RegisterNotBuilt(std::string name,
                                             std::string how) {
  absl::MutexLock lock(&mutex_);
  not_built_.emplace_back(std::move(name), std::move(how));
  return true;
}

std::string RenderBackendRegistry::NotBuiltHow(absl::string_view name) const {
  absl::MutexLock lock(&mutex_);
  for (const auto& [not_built, how] : not_built_) {
    if (not_built == name) return how;
  }
  return "";
}

std::vector<std::string> RenderBackendRegistry::Probe(
    const RenderBackendOptions& options) const {
  // Probing must not chatter: auto is skipped and warnings are kept.
  RenderBackendOptions quiet = options;
  std::vector<std::string> warnings;
  quiet.log = [&warnings](absl::string_view line) {
    warnings.emplace_back(line);
  };
  std::vector<std::string> lines;
  for (const std::string& name : Names()) {
    if (name == "auto") continue;
    absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
        registry_.Create(name, quiet);
    lines.push_back(
        backend.ok()
            ? absl::StrCat(name, ": works (", (*backend)->gl_renderer(), ")")
            : absl::StrCat(name,
                           ": unavailable: ", backend.status().message()));
  }
  return lines;
}

absl::Status RenderBackendRegistry::CheckName(
    absl::string_view name, const RenderBackendOptions& options) const {
  if (Contains(name)) return absl::OkStatus();
  const std::vector<std::string>& known = KnownNames();
  std::string what;
  if (std::find(known.begin(), known.end(), name) != known.end()) {
    const std::string how = NotBuiltHow(name);
    what = absl::StrCat(
        "render backend '", name, "' was not built into this binary (",
        how.empty() ? absl::StrCat("its target //rl/render:", name,
                                   " is not among the binary's deps; link "
                                   "//rl/render:backends for all of them")
                    : how,
        ")");
  } else {
    what = absl::StrCat("unknown render backend '", name, "'");
  }
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": valid values are ", absl::StrJoin(Names(), ", "),
                   "; on this machine: ", absl::StrJoin(Probe(options), "; ")));
}

absl::StatusOr<std::unique_ptr<RenderBackend>> RenderBackendRegistry::Create(
    absl::string_view name, const RenderBackendOptions& options) const {
  if (!Contains(name)) return CheckName(name, options);
  return registry_.Create(name, options);
}

RenderBackendRegistry& RenderBackends() {
  static auto* registry = new RenderBackendRegistry;
  return *registry;
}

}  // namespace rl
