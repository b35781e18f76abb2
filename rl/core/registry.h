// Registry: implementations of an interface, registered by name and created
// by name (from a flag). The only kind of global the project allows.
//
// Each implementation registers itself from its own .cc file, in a library
// marked `alwayslink = True`, so adding one touches only its own folder and
// the deps of the binaries that should carry it.
//
// Each interface owns one process-wide instance behind a function.
//
// Example:
//   // render_backend.h
//   Registry<RenderBackend>& RenderBackends();
//   // render_backend.cc
//   Registry<RenderBackend>& RenderBackends() {
//     static auto* registry = new Registry<RenderBackend>("render backend");
//     return *registry;
//   }
//   // llvmpipe_backend.cc
//   const bool kRegistered = RenderBackends().Register(
//       "llvmpipe", "Mesa's CPU rasterizer through EGL", &CreateLlvmpipe);
//   // main.cc
//   RL_ASSIGN_OR_RETURN(auto backend, RenderBackends().Create(flag));
#ifndef RL_CORE_REGISTRY_H_
#define RL_CORE_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace rl {

// `T` is the interface; `Args` what every factory takes.
template <typename T, typename... Args>
class Registry {
 public:
  using Factory = std::function<absl::StatusOr<std::unique_ptr<T>>(Args...)>;

  // `kind` names what is registered, for error messages ("render backend").
  explicit Registry(std::string kind) : kind_(std::move(kind)) {}

  // Registers `factory` under `name`; returns true so it can initialise a
  // namespace-scope constant. A second registration of a name is ignored and
  // returns false.
  bool Register(std::string name, std::string description, Factory factory) {
    absl::MutexLock lock(&mutex_);
    return entries_
        .emplace(std::move(name),
                 Entry{std::move(description), std::move(factory)})
        .second;
  }

  // Names of the registered implementations, sorted.
  std::vector<std::string> Names() const {
    absl::MutexLock lock(&mutex_);
    std::vector<std::string> names;
    for (const auto& [name, entry] : entries_) names.push_back(name);
    return names;
  }

  bool Contains(absl::string_view name) const {
    absl::MutexLock lock(&mutex_);
    return entries_.find(std::string(name)) != entries_.end();
  }

  std::string Description(absl::string_view name) const {
    absl::MutexLock lock(&mutex_);
    auto it = entries_.find(std::string(name));
    return it == entries_.end() ? "" : it->second.description;
  }

  // OK if `name` is registered, else an InvalidArgument error that lists the
  // valid names.
  absl::Status CheckName(absl::string_view name) const {
    if (Contains(name)) return absl::OkStatus();
    return absl::InvalidArgumentError(
        absl::StrCat("unknown ", kind_, " '", name, "': valid values are ",
                     absl::StrJoin(Names(), ", ")));
  }

  // Creates the implementation called `name`; an unknown name fails as
  // CheckName() does.
  absl::StatusOr<std::unique_ptr<T>> Create(absl::string_view name,
                                            Args... args) const {
    Factory factory;
    {
      absl::MutexLock lock(&mutex_);
      auto it = entries_.find(std::string(name));
      if (it != entries_.end()) factory = it->second.factory;
    }
    if (!factory) return CheckName(name);
    return factory(std::forward<Args>(args)...);
  }

 private:
  struct Entry {
    std::string description;
    Factory factory;
  };
  mutable absl::Mutex mutex_;
  std::string kind_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace rl

#endif  // RL_CORE_REGISTRY_H_
