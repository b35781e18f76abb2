#include "rl/envs/classic_control/mountain_car.h"

#include <cmath>
#include <memory>
#include <variant>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/env.h"
#include "rl/envs/env_kwargs.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

constexpr double kTolerance = 1e-6;

// Every expected number below comes from rl/envs/testdata/
// gymnasium_reference.py, a plain-Python re-implementation of Gymnasium's
// published step() equations (mountain_car.py and
// continuous_mountain_car.py), float64, with the continuous version's state
// rounded to float32 after each step as Gymnasium stores it
// (np.array(..., dtype=np.float32)); not from this code.

TEST(MountainCarTest, TwelveStepTrajectoryMatchesGymnasiumEquations) {
  MountainCar env;
  env.Reset(0);
  env.SetState({-0.5, 0.0});
  StepResult result;
  for (int action : {2, 2, 0, 1, 2, 0, 0, 2, 1, 2, 2, 2}) {
    ASSERT_TRUE(env.Step(Action::Discrete(action), &result).ok());
    EXPECT_EQ(result.reward, -1.0);
    ASSERT_FALSE(result.terminated);
  }
  EXPECT_NEAR(env.state()[0], -0.49606192477956146, kTolerance);
  EXPECT_NEAR(env.state()[1], 0.0016732299472960554, kTolerance);
  EXPECT_FLOAT_EQ(result.observation[0], -0.49606192477956146f);
}

TEST(MountainCarTest, TheLeftWallStopsTheCar) {
  MountainCar env;
  env.Reset(0);
  env.SetState({-1.15, -0.06});
  StepResult result;
  ASSERT_TRUE(env.Step(Action::Discrete(0), &result).ok());
  EXPECT_EQ(env.state()[0], -1.2);
  EXPECT_EQ(env.state()[1], 0.0);
  ASSERT_TRUE(env.Step(Action::Discrete(0), &result).ok());
  EXPECT_NEAR(env.state()[0], -1.1987581039591646, kTolerance);
  EXPECT_NEAR(env.state()[1], 0.0012418960408353682, kTolerance);
  ASSERT_TRUE(env.Step(Action::Discrete(0), &result).ok());
  EXPECT_NEAR(env.state()[0], -1.196270205713714, kTolerance);
  EXPECT_NEAR(env.state()[1], 0.002487898245450696, kTolerance);
}

// Pushes with the velocity from -0.5 until the episode terminates (at most
// 200 steps); returns the steps taken and leaves the last step in `result`.
int BangBang(MountainCar& env, StepResult& result) {
  env.Reset(0);
  env.SetState({-0.5, 0.0});
  int steps = 0;
  do {
    const int action = env.state()[1] >= 0 ? 2 : 0;
    EXPECT_TRUE(env.Step(Action::Discrete(action), &result).ok());
    ++steps;
  } while (!result.terminated && steps < 200);
  return steps;
}

// Pushing with the velocity from -0.5 reaches the flag at step 124.
TEST(MountainCarTest, BangBangReachesTheGoalAtStep124) {
  MountainCar env;
  StepResult result;
  EXPECT_EQ(BangBang(env, result), 124);
  EXPECT_TRUE(result.terminated);
  EXPECT_FALSE(result.truncated);
  EXPECT_EQ(result.reward, -1.0);
  EXPECT_NEAR(env.state()[0], 0.5349499825655736, kTolerance);
  EXPECT_NEAR(env.state()[1], 0.04819097792866507, kTolerance);
}

// goal_velocity (same Python re-implementation): at the flag but slower
// than asked is not the goal.
TEST(MountainCarTest, GoalVelocityMustBeReached) {
  auto env = CreateEnv("MountainCar-v0", {{"goal_velocity", "0.01"}});
  ASSERT_TRUE(env.ok()) << env.status();
  auto* car = dynamic_cast<MountainCar*>(env->get());
  ASSERT_NE(car, nullptr);
  EXPECT_EQ(car->goal_velocity(), 0.01);
  car->Reset(0);
  car->SetState({0.55, 0.0});
  StepResult result;
  ASSERT_TRUE(car->Step(Action::Discrete(1), &result).ok());
  EXPECT_NEAR(car->state()[0], 0.5501978022220169, kTolerance);
  EXPECT_NEAR(car->state()[1], 0.00019780222201683522, kTolerance);
  EXPECT_FALSE(result.terminated);
  MountainCar default_car;  // goal_velocity 0: the same step arrives.
  default_car.Reset(0);
  default_car.SetState({0.55, 0.0});
  ASSERT_TRUE(default_car.Step(Action::Discrete(1), &result).ok());
  EXPECT_TRUE(result.terminated);

  // Bang-bang passes the flag at step 124 at 0.048 and arrives at 0.05 two
  // steps later, against the right edge.
  MountainCar fast(0.05);
  EXPECT_EQ(BangBang(fast, result), 126);
  EXPECT_TRUE(result.terminated);
  EXPECT_NEAR(fast.state()[0], 0.6, kTolerance);
  EXPECT_NEAR(fast.state()[1], 0.05072829742289956, kTolerance);

  const auto bad = CreateEnv("MountainCar-v0", {{"goal_velocity", "fast"}});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(),
              HasSubstr("MountainCar-v0: keyword argument goal_velocity=fast "
                        "is not a number"));
  EXPECT_THAT(CreateEnv("MountainCar-v0", {{"goal_position", "0.4"}})
                  .status()
                  .message(),
              HasSubstr("valid keys are goal_velocity, max_episode_steps"));
}

TEST(MountainCarTest, DoingNothingIsTruncatedAt200) {
  auto env = Envs().Create("MountainCar-v0");
  ASSERT_TRUE(env.ok()) << env.status();
  const Observation first = (*env)->Reset(5);
  EXPECT_GE(first[0], -0.6f);
  EXPECT_LT(first[0], -0.4f);
  EXPECT_EQ(first[1], 0.0f);
  StepResult result;
  int steps = 0;
  do {
    ASSERT_TRUE((*env)->Step(Action::Discrete(1), &result).ok());
    ++steps;
  } while (!result.terminated && !result.truncated);
  EXPECT_EQ(steps, 200);
  EXPECT_TRUE(result.truncated);
}

TEST(MountainCarContinuousTest, TenStepTrajectoryMatchesGymnasiumEquations) {
  MountainCarContinuous env;
  env.Reset(0);
  env.SetState({-0.5, 0.0});
  const float actions[] = {1.0,  0.5, -0.25, 2.0,  -1.5,
                           0.75, 1.0, 1.0,   -1.0, 0.0};
  const double rewards[] = {-0.1,     -0.025, -0.00625, -0.4, -0.225,
                            -0.05625, -0.1,   -0.1,     -0.1, 0.0};
  StepResult result;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(env.Step(Action::Continuous({actions[i]}), &result).ok());
    // The penalty is on the action as given, 2.0 and -1.5 included.
    EXPECT_NEAR(result.reward, rewards[i], 1e-9) << "step " << i;
  }
  EXPECT_NEAR(env.state()[0], -0.4784628450870514, kTolerance);
  EXPECT_NEAR(env.state()[1], 0.0021110090892761946, kTolerance);
}

TEST(MountainCarContinuousTest, ForceIsClippedButThePenaltyIsNot) {
  MountainCarContinuous big, one;
  big.Reset(0);
  one.Reset(0);
  big.SetState({-0.5, 0.0});
  one.SetState({-0.5, 0.0});
  StepResult a, b;
  ASSERT_TRUE(big.Step(Action::Continuous({3.0f}), &a).ok());
  ASSERT_TRUE(one.Step(Action::Continuous({1.0f}), &b).ok());
  EXPECT_EQ(big.state(), one.state());
  EXPECT_NEAR(big.state()[0], -0.4986768364906311, kTolerance);
  EXPECT_NEAR(a.reward, -0.9, 1e-9);
  EXPECT_NEAR(b.reward, -0.1, 1e-9);
}

TEST(MountainCarContinuousTest, TheLeftWallStopsTheCar) {
  MountainCarContinuous env;
  env.Reset(0);
  env.SetState({-1.15, -0.06});
  StepResult result;
  const double expected[3][2] = {{-1.2000000476837158, 0.0},
                                 {-1.1992582082748413, 0.0007418958703055978},
                                 {-1.1962720155715942, 0.0029862483497709036}};
  const float actions[3] = {-1.0f, -1.0f, 0.0f};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(env.Step(Action::Continuous({actions[i]}), &result).ok());
    EXPECT_NEAR(env.state()[0], expected[i][0], kTolerance) << i;
    EXPECT_NEAR(env.state()[1], expected[i][1], kTolerance) << i;
    EXPECT_TRUE(env.observation_space().Contains(result.observation));
  }
}

// Full force with the velocity from -0.5: the flag at step 106, paying
// 100 - 0.1 on that step and 89.4 in all.
TEST(MountainCarContinuousTest, BangBangReachesTheGoalAtStep106) {
  MountainCarContinuous env;
  env.Reset(0);
  env.SetState({-0.5, 0.0});
  StepResult result;
  int steps = 0;
  double total = 0;
  do {
    const float action = env.state()[1] >= 0 ? 1.0f : -1.0f;
    ASSERT_TRUE(env.Step(Action::Continuous({action}), &result).ok());
    total += result.reward;
    ++steps;
  } while (!result.terminated && steps < 999);
  EXPECT_EQ(steps, 106);
  EXPECT_NEAR(result.reward, 99.9, 1e-9);
  EXPECT_NEAR(total, 89.40000000000003, 1e-6);
  EXPECT_NEAR(env.state()[0], 0.5020867586135864, kTolerance);
  EXPECT_NEAR(env.state()[1], 0.0640476867556572, kTolerance);
}

TEST(MountainCarContinuousTest, GoalVelocityMustBeReached) {
  auto env = CreateEnv("MountainCarContinuous-v0", {{"goal_velocity", "0.01"}});
  ASSERT_TRUE(env.ok()) << env.status();
  auto* car = dynamic_cast<MountainCarContinuous*>(env->get());
  ASSERT_NE(car, nullptr);
  car->Reset(0);
  car->SetState({0.46, 0.0});
  StepResult result;
  ASSERT_TRUE(car->Step(Action::Continuous({1.0f}), &result).ok());
  EXPECT_NEAR(car->state()[0], 0.4610258936882019, kTolerance);
  EXPECT_NEAR(car->state()[1], 0.001025897916406393, kTolerance);
  EXPECT_FALSE(result.terminated);
  EXPECT_NEAR(result.reward, -0.1, 1e-9);  // No +100 either.
  MountainCarContinuous default_car;
  default_car.Reset(0);
  default_car.SetState({0.46, 0.0});
  ASSERT_TRUE(default_car.Step(Action::Continuous({1.0f}), &result).ok());
  EXPECT_TRUE(result.terminated);
  EXPECT_NEAR(result.reward, 99.9, 1e-9);
  EXPECT_THAT(CreateEnv("MountainCarContinuous-v0", {{"goal_velocity", ""}})
                  .status()
                  .message(),
              HasSubstr("goal_velocity= is not a number"));
}

TEST(MountainCarContinuousTest, DoingNothingIsTruncatedAt999) {
  auto env = Envs().Create("MountainCarContinuous-v0");
  ASSERT_TRUE(env.ok()) << env.status();
  (*env)->Reset(2);
  StepResult result;
  int steps = 0;
  do {
    ASSERT_TRUE((*env)->Step(Action::Continuous({0.0f}), &result).ok());
    ++steps;
  } while (!result.terminated && !result.truncated);
  EXPECT_EQ(steps, 999);
}

// Gymnasium's layout: the hill from (0, 400 - 0.55 * 333.3 * ...) sampled
// 100 times, a 40x20 car, grey wheels of radius 8, the flag at x = 566.
TEST(MountainCarTest, DrawsGymnasiumsLayout) {
  MountainCar env;
  env.Reset(0);
  env.SetState({-0.5, 0});
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  EXPECT_EQ(canvas.width(), 600);
  EXPECT_EQ(canvas.height(), 400);
  ASSERT_EQ(canvas.shapes().size(), 99u + 1 + 2 + 2);
  const auto& first = std::get<LineShape>(canvas.shapes()[0]);
  EXPECT_FLOAT_EQ(first.from.x, 0);
  const double scale = 600 / 1.8;
  EXPECT_NEAR(first.from.y, 400 - (std::sin(-3.6) * 0.45 + 0.55) * scale, 1e-3);
  const auto& car = std::get<PolygonShape>(canvas.shapes()[99]);
  EXPECT_EQ(car.color, kBlack);
  // (l, b) = (-20, 0) rotated by cos(-1.5), at x = 0.7 * scale.
  const double angle = std::cos(-1.5);
  EXPECT_NEAR(car.points[0].x, -20 * std::cos(angle) + 0.7 * scale, 1e-3);
  const auto& wheel = std::get<CircleShape>(canvas.shapes()[100]);
  EXPECT_FLOAT_EQ(wheel.radius, 8);
  EXPECT_EQ(wheel.color, (Color{128, 128, 128, 255}));
  const auto& pole = std::get<LineShape>(canvas.shapes()[102]);
  EXPECT_FLOAT_EQ(pole.from.x, 566.5);
  const auto& flag = std::get<PolygonShape>(canvas.shapes()[103]);
  EXPECT_EQ(flag.color, (Color{204, 204, 0, 255}));

  // The continuous version's flag stands at 0.45.
  MountainCarContinuous continuous;
  continuous.Reset(0);
  continuous.Draw(&canvas);
  const auto& pole2 = std::get<LineShape>(canvas.shapes()[102]);
  // int((0.45 + 1.2) * (600 / 1.8)) in Python is 550.
  EXPECT_FLOAT_EQ(pole2.from.x, 550.5);
}

}  // namespace
}  // namespace rl
