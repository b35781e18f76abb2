#include "rl/envs/classic_control/acrobot.h"

#include <cmath>
#include <memory>
#include <variant>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/env.h"

namespace rl {
namespace {

constexpr double kTolerance = 1e-6;

void ExpectState(const Acrobot::State& actual, const Acrobot::State& expected) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(actual[i], expected[i], kTolerance) << "state element " << i;
  }
}

// Expected values from rl/envs/testdata/gymnasium_reference.py, a
// plain-Python re-implementation of Gymnasium's acrobot.py (its _dsdt with
// book_or_nips = "book", its rk4 over [0, 0.2], wrap() and bound()), float64,
// not from this code. The start state is rounded to float32 as Gymnasium's
// reset() leaves it.
TEST(AcrobotTest, TenStepTrajectoryMatchesGymnasiumEquations) {
  Acrobot env;
  env.Reset(0);
  env.SetState({static_cast<float>(0.05), static_cast<float>(-0.03),
                static_cast<float>(0.02), static_cast<float>(0.01)});
  StepResult result;
  for (int action : {2, 2, 0, 0, 1, 2, 0, 2, 2, 0}) {
    ASSERT_TRUE(env.Step(Action::Discrete(action), &result).ok());
    EXPECT_EQ(result.reward, -1.0);
    ASSERT_FALSE(result.terminated);
  }
  ExpectState(env.state(), {-0.026388953754056213, -0.02916468681253065,
                            -0.1488609669772786, 0.2809623650461455});
  ASSERT_EQ(result.observation.size(), 6u);
  EXPECT_NEAR(result.observation[1], std::sin(-0.026388953754056213), 1e-7);
  EXPECT_NEAR(result.observation[5], 0.2809623650461455, 1e-6);
}

// Torque along the second joint's velocity from rest swings the tip over
// the line at step 73 (same Python re-implementation).
TEST(AcrobotTest, PumpingEnergyTerminatesAtStep73) {
  Acrobot env;
  env.Reset(0);
  env.SetState({0, 0, 0, 0});
  StepResult result;
  int steps = 0;
  do {
    const int action = env.state()[3] >= 0 ? 2 : 0;
    ASSERT_TRUE(env.Step(Action::Discrete(action), &result).ok());
    ++steps;
    if (steps == 72) {
      ExpectState(env.state(), {-1.4213167070342645, -2.1987200055845424,
                                -2.505444861651921, 4.592019178179418});
      EXPECT_EQ(result.reward, -1.0);
    }
  } while (!result.terminated && steps < 500);
  EXPECT_EQ(steps, 73);
  EXPECT_EQ(result.reward, 0.0);
  ExpectState(env.state(), {-1.8188137670543634, -1.345566712512808,
                            -1.5034264341790928, 3.9342329437236354});
}

TEST(AcrobotTest, VelocitiesAreBoundedAndAnglesWrapped) {
  Acrobot env;
  env.Reset(0);
  env.SetState({0.0, 0.0, 12.0, 27.0});
  StepResult result;
  ASSERT_TRUE(env.Step(Action::Discrete(2), &result).ok());
  ExpectState(env.state(), {-1.9610451474071349, -2.984920687043246,
                            12.566370614359172, 5.505684405205219});
  EXPECT_TRUE(env.observation_space().Contains(result.observation));
  env.SetState({3.1, -3.1, 0.0, 0.0});
  ASSERT_TRUE(env.Step(Action::Discrete(1), &result).ok());
  ExpectState(env.state(), {3.0939030203071765, -3.096308301308352,
                            -0.06231670046340136, 0.03804005336486109});
}

TEST(AcrobotTest, ResetIsFloat32UniformInATenth) {
  Acrobot env;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const Observation observation = env.Reset(seed);
    for (double value : env.state()) {
      EXPECT_GE(value, -0.1);
      EXPECT_LE(value, 0.1);
      EXPECT_EQ(value, static_cast<float>(value));
    }
    EXPECT_TRUE(env.observation_space().Contains(observation));
  }
}

TEST(AcrobotTest, HangingStillIsTruncatedAt500) {
  auto env = Envs().Create("Acrobot-v1");
  ASSERT_TRUE(env.ok()) << env.status();
  (*env)->Reset(0);
  StepResult result;
  int steps = 0;
  do {
    ASSERT_TRUE((*env)->Step(Action::Discrete(1), &result).ok());
    ++steps;
  } while (!result.terminated && !result.truncated);
  EXPECT_EQ(steps, 500);
  EXPECT_TRUE(result.truncated);
}

// Gymnasium's layout, both links hanging down: the line at y = 250 - 113.6,
// links 22.7 wide from (250, 250) down, joints of radius 11.
TEST(AcrobotTest, DrawsGymnasiumsLayout) {
  Acrobot env;
  env.Reset(0);
  env.SetState({0, 0, 0, 0});
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  EXPECT_EQ(canvas.width(), 500);
  EXPECT_EQ(canvas.height(), 500);
  ASSERT_EQ(canvas.shapes().size(), 5u);
  const double scale = 500 / 4.4;
  const auto& line = std::get<LineShape>(canvas.shapes()[0]);
  EXPECT_NEAR(line.from.y, 500 - (scale + 250.5), 1e-3);
  EXPECT_NEAR(line.from.x, 250 - 2.2 * scale, 1e-3);
  const auto& link1 = std::get<PolygonShape>(canvas.shapes()[1]);
  EXPECT_EQ(link1.color, (Color{0, 204, 204, 255}));
  // theta = -pi/2 turns (0, -0.1 scale) into (-0.1 scale, 0) and
  // (length, 0.1 scale) into (0.1 scale, -length): down after the flip.
  EXPECT_NEAR(link1.points[0].x, 250 - 0.1 * scale, 1e-3);
  EXPECT_NEAR(link1.points[2].y, 250 + scale, 1e-3);
  const auto& joint = std::get<CircleShape>(canvas.shapes()[2]);
  EXPECT_FLOAT_EQ(joint.radius, 11);
  EXPECT_EQ(joint.color, (Color{204, 204, 0, 255}));
  const auto& elbow = std::get<CircleShape>(canvas.shapes()[4]);
  EXPECT_NEAR(elbow.center.y, 500 - (static_cast<int>(250 - scale) + 0.5),
              1e-3);
}

}  // namespace
}  // namespace rl
