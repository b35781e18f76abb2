#include "rl/envs/classic_control/cartpole.h"

#include <cmath>
#include <memory>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/env.h"
#include "rl/envs/env_kwargs.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

constexpr double kTolerance = 1e-9;

void ExpectState(const CartPole::State& actual,
                 const CartPole::State& expected) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(actual[i], expected[i], kTolerance) << "state element " << i;
  }
}

// One step from rest, pushing right, computed by hand from Gymnasium's
// equations (cartpole.py, step()):
//   temp     = (10 + 0.05 * 0^2 * sin 0) / 1.1            =  9.0909090909
//   thetaacc = (9.8 * 0 - 1 * temp)
//              / (0.5 * (4/3 - 0.1 * 1 / 1.1))            = -14.634146341
//   xacc     = temp - 0.05 * thetaacc * 1 / 1.1           =  9.7560975610
//   euler:  x = 0,  x_dot = 0.02 * xacc = 0.19512195122,
//           theta = 0,  theta_dot = 0.02 * thetaacc = -0.29268292683
TEST(CartPoleTest, OneStepFromRestMatchesHandComputation) {
  CartPole env;
  env.Reset(0);
  env.SetState({0, 0, 0, 0});
  StepResult result;
  ASSERT_TRUE(env.Step(Action::Discrete(1), &result).ok());
  ExpectState(env.state(), {0.0, 0.1951219512195122, 0.0, -0.2926829268292683});
  EXPECT_EQ(result.reward, 1.0);
  EXPECT_FALSE(result.terminated);
  EXPECT_FALSE(result.truncated);
  ASSERT_EQ(result.observation.size(), 4u);
  EXPECT_FLOAT_EQ(result.observation[1], 0.19512195f);
}

// Ten steps from a fixed state with a fixed action sequence. Expected values
// from rl/envs/testdata/gymnasium_reference.py, a plain re-implementation of
// Gymnasium's published step() equations in Python (float64, euler
// integrator), not from this code.
TEST(CartPoleTest, TenStepTrajectoryMatchesGymnasiumEquations) {
  CartPole env;
  env.Reset(0);
  env.SetState({0.01, -0.02, 0.03, 0.04});
  StepResult result;
  for (int action : {1, 0, 0, 1, 1, 1, 0, 1, 0, 0}) {
    ASSERT_TRUE(env.Step(Action::Discrete(action), &result).ok());
    ASSERT_FALSE(result.terminated);
  }
  ExpectState(env.state(), {0.03293383706570074, -0.02379962460232901,
                            0.0054623041616948635, 0.12379799946559022});
}

// Always pushing right from rest tips the pole past 12 degrees at step 9
// (same Python re-implementation); the terminating step still pays 1.
TEST(CartPoleTest, TerminatesWhenThePoleFalls) {
  CartPole env;
  env.Reset(0);
  env.SetState({0, 0, 0, 0});
  StepResult result;
  for (int step = 1; step <= 8; ++step) {
    ASSERT_TRUE(env.Step(Action::Discrete(1), &result).ok());
    ASSERT_FALSE(result.terminated) << "step " << step;
  }
  ASSERT_TRUE(env.Step(Action::Discrete(1), &result).ok());
  EXPECT_TRUE(result.terminated);
  EXPECT_FALSE(result.truncated);
  EXPECT_EQ(result.reward, 1.0);
  ExpectState(env.state(), {0.14065097203306187, 1.7603811257683097,
                            -0.21518604988500967, -2.777886494012814});

  const absl::Status status = env.Step(Action::Discrete(0), &result);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("call Reset()"));
}

// sutton_barto_reward: the same dynamics (the pole still falls at step 9),
// rewards 0 for the eight steps before and -1 for the one that terminates;
// the spec's bounds say so.
TEST(CartPoleTest, SuttonBartoRewardIsZerosThenMinusOne) {
  auto env = CreateEnv("CartPole-v1", {{"sutton_barto_reward", "True"}});
  ASSERT_TRUE(env.ok()) << env.status();
  auto* cartpole = dynamic_cast<CartPole*>(env->get());
  ASSERT_NE(cartpole, nullptr);
  EXPECT_TRUE(cartpole->sutton_barto_reward());
  EXPECT_EQ(cartpole->spec().min_reward, -1);
  EXPECT_EQ(cartpole->spec().max_reward, 0);
  cartpole->Reset(0);
  cartpole->SetState({0, 0, 0, 0});
  std::vector<double> rewards;
  StepResult result;
  while (!cartpole->episode_over()) {
    ASSERT_TRUE(cartpole->Step(Action::Discrete(1), &result).ok());
    rewards.push_back(result.reward);
  }
  EXPECT_EQ(rewards, (std::vector<double>{0, 0, 0, 0, 0, 0, 0, 0, -1}));
  EXPECT_TRUE(result.terminated);
  // Truncation is not termination: a surviving episode earns 0 throughout.
  auto survivor = CreateEnv("CartPole-v1", {{"sutton_barto_reward", "True"},
                                            {"max_episode_steps", "5"}});
  ASSERT_TRUE(survivor.ok());
  (*survivor)->Reset(0);
  double total = 0;
  int steps = 0;
  while (!(*survivor)->episode_over()) {
    ASSERT_TRUE((*survivor)->Step(Action::Discrete(steps++ % 2), &result).ok());
    total += result.reward;
  }
  EXPECT_TRUE(result.truncated);
  EXPECT_FALSE(result.terminated);
  EXPECT_EQ(total, 0);

  auto plain = CreateEnv("CartPole-v1", {{"sutton_barto_reward", "False"}});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ((*plain)->spec().min_reward, 1);
  const auto bad = CreateEnv("CartPole-v1", {{"sutton_barto_reward", "yes"}});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(),
              HasSubstr("CartPole-v1: keyword argument sutton_barto_reward=yes "
                        "is not True or False"));
}

TEST(CartPoleTest, TerminatesWhenTheCartLeavesTheTrack) {
  CartPole env;
  env.Reset(0);
  env.SetState({2.399, 1.0, 0, 0});  // x becomes 2.419 > 2.4.
  StepResult result;
  ASSERT_TRUE(env.Step(Action::Discrete(1), &result).ok());
  EXPECT_TRUE(result.terminated);
}

TEST(CartPoleTest, TruncatesAtFiveHundredSteps) {
  CartPole env;
  env.Reset(3);
  StepResult result;
  int steps = 0;
  do {
    // Keep the pole up with a simple controller (push towards the lean),
    // and the cart centred by resetting the position before it drifts off.
    CartPole::State state = env.state();
    state[0] = 0;
    env.SetState(state);
    const int action = state[2] + 0.5 * state[3] > 0 ? 1 : 0;
    ASSERT_TRUE(env.Step(Action::Discrete(action), &result).ok());
    ++steps;
  } while (!result.terminated && !result.truncated);
  EXPECT_EQ(steps, 500);
  EXPECT_TRUE(result.truncated);
  EXPECT_FALSE(result.terminated);
}

TEST(CartPoleTest, ResetIsUniformInPlusMinusFiveHundredthsAndSeeded) {
  CartPole env;
  const Observation first = env.Reset(42);
  ASSERT_EQ(first.size(), 4u);
  for (float value : first) {
    EXPECT_GE(value, -0.05f);
    EXPECT_LT(value, 0.05f);
  }
  EXPECT_EQ(env.Reset(42), first);
  EXPECT_NE(env.Reset(43), first);
  EXPECT_TRUE(env.observation_space().Contains(first));
}

TEST(CartPoleTest, RejectsBadActionsAndStepBeforeReset) {
  CartPole env;
  StepResult result;
  EXPECT_EQ(env.Step(Action::Discrete(0), &result).code(),
            absl::StatusCode::kFailedPrecondition);
  env.Reset(0);
  const absl::Status status = env.Step(Action::Discrete(2), &result);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("Discrete(2)"));
}

TEST(CartPoleTest, RegisteredUnderItsGymnasiumId) {
  auto env = Envs().Create("CartPole-v1");
  ASSERT_TRUE(env.ok()) << env.status();
  EXPECT_EQ((*env)->id(), "CartPole-v1");
  EXPECT_EQ((*env)->spec().max_episode_steps, 500);
  EXPECT_EQ((*env)->spec().render_fps, 50);
  EXPECT_THAT(Envs().Create("CartPole-v0").status().message(),
              HasSubstr("valid values are CartPole-v1"));
}

// Gymnasium's layout at x = 0, theta = 0 on a 600x400 canvas: cart 50x30
// centred at x = 300 spanning y (down) 285..315; pole 10 wide rising from
// the axle at y = 292.5 to 292.5 - 120; axle radius 5; track at row 299.
TEST(CartPoleTest, DrawsGymnasiumsLayout) {
  CartPole env;
  env.Reset(0);
  env.SetState({0, 0, 0, 0});
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  EXPECT_EQ(canvas.width(), 600);
  EXPECT_EQ(canvas.height(), 400);
  EXPECT_EQ(canvas.background(), kWhite);
  ASSERT_EQ(canvas.shapes().size(), 4u);

  const auto& cart = std::get<PolygonShape>(canvas.shapes()[0]);
  EXPECT_EQ(cart.color, (Color{0, 0, 0}));
  ASSERT_EQ(cart.points.size(), 4u);
  EXPECT_FLOAT_EQ(cart.points[0].x, 275);
  EXPECT_FLOAT_EQ(cart.points[0].y, 315);
  EXPECT_FLOAT_EQ(cart.points[2].x, 325);
  EXPECT_FLOAT_EQ(cart.points[2].y, 285);

  const auto& pole = std::get<PolygonShape>(canvas.shapes()[1]);
  EXPECT_EQ(pole.color, (Color{202, 152, 101}));
  EXPECT_FLOAT_EQ(pole.points[1].x, 295);
  EXPECT_FLOAT_EQ(pole.points[1].y, 400 - (100 + 7.5 + 120));

  const auto& axle = std::get<CircleShape>(canvas.shapes()[2]);
  EXPECT_FLOAT_EQ(axle.center.x, 300);
  EXPECT_FLOAT_EQ(axle.center.y, 292.5);
  EXPECT_FLOAT_EQ(axle.radius, 5);

  const auto& track = std::get<LineShape>(canvas.shapes()[3]);
  EXPECT_FLOAT_EQ(track.from.y, 299.5);
  EXPECT_FLOAT_EQ(track.to.x, 600);
}

TEST(CartPoleTest, PoleLeansRightForPositiveTheta) {
  CartPole env;
  env.Reset(0);
  env.SetState({1.0, 0, 0.1, 0});
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  const auto& pole = std::get<PolygonShape>(canvas.shapes()[1]);
  // Cart centre at 300 + 1.0 * 125; the pole's top is right of its base.
  EXPECT_GT(pole.points[1].x, 425 - 5);
  EXPECT_NEAR(pole.points[1].x - (425 - 5 * std::cos(0.1)),
              (125 - 5) * std::sin(0.1), 1e-3);
}

}  // namespace
}  // namespace rl
