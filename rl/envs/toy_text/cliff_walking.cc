#include "rl/envs/toy_text/cliff_walking.h"

#include <algorithm>
#include <memory>

#include "rl/envs/env_kwargs.h"
#include "rl/envs/toy_text/sprites.h"

namespace rl {
namespace {

EnvSpec CliffWalkingSpec(bool is_slippery) {
  EnvSpec spec;
  spec.id = is_slippery ? "CliffWalkingSlippery-v1" : "CliffWalking-v1";
  spec.max_episode_steps = 0;  // Gymnasium registers none.
  spec.observation_space =
      Space::Discrete(CliffWalking::kRows * CliffWalking::kCols);
  spec.action_space = Space::Discrete(4);
  spec.min_reward = -100;
  spec.max_reward = -1;
  spec.render_width = CliffWalking::kCols * CliffWalking::kCellSize;
  spec.render_height = CliffWalking::kRows * CliffWalking::kCellSize;
  spec.render_fps = 4;
  return spec;
}

const bool kRegistered =
    Envs().Register("CliffWalking-v1",
                    "walk along a cliff to the goal (Gymnasium toy_text)",
                    []() -> absl::StatusOr<std::unique_ptr<Env>> {
                      return std::make_unique<CliffWalking>(false);
                    }) &&
    Envs().Register("CliffWalkingSlippery-v1",
                    "walk along a cliff on slippery ground (Gymnasium "
                    "toy_text)",
                    []() -> absl::StatusOr<std::unique_ptr<Env>> {
                      return std::make_unique<CliffWalking>(true);
                    });

// gym.make("CliffWalking-v1", is_slippery=...): the slippery variant is
// our CliffWalkingSlippery-v1 (and says so in its id).
const bool kConfigurable = ConfigurableEnvs().Register(
    "CliffWalking-v1", Envs().Description("CliffWalking-v1"),
    [](const EnvKwargs& kwargs) -> absl::StatusOr<std::unique_ptr<Env>> {
      bool is_slippery = false;
      EnvKwargsReader reader("CliffWalking-v1", kwargs);
      reader.Bool("is_slippery", &is_slippery);
      const absl::Status status = reader.Finish();
      if (!status.ok()) return status;
      return std::make_unique<CliffWalking>(is_slippery);
    });

// Gymnasium's POSITION_MAPPING: up, right, down, left as (drow, dcol).
constexpr int kDelta[4][2] = {{-1, 0}, {0, 1}, {1, 0}, {0, -1}};

}  // namespace

CliffWalking::CliffWalking(bool is_slippery)
    : TabularEnv(CliffWalkingSpec(is_slippery), kRows * kCols, 4) {
  for (int s = 0; s < kRows * kCols; ++s) {
    const int row = s / kCols;
    const int col = s % kCols;
    for (int move = 0; move < 4; ++move) {
      // Gymnasium's _calculate_transition_prob: the move alone, or (slippery)
      // [(move - 1) % 4, move, (move + 1) % 4], each 1 / len.
      int moves[3] = {move, 0, 0};
      int count = 1;
      if (is_slippery) {
        moves[0] = (move + 3) % 4;
        moves[1] = move;
        moves[2] = (move + 1) % 4;
        count = 3;
      }
      for (int i = 0; i < count; ++i) {
        const int r = std::clamp(row + kDelta[moves[i]][0], 0, kRows - 1);
        const int c = std::clamp(col + kDelta[moves[i]][1], 0, kCols - 1);
        if (IsCliff(r, c)) {
          AddTransition(s, move, {1.0 / count, kStartState, -100, false});
        } else {
          const int next = r * kCols + c;
          AddTransition(s, move, {1.0 / count, next, -1, next == kGoalState});
        }
      }
    }
  }
  std::vector<double> initial(kRows * kCols, 0.0);
  initial[kStartState] = 1.0;
  SetInitialDistribution(std::move(initial));
}

void CliffWalking::Draw(Canvas* canvas) const {
  // Gymnasium's _render_gui, cell by cell: checkerboard grass, then the cliff
  // or the cliff's edge above it, the stool, the cookie, and the elf drawn
  // a tenth of a cell high.
  // The lighter grass is the canvas' background (no seam between tiles
  // when drawn scaled); the darker squares are filled in.
  canvas->Reset(spec().render_width, spec().render_height,
                sprites::kGrassColor);
  constexpr float kCell = kCellSize;
  for (int s = 0; s < kRows * kCols; ++s) {
    const int row = s / kCols;
    const int col = s % kCols;
    const sprites::Cell cell{col * kCell, row * kCell, kCell, kCell};
    const bool checker = (row % 2) ^ (col % 2);
    sprites::Grass(canvas, cell, checker);
    if (IsCliff(row, col)) sprites::Cliff(canvas, cell);
    if (row < kRows - 1 && IsCliff(row + 1, col)) {
      sprites::NearCliff(canvas, cell, checker);
    }
    if (s == kStartState) sprites::Stool(canvas, cell);
    if (s == kRows * kCols - 1) sprites::Cookie(canvas, cell);
    if (s == this->s()) {
      // Elf images by last action: up, right, down, left; down before any.
      static constexpr sprites::Facing kFacing[4] = {
          sprites::Facing::kUp, sprites::Facing::kRight, sprites::Facing::kDown,
          sprites::Facing::kLeft};
      sprites::Elf(canvas, {cell.x, cell.y - 0.1f * kCell, kCell, kCell},
                   kFacing[last_action().value_or(kDown)]);
    }
  }
}

}  // namespace rl
