#include "rl/envs/toy_text/taxi.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rl/envs/env_kwargs.h"
#include "rl/envs/toy_text/sprites.h"

namespace rl {
namespace {

constexpr const char* kMap[7] = {
    "+---------+",  //
    "|R: | : :G|",  //
    "| : | : : |",  //
    "| : : : : |",  //
    "| | : | : |",  //
    "|Y| : |B: |",  //
    "+---------+",  //
};
constexpr int kLocs[4][2] = {{0, 0}, {0, 4}, {4, 0}, {4, 3}};
constexpr Color kLocColors[4] = {
    {255, 0, 0, 128}, {0, 255, 0, 128}, {255, 255, 0, 128}, {0, 0, 255, 128}};
constexpr int kWindowWidth = 550;
constexpr int kWindowHeight = 350;

EnvSpec TaxiSpec() {
  EnvSpec spec;
  spec.id = "Taxi-v4";
  spec.max_episode_steps = 200;
  spec.observation_space = Space::Discrete(500);
  spec.action_space = Space::Discrete(6);
  spec.min_reward = -10;
  spec.max_reward = 20;
  spec.render_width = kWindowWidth;
  spec.render_height = kWindowHeight;
  spec.render_fps = 4;
  return spec;
}

const bool kRegistered = Envs().Register(
    "Taxi-v4", "pick up and drop off a passenger (Gymnasium toy_text)",
    []() -> absl::StatusOr<std::unique_ptr<Env>> {
      return std::make_unique<Taxi>();
    });

// gym.make("Taxi-v4", is_rainy=..., fickle_passenger=..., ...).
const bool kConfigurable = ConfigurableEnvs().Register(
    "Taxi-v4", Envs().Description("Taxi-v4"),
    [](const EnvKwargs& kwargs) -> absl::StatusOr<std::unique_ptr<Env>> {
      Taxi::Options options;
      EnvKwargsReader reader("Taxi-v4", kwargs);
      reader.Bool("is_rainy", &options.is_rainy);
      reader.Probability("rainy_probability", &options.rainy_probability);
      reader.Bool("fickle_passenger", &options.fickle_passenger);
      reader.Probability("fickle_probability", &options.fickle_probability);
      const absl::Status status = reader.Finish();
      if (!status.ok()) return status;
      auto env = Taxi::Create(options);
      if (!env.ok()) return env.status();
      return std::unique_ptr<Env>(*std::move(env));
    });

int LocIndex(int row, int col) {
  for (int i = 0; i < 4; ++i) {
    if (kLocs[i][0] == row && kLocs[i][1] == col) return i;
  }
  return -1;
}

// Where a move from (row, col) in `direction` (kSouth..kWest) leads, by
// Gymnasium's rules: the grid's edges and the map's walls stop it.
std::pair<int, int> Move(int row, int col, int direction) {
  constexpr int kMaxRow = 4, kMaxCol = 4;
  switch (direction) {
    case Taxi::kSouth:
      return {std::min(row + 1, kMaxRow), col};
    case Taxi::kNorth:
      return {std::max(row - 1, 0), col};
    case Taxi::kEast:
      return {row, kMap[1 + row][2 * col + 2] == ':'
                       ? std::min(col + 1, kMaxCol)
                       : col};
    default:  // kWest.
      return {row, kMap[1 + row][2 * col] == ':' ? std::max(col - 1, 0) : col};
  }
}

// The sideways moves of a rainy step, left and right of the heading, by
// move (Gymnasium v4's order in P: ahead, left, right).
constexpr int kLeftOf[4] = {Taxi::kEast, Taxi::kWest, Taxi::kNorth,
                            Taxi::kSouth};
constexpr int kRightOf[4] = {Taxi::kWest, Taxi::kEast, Taxi::kSouth,
                             Taxi::kNorth};

}  // namespace

int Taxi::Encode(int taxi_row, int taxi_col, int passenger, int destination) {
  return ((taxi_row * 5 + taxi_col) * 5 + passenger) * 4 + destination;
}

std::array<int, 4> Taxi::Decode(int state) {
  const int destination = state % 4;
  state /= 4;
  const int passenger = state % 5;
  state /= 5;
  const int col = state % 5;
  const int row = state / 5;
  return {row, col, passenger, destination};
}

absl::StatusOr<std::unique_ptr<Taxi>> Taxi::Create(const Options& options) {
  for (const auto& [name, p] :
       {std::pair{"rainy_probability", options.rainy_probability},
        std::pair{"fickle_probability", options.fickle_probability}}) {
    if (!(p >= 0 && p <= 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat("Taxi: ", name, " ", p, " is outside [0, 1]"));
    }
  }
  return std::make_unique<Taxi>(options);
}

Taxi::Taxi(const Options& options)
    : TabularEnv(TaxiSpec(), 500, 6), options_(options) {
  // Gymnasium's __init__: _build_transitions, dry or rainy.
  std::vector<double> initial(500, 0.0);
  const double ahead = options.rainy_probability;
  const double side = (1 - options.rainy_probability) / 2;
  for (int row = 0; row < 5; ++row) {
    for (int col = 0; col < 5; ++col) {
      for (int pass_idx = 0; pass_idx < 5; ++pass_idx) {
        for (int dest_idx = 0; dest_idx < 4; ++dest_idx) {
          const int state = Encode(row, col, pass_idx, dest_idx);
          if (pass_idx < 4 && pass_idx != dest_idx) initial[state] += 1;
          for (int action = kSouth; action <= kWest; ++action) {
            const auto [new_row, new_col] = Move(row, col, action);
            const int next = Encode(new_row, new_col, pass_idx, dest_idx);
            if (!options.is_rainy) {
              AddTransition(state, action, {1.0, next, -1, false});
              continue;
            }
            // Rain veers the taxi only when the intended move is possible.
            const bool moves = new_row != row || new_col != col;
            const auto [left_row, left_col] =
                moves ? Move(row, col, kLeftOf[action]) : std::pair(row, col);
            const auto [right_row, right_col] =
                moves ? Move(row, col, kRightOf[action]) : std::pair(row, col);
            AddTransition(state, action, {ahead, next, -1, false});
            AddTransition(state, action,
                          {side, Encode(left_row, left_col, pass_idx, dest_idx),
                           -1, false});
            AddTransition(
                state, action,
                {side, Encode(right_row, right_col, pass_idx, dest_idx), -1,
                 false});
          }
          const int here = LocIndex(row, col);
          // Pickup.
          if (pass_idx < 4 && here == pass_idx) {
            AddTransition(
                state, kPickup,
                {1.0, Encode(row, col, kInTaxi, dest_idx), -1, false});
          } else {  // No passenger here to pick up.
            AddTransition(state, kPickup, {1.0, state, -10, false});
          }
          // Dropoff.
          if (here == dest_idx && pass_idx == kInTaxi) {
            AddTransition(
                state, kDropoff,
                {1.0, Encode(row, col, dest_idx, dest_idx), 20, true});
          } else if (here >= 0 && pass_idx == kInTaxi) {
            // Left at another stand.
            AddTransition(state, kDropoff,
                          {1.0, Encode(row, col, here, dest_idx), -1, false});
          } else {
            AddTransition(state, kDropoff, {1.0, state, -10, false});
          }
        }
      }
    }
  }
  double total = 0;
  for (double weight : initial) total += weight;
  for (double& weight : initial) weight /= total;
  SetInitialDistribution(std::move(initial));
}

std::array<int, 6> Taxi::ActionMask(int state) const {
  const auto [row, col, pass_loc, dest_idx] = Decode(state);
  std::array<int, 6> mask{};
  mask[kSouth] = row < 4;
  mask[kNorth] = row > 0;
  mask[kEast] = col < 4 && kMap[row + 1][2 * col + 2] == ':';
  mask[kWest] = col > 0 && kMap[row + 1][2 * col] == ':';
  const int here = LocIndex(row, col);
  mask[kPickup] = pass_loc < 4 && here == pass_loc;
  mask[kDropoff] = pass_loc == kInTaxi && here >= 0;
  return mask;
}

void Taxi::OnReset(std::mt19937_64& rng) {
  orientation_ = 0;
  // Drawn after the initial state, and only for a fickle passenger, as
  // Gymnasium's reset does (`fickle_passenger and random() < p`).
  fickle_step_ = options_.fickle_passenger &&
                 UniformReal(rng, 0.0, 1.0) < options_.fickle_probability;
}

void Taxi::OnStep(int previous_state, int action, const Transition& taken) {
  if (action <= kWest) orientation_ = action;
  if (!fickle_step_) return;
  const auto [old_row, old_col, old_pass, old_dest] = Decode(previous_state);
  const auto [row, col, pass, dest] = Decode(s());
  // The first step that moves the taxi with the passenger aboard.
  if (old_pass != kInTaxi || (row == old_row && col == old_col)) return;
  fickle_step_ = false;
  // One of the three other destinations, uniformly (np_random.choice over
  // them in increasing order).
  const int pick = static_cast<int>(UniformInt(rng(), 3));
  SetState(Encode(row, col, pass, pick >= dest ? pick + 1 : pick));
}

void Taxi::Draw(Canvas* canvas) const {
  // Gymnasium's _render_gui over the 7x11 map text, 50x50 cells. It blits
  // taxi_background.png into every cell; ours is one flat asphalt colour,
  // so the canvas' background is the whole road at once (a rect per cell
  // on top of it drew the same picture at half the render fps).
  canvas->Reset(kWindowWidth, kWindowHeight, sprites::kRoadColor);
  constexpr int kMapRows = 7, kMapCols = 11;
  constexpr float kCw = kWindowWidth / kMapCols;   // 50.
  constexpr float kCh = kWindowHeight / kMapRows;  // 50.
  auto at = [&](int row, int col) { return kMap[row][col]; };
  for (int y = 0; y < kMapRows; ++y) {
    for (int x = 0; x < kMapCols; ++x) {
      const sprites::Cell cell{x * kCw, y * kCh, kCw, kCh};
      const char c = at(y, x);
      if (c == '|') {
        sprites::Median(canvas, cell, /*vertical=*/true,
                        /*start=*/y == 0 || at(y - 1, x) != '|',
                        /*end=*/y == kMapRows - 1 || at(y + 1, x) != '|');
      } else if (c == '-') {
        sprites::Median(canvas, cell, /*vertical=*/false,
                        /*start=*/x == 0 || at(y, x - 1) != '-',
                        /*end=*/x == kMapCols - 1 || at(y, x + 1) != '-');
      }
    }
  }
  // get_surf_loc: map (row, col) -> ((col * 2 + 1) * cw, (row + 1) * ch).
  auto surf = [&](int row, int col) {
    return std::pair<float, float>((col * 2 + 1) * kCw, (row + 1) * kCh);
  };
  for (int i = 0; i < 4; ++i) {
    const auto [x, y] = surf(kLocs[i][0], kLocs[i][1]);
    canvas->FillRect(x, y + 10, kCw, kCh, kLocColors[i]);
  }
  const auto [taxi_row, taxi_col, pass_idx, dest_idx] = Decode(s());
  if (pass_idx < 4) {
    const auto [x, y] = surf(kLocs[pass_idx][0], kLocs[pass_idx][1]);
    sprites::Passenger(canvas, {x, y, kCw, kCh});
  }
  const auto [dest_x, dest_y] = surf(kLocs[dest_idx][0], kLocs[dest_idx][1]);
  const auto [taxi_x, taxi_y] = surf(taxi_row, taxi_col);
  // Images by orientation: cab_front (south), cab_rear (north), right, left.
  static constexpr sprites::Facing kFacing[4] = {
      sprites::Facing::kDown, sprites::Facing::kUp, sprites::Facing::kRight,
      sprites::Facing::kLeft};
  const sprites::Cell hotel{dest_x, dest_y - kCh / 2, kCw, kCh};
  const sprites::Cell cab{taxi_x, taxi_y, kCw, kCh};
  // Whichever is lower on screen is drawn last, as Gymnasium does.
  if (dest_y <= taxi_y) {
    sprites::Hotel(canvas, hotel);
    sprites::Taxi(canvas, cab, kFacing[orientation_]);
  } else {
    sprites::Taxi(canvas, cab, kFacing[orientation_]);
    sprites::Hotel(canvas, hotel);
  }
}

}  // namespace rl
