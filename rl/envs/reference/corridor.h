// Corridor-v0: the smallest complete env, and the tutorial for writing one.
// Read this header, then corridor.cc, top to bottom; rl/envs/README.md has
// the checklist. Everything an env needs is here: a spec (id, spaces, time
// limit, reward bounds, render size and fps), seeded resets, the step
// dynamics, a drawing, and registration by id.
//
// The game: a corridor of 8 cells; the walker starts on a random cell of
// the first seven and must reach the exit, the last cell.
//   Actions Discrete(2): 0 left, 1 right (a wall stops the walker at 0).
//   Observation Box(1,): the walker's cell, 0..7.
//   Reward 1 on reaching the exit, 0 otherwise.
//   Terminates at the exit; truncated after 20 steps.
//   Renders 400x100 at 4 fps: the cells, the exit in green, the walker.
//
// Example:
//   Corridor env;                      // Or Envs().Create("Corridor-v0").
//   Observation observation = env.Reset(/*seed=*/7);
//   StepResult result;
//   RL_RETURN_IF_ERROR(env.Step(Action::Discrete(Corridor::kRight), &result));
#ifndef RL_ENVS_REFERENCE_CORRIDOR_H_
#define RL_ENVS_REFERENCE_CORRIDOR_H_

#include <random>

#include "rl/envs/env.h"

namespace rl {

// 1. Derive from Env. The base class does the bookkeeping every env shares:
//    the seeded generator, the time limit (truncated), refusing steps before
//    Reset() or after the end, and checking actions against the action
//    space; so an env only writes its own rules.
class Corridor : public Env {
 public:
  // 2. Name the numbers of the game, and the actions, so tests and users
  //    can refer to them.
  static constexpr int kLength = 8;
  static constexpr int kMaxSteps = 20;
  enum ActionId : int { kLeft = 0, kRight = 1 };

  Corridor();

  // 3. Expose the state, and a setter "for tests and demos": dynamics tests
  //    start from exact states rather than from whatever a seed gives.
  int position() const { return position_; }
  void SetPosition(int position) { position_ = position; }

  // 4. Draw: paint the current state on a canvas. Never OpenGL: shapes,
  //    lines, circles, polygons and text that every render backend turns
  //    into pixels. Const: drawing must not change the game.
  void Draw(Canvas* canvas) const override;

 protected:
  // 5. The two halves of the dynamics. ResetState draws the initial state
  //    from `rng` (only from it, so a seed fixes everything) and writes the
  //    first observation. StepState applies an action the base class has
  //    already validated, and writes observation, reward and terminated.
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;

 private:
  int position_ = 0;
};

}  // namespace rl

#endif  // RL_ENVS_REFERENCE_CORRIDOR_H_
