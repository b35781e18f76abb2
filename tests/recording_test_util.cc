#include "tests/recording_test_util.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <regex>

#include "absl/status/statusor.h"
#include "rl/agents/agent.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/classic_control/cartpole.h"
#include "rl/envs/env.h"

namespace rl {

std::string TempDir(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool Exists(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0;
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> files;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* entry = readdir(d)) {
      const std::string name = entry->d_name;
      if (name != "." && name != "..") files.push_back(name);
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The video files index.html links to, in page order.
std::vector<std::string> GalleryVideos(const std::string& dir) {
  const std::string html = Slurp(dir + "/index.html");
  std::vector<std::string> files;
  const std::regex source("<source src=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), source);
       it != std::sregex_iterator(); ++it) {
    files.push_back((*it)[1]);
  }
  return files;
}

std::atomic<int> draws{0};
std::atomic<int> kill_at_action{-1};
std::atomic<int> hook_action{-1};
std::function<void()> hook_at_action;

namespace {

// CartPole that counts the frames it draws: rendering happens for recorded
// frames only.
class CountingCartPole : public CartPole {
 public:
  void Draw(Canvas* canvas) const override {
    draws.fetch_add(1);
    CartPole::Draw(canvas);
  }
};

const bool kCountingRegistered = Envs().Register(
    "CountingCartPole-v1", "test env: CartPole counting its Draw calls",
    []() -> absl::StatusOr<std::unique_ptr<Env>> {
      return std::make_unique<CountingCartPole>();
    });

// Keeps the pole up (push towards where it falls), and can kill its own
// process at its kill_at_action-th action of episode 1, or call
// hook_at_action at its hook_action-th.

class BalancingAgent : public Agent {
 public:
  Action Act(const Observation& observation) override {
    ++actions_in_episode_;
    if (episode_ == 1 && actions_in_episode_ == kill_at_action.load()) {
      raise(SIGKILL);
    }
    if (episode_ == 1 && actions_in_episode_ == hook_action.load()) {
      hook_at_action();
    }
    return Action::Discrete(observation[2] + observation[3] > 0 ? 1 : 0);
  }
  absl::Status Observe(const Transition& transition) override {
    if (transition.result.terminated || transition.result.truncated) {
      ++episode_;
      actions_in_episode_ = 0;
    }
    return absl::OkStatus();
  }

 private:
  int episode_ = 0;
  int actions_in_episode_ = 0;
};

const bool kBalancingRegistered = Agents().Register(
    "balancing", "test agent: keeps the pole up; may kill its process",
    [](const AgentContext&) -> absl::StatusOr<std::unique_ptr<Agent>> {
      return std::make_unique<BalancingAgent>();
    });

}  // namespace

RunOptions SmallRun(const std::string& dir) {
  RunOptions options;
  options.env = "CountingCartPole-v1";
  options.video_dir = TempDir(dir);
  options.width = 96;
  options.height = 64;
  options.seed = 3;
  UseRecorder("mp4", options);
  return options;
}

void UseRecorder(const std::string& recorder, RunOptions& options) {
  options.recorder = recorder;
  options.encoder.encoder_options = recorder == "mp4" ? "preset=veryfast" : "";
}

}  // namespace rl
