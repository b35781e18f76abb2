// --env_kwargs, the flag of gym.make(id, **kwargs), for every binary that
// makes envs from the command line (train, play, learning_curve), with the
// same name, help and errors everywhere:
//   --env_kwargs=key=value,...   e.g. is_slippery=False,map_name=8x8
//
// Library code below this layer never names the flag in its errors
// (CreateEnv says "FrozenLake-v1: unknown keyword argument ..."); this layer
// puts "--env_kwargs=TEXT: " in front.
//
// Example:
//   absl::ParseCommandLine(argc, argv);
//   absl::StatusOr<rl::EnvKwargsFlag> kwargs =
//       rl::EnvKwargsFlagFromCommandLine();
//   if (!kwargs.ok()) { ... print kwargs.status(), exit 2 ... }
//   if (absl::Status s = rl::CheckEnvKwargsFlag(env_id, *kwargs); !s.ok()) {
//     ... exit 2 ...
//   }
//   options.env_kwargs = kwargs->kwargs;
#ifndef RL_ENVS_ENV_KWARGS_FLAG_H_
#define RL_ENVS_ENV_KWARGS_FLAG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rl/envs/env_kwargs.h"

namespace rl {

// The flag's value, parsed (syntax only: the keys are the env's to check).
struct EnvKwargsFlag {
  EnvKwargs kwargs;
  // Whether --env_kwargs was on the command line ("--env_kwargs=" too, which
  // says "none" explicitly), as opposed to defaulted.
  bool given = false;
  std::string text;  // As typed.
};

// InvalidArgument "--env_kwargs=TEXT: ..." when the text does not parse
// (ParseEnvKwargs: an item without '=', a key given twice).
absl::StatusOr<EnvKwargsFlag> EnvKwargsFlagFromCommandLine();

// Checks the kwargs against env `env_id` by creating it once with them, so
// a bad key or value is refused before anything is written. Errors: an
// unknown env id as Envs().CheckName says it (no flag named: --env is
// wrong, not --env_kwargs); otherwise CreateEnv's error (InvalidArgument
// listing the valid keys, or saying what value was expected; NotFound for
// a missing xml_file) with "--env_kwargs=TEXT: " in front. No kwargs: only
// the id is checked.
absl::Status CheckEnvKwargsFlag(const std::string& env_id,
                                const EnvKwargsFlag& flag);

// `status` with "--env_kwargs=TEXT: " in front of its message.
absl::Status WithEnvKwargsFlagContext(const absl::Status& status,
                                      const EnvKwargsFlag& flag);

}  // namespace rl

#endif  // RL_ENVS_ENV_KWARGS_FLAG_H_
