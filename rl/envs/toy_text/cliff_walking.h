// CliffWalking-v1 and CliffWalkingSlippery-v1, as Gymnasium's
// toy_text/cliffwalking.py (Gymnasium 1.x: v1 added the slippery variant;
// followed: that source, whose registration sets no time limit).
//
// A 4x12 grid walked from the bottom-left corner (state 36) to the
// bottom-right one (47) along a cliff (the rest of the bottom row).
// Actions Discrete(4): 0 up, 1 right, 2 down, 3 left. Observation
// Discrete(48): row * 12 + col. Reward -1 per step; stepping into the cliff
// costs -100 and puts the walker back at the start (the episode goes on).
// Terminates on reaching the goal; no time limit. Slippery: the intended
// move, or either perpendicular one, each with probability 1/3. Rendered
// as Gymnasium's window: 60-pixel cells (720x240), grass in a checkerboard,
// cliff tiles, the stool at the start, the cookie at the goal, the elf
// drawn 6 pixels high facing its last move; sprites drawn from shapes
// (see sprites.h). 4 fps.
//
// Example:
//   CliffWalking env(/*is_slippery=*/false);  // Or Envs().Create(...).
//   env.Reset(0);
//   StepResult result;
//   RL_RETURN_IF_ERROR(env.Step(Action::Discrete(CliffWalking::kUp), &result));
#ifndef RL_ENVS_TOY_TEXT_CLIFF_WALKING_H_
#define RL_ENVS_TOY_TEXT_CLIFF_WALKING_H_

#include "rl/envs/toy_text/tabular_env.h"

namespace rl {

class CliffWalking : public TabularEnv {
 public:
  static constexpr int kRows = 4;
  static constexpr int kCols = 12;
  static constexpr int kStartState = 36;
  static constexpr int kGoalState = 47;
  static constexpr int kCellSize = 60;
  enum ActionId : int { kUp = 0, kRight = 1, kDown = 2, kLeft = 3 };

  explicit CliffWalking(bool is_slippery = false);

  static bool IsCliff(int row, int col) {
    return row == kRows - 1 && col >= 1 && col <= kCols - 2;
  }

  void Draw(Canvas* canvas) const override;
};

}  // namespace rl

#endif  // RL_ENVS_TOY_TEXT_CLIFF_WALKING_H_
