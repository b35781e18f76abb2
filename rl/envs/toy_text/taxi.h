// Taxi-v4, as Gymnasium's toy_text/taxi.py in Gymnasium 1.3+ (Dietterich
// 2000). Followed: v4's default dynamics, which are v3's deterministic ones
// ("v4: In v1.3.0, fix is_rainy=True and fickle_passenger=True
// implementations; add rainy_probability and fickle_probability"); those
// stochastic options are not offered here.
//
// A 5x5 grid with walls and four stands R(0,0), G(0,4), Y(4,0), B(4,3).
// Actions Discrete(6): 0 south, 1 north, 2 east, 3 west, 4 pickup,
// 5 dropoff. Observation Discrete(500):
// ((taxi_row * 5 + taxi_col) * 5 + passenger_location) * 4 + destination,
// passenger_location 4 meaning in the taxi. Reward -1 per step, +20 for
// delivering the passenger (which terminates), -10 for a pickup or dropoff
// where there is none to make; dropping the passenger at another stand
// leaves them there (-1). Truncated at 200 steps. Reset: uniform over the
// 300 states with the passenger at a stand other than the destination.
// Rendered as Gymnasium's 550x350 window of 50-pixel cells over the
// 11x7 map text, stands tinted (alpha 128, 10 pixels low), the hotel
// (alpha 170) half a cell above the destination, the taxi facing its last
// move; sprites drawn from shapes (see sprites.h). 4 fps.
//
// Example:
//   Taxi env;                     // Or Envs().Create("Taxi-v4").
//   env.Reset(0);
//   auto [row, col, passenger, destination] = Taxi::Decode(env.s());
#ifndef RL_ENVS_TOY_TEXT_TAXI_H_
#define RL_ENVS_TOY_TEXT_TAXI_H_

#include <array>

#include "rl/envs/toy_text/tabular_env.h"

namespace rl {

class Taxi : public TabularEnv {
 public:
  enum ActionId : int {
    kSouth = 0,
    kNorth = 1,
    kEast = 2,
    kWest = 3,
    kPickup = 4,
    kDropoff = 5
  };
  static constexpr int kInTaxi = 4;

  Taxi();

  static int Encode(int taxi_row, int taxi_col, int passenger, int destination);
  // {taxi_row, taxi_col, passenger_location, destination}.
  static std::array<int, 4> Decode(int state);
  // Gymnasium's info["action_mask"]: 1 for the actions that change the state.
  std::array<int, 6> ActionMask(int state) const;

  void Draw(Canvas* canvas) const override;

 protected:
  void OnStep(int action, const Transition& taken) override;
  void OnReset() override { orientation_ = 0; }

 private:
  // Gymnasium's taxi_orientation: the last move (0..3), kept across pickups.
  int orientation_ = 0;
};

}  // namespace rl

#endif  // RL_ENVS_TOY_TEXT_TAXI_H_
