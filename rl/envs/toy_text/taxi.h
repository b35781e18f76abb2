// Taxi-v4, as Gymnasium's toy_text/taxi.py in Gymnasium 1.3+ (Dietterich
// 2000), with v4's options ("v4: In v1.3.0, fix is_rainy=True and
// fickle_passenger=True implementations; add rainy_probability and
// fickle_probability"). The defaults give v3's deterministic dynamics.
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
//
// Options (Gymnasium's keyword arguments; the id stays Taxi-v4):
//   is_rainy: a move goes the intended way with rainy_probability (0.8) and
//     to each side with (1 - rainy_probability) / 2, in the table as
//     [ahead, left, right] relative to the heading (south: east, west;
//     north: west, east; east: north, south; west: south, north). A side
//     move follows the walls as an intended one does (blocked: the taxi
//     stays); a move whose intended way is blocked stays put whatever the
//     draw. Pickup and dropoff stay certain.
//   fickle_passenger: at reset, with fickle_probability (0.3), the
//     passenger is fickle for the episode: on the first step that moves the
//     taxi while they ride, their destination changes to one of the other
//     three, uniformly, once. This is outside the transition table (as in
//     Gymnasium, whose P does not hold it); the draws come from the env's
//     generator (reset: after the initial state; step: after the table's).
//
// Rendered as Gymnasium's 550x350 window of 50-pixel cells over the
// 11x7 map text, stands tinted (alpha 128, 10 pixels low), the hotel
// (alpha 170) half a cell above the destination, the taxi facing its last
// move; sprites drawn from shapes (see sprites.h). 4 fps.
//
// Example:
//   Taxi env;                     // Or Envs().Create("Taxi-v4").
//   env.Reset(0);
//   auto [row, col, passenger, destination] = Taxi::Decode(env.s());
//   // gym.make("Taxi-v4", is_rainy=True):
//   RL_ASSIGN_OR_RETURN(auto rainy, Taxi::Create({.is_rainy = true}));
#ifndef RL_ENVS_TOY_TEXT_TAXI_H_
#define RL_ENVS_TOY_TEXT_TAXI_H_

#include <array>
#include <memory>
#include <random>

#include "absl/status/statusor.h"
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

  struct Options {
    bool is_rainy = false;
    double rainy_probability = 0.8;
    bool fickle_passenger = false;
    double fickle_probability = 0.3;
  };

  // Checks the options (both probabilities in [0, 1]) and builds the env.
  static absl::StatusOr<std::unique_ptr<Taxi>> Create(const Options& options);
  // The defaults (dry, not fickle).
  Taxi() : Taxi(Options()) {}
  // The options must be valid (see Create).
  explicit Taxi(const Options& options);

  static int Encode(int taxi_row, int taxi_col, int passenger, int destination);
  // {taxi_row, taxi_col, passenger_location, destination}.
  static std::array<int, 4> Decode(int state);
  // Gymnasium's info["action_mask"]: 1 for the actions that change the state.
  std::array<int, 6> ActionMask(int state) const;

  // True while a fickle passenger may still change their mind this episode
  // (Gymnasium's fickle_step); always false without fickle_passenger.
  bool fickle_pending() const { return fickle_step_; }

  void Draw(Canvas* canvas) const override;

 protected:
  void OnStep(int previous_state, int action, const Transition& taken) override;
  void OnReset(std::mt19937_64& rng) override;

 private:
  Options options_;
  // Gymnasium's taxi_orientation: the last move (0..3), kept across pickups.
  int orientation_ = 0;
  bool fickle_step_ = false;
};

}  // namespace rl

#endif  // RL_ENVS_TOY_TEXT_TAXI_H_
