// learning_curve: trains an agent with periodic greedy evaluations and
// prints the curve; the tool the defaults table (defaults.cc) was tuned with.
// No rendering, no files.
//
//   bazel run //rl/run:learning_curve -- --env=CartPole-v1 --agent=ppo
//       --steps=150000 --eval_every=10000 --seed=1 --hparams=learning_rate=3e-4
// --env_kwargs configures the training and the evaluation envs alike.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "rl/agents/defaults.h"
#include "rl/agents/hyperparams.h"
#include "rl/envs/env_kwargs_flag.h"
#include "rl/pipeline/trainer.h"

ABSL_FLAG(std::string, env, "CartPole-v1", "Gymnasium id of the env.");
ABSL_FLAG(std::string, agent, "ppo", "Agent to train.");
ABSL_FLAG(int64_t, steps, 0, "Env steps to train; 0: the defaults table's.");
ABSL_FLAG(int64_t, eval_every, 10000, "Env steps between evaluations.");
ABSL_FLAG(int, eval_episodes, 20, "Greedy episodes per evaluation.");
ABSL_FLAG(uint64_t, seed, 0, "Run seed.");
ABSL_FLAG(std::string, hparams, "", "Overrides, key=value,key=value.");
ABSL_FLAG(double, stop_at, 1e300,
          "Stop once an evaluation's mean return reaches this.");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto overrides = rl::ParseHyperParams(absl::GetFlag(FLAGS_hparams));
  if (!overrides.ok()) {
    std::cerr << overrides.status() << "\n";
    return 2;
  }
  auto env_kwargs = rl::EnvKwargsFlagFromCommandLine();
  if (!env_kwargs.ok()) {
    std::cerr << env_kwargs.status() << "\n";
    return 2;
  }
  rl::TrainerOptions options;
  options.env_id = absl::GetFlag(FLAGS_env);
  options.env_kwargs = env_kwargs->kwargs;
  if (absl::Status checked =
          rl::CheckEnvKwargsFlag(options.env_id, *env_kwargs);
      !checked.ok()) {
    std::cerr << checked << "\n";
    return 2;
  }
  options.agent = absl::GetFlag(FLAGS_agent);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.hyperparams = *overrides;
  auto trainer = rl::Trainer::Create(options);
  if (!trainer.ok()) {
    std::cerr << trainer.status() << "\n";
    return 2;
  }
  int64_t steps = absl::GetFlag(FLAGS_steps);
  if (steps <= 0)
    steps = rl::DefaultTrainingSteps(options.agent, options.env_id);
  if (steps <= 0) steps = 100000;
  std::cout << "hyperparams: "
            << rl::FormatHyperParams((*trainer)->options().hyperparams) << "\n";
  const int64_t every = absl::GetFlag(FLAGS_eval_every);
  size_t shown = 0;
  for (int64_t target = every;; target += every) {
    const int64_t until = std::min(target, steps);
    absl::Status status = (*trainer)->Run(until);
    if (!status.ok()) {
      std::cerr << status << "\n";
      return 1;
    }
    const auto& episodes = (*trainer)->episodes();
    double recent = 0;
    const size_t count = episodes.size() - shown;
    for (size_t i = shown; i < episodes.size(); ++i)
      recent += episodes[i].episode_return;
    shown = episodes.size();
    auto eval = rl::Evaluate((*trainer)->agent(), options.env_id,
                             absl::GetFlag(FLAGS_eval_episodes), 12345,
                             /*max_episode_steps=*/100000, options.env_kwargs);
    if (!eval.ok()) {
      std::cerr << eval.status() << "\n";
      return 1;
    }
    std::string stats;
    if (!episodes.empty()) {
      for (const auto& [k, v] : episodes.back().stats) {
        absl::StrAppendFormat(&stats, " %s=%.4g", k, v);
      }
    }
    std::cout << absl::StrFormat(
                     "step %8d  %6.1fs  train %8.2f (%4d eps)  eval %8.2f +- "
                     "%6.2f |%s\n",
                     (*trainer)->steps(),
                     episodes.empty() ? 0.0 : episodes.back().seconds,
                     count > 0 ? recent / count : 0.0, static_cast<int>(count),
                     eval->mean_return, eval->std_return, stats)
              << std::flush;
    if (eval->mean_return >= absl::GetFlag(FLAGS_stop_at) || until >= steps)
      break;
  }
  return 0;
}
