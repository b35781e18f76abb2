#include "rl/render/render_backend.h"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/optional.h"
#include "rl/render/auto_backend.h"

// "egl=//rl/render/egl,glx=//rl/render/glx,...": the project's backends and
// their targets, from the list in rl/render/BUILD.
#ifndef RL_RENDER_PROJECT_BACKENDS
#define RL_RENDER_PROJECT_BACKENDS ""
#endif

namespace rl {
namespace {

constexpr char kAuto[] = "auto";
constexpr char kNoAutoFallbackUrl[] = "rl.render/no_auto_fallback";
constexpr char kBackendUrl[] = "rl.render/backend";

std::vector<std::pair<std::string, std::string>> ProjectBackends() {
  std::vector<std::pair<std::string, std::string>> backends;
  for (absl::string_view entry :
       absl::StrSplit(RL_RENDER_PROJECT_BACKENDS, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> backend =
        absl::StrSplit(entry, absl::MaxSplits('=', 1));
    backends.push_back(std::move(backend));
  }
  return backends;
}

}  // namespace

const char* GlProfileName(GlProfile profile) {
  return profile == GlProfile::kCore ? "core" : "compatibility";
}

bool IsSoftwareRenderer(absl::string_view gl_renderer) {
  const std::string lower = absl::AsciiStrToLower(gl_renderer);
  for (absl::string_view software :
       {"llvmpipe", "softpipe", "swrast", "software rasterizer", "swiftshader",
        "basic render driver", "lavapipe"}) {
    if (absl::StrContains(lower, software)) return true;
  }
  return false;
}

namespace {

std::atomic<bool>& NoticesShown() {
  static std::atomic<bool>* const shown = new std::atomic<bool>(true);
  return *shown;
}

}  // namespace

void ShowRenderBackendNotices(bool show) { NoticesShown().store(show); }

void LogRenderBackendLine(const RenderBackendOptions& options,
                          absl::string_view line) {
  if (options.log) {
    options.log(line);
  } else if (NoticesShown().load() && RenderBackends().FirstTimeLogged(line)) {
    // Once per process: a run makes several renderers (videos, evaluation
    // videos, the live view), and the same notice each time is noise.
    std::cerr << line << "\n" << std::flush;
  }
}

absl::Status NoAutoFallback(absl::Status status) {
  if (!status.ok()) status.SetPayload(kNoAutoFallbackUrl, absl::Cord("1"));
  return status;
}

bool IsNoAutoFallback(const absl::Status& status) {
  return status.GetPayload(kNoAutoFallbackUrl).has_value();
}

std::string RenderBackendOfError(const absl::Status& status) {
  const absl::optional<absl::Cord> name = status.GetPayload(kBackendUrl);
  return name.has_value() ? std::string(*name) : "";
}

RenderBackendRegistry::RenderBackendRegistry()
    : RenderBackendRegistry(ProjectBackends()) {}

RenderBackendRegistry::RenderBackendRegistry(BackendTargets project_backends)
    : registry_("render backend"),
      project_backends_(std::move(project_backends)) {
  Register(kAuto, "", kNotTriedByAuto,
           [this](const RenderBackendOptions& options) {
             return CreateAutoBackend(*this, options);
           });
}

bool RenderBackendRegistry::FirstTimeLogged(absl::string_view line) {
  absl::MutexLock lock(&mutex_);
  return logged_.insert(std::string(line)).second;
}

bool RenderBackendRegistry::Register(std::string name, std::string description,
                                     int auto_priority, Factory factory) {
  const std::string key = name;
  if (!registry_.Register(std::move(name), std::move(description),
                          std::move(factory))) {
    return false;
  }
  absl::MutexLock lock(&mutex_);
  auto_priority_[key] = auto_priority;
  return true;
}

bool RenderBackendRegistry::RegisterNotBuilt(std::string name,
                                             std::string how) {
  absl::MutexLock lock(&mutex_);
  not_built_.emplace_back(std::move(name), std::move(how));
  return true;
}

std::string RenderBackendRegistry::Description(absl::string_view name) const {
  if (name != kAuto) return registry_.Description(name);
  const std::vector<std::string> order = AutoOrder();
  if (order.empty()) return "no backend it could try is built in";
  return absl::StrCat("the first that works here of ",
                      absl::StrJoin(order, ", "),
                      ", in that order; it says which on stderr");
}

int RenderBackendRegistry::AutoPriority(absl::string_view name) const {
  absl::MutexLock lock(&mutex_);
  auto it = auto_priority_.find(name);
  return it == auto_priority_.end() ? kNotTriedByAuto : it->second;
}

std::vector<std::string> RenderBackendRegistry::AutoOrder() const {
  std::vector<std::pair<int, std::string>> tried;
  {
    absl::MutexLock lock(&mutex_);
    for (const auto& [name, priority] : auto_priority_) {
      if (priority > kNotTriedByAuto) tried.emplace_back(-priority, name);
    }
  }
  std::sort(tried.begin(), tried.end());
  std::vector<std::string> order;
  for (auto& [priority, name] : tried) order.push_back(std::move(name));
  return order;
}

std::vector<std::string> RenderBackendRegistry::KnownNames() const {
  std::vector<std::string> names = Names();
  for (const auto& [name, target] : project_backends_) names.push_back(name);
  {
    absl::MutexLock lock(&mutex_);
    for (const auto& [name, how] : not_built_) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<std::string> RenderBackendRegistry::NotBuiltNames() const {
  std::vector<std::string> names;
  for (const std::string& name : KnownNames()) {
    if (!Contains(name)) names.push_back(name);
  }
  return names;
}

std::string RenderBackendRegistry::NotBuiltHow(absl::string_view name) const {
  {
    absl::MutexLock lock(&mutex_);
    for (const auto& [not_built, how] : not_built_) {
      if (not_built == name) return how;
    }
  }
  for (const auto& [backend, target] : project_backends_) {
    if (backend == name) {
      return absl::StrCat("its target ", target,
                          " is not among the binary's deps; link "
                          "//rl/render:backends for all of them");
    }
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
    if (name == kAuto) continue;
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
  const std::string how = NotBuiltHow(name);
  const std::string what =
      how.empty()
          ? absl::StrCat("unknown render backend '", name, "'")
          : absl::StrCat("render backend '", name,
                         "' was not built into this binary (", how, ")");
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": valid values are ", absl::StrJoin(Names(), ", "),
                   "; on this machine: ", absl::StrJoin(Probe(options), "; ")));
}

absl::StatusOr<std::unique_ptr<RenderBackend>> RenderBackendRegistry::Create(
    absl::string_view name, const RenderBackendOptions& options) const {
  absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
      Contains(name) ? registry_.Create(name, options)
                     : CheckName(name, options);
  if (!backend.ok() && RenderBackendOfError(backend.status()).empty()) {
    absl::Status status = backend.status();
    status.SetPayload(kBackendUrl, absl::Cord(name));
    return status;
  }
  return backend;
}

RenderBackendRegistry& RenderBackends() {
  static auto* registry = new RenderBackendRegistry;
  return *registry;
}

}  // namespace rl
