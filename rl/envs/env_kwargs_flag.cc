#include "rl/envs/env_kwargs_flag.h"

#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/internal/parse.h"
#include "absl/strings/str_cat.h"
#include "rl/core/file_util.h"
#include "rl/envs/env.h"

ABSL_FLAG(std::string, env_kwargs, "",
          "The env's keyword arguments, as gym.make(id, **kwargs): "
          "key=value,... with Gymnasium's names and Python's values, e.g. "
          "--env=FrozenLake-v1 --env_kwargs=is_slippery=False,map_name=8x8 "
          "or --env=HalfCheetah-v5 "
          "--env_kwargs=ctrl_cost_weight=0.05,frame_skip=5. Every env takes "
          "max_episode_steps; an unknown key is refused with the valid ones "
          "(rl/envs/README.md). Recorded in config.json and the sidecars; a "
          "resumed run takes its own.");

namespace rl {

absl::StatusOr<EnvKwargsFlag> EnvKwargsFlagFromCommandLine() {
  EnvKwargsFlag flag;
  flag.text = absl::GetFlag(FLAGS_env_kwargs);
  // absl's own record of it; Debian 12's Abseil has no public accessor.
  flag.given = absl::flags_internal::WasPresentOnCommandLine("env_kwargs");
  absl::StatusOr<EnvKwargs> kwargs = ParseEnvKwargs(flag.text);
  if (!kwargs.ok()) return WithEnvKwargsFlagContext(kwargs.status(), flag);
  flag.kwargs = *std::move(kwargs);
  // A model path as the user meant it under `bazel run` (which starts the
  // binary in its runfiles), and as config.json keeps it for a resume from
  // elsewhere. A quoted path is taken as written.
  if (auto xml = flag.kwargs.find("xml_file");
      xml != flag.kwargs.end() && !xml->second.empty() &&
      xml->second[0] != '"' && xml->second[0] != '\'') {
    xml->second = ResolveAgainstWorkingDirectory(xml->second);
  }
  return flag;
}

absl::Status CheckEnvKwargsFlag(const std::string& env_id,
                                const EnvKwargsFlag& flag) {
  if (absl::Status name = Envs().CheckName(env_id); !name.ok()) return name;
  if (flag.kwargs.empty()) return absl::OkStatus();
  absl::StatusOr<std::unique_ptr<Env>> env = CreateEnv(env_id, flag.kwargs);
  if (!env.ok()) return WithEnvKwargsFlagContext(env.status(), flag);
  return absl::OkStatus();
}

absl::Status WithEnvKwargsFlagContext(const absl::Status& status,
                                      const EnvKwargsFlag& flag) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat("--env_kwargs=", flag.text,
                                                  ": ", status.message()));
}

}  // namespace rl
