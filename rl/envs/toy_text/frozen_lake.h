// FrozenLake-v1 and FrozenLake8x8-v1, as Gymnasium's toy_text/frozen_lake.py
// (Gymnasium 1.x; followed: the 1.2+ source with success_rate and
// reward_schedule, whose defaults give the v1 dynamics below).
//
// Walk from S (top left) to G (bottom right) over frozen tiles F without
// falling into a hole H. Actions Discrete(4): 0 left, 1 down, 2 right, 3 up.
// Observation Discrete(nrow * ncol): row * ncol + col. On slippery ice (the
// default) a move goes the intended way with probability success_rate (1/3)
// and to each perpendicular side with (1 - success_rate) / 2. Moves into the
// border stay put. Reward 1 on reaching G, else 0. Terminates in G or H;
// truncated at 100 steps (FrozenLake-v1, whatever the map) or 200
// (FrozenLake8x8-v1). Rendered as Gymnasium's
// pygame window: 64-pixel cells (at most 512 pixels a side), a 1-pixel grid
// in (180, 200, 230), the elf facing its last move; sprites are drawn from
// shapes (see sprites.h). 4 fps.
//
// Example:
//   FrozenLake env(FrozenLake::Options{.map_name = "8x8",
//                                      .is_slippery = false});
//   env.Reset(0);
//   StepResult result;
//   RL_RETURN_IF_ERROR(env.Step(Action::Discrete(FrozenLake::kRight),
//   &result));
#ifndef RL_ENVS_TOY_TEXT_FROZEN_LAKE_H_
#define RL_ENVS_TOY_TEXT_FROZEN_LAKE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rl/envs/toy_text/tabular_env.h"

namespace rl {

class FrozenLake : public TabularEnv {
 public:
  enum ActionId : int { kLeft = 0, kDown = 1, kRight = 2, kUp = 3 };

  struct Options {
    // Gymnasium's preloaded maps: "4x4" or "8x8". Ignored if `desc` is set.
    std::string map_name = "4x4";
    // A custom map, one string per row of S/F/H/G (Gymnasium's desc).
    std::vector<std::string> desc;
    bool is_slippery = true;
    double success_rate = 1.0 / 3.0;
    // Rewards on reaching the goal, a hole, a frozen tile.
    double reward_goal = 1;
    double reward_hole = 0;
    double reward_frozen = 0;
    // The id it is made as, which sets the id and the time limit as
    // Gymnasium's registration does, whatever the map: "FrozenLake-v1"
    // (100 steps) or "FrozenLake8x8-v1" (200), so
    // gym.make("FrozenLake-v1", map_name="8x8") keeps 100. Empty: by the
    // map ("8x8" gives FrozenLake8x8-v1, anything else FrozenLake-v1).
    std::string id;
  };

  // Gymnasium's maps.
  static const std::vector<std::string>& Map(const std::string& name);

  // Checks the options (a known map or a rectangular desc of S/F/H/G with
  // one S; success_rate in [0, 1]; an id as above) and builds the env.
  // Registered ids use the defaults: FrozenLake-v1 ("4x4") and FrozenLake8x8-v1
  // ("8x8").
  static absl::StatusOr<std::unique_ptr<FrozenLake>> Create(
      const Options& options);
  // The defaults ("4x4", slippery); the options must be valid.
  FrozenLake() : FrozenLake(Options()) {}
  explicit FrozenLake(const Options& options);

  int nrow() const { return nrow_; }
  int ncol() const { return ncol_; }
  char tile(int row, int col) const { return desc_[row][col]; }

  void Draw(Canvas* canvas) const override;

 private:
  std::vector<std::string> desc_;
  int nrow_;
  int ncol_;
};

}  // namespace rl

#endif  // RL_ENVS_TOY_TEXT_FROZEN_LAKE_H_
