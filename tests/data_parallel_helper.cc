// Started under mpirun by data_parallel_test.sh: every rank trains PPO on
// CartPole-v1 through the Trainer for --updates updates, data-parallel over
// the ranks (observation normalisation on, so the merged statistics are
// exercised), then writes OUT_DIR/rankR.params (the agent's Parameters(),
// raw floats) and OUT_DIR/rankR.returns (its episode returns, one a line),
// so the test can compare them across ranks.
#include <fstream>
#include <iostream>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "rl/mpi/mpi_world.h"
#include "rl/pipeline/trainer.h"

ABSL_FLAG(std::string, out_dir, "", "Where each rank writes its files.");
ABSL_FLAG(int, updates, 5, "PPO updates to train.");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto world = rl::MpiWorld::Init();
  if (!world.ok()) {
    std::cerr << world.status() << "\n";
    return 1;
  }
  const int rank = (*world)->rank();
  rl::TrainerOptions options;
  options.env_id = "CartPole-v1";
  options.agent = "ppo";
  options.seed = 3;
  options.hyperparams = {{"n_envs", "4"},
                         {"n_steps", "32"},
                         {"batch_size", "64"},
                         {"n_epochs", "4"},
                         {"normalize_observation", "true"}};
  options.collective = world->get();
  auto trainer = rl::Trainer::Create(options);
  if (!trainer.ok()) {
    std::cerr << "rank " << rank << ": " << trainer.status() << "\n";
    (*world)->Abort(1);
  }
  const int64_t steps =
      int64_t{absl::GetFlag(FLAGS_updates)} * 32 * 4 * (*world)->size();
  if (absl::Status status = (*trainer)->Run(steps); !status.ok()) {
    std::cerr << "rank " << rank << ": " << status << "\n";
    (*world)->Abort(1);
  }
  const std::string dir = absl::GetFlag(FLAGS_out_dir);
  const std::vector<float> params = (*trainer)->agent().Parameters();
  std::ofstream(absl::StrCat(dir, "/rank", rank, ".params"), std::ios::binary)
      .write(reinterpret_cast<const char*>(params.data()),
             static_cast<std::streamsize>(params.size() * sizeof(float)));
  std::ofstream returns(absl::StrCat(dir, "/rank", rank, ".returns"));
  for (const rl::EpisodeRecord& record : (*trainer)->episodes()) {
    returns << record.episode_return << "\n";
  }
  std::cout << "rank " << rank << ": steps " << (*trainer)->steps()
            << ", updates " << (*trainer)->agent().Stats()["updates"] << ", "
            << params.size() << " parameters\n";
  return 0;
}
