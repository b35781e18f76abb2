#include "rl/envs/classic_control/pendulum.h"

#include <cmath>
#include <memory>
#include <utility>
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

// Expected values from rl/envs/testdata/gymnasium_reference.py, a plain
// Python re-implementation of Gymnasium's published PendulumEnv.step()
// (float64), not this code:
//   costs = angle_normalize(th)**2 + .1*thdot**2 + .001*u**2
//   newthdot = clip(thdot + (3g/(2l) sin th + 3/(m l^2) u) dt, -8, 8)
//   newth = th + newthdot dt
// with g = 10, m = l = 1, dt = 0.05, u = clip(action, -2, 2). The actions
// are exact in float32, so float32 actions change nothing.
TEST(PendulumTest, TenStepTrajectoryMatchesGymnasiumEquations) {
  Pendulum env;
  env.Reset(0);
  env.SetState({0.3, -0.5});
  const float actions[] = {0.5,  -1.25, 2.0,   3.0, -2.5,
                           1.75, 0.0,   -0.75, 1.0, -2.0};
  const double expected_rewards[] = {-0.11524999999999991, -0.08970061537228528,
                                     -0.08608028158959481, -0.10354143171314006,
                                     -0.19218631301109096, -0.21189319249351576,
                                     -0.3803411520306714,  -0.5600516522786796,
                                     -0.7686551987734157,  -1.2091172030576092};
  StepResult result;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(env.Step(Action::Continuous({actions[i]}), &result).ok());
    EXPECT_NEAR(result.reward, expected_rewards[i], kTolerance) << "step " << i;
    EXPECT_FALSE(result.terminated);
  }
  EXPECT_NEAR(env.state()[0], 0.8904820959417343, kTolerance);
  EXPECT_NEAR(env.state()[1], 2.737470947886201, kTolerance);
  ASSERT_EQ(result.observation.size(), 3u);
  EXPECT_NEAR(result.observation[0], std::cos(0.8904820959417343), 1e-6);
  EXPECT_NEAR(result.observation[1], std::sin(0.8904820959417343), 1e-6);
  EXPECT_NEAR(result.observation[2], 2.737470947886201, 1e-6);
  EXPECT_EQ(env.last_torque(), -2.0);
}

// gym.make("Pendulum-v1", g=...): gravity drives the swing. Without
// gravity and torque a pendulum at rest stays where it is; with g = 10 it
// falls; the new thdot is (3 g / 2) sin(th) dt.
TEST(PendulumTest, GKwargSetsGravity) {
  for (const auto& [text, g] : {std::pair{"0", 0.0}, std::pair{"9.81", 9.81}}) {
    auto env = CreateEnv("Pendulum-v1", {{"g", text}});
    ASSERT_TRUE(env.ok()) << env.status();
    auto* pendulum = dynamic_cast<Pendulum*>(env->get());
    ASSERT_NE(pendulum, nullptr);
    pendulum->Reset(0);
    pendulum->SetState({1.0, 0.0});
    StepResult result;
    ASSERT_TRUE(pendulum->Step(Action::Continuous({0.0f}), &result).ok());
    EXPECT_NEAR(pendulum->state()[1], 1.5 * g * std::sin(1.0) * 0.05, 1e-12)
        << text;
  }
  EXPECT_THAT(CreateEnv("Pendulum-v1", {{"g", "inf"}}).status().message(),
              HasSubstr("Pendulum-v1: keyword argument g=inf is not a finite "
                        "number"));
  EXPECT_THAT(CreateEnv("Pendulum-v1", {{"g", "ten"}}).status().message(),
              HasSubstr("g=ten is not a finite number"));
}

// Speed clipped at 8 (same Python re-implementation).
TEST(PendulumTest, AngularVelocityIsClippedAtEight) {
  Pendulum env;
  env.Reset(0);
  env.SetState({3.0, 7.9});
  StepResult result;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(env.Step(Action::Continuous({2.0f}), &result).ok());
  }
  EXPECT_NEAR(env.state()[0], 4.918989944929347, kTolerance);
  EXPECT_NEAR(env.state()[1], 7.048325745007312, kTolerance);
  EXPECT_NEAR(result.reward, -8.561314693175104, kTolerance);
}

// The cost uses the angle wrapped to [-pi, pi) (Python's modulo), the state
// keeps the unwrapped angle (same Python re-implementation).
TEST(PendulumTest, CostWrapsTheAngleButTheStateDoesNot) {
  Pendulum env;
  env.Reset(0);
  StepResult result;
  env.SetState({7.0, 0.0});
  ASSERT_TRUE(env.Step(Action::Continuous({0.0f}), &result).ok());
  EXPECT_NEAR(env.state()[0], 7.024636997451955, kTolerance);
  EXPECT_NEAR(result.reward, -0.5138233038432242, kTolerance);
  env.SetState({-4.0, 0.0});
  ASSERT_TRUE(env.Step(Action::Continuous({0.0f}), &result).ok());
  EXPECT_NEAR(env.state()[0], -3.9716199064259525, kTolerance);
  EXPECT_NEAR(result.reward, -5.212935146920741, kTolerance);
  EXPECT_DOUBLE_EQ(AngleNormalize(M_PI), -M_PI);
  EXPECT_NEAR(AngleNormalize(-M_PI - 0.1), M_PI - 0.1, 1e-12);
}

TEST(PendulumTest, TorqueIsClippedToTwo) {
  Pendulum clipped, at_limit;
  clipped.Reset(0);
  at_limit.Reset(0);
  clipped.SetState({1.0, 0.5});
  at_limit.SetState({1.0, 0.5});
  StepResult a, b;
  ASSERT_TRUE(clipped.Step(Action::Continuous({50.0f}), &a).ok());
  ASSERT_TRUE(at_limit.Step(Action::Continuous({2.0f}), &b).ok());
  EXPECT_EQ(clipped.state(), at_limit.state());
  EXPECT_EQ(a.reward, b.reward);
}

TEST(PendulumTest, RejectsMalformedActions) {
  Pendulum env;
  env.Reset(0);
  StepResult result;
  EXPECT_THAT(env.Step(Action::Continuous({}), &result).message(),
              HasSubstr("wants 1"));
  EXPECT_EQ(env.Step(Action::Continuous({NAN}), &result).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(env.Step(Action::Discrete(1), &result).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PendulumTest, ResetIsUniformAndSeeded) {
  Pendulum env;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    const Observation observation = env.Reset(seed);
    EXPECT_GE(env.state()[0], -M_PI);
    EXPECT_LT(env.state()[0], M_PI);
    EXPECT_GE(env.state()[1], -1.0);
    EXPECT_LT(env.state()[1], 1.0);
    EXPECT_TRUE(env.observation_space().Contains(observation));
    EXPECT_FALSE(env.last_torque().has_value());
  }
  EXPECT_EQ(env.Reset(3), env.Reset(3));
}

TEST(PendulumTest, TruncatesAtTwoHundredSteps) {
  auto env = Envs().Create("Pendulum-v1");
  ASSERT_TRUE(env.ok()) << env.status();
  (*env)->Reset(1);
  StepResult result;
  for (int step = 1; step <= 200; ++step) {
    ASSERT_TRUE((*env)->Step(Action::Continuous({0.0f}), &result).ok());
    ASSERT_EQ(result.truncated, step == 200) << step;
    ASSERT_FALSE(result.terminated);
  }
  EXPECT_EQ((*env)->Step(Action::Continuous({0.0f}), &result).code(),
            absl::StatusCode::kFailedPrecondition);
}

// Gymnasium's layout at theta = 0 on 500x500: the rod rises from the axle at
// (250, 250) to 250 - 113.64, 22.7 wide; end discs of radius 11; axle radius
// 5; no arrow before the first step.
TEST(PendulumTest, DrawsGymnasiumsLayout) {
  Pendulum env;
  env.Reset(0);
  env.SetState({0, 0});
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  EXPECT_EQ(canvas.width(), 500);
  EXPECT_EQ(canvas.height(), 500);
  ASSERT_EQ(canvas.shapes().size(), 4u);
  const auto& rod = std::get<PolygonShape>(canvas.shapes()[0]);
  EXPECT_EQ(rod.color, (Color{204, 77, 77, 255}));
  const double scale = 500 / 4.4;
  // (l, b) = (0, -w/2) rotated by pi/2 is (w/2, 0): x = 250 + 11.36.
  EXPECT_NEAR(rod.points[0].x, 250 + 0.1 * scale, 1e-3);
  EXPECT_NEAR(rod.points[0].y, 250, 1e-3);
  // (r, t) rotated: (-w/2, length), y flipped: 250 - 113.64.
  EXPECT_NEAR(rod.points[2].x, 250 - 0.1 * scale, 1e-3);
  EXPECT_NEAR(rod.points[2].y, 250 - scale, 1e-3);
  const auto& base = std::get<CircleShape>(canvas.shapes()[1]);
  EXPECT_FLOAT_EQ(base.radius, 11);
  EXPECT_FLOAT_EQ(base.center.x, 250.5);
  const auto& tip = std::get<CircleShape>(canvas.shapes()[2]);
  EXPECT_NEAR(tip.center.y, 500 - (363 + 0.5), 1e-3);
  const auto& axle = std::get<CircleShape>(canvas.shapes()[3]);
  EXPECT_EQ(axle.color, kBlack);
  EXPECT_FLOAT_EQ(axle.radius, 5);
}

TEST(PendulumTest, DrawsATorqueArrowSizedByTheTorque) {
  Pendulum env;
  env.Reset(0);
  StepResult result;
  auto arrow_width = [&](float torque) {
    EXPECT_TRUE(env.Step(Action::Continuous({torque}), &result).ok());
    Canvas canvas(1, 1);
    env.Draw(&canvas);
    EXPECT_EQ(canvas.shapes().size(), 6u);
    const auto& band = std::get<PolygonShape>(canvas.shapes()[3]);
    float min_x = 1e9f, max_x = -1e9f;
    for (const Point& p : band.points) {
      min_x = std::min(min_x, p.x);
      max_x = std::max(max_x, p.x);
    }
    return max_x - min_x;
  };
  const float small = arrow_width(0.5f);
  const float large = arrow_width(-2.0f);
  EXPECT_NEAR(large / small, 4.0, 0.2);
}

}  // namespace
}  // namespace rl
