// Status propagation macros. Debian 12's Abseil (20220623) ships none, so the
// project defines the two it needs here, once.
//
// Example:
//   absl::StatusOr<Frame> Render(...) {
//     RL_RETURN_IF_ERROR(backend.MakeCurrent());
//     RL_ASSIGN_OR_RETURN(std::unique_ptr<Fbo> fbo, Fbo::Create(w, h));
//     ...
//   }
#ifndef RL_CORE_STATUS_MACROS_H_
#define RL_CORE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates `expr` (an absl::Status); returns it from the enclosing function
// if it is not OK.
#define RL_RETURN_IF_ERROR(expr)                             \
  do {                                                       \
    const ::absl::Status rl_status_internal = (expr);        \
    if (!rl_status_internal.ok()) return rl_status_internal; \
  } while (false)

#define RL_STATUS_MACROS_CONCAT_INNER(a, b) a##b
#define RL_STATUS_MACROS_CONCAT(a, b) RL_STATUS_MACROS_CONCAT_INNER(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status from
// the enclosing function, otherwise moves the value into `lhs`, which may be a
// declaration (`auto x`) or an existing variable.
#define RL_ASSIGN_OR_RETURN(lhs, rexpr) \
  RL_ASSIGN_OR_RETURN_IMPL(             \
      RL_STATUS_MACROS_CONCAT(rl_statusor_internal_, __LINE__), lhs, rexpr)

#define RL_ASSIGN_OR_RETURN_IMPL(statusor, lhs, rexpr)     \
  auto statusor = (rexpr);                                 \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // RL_CORE_STATUS_MACROS_H_
