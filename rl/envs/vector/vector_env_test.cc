#include "rl/envs/vector/vector_env.h"

#include <atomic>
#include <memory>
#include <random>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/classic_control/cartpole.h"
#include "rl/envs/env.h"
#include "rl/envs/env_kwargs.h"
#include "rl/envs/vector/thread_pool.h"
#include "rl/envs/vector/tiling.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

// Observation = steps taken in the episode plus 100 x the reset count; the
// reward is the action; terminates when the step count reaches `length`
// (action 2 ends it at once), truncated at 5. As Gymnasium's own vector
// tests do with their counting env.
class CountingEnv : public Env {
 public:
  explicit CountingEnv(int length)
      : Env([] {
          EnvSpec spec;
          spec.id = "Counting-v0";
          spec.max_episode_steps = 5;
          spec.observation_space = Space::Box({0}, {1000});
          spec.action_space = Space::Discrete(3);
          return spec;
        }()),
        length_(length) {}
  void Draw(Canvas* canvas) const override {
    canvas->Reset(100, 50, kWhite);
    canvas->FillRect(0, 0, 10.0f * count_, 10, kBlack);
  }

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override {
    count_ = 0;
    ++resets_;
    observation->assign(1, static_cast<float>(100 * resets_));
  }
  void StepState(const Action& action, StepResult* result) override {
    ++count_;
    result->reward = static_cast<double>(action.discrete);
    result->terminated = count_ >= length_ || action.discrete == 2;
    result->observation.assign(1, static_cast<float>(100 * resets_ + count_));
  }

 private:
  int length_;
  int count_ = 0;
  int resets_ = 0;
};

std::unique_ptr<VectorEnv> Counting(std::vector<int> lengths,
                                    AutoresetMode mode) {
  std::vector<std::unique_ptr<Env>> envs;
  for (int length : lengths)
    envs.push_back(std::make_unique<CountingEnv>(length));
  VectorEnvOptions options;
  options.autoreset_mode = mode;
  auto vector = VectorEnv::Create(std::move(envs), options);
  EXPECT_TRUE(vector.ok()) << vector.status();
  return *std::move(vector);
}

std::vector<float> Column(const VectorStepResult& batch) {
  std::vector<float> out;
  for (int i = 0; i < batch.num_envs; ++i)
    out.push_back(batch.observation(i)[0]);
  return out;
}

TEST(VectorEnvTest, NextStepAutoresetIsGymnasiums) {
  auto envs = Counting({2, 10}, AutoresetMode::kNextStep);
  VectorStepResult batch;
  envs->Reset(0, &batch);
  EXPECT_THAT(Column(batch), ::testing::ElementsAre(100, 100));
  const std::vector<int64_t> ones = {1, 1};
  ASSERT_TRUE(envs->Step(ones, &batch).ok());
  EXPECT_THAT(Column(batch), ::testing::ElementsAre(101, 101));
  // Env 0 terminates: its last observation comes with the flag.
  ASSERT_TRUE(envs->Step(ones, &batch).ok());
  EXPECT_THAT(Column(batch), ::testing::ElementsAre(102, 102));
  EXPECT_EQ(batch.terminated[0], 1);
  EXPECT_EQ(batch.rewards[0], 1);
  EXPECT_EQ(batch.terminated[1], 0);
  EXPECT_EQ(envs->episodes_finished(0), 1);
  // Next step: env 0 resets, ignoring its action; reward 0, no flags.
  ASSERT_TRUE(envs->Step(std::vector<int64_t>{2, 1}, &batch).ok());
  EXPECT_THAT(Column(batch), ::testing::ElementsAre(200, 103));
  EXPECT_EQ(batch.rewards[0], 0);
  EXPECT_EQ(batch.terminated[0], 0);
  EXPECT_EQ(batch.truncated[0], 0);
  EXPECT_EQ(batch.rewards[1], 1);
  // Env 1 reaches the time limit of 5 steps: truncated, then reset.
  ASSERT_TRUE(envs->Step(ones, &batch).ok());
  ASSERT_TRUE(envs->Step(ones, &batch).ok());
  EXPECT_THAT(Column(batch), ::testing::ElementsAre(202, 105));
  EXPECT_EQ(batch.truncated[1], 1);
  EXPECT_EQ(batch.terminated[1], 0);
  EXPECT_EQ(batch.terminated[0], 1);
  ASSERT_TRUE(envs->Step(ones, &batch).ok());
  EXPECT_THAT(Column(batch), ::testing::ElementsAre(300, 200));
  EXPECT_TRUE(batch.final_observations.empty());
}

TEST(VectorEnvTest, SameStepAutoresetReportsTheFinalObservation) {
  auto envs = Counting({2, 10}, AutoresetMode::kSameStep);
  VectorStepResult batch;
  envs->Reset(0, &batch);
  const std::vector<int64_t> ones = {1, 1};
  ASSERT_TRUE(envs->Step(ones, &batch).ok());
  ASSERT_TRUE(envs->Step(ones, &batch).ok());
  // Env 0 ended and was reset in the same step.
  EXPECT_THAT(Column(batch), ::testing::ElementsAre(200, 102));
  EXPECT_EQ(batch.terminated[0], 1);
  EXPECT_EQ(batch.rewards[0], 1);
  EXPECT_EQ(batch.final_observation(0)[0], 102);
  ASSERT_TRUE(envs->Step(ones, &batch).ok());
  EXPECT_THAT(Column(batch), ::testing::ElementsAre(201, 103));
  EXPECT_EQ(batch.terminated[0], 0);
}

TEST(VectorEnvTest, SubEnvIGetsSeedPlusI) {
  auto envs = VectorEnv::Create("CartPole-v1", 3);
  ASSERT_TRUE(envs.ok()) << envs.status();
  VectorStepResult batch;
  (*envs)->Reset(40, &batch);
  for (int i = 0; i < 3; ++i) {
    CartPole single;
    const Observation expected = single.Reset(40 + i);
    EXPECT_THAT(batch.observation(i), ::testing::ElementsAreArray(expected));
  }
  EXPECT_EQ(batch.observation_size, 4);
  EXPECT_EQ((*envs)->single_spec().id, "CartPole-v1");
}

// Same seed, same actions: the same batches whatever the thread count, and
// episodes autoreset along the way.
TEST(VectorEnvTest, ThreadsChangeNothingButSpeed) {
  VectorEnvOptions threaded;
  threaded.num_threads = 3;
  auto serial = VectorEnv::Create("CartPole-v1", 7);
  auto parallel = VectorEnv::Create("CartPole-v1", 7, threaded);
  ASSERT_TRUE(serial.ok() && parallel.ok());
  VectorStepResult a, b;
  (*serial)->Reset(3, &a);
  (*parallel)->Reset(3, &b);
  std::mt19937_64 rng(1);
  std::vector<int64_t> actions(7);
  int episodes = 0;
  for (int t = 0; t < 300; ++t) {
    for (int64_t& action : actions) action = UniformInt(rng, 2);
    ASSERT_TRUE((*serial)->Step(actions, &a).ok());
    ASSERT_TRUE((*parallel)->Step(actions, &b).ok());
    ASSERT_EQ(a.observations, b.observations) << t;
    ASSERT_EQ(a.rewards, b.rewards);
    ASSERT_EQ(a.terminated, b.terminated);
    for (uint8_t done : a.terminated) episodes += done;
  }
  EXPECT_GT(episodes, 20);
}

TEST(VectorEnvTest, ErrorsSayWhatIsWrong) {
  auto envs = VectorEnv::Create("CartPole-v1", 2);
  ASSERT_TRUE(envs.ok());
  VectorStepResult batch;
  EXPECT_EQ((*envs)->Step(std::vector<int64_t>{0, 0}, &batch).code(),
            absl::StatusCode::kFailedPrecondition);
  (*envs)->Reset(0, &batch);
  EXPECT_THAT((*envs)->Step(std::vector<int64_t>{0}, &batch).message(),
              HasSubstr("got 1 actions for 2 envs"));
  const absl::Status bad = (*envs)->Step(std::vector<int64_t>{0, 5}, &batch);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.message(), HasSubstr("sub-env 1"));
  EXPECT_THAT(VectorEnv::Create("CartPole-v1", 0).status().message(),
              HasSubstr("at least 1"));
  EXPECT_THAT(VectorEnv::Create("Nope-v0", 2).status().message(),
              HasSubstr("unknown env 'Nope-v0'"));
  std::vector<std::unique_ptr<Env>> mixed;
  mixed.push_back(std::make_unique<CartPole>());
  mixed.push_back(std::make_unique<CountingEnv>(3));
  EXPECT_THAT(VectorEnv::Create(std::move(mixed)).status().message(),
              HasSubstr("equal spaces"));
  VectorEnvOptions zero;
  zero.num_threads = 0;
  EXPECT_FALSE(VectorEnv::Create("CartPole-v1", 2, zero).ok());
  // Continuous actions through the integer overload are refused.
  auto pendulums = VectorEnv::Create("Pendulum-v1", 2);
  ASSERT_TRUE(pendulums.ok());
  (*pendulums)->Reset(0, &batch);
  EXPECT_THAT((*pendulums)->Step(std::vector<int64_t>{0, 0}, &batch).message(),
              HasSubstr("pass Actions instead"));
  const std::vector<Action> torques = {Action::Continuous({1.0f}),
                                       Action::Continuous({-1.0f})};
  EXPECT_TRUE((*pendulums)->Step(torques, &batch).ok());
  // A sub-env's own refusal (MuJoCo: outside the bounds) comes before any
  // sub-env steps.
  auto carts = VectorEnv::Create("InvertedPendulum-v5", 2);
  ASSERT_TRUE(carts.ok()) << carts.status();
  (*carts)->Reset(0, &batch);
  const std::vector<float> before = batch.observations;
  const absl::Status beyond =
      (*carts)->Step(std::vector<Action>{Action::Continuous({0.5f}),
                                         Action::Continuous({3.5f})},
                     &batch);
  EXPECT_EQ(beyond.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(beyond.message(),
              HasSubstr("sub-env 1: InvertedPendulum-v5: action value 0 is "
                        "3.5, outside"));
  EXPECT_EQ(batch.observations, before);
  EXPECT_EQ((*carts)->env(0).elapsed_steps(), 0);
}

// gym.make_vec(id, num_envs, **kwargs): every copy gets the kwargs.
TEST(VectorEnvTest, KwargsConfigureEveryCopy) {
  auto envs = VectorEnv::Create(
      "CartPole-v1", EnvKwargs{{"max_episode_steps", "3"}}, /*num_envs=*/3);
  ASSERT_TRUE(envs.ok()) << envs.status();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((*envs)->env(i).spec().max_episode_steps, 3) << "env " << i;
  }
  VectorStepResult batch;
  (*envs)->Reset(0, &batch);
  for (int t = 0; t < 3; ++t) {
    ASSERT_TRUE((*envs)->Step(std::vector<int64_t>{0, 1, 0}, &batch).ok());
  }
  // Truncated by the kwarg's limit (unless an env terminated first).
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(batch.truncated[i] || batch.terminated[i]) << "env " << i;
  }
  const absl::Status bad =
      VectorEnv::Create("CartPole-v1", EnvKwargs{{"gravity", "1"}}, 2).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.message(), HasSubstr("unknown keyword argument gravity"));
}

TEST(VectorEnvTest, DrawsEveryEnvAsALabelledTile) {
  auto envs = Counting({10, 10, 10, 10, 10}, AutoresetMode::kNextStep);
  VectorStepResult batch;
  envs->Reset(0, &batch);
  ASSERT_TRUE(envs->Step(std::vector<int64_t>{1, 0, 1, 0, 1}, &batch).ok());
  Canvas canvas(1, 1);
  envs->Draw(&canvas);
  // Five 100x50 tiles: 3 columns, 2 rows, 4-pixel gaps.
  EXPECT_EQ(canvas.width(), 3 * 100 + 4 * 4);
  EXPECT_EQ(canvas.height(), 2 * 50 + 3 * 4);
  std::vector<std::string> labels;
  std::vector<Point> backgrounds;
  for (const Shape& shape : canvas.shapes()) {
    if (const auto* text = std::get_if<TextShape>(&shape)) {
      labels.push_back(text->text);
    }
    if (const auto* polygon = std::get_if<PolygonShape>(&shape)) {
      if (polygon->color == kWhite) backgrounds.push_back(polygon->points[0]);
    }
  }
  EXPECT_THAT(labels, ::testing::ElementsAre("0  R 1", "1  R 0", "2  R 1",
                                             "3  R 0", "4  R 1"));
  ASSERT_EQ(backgrounds.size(), 5u);
  EXPECT_FLOAT_EQ(backgrounds[4].x, 4 + 104);
  EXPECT_FLOAT_EQ(backgrounds[4].y, 4 + 54);
}

TEST(TilingTest, SizesAndScale) {
  TileOptions options;
  EXPECT_EQ(TiledSize(1, 600, 400, options), std::pair(608, 408));
  EXPECT_EQ(TiledSize(4, 600, 400, options), std::pair(1212, 812));
  EXPECT_EQ(TiledSize(10, 600, 400, options),
            std::pair(4 * 600 + 20, 3 * 400 + 16));
  options.columns = 8;
  options.scale = 0.25f;
  options.gap = 0;
  EXPECT_EQ(TiledSize(16, 600, 400, options), std::pair(1200, 200));
}

TEST(TilingTest, TilesScaleTheirShapesAndTextScalesToo) {
  Canvas tile(200, 100, kWhite);
  tile.DrawText({10, 10}, 20, kBlack, "SCORE 5");
  TileOptions options;
  options.scale = 0.5f;
  options.gap = 0;
  options.labels = false;
  Canvas out(1, 1);
  TileCanvases(std::vector<Canvas>{tile, tile}, options, &out);
  EXPECT_EQ(out.width(), 200);
  EXPECT_EQ(out.height(), 50);
  const auto& text = std::get<TextShape>(out.shapes()[3]);
  EXPECT_FLOAT_EQ(text.top_left.x, 100 + 5);
  EXPECT_FLOAT_EQ(text.height, 10);
}

TEST(ThreadPoolTest, EveryIndexRunsExactlyOnce) {
  for (int threads : {1, 2, 3, 5}) {
    ThreadPool pool(threads);
    for (int n : {0, 1, 2, 7, 64}) {
      std::vector<std::atomic<int>> hits(n);
      for (int round = 0; round < 3; ++round) {
        pool.ParallelFor(n, [&](int begin, int end) {
          for (int i = begin; i < end; ++i) hits[i]++;
        });
      }
      for (int i = 0; i < n; ++i) EXPECT_EQ(hits[i], 3) << threads << " " << n;
    }
  }
}

}  // namespace
}  // namespace rl
