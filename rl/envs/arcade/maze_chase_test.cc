#include "rl/envs/arcade/maze_chase.h"

#include <algorithm>
#include <queue>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/env.h"

namespace rl {
namespace {

using Dir = MazeChase::Dir;
using State = MazeChase::State;

constexpr int kPlane = MazeChase::kRows * MazeChase::kCols;

bool Walkable(char cell) {
  return cell == MazeChase::kEmpty || cell == MazeChase::kPellet ||
         cell == MazeChase::kPowerPellet;
}

// A fresh game with every ghost shut in the house for good, so a test can
// place exactly the ghosts it wants.
State QuietState(MazeChase& env) {
  env.Reset(0);
  State state = env.state();
  for (auto& ghost : state.ghosts) {
    ghost.in_house = true;
    ghost.release_at = 1 << 30;
    ghost.row = 9;
    ghost.col = 9;
  }
  return state;
}

double Step(MazeChase& env, int action, StepResult* result) {
  EXPECT_TRUE(env.Step(Action::Discrete(action), result).ok());
  return result->reward;
}

TEST(MazeChaseTest, MazeIsConnectedWithoutDeadEnds) {
  MazeChase env;
  env.Reset(0);
  const State& s = env.state();
  int walkable = 0;
  for (int r = 0; r < MazeChase::kRows; ++r) {
    for (int c = 0; c < MazeChase::kCols; ++c) {
      if (!Walkable(s.at(r, c))) continue;
      ++walkable;
      int exits = 0;
      for (auto [dr, dc] : {std::pair{-1, 0}, {1, 0}, {0, -1}, {0, 1}}) {
        const int nr = r + dr;
        const int nc = (c + dc + MazeChase::kCols) % MazeChase::kCols;
        if (nr >= 0 && nr < MazeChase::kRows && Walkable(s.at(nr, nc))) {
          ++exits;
        }
      }
      EXPECT_GE(exits, 2) << "dead end at " << r << "," << c;
    }
  }
  // Everything walkable is reachable from the player's start.
  std::set<std::pair<int, int>> seen{{s.player_row, s.player_col}};
  std::queue<std::pair<int, int>> frontier;
  frontier.push({s.player_row, s.player_col});
  while (!frontier.empty()) {
    const auto [r, c] = frontier.front();
    frontier.pop();
    for (auto [dr, dc] : {std::pair{-1, 0}, {1, 0}, {0, -1}, {0, 1}}) {
      const int nr = r + dr;
      const int nc = (c + dc + MazeChase::kCols) % MazeChase::kCols;
      if (nr < 0 || nr >= MazeChase::kRows || !Walkable(s.at(nr, nc))) {
        continue;
      }
      if (seen.insert({nr, nc}).second) frontier.push({nr, nc});
    }
  }
  EXPECT_EQ(static_cast<int>(seen.size()), walkable);
  EXPECT_EQ(s.pellets_left, 150);  // 146 pellets and 4 power pellets.
  EXPECT_EQ(s.lives, 3);
  EXPECT_EQ(s.at(8, 9), MazeChase::kDoor);
}

TEST(MazeChaseTest, ObservationPlanesShowTheStart) {
  MazeChase env;
  const Observation observation = env.Reset(0);
  ASSERT_EQ(observation.size(), 6u * kPlane);
  EXPECT_TRUE(env.observation_space().Contains(observation));
  auto plane_sum = [&](int plane) {
    float sum = 0;
    for (int i = 0; i < kPlane; ++i) sum += observation[plane * kPlane + i];
    return sum;
  };
  EXPECT_EQ(plane_sum(1), 146);
  EXPECT_EQ(plane_sum(2), 4);
  EXPECT_EQ(plane_sum(3), 1);
  EXPECT_EQ(observation[3 * kPlane + 15 * MazeChase::kCols + 9], 1);
  // Blinky outside above the door, the others in the house.
  EXPECT_EQ(observation[4 * kPlane + 7 * MazeChase::kCols + 9], 1);
  EXPECT_EQ(observation[4 * kPlane + 9 * MazeChase::kCols + 8], 1);
  EXPECT_EQ(plane_sum(5), 0);
  EXPECT_EQ(observation[0], 1);                         // Corner wall.
  EXPECT_EQ(observation[7 * MazeChase::kCols + 0], 1);  // Void.
}

TEST(MazeChaseTest, EatingAPelletScoresTen) {
  MazeChase env;
  State state = QuietState(env);
  env.SetState(state);
  StepResult result;
  // From (15, 9) facing left: (15, 8) holds a pellet.
  EXPECT_EQ(Step(env, MazeChase::kNoop, &result), 10);
  EXPECT_EQ(env.state().player_col, 8);
  EXPECT_EQ(env.state().at(15, 8), MazeChase::kEmpty);
  EXPECT_EQ(env.state().score, 10);
  EXPECT_EQ(env.state().pellets_left, 149);
  EXPECT_EQ(result.observation[1 * kPlane + 15 * MazeChase::kCols + 8], 0);
}

TEST(MazeChaseTest, TurnsIntoWallsAreIgnoredAndWallsStopThePlayer) {
  MazeChase env;
  env.SetState(QuietState(env));
  StepResult result;
  // Up from (15, 9) is a wall: the player keeps going left.
  Step(env, MazeChase::kUp, &result);
  EXPECT_EQ(env.state().player_row, 15);
  EXPECT_EQ(env.state().player_col, 8);
  EXPECT_EQ(env.state().player_dir, Dir::kLeft);
  // (15, 4) is the last floor tile before the wall at (15, 3).
  for (int i = 0; i < 6; ++i) Step(env, MazeChase::kNoop, &result);
  EXPECT_EQ(env.state().player_col, 4);
  EXPECT_FALSE(env.state().player_moved);
  EXPECT_EQ(Step(env, MazeChase::kDown, &result), 10);  // Into (16, 4).
  EXPECT_EQ(env.state().player_row, 16);
}

TEST(MazeChaseTest, TheTunnelWrapsAround) {
  MazeChase env;
  State state = QuietState(env);
  state.player_row = 9;
  state.player_col = 0;
  state.player_dir = Dir::kLeft;
  env.SetState(state);
  StepResult result;
  Step(env, MazeChase::kNoop, &result);
  EXPECT_EQ(env.state().player_col, 18);
  Step(env, MazeChase::kRight, &result);
  EXPECT_EQ(env.state().player_col, 0);
}

TEST(MazeChaseTest, PowerPelletFrightensAndGhostsAreWorthDoubling) {
  MazeChase env;
  State state = QuietState(env);
  state.player_row = 15;
  state.player_col = 2;
  state.player_dir = Dir::kLeft;
  // Blinky out, far from the player; the others in the house.
  state.ghosts[MazeChase::kBlinky].in_house = false;
  state.ghosts[MazeChase::kBlinky].row = 19;
  state.ghosts[MazeChase::kBlinky].col = 9;
  state.ghosts[MazeChase::kBlinky].dir = Dir::kLeft;
  env.SetState(state);
  StepResult result;
  EXPECT_EQ(Step(env, MazeChase::kNoop, &result), 50);  // (15, 1) is 'o'.
  const State& after = env.state();
  EXPECT_TRUE(after.ghosts[MazeChase::kBlinky].frightened);
  EXPECT_FALSE(after.ghosts[MazeChase::kPinky].frightened);  // In the house.
  EXPECT_EQ(after.frightened_left, MazeChase::kFrightenedSteps - 1);
  EXPECT_EQ(
      result.observation[5 * kPlane + after.ghosts[0].row * MazeChase::kCols +
                         after.ghosts[0].col],
      1);

  // Put two frightened ghosts in the player's way: 200, then 400.
  State next = env.state();
  next.player_row = 19;
  next.player_col = 5;
  next.player_dir = Dir::kRight;
  for (int i : {MazeChase::kPinky, MazeChase::kInky}) {
    auto& ghost = next.ghosts[i];
    ghost.in_house = false;
    ghost.frightened = true;
    ghost.reverse = false;
    ghost.row = 19;
    ghost.dir = Dir::kRight;
  }
  next.ghosts[MazeChase::kPinky].col = 6;
  next.ghosts[MazeChase::kInky].col = 12;
  next.ghosts[MazeChase::kBlinky].row = 1;  // Out of the way.
  next.ghosts[MazeChase::kBlinky].col = 1;
  env.SetState(next);
  EXPECT_EQ(Step(env, MazeChase::kNoop, &result), 200 + 10);
  EXPECT_TRUE(env.state().ghosts[MazeChase::kPinky].in_house);
  EXPECT_EQ(env.state().ghosts[MazeChase::kPinky].release_at,
            env.state().life_steps - 1 + MazeChase::kEatenGhostWait);
  // Inky on the next tile (the player moves before the ghosts do): the
  // second ghost is worth 400.
  State third = env.state();
  third.ghosts[MazeChase::kInky].col = 7;
  env.SetState(third);
  EXPECT_EQ(Step(env, MazeChase::kNoop, &result), 400 + 10);
  EXPECT_TRUE(env.state().ghosts[MazeChase::kInky].in_house);
  EXPECT_EQ(env.state().ghost_combo, 2);
}

TEST(MazeChaseTest, ACaughtPlayerLosesALifeAndRestarts) {
  MazeChase env;
  State state = QuietState(env);
  state.ghosts[MazeChase::kBlinky].in_house = false;
  state.ghosts[MazeChase::kBlinky].row = 15;
  state.ghosts[MazeChase::kBlinky].col = 7;
  state.ghosts[MazeChase::kBlinky].dir = Dir::kRight;
  env.SetState(state);
  StepResult result;
  // The player walks to (15, 8), eating a pellet; Blinky steps onto it.
  EXPECT_EQ(Step(env, MazeChase::kNoop, &result), 10);
  EXPECT_FALSE(result.terminated);
  const State& after = env.state();
  EXPECT_EQ(after.lives, 2);
  EXPECT_EQ(after.player_row, 15);
  EXPECT_EQ(after.player_col, 9);
  EXPECT_EQ(after.ghosts[MazeChase::kBlinky].row, 7);
  EXPECT_EQ(after.at(15, 8), MazeChase::kEmpty);  // Pellets stay eaten.
  EXPECT_EQ(after.life_steps, 0);
}

TEST(MazeChaseTest, LosingTheLastLifeEndsTheGame) {
  MazeChase env;
  State state = QuietState(env);
  state.lives = 1;
  state.ghosts[MazeChase::kBlinky].in_house = false;
  state.ghosts[MazeChase::kBlinky].row = 15;
  state.ghosts[MazeChase::kBlinky].col = 8;  // Right in front.
  env.SetState(state);
  StepResult result;
  Step(env, MazeChase::kNoop, &result);
  EXPECT_TRUE(result.terminated);
  EXPECT_TRUE(env.state().game_over);
  EXPECT_EQ(env.state().lives, 0);
  EXPECT_EQ(env.Step(Action::Discrete(0), &result).code(),
            absl::StatusCode::kFailedPrecondition);
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  bool game_over_text = false;
  for (const Shape& shape : canvas.shapes()) {
    if (const auto* text = std::get_if<TextShape>(&shape)) {
      game_over_text = game_over_text || text->text == "GAME OVER";
    }
  }
  EXPECT_TRUE(game_over_text);
}

TEST(MazeChaseTest, ClearingTheMazeStartsTheNextLevel) {
  MazeChase env;
  State state = QuietState(env);
  for (char& cell : state.cells) {
    if (cell == MazeChase::kPellet || cell == MazeChase::kPowerPellet) {
      cell = MazeChase::kEmpty;
    }
  }
  state.at(15, 8) = MazeChase::kPellet;
  state.pellets_left = 1;
  state.score = 990;
  env.SetState(state);
  StepResult result;
  EXPECT_EQ(Step(env, MazeChase::kNoop, &result), 10);
  EXPECT_FALSE(result.terminated);
  EXPECT_EQ(env.state().level, 2);
  EXPECT_EQ(env.state().pellets_left, 150);
  EXPECT_EQ(env.state().score, 1000);
  EXPECT_EQ(env.state().player_col, 9);
}

TEST(MazeChaseTest, GhostTargetsFollowTheArcadeRules) {
  MazeChase env;
  State state = QuietState(env);
  state.mode_index = 1;  // Chase.
  state.player_row = 19;
  state.player_col = 9;
  state.player_dir = Dir::kUp;
  state.ghosts[MazeChase::kBlinky].row = 13;
  state.ghosts[MazeChase::kBlinky].col = 5;
  state.ghosts[MazeChase::kClyde].row = 3;
  state.ghosts[MazeChase::kClyde].col = 9;
  env.SetState(state);
  EXPECT_FALSE(env.scatter());
  EXPECT_EQ(env.GhostTarget(MazeChase::kBlinky), std::pair(19, 9));
  EXPECT_EQ(env.GhostTarget(MazeChase::kPinky), std::pair(15, 9));
  // Two ahead: (17, 9); doubled away from Blinky at (13, 5): (21, 13).
  EXPECT_EQ(env.GhostTarget(MazeChase::kInky), std::pair(21, 13));
  // Clyde 16 tiles away chases...
  EXPECT_EQ(env.GhostTarget(MazeChase::kClyde), std::pair(19, 9));
  // ...and within 8 tiles retreats to his corner.
  state.ghosts[MazeChase::kClyde].row = 17;
  env.SetState(state);
  EXPECT_EQ(env.GhostTarget(MazeChase::kClyde), std::pair(20, 1));
  state.mode_index = 0;
  env.SetState(state);
  EXPECT_TRUE(env.scatter());
  EXPECT_EQ(env.GhostTarget(MazeChase::kBlinky), std::pair(0, 17));
  EXPECT_EQ(env.GhostTarget(MazeChase::kPinky), std::pair(0, 1));
}

TEST(MazeChaseTest, ChasingGhostTakesTheTurnClosestToItsTarget) {
  MazeChase env;
  State state = QuietState(env);
  state.mode_index = 1;  // Chase: Blinky targets the player.
  state.player_row = 19;
  state.player_col = 1;
  state.player_dir = Dir::kDown;  // Against the wall: stays put.
  auto& blinky = state.ghosts[MazeChase::kBlinky];
  blinky.in_house = false;
  blinky.row = 3;
  blinky.col = 4;  // A crossing: left, right and down are open.
  blinky.dir = Dir::kRight;
  env.SetState(state);
  StepResult result;
  Step(env, MazeChase::kNoop, &result);
  // Down (4, 4) is closer to (19, 1) than right (3, 5); back is barred.
  EXPECT_EQ(env.state().ghosts[MazeChase::kBlinky].row, 4);
  EXPECT_EQ(env.state().ghosts[MazeChase::kBlinky].col, 4);
  EXPECT_EQ(env.state().ghosts[MazeChase::kBlinky].dir, Dir::kDown);
}

TEST(MazeChaseTest, ModeSwitchReversesTheGhostsAndReleasesComeOnTime) {
  MazeChase env;
  env.Reset(0);
  State state = env.state();
  state.mode_clock = 27;  // The first scatter lasts 28 steps.
  env.SetState(state);
  StepResult result;
  Step(env, MazeChase::kNoop, &result);
  EXPECT_EQ(env.state().mode_index, 1);
  EXPECT_FALSE(env.scatter());
  EXPECT_TRUE(env.state().ghosts[MazeChase::kBlinky].reverse);
  EXPECT_TRUE(env.state().ghosts[MazeChase::kPinky].in_house);

  env.Reset(0);
  for (int i = 0; i < 7; ++i) Step(env, MazeChase::kNoop, &result);
  EXPECT_TRUE(env.state().ghosts[MazeChase::kPinky].in_house);
  Step(env, MazeChase::kNoop, &result);  // life_steps reaches 8.
  EXPECT_FALSE(env.state().ghosts[MazeChase::kPinky].in_house);
  EXPECT_EQ(env.state().ghosts[MazeChase::kPinky].row, 7);
  EXPECT_TRUE(env.state().ghosts[MazeChase::kInky].in_house);
}

TEST(MazeChaseTest, SameSeedSameGame) {
  MazeChase a, b;
  a.Reset(11);
  b.Reset(11);
  StepResult ra, rb;
  std::mt19937_64 actions(5);
  for (int i = 0; i < 400 && !a.episode_over(); ++i) {
    const int action = static_cast<int>(actions() % 5);
    ASSERT_TRUE(a.Step(Action::Discrete(action), &ra).ok());
    ASSERT_TRUE(b.Step(Action::Discrete(action), &rb).ok());
    ASSERT_EQ(ra.observation, rb.observation) << "step " << i;
    ASSERT_EQ(ra.reward, rb.reward);
  }
  // The seed chooses Blinky's first direction.
  std::set<Dir> first;
  for (uint64_t seed = 0; seed < 16; ++seed) {
    a.Reset(seed);
    first.insert(a.state().ghosts[MazeChase::kBlinky].dir);
  }
  EXPECT_EQ(first.size(), 2u);
}

TEST(MazeChaseTest, DrawsTheMazeScoreAndLives) {
  MazeChase env;
  env.Reset(0);
  StepResult result;
  Step(env, MazeChase::kNoop, &result);
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  EXPECT_EQ(canvas.width(), 456);
  EXPECT_EQ(canvas.height(), 544);
  EXPECT_EQ(canvas.background(), kBlack);
  std::vector<std::string> texts;
  int pellets = 0, power = 0;
  for (const Shape& shape : canvas.shapes()) {
    if (const auto* text = std::get_if<TextShape>(&shape)) {
      texts.push_back(text->text);
    } else if (const auto* circle = std::get_if<CircleShape>(&shape)) {
      if (circle->radius == 3) ++pellets;
      if (circle->radius == 8) ++power;
    }
  }
  EXPECT_THAT(texts, ::testing::ElementsAre("SCORE 10", "LEVEL 1", "LIVES 3"));
  EXPECT_EQ(pellets, 145);
  EXPECT_EQ(power, 4);
}

}  // namespace
}  // namespace rl
