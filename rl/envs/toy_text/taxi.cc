#include "rl/envs/toy_text/taxi.h"

#include <algorithm>
#include <memory>
#include <utility>

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

int LocIndex(int row, int col) {
  for (int i = 0; i < 4; ++i) {
    if (kLocs[i][0] == row && kLocs[i][1] == col) return i;
  }
  return -1;
}

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

Taxi::Taxi() : TabularEnv(TaxiSpec(), 500, 6) {
  // Gymnasium's __init__ with _build_dry_transitions.
  std::vector<double> initial(500, 0.0);
  constexpr int kMaxRow = 4, kMaxCol = 4;
  for (int row = 0; row < 5; ++row) {
    for (int col = 0; col < 5; ++col) {
      for (int pass_idx = 0; pass_idx < 5; ++pass_idx) {
        for (int dest_idx = 0; dest_idx < 4; ++dest_idx) {
          const int state = Encode(row, col, pass_idx, dest_idx);
          if (pass_idx < 4 && pass_idx != dest_idx) initial[state] += 1;
          for (int action = 0; action < 6; ++action) {
            int new_row = row, new_col = col, new_pass_idx = pass_idx;
            double reward = -1;
            bool terminated = false;
            const int here = LocIndex(row, col);
            if (action == kSouth) {
              new_row = std::min(row + 1, kMaxRow);
            } else if (action == kNorth) {
              new_row = std::max(row - 1, 0);
            } else if (action == kEast && kMap[1 + row][2 * col + 2] == ':') {
              new_col = std::min(col + 1, kMaxCol);
            } else if (action == kWest && kMap[1 + row][2 * col] == ':') {
              new_col = std::max(col - 1, 0);
            } else if (action == kPickup) {
              if (pass_idx < 4 && here == pass_idx) {
                new_pass_idx = kInTaxi;
              } else {
                reward = -10;  // No passenger here to pick up.
              }
            } else if (action == kDropoff) {
              if (here == dest_idx && pass_idx == kInTaxi) {
                new_pass_idx = dest_idx;
                terminated = true;
                reward = 20;
              } else if (here >= 0 && pass_idx == kInTaxi) {
                new_pass_idx = here;  // Left at another stand.
              } else {
                reward = -10;
              }
            }
            AddTransition(
                state, action,
                {1.0, Encode(new_row, new_col, new_pass_idx, dest_idx), reward,
                 terminated});
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

void Taxi::OnStep(int action, const Transition& taken) {
  if (action <= kWest) orientation_ = action;
}

void Taxi::Draw(Canvas* canvas) const {
  // Gymnasium's _render_gui over the 7x11 map text, 50x50 cells.
  // The road behind the tiles, so no seam shows when drawn scaled.
  canvas->Reset(kWindowWidth, kWindowHeight, sprites::kRoadColor);
  constexpr int kMapRows = 7, kMapCols = 11;
  constexpr float kCw = kWindowWidth / kMapCols;   // 50.
  constexpr float kCh = kWindowHeight / kMapRows;  // 50.
  auto at = [&](int row, int col) { return kMap[row][col]; };
  for (int y = 0; y < kMapRows; ++y) {
    for (int x = 0; x < kMapCols; ++x) {
      const sprites::Cell cell{x * kCw, y * kCh, kCw, kCh};
      sprites::Road(canvas, cell);
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
