// The conformance suite: every registered env (//rl/envs:all) must pass
// these checks. Adding an env adds it here automatically; the table below
// must then gain its documented time limit and, where one exists, a policy
// that ends its episodes (the test says so if it is missing).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/env.h"

namespace rl {
namespace {

using ::testing::HasSubstr;
using Policy = std::function<Action(const Observation&, std::mt19937_64&)>;

Action RandomAction(const Space& space, std::mt19937_64& rng) {
  if (space.kind == Space::Kind::kDiscrete) {
    return Action::Discrete(UniformInt(rng, space.n));
  }
  std::vector<float> values(space.low.size());
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] =
        static_cast<float>(UniformReal(rng, space.low[i], space.high[i]));
  }
  return Action::Continuous(std::move(values));
}

struct Documented {
  // Gymnasium's registered max_episode_steps (gymnasium/envs/__init__.py),
  // or ours; 0: none.
  int max_episode_steps;
  // A policy that keeps the episode going to the time limit (nullptr: none
  // is known, e.g. the arcade game's ghosts always win).
  Policy survive;
  // A policy whose episodes terminate (nullptr: random actions); with
  // `terminates` false, the env must never terminate.
  Policy finish;
  bool terminates = true;
};

Policy Constant(Action action) {
  return [action](const Observation&, std::mt19937_64&) { return action; };
}

const std::map<std::string, Documented>& Table() {
  static const auto* table = new std::map<std::string, Documented>{
      {"Acrobot-v1",
       {500, Constant(Action::Discrete(1)),
        // Torque along the second joint's velocity pumps energy in.
        [](const Observation& o, std::mt19937_64&) {
          return Action::Discrete(o[5] >= 0 ? 2 : 0);
        }}},
      {"CartPole-v1",
       {500,
        [](const Observation& o, std::mt19937_64&) {
          const double push = 0.05 * o[0] + 0.1 * o[1] + o[2] + 0.5 * o[3];
          return Action::Discrete(push > 0 ? 1 : 0);
        },
        Constant(Action::Discrete(1))}},
      {"CliffWalking-v1",
       {0, nullptr,
        // Up from the start, along the top of the cliff, down to the goal.
        [](const Observation& o, std::mt19937_64&) {
          const int s = static_cast<int>(o[0]);
          if (s == 35) return Action::Discrete(2);
          if (s >= 36) return Action::Discrete(0);
          return Action::Discrete(s / 12 == 2 ? 1 : 2);
        }}},
      {"CliffWalkingSlippery-v1", {0, nullptr, nullptr}},
      {"Corridor-v0",
       {20, Constant(Action::Discrete(0)), Constant(Action::Discrete(1))}},
      {"FrozenLake-v1", {100, Constant(Action::Discrete(3)), nullptr}},
      {"FrozenLake8x8-v1", {200, Constant(Action::Discrete(3)), nullptr}},
      {"HalfCheetah-v5",
       {1000, Constant(Action::Continuous(std::vector<float>(6, 0.0f))),
        nullptr, false}},
      {"Hopper-v5",
       {1000,
        // Linear feedback that keeps it standing (gains from a random
        // search over seeds 1-4); random actions topple it.
        [](const Observation& o, std::mt19937_64&) {
          static constexpr double k[3][11] = {
              {0.001, -0.291, -0.304, -0.017, 0.298, 0.624, 0.215, -0.299,
               -0.424, -0.434, 0.783},
              {-0.139, 0.072, 0.445, 0.247, 0.088, -0.153, -0.086, -0.041,
               0.208, -0.390, 0.346},
              {-0.386, -0.218, 0.024, 0.302, -0.365, 0.234, -0.052, -0.296,
               -0.220, 0.320, -0.031}};
          std::vector<float> action(3);
          for (int j = 0; j < 3; ++j) {
            double u = 0;
            for (int m = 0; m < 11; ++m) {
              u += k[j][m] * (o[m] - (m == 0 ? 1.25 : 0.0));
            }
            action[j] = static_cast<float>(std::clamp(u, -1.0, 1.0));
          }
          return Action::Continuous(std::move(action));
        },
        nullptr}},
      // Random actions topple it; no policy here survives 1000 steps (the
      // 3-step truncation check still runs).
      {"HumanoidDMC-v0", {1000, nullptr, nullptr}},
      {"InvertedDoublePendulum-v5",
       {1000,
        // Linear feedback on (x, both hinge angles, their velocities),
        // gains found by a random search that kept seeds 1-6 up for 1000
        // steps.
        [](const Observation& o, std::mt19937_64&) {
          const double k[6] = {-0.154, -1.131, -11.05, -0.268, -1.356, -1.406};
          const double s[6] = {
              o[0], std::atan2(o[1], o[3]), std::atan2(o[2], o[4]), o[5], o[6],
              o[7]};
          double u = 0;
          for (int i = 0; i < 6; ++i) u += k[i] * s[i];
          return Action::Continuous(
              {static_cast<float>(std::clamp(u, -1.0, 1.0))});
        },
        Constant(Action::Continuous({1.0f}))}},
      {"InvertedPendulum-v5",
       {1000,
        // A hand-tuned PD law on the pole's angle and the cart's drift.
        [](const Observation& o, std::mt19937_64&) {
          const float u =
              10.0f * o[1] + 1.0f * o[3] + 0.2f * o[0] + 0.4f * o[2];
          return Action::Continuous({std::clamp(u, -3.0f, 3.0f)});
        },
        Constant(Action::Continuous({3.0f}))}},
      {"MazeChase-v0", {3000, nullptr, nullptr}},
      {"MountainCar-v0",
       {200, Constant(Action::Discrete(1)),
        [](const Observation& o, std::mt19937_64&) {
          return Action::Discrete(o[1] >= 0 ? 2 : 0);
        }}},
      {"MountainCarContinuous-v0",
       {999, Constant(Action::Continuous({0.0f})),
        [](const Observation& o, std::mt19937_64&) {
          return Action::Continuous({o[1] >= 0 ? 1.0f : -1.0f});
        }}},
      {"Pendulum-v1",
       {200, Constant(Action::Continuous({0.0f})), nullptr, false}},
      // Taxi never ends on its own if it never drops the passenger off.
      {"Reacher-v5",
       {50, Constant(Action::Continuous({0.0f, 0.0f})), nullptr, false}},
      {"Taxi-v4", {200, Constant(Action::Discrete(1)), nullptr}},
  };
  return *table;
}

class ConformanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto env = Envs().Create(GetParam());
    ASSERT_TRUE(env.ok()) << env.status();
    env_ = *std::move(env);
    auto it = Table().find(GetParam());
    ASSERT_NE(it, Table().end())
        << GetParam() << " is not in the conformance table: add its "
        << "documented time limit and policies to conformance_test.cc";
    documented_ = &it->second;
  }

  // Checks one step's outcome against the spec.
  void CheckStep(const StepResult& result) {
    const EnvSpec& spec = env_->spec();
    ASSERT_EQ(static_cast<int64_t>(result.observation.size()),
              spec.observation_space.flat_size());
    ASSERT_TRUE(spec.observation_space.Contains(result.observation))
        << "observation outside " << spec.observation_space.ToString()
        << " at step " << env_->elapsed_steps();
    ASSERT_TRUE(std::isfinite(result.reward));
    ASSERT_GE(result.reward, spec.min_reward);
    ASSERT_LE(result.reward, spec.max_reward);
  }

  std::unique_ptr<Env> env_;
  const Documented* documented_ = nullptr;
};

TEST_P(ConformanceTest, SpecIsComplete) {
  const EnvSpec& spec = env_->spec();
  EXPECT_EQ(spec.id, GetParam());
  EXPECT_EQ(spec.max_episode_steps, documented_->max_episode_steps);
  EXPECT_GT(spec.render_width, 0);
  EXPECT_GT(spec.render_height, 0);
  EXPECT_GT(spec.render_fps, 0);
  EXPECT_LE(spec.min_reward, spec.max_reward);
  for (const Space* space : {&spec.observation_space, &spec.action_space}) {
    if (space->kind == Space::Kind::kDiscrete) {
      EXPECT_GT(space->n, 0);
    } else {
      int64_t size = 1;
      for (int64_t dim : space->shape) size *= dim;
      EXPECT_EQ(size, static_cast<int64_t>(space->low.size()));
      ASSERT_EQ(space->low.size(), space->high.size());
      for (size_t i = 0; i < space->low.size(); ++i) {
        EXPECT_LE(space->low[i], space->high[i]);
      }
    }
  }
  EXPECT_FALSE(Envs().Description(GetParam()).empty());
}

TEST_P(ConformanceTest, ObservationsAndRewardsStayInTheirSpaces) {
  std::mt19937_64 rng(7);
  StepResult result;
  int steps = 0;
  for (uint64_t seed = 0; seed < 5 && steps < 5000; ++seed) {
    const Observation first = env_->Reset(seed);
    ASSERT_TRUE(env_->observation_space().Contains(first));
    while (!env_->episode_over() && steps < 5000) {
      ASSERT_TRUE(
          env_->Step(RandomAction(env_->action_space(), rng), &result).ok());
      CheckStep(result);
      ++steps;
    }
  }
}

TEST_P(ConformanceTest, SameSeedSameTrajectory) {
  auto other = Envs().Create(GetParam());
  ASSERT_TRUE(other.ok());
  Env& a = *env_;
  Env& b = **other;
  std::mt19937_64 actions(11);
  ASSERT_EQ(a.Reset(123), b.Reset(123));
  StepResult ra, rb;
  // Across episode boundaries: unseeded resets continue the generator.
  for (int i = 0; i < 400; ++i) {
    if (a.episode_over()) {
      ASSERT_TRUE(b.episode_over());
      ASSERT_EQ(a.Reset(), b.Reset());
    }
    const Action action = RandomAction(a.action_space(), actions);
    ASSERT_TRUE(a.Step(action, &ra).ok());
    ASSERT_TRUE(b.Step(action, &rb).ok());
    ASSERT_EQ(ra.observation, rb.observation) << "step " << i;
    ASSERT_EQ(ra.reward, rb.reward);
    ASSERT_EQ(ra.terminated, rb.terminated);
    ASSERT_EQ(ra.truncated, rb.truncated);
  }
}

TEST_P(ConformanceTest, TruncatedExactlyAtTheTimeLimit) {
  // With a short limit, as gym.make(id, max_episode_steps=3): the first
  // seed whose episode survives three random steps is truncated at step 3.
  env_->set_max_episode_steps(3);
  std::mt19937_64 rng(3);
  StepResult result;
  bool truncated = false;
  for (uint64_t seed = 0; seed < 50 && !truncated; ++seed) {
    env_->Reset(seed);
    do {
      ASSERT_TRUE(
          env_->Step(RandomAction(env_->action_space(), rng), &result).ok());
      ASSERT_TRUE(!result.truncated || env_->elapsed_steps() == 3);
    } while (!env_->episode_over());
    truncated = result.truncated && !result.terminated;
  }
  EXPECT_TRUE(truncated) << "no episode survived 3 steps in 50 seeds";

  // The documented limit, with a policy that survives it.
  const int limit = documented_->max_episode_steps;
  env_->set_max_episode_steps(limit);
  if (limit == 0) {
    // No limit (Gymnasium registers none): never truncated.
    env_->Reset(1);
    for (int step = 0; step < 3000; ++step) {
      if (env_->episode_over()) env_->Reset();
      ASSERT_TRUE(
          env_->Step(RandomAction(env_->action_space(), rng), &result).ok());
      ASSERT_FALSE(result.truncated);
    }
    return;
  }
  if (documented_->survive == nullptr) {
    GTEST_SKIP() << "no policy survives to the limit of " << GetParam();
  }
  Observation observation = env_->Reset(1);
  for (int step = 1; step <= limit; ++step) {
    ASSERT_TRUE(
        env_->Step(documented_->survive(observation, rng), &result).ok());
    observation = result.observation;
    ASSERT_FALSE(result.terminated) << "the survival policy died at " << step;
    ASSERT_EQ(result.truncated, step == limit) << "step " << step;
  }
}

TEST_P(ConformanceTest, TerminationEndsTheEpisodeAndFurtherStepsFail) {
  std::mt19937_64 rng(5);
  StepResult result;
  EXPECT_EQ(env_->Step(RandomAction(env_->action_space(), rng), &result).code(),
            absl::StatusCode::kFailedPrecondition)
      << "Step() before Reset() must fail";
  env_->set_max_episode_steps(0);  // Let the episode run until it ends.
  Observation observation = env_->Reset(2);
  // An env documented never to terminate is watched for 20,000 steps (the
  // MuJoCo envs cost up to ~1 ms a step unoptimized); the others get up to
  // 200,000 to end an episode.
  const int kCap = documented_->terminates ? 200000 : 20000;
  int steps = 0;
  while (!env_->episode_over() && steps < kCap) {
    const Action action = documented_->finish
                              ? documented_->finish(observation, rng)
                              : RandomAction(env_->action_space(), rng);
    ASSERT_TRUE(env_->Step(action, &result).ok());
    CheckStep(result);
    observation = result.observation;
    ++steps;
  }
  if (!documented_->terminates) {
    EXPECT_FALSE(env_->episode_over())
        << GetParam() << " is documented never to terminate";
    return;
  }
  ASSERT_TRUE(result.terminated) << "no termination in " << kCap << " steps";
  EXPECT_FALSE(result.truncated);
  const absl::Status status =
      env_->Step(RandomAction(env_->action_space(), rng), &result);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("call Reset()"));
  EXPECT_THAT(status.message(), HasSubstr(GetParam()));
  // And a reset starts over.
  env_->Reset();
  EXPECT_TRUE(
      env_->Step(RandomAction(env_->action_space(), rng), &result).ok());
}

TEST_P(ConformanceTest, InvalidActionsAreRefused) {
  env_->Reset(0);
  StepResult result;
  const Space& space = env_->action_space();
  if (space.kind == Space::Kind::kDiscrete) {
    EXPECT_EQ(env_->Step(Action::Discrete(space.n), &result).code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(env_->Step(Action::Discrete(-1), &result).code(),
              absl::StatusCode::kInvalidArgument);
  } else {
    EXPECT_EQ(env_->Step(Action::Continuous(
                             std::vector<float>(space.low.size() + 1, 0.0f)),
                         &result)
                  .code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(env_->Step(Action::Continuous(
                             std::vector<float>(space.low.size(), NAN)),
                         &result)
                  .code(),
              absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(env_->elapsed_steps(), 0);
}

// Every shape is finite, has size, lies (at least partly) on the canvas
// and within a 10% margin around it: Gymnasium's layouts let a cart or an
// elf's hat cross the border a little, never fly off.
void CheckDrawing(const Env& env) {
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  ASSERT_EQ(canvas.width(), env.spec().render_width);
  ASSERT_EQ(canvas.height(), env.spec().render_height);
  ASSERT_FALSE(canvas.shapes().empty());
  const float w = canvas.width(), h = canvas.height();
  const float margin_x = 0.1f * w, margin_y = 0.1f * h;
  for (size_t i = 0; i < canvas.shapes().size(); ++i) {
    float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
    auto add = [&](Point p, float r) {
      ASSERT_TRUE(std::isfinite(p.x) && std::isfinite(p.y)) << "shape " << i;
      x0 = std::min(x0, p.x - r);
      y0 = std::min(y0, p.y - r);
      x1 = std::max(x1, p.x + r);
      y1 = std::max(y1, p.y + r);
    };
    std::visit(
        [&](const auto& s) {
          using T = std::decay_t<decltype(s)>;
          if constexpr (std::is_same_v<T, PolygonShape>) {
            ASSERT_GE(s.points.size(), 3u) << "shape " << i;
            for (const Point& p : s.points) add(p, 0);
          } else if constexpr (std::is_same_v<T, CircleShape>) {
            ASSERT_GT(s.radius, 0) << "shape " << i;
            add(s.center, s.radius);
          } else if constexpr (std::is_same_v<T, LineShape>) {
            ASSERT_GT(s.width, 0) << "shape " << i;
            add(s.from, 0);
            add(s.to, 0);
          } else if constexpr (std::is_same_v<T, TextShape>) {
            ASSERT_FALSE(s.text.empty()) << "shape " << i;
            ASSERT_GT(s.height, 0) << "shape " << i;
            add(s.top_left, 0);
            add({s.top_left.x, s.top_left.y + s.height}, 0);
          }
        },
        canvas.shapes()[i]);
    EXPECT_TRUE(x1 >= 0 && y1 >= 0 && x0 <= w && y0 <= h)
        << "shape " << i << " is entirely off the canvas";
    EXPECT_TRUE(x0 >= -margin_x && y0 >= -margin_y && x1 <= w + margin_x &&
                y1 <= h + margin_y)
        << "shape " << i << " reaches (" << x0 << ", " << y0 << ")-(" << x1
        << ", " << y1 << ") on a " << w << "x" << h << " canvas";
  }
}

TEST_P(ConformanceTest, DrawingIsNonEmptyAndInBounds) {
  std::mt19937_64 rng(9);
  StepResult result;
  for (uint64_t seed = 0; seed < 3; ++seed) {
    env_->Reset(seed);
    CheckDrawing(*env_);
    for (int i = 0; i < 60 && !env_->episode_over(); ++i) {
      ASSERT_TRUE(
          env_->Step(RandomAction(env_->action_space(), rng), &result).ok());
      CheckDrawing(*env_);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllEnvs, ConformanceTest,
                         ::testing::ValuesIn(Envs().Names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c)))
                               c = '_';
                           }
                           return name;
                         });

// The table documents exactly the registered envs.
TEST(ConformanceTableTest, CoversEveryRegisteredEnv) {
  std::vector<std::string> documented;
  for (const auto& [name, entry] : Table()) documented.push_back(name);
  EXPECT_EQ(documented, Envs().Names());
}

}  // namespace
}  // namespace rl
