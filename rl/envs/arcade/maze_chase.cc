#include "rl/envs/arcade/maze_chase.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace rl {
namespace {

using Dir = MazeChase::Dir;

// The maze, row by row. '_' is outside the maze (neither wall nor floor),
// 'H' the ghost house behind its door '-'; row 9 is the tunnel, open at both
// ends. The player starts on the gap in row 15, Blinky on the gap above the
// door.
constexpr const char* kLayout[MazeChase::kRows] = {
    "###################",  //
    "#........#........#",  //
    "#o##.###.#.###.##o#",  //
    "#.................#",  //
    "#.##.#.#####.#.##.#",  //
    "#....#...#...#....#",  //
    "####.### # ###.####",  //
    "___#.#       #.#___",  //
    "####.# ##-## #.####",  //
    "    .  #HHH#  .    ",  //
    "####.# ##### #.####",  //
    "___#.#       #.#___",  //
    "####.# ##### #.####",  //
    "#........#........#",  //
    "#.##.###.#.###.##.#",  //
    "#o.#..... .....#.o#",  //
    "##.#.#.#####.#.#.##",  //
    "#....#...#...#....#",  //
    "#.######.#.######.#",  //
    "#.................#",  //
    "###################",  //
};

constexpr int kPlayerStartRow = 15;
constexpr int kPlayerStartCol = 9;
constexpr int kExitRow = 7;  // The tile above the door.
constexpr int kExitCol = 9;
// Where each ghost waits in the house, and when it first comes out (steps
// after a (re)start). Blinky starts outside.
constexpr int kHouseCol[4] = {9, 9, 8, 10};
constexpr int kHouseRow = 9;
constexpr int kFirstRelease[4] = {0, 8, 24, 40};
// Scatter corners (may lie in walls: only the distance matters).
constexpr int kCornerRow[4] = {0, 0, 20, 20};
constexpr int kCornerCol[4] = {17, 1, 17, 1};
// Scatter, chase, scatter, chase, scatter, then chase for good.
constexpr int kSchedule[] = {28, 80, 28, 80, 20};
constexpr int kScheduleLength = sizeof(kSchedule) / sizeof(kSchedule[0]);

constexpr int kDr[4] = {-1, 0, 1, 0};  // Up, left, down, right.
constexpr int kDc[4] = {0, -1, 0, 1};

// Colours: the arcade's.
constexpr Color kWallBlue{33, 33, 222, 255};
constexpr Color kPelletColor{255, 184, 151, 255};
constexpr Color kDoorPink{255, 184, 222, 255};
constexpr Color kPlayerYellow{255, 255, 0, 255};
constexpr Color kGhostColors[4] = {{255, 0, 0, 255},
                                   {255, 184, 255, 255},
                                   {0, 255, 255, 255},
                                   {255, 184, 82, 255}};
constexpr Color kFrightenedBlue{33, 33, 255, 255};
constexpr Color kFlashWhite{222, 222, 255, 255};
constexpr Color kPupilBlue{33, 33, 255, 255};
constexpr Color kFrightenedFace{255, 184, 174, 255};

Dir Opposite(Dir dir) {
  switch (dir) {
    case Dir::kUp:
      return Dir::kDown;
    case Dir::kDown:
      return Dir::kUp;
    case Dir::kLeft:
      return Dir::kRight;
    case Dir::kRight:
      return Dir::kLeft;
    default:
      return Dir::kNone;
  }
}

// The neighbouring tile in `dir`, wrapping through the tunnel.
std::pair<int, int> Next(int row, int col, Dir dir) {
  const int d = static_cast<int>(dir);
  return {row + kDr[d], (col + kDc[d] + MazeChase::kCols) % MazeChase::kCols};
}

bool Walkable(const MazeChase::State& state, int row, int col) {
  if (row < 0 || row >= MazeChase::kRows) return false;
  const char cell = state.at(row, col);
  return cell == MazeChase::kEmpty || cell == MazeChase::kPellet ||
         cell == MazeChase::kPowerPellet;
}

EnvSpec MazeChaseSpec() {
  EnvSpec spec;
  spec.id = "MazeChase-v0";
  spec.max_episode_steps = MazeChase::kMaxEpisodeSteps;
  spec.observation_space = Space::Box(
      0, 1, {MazeChase::kPlanes, MazeChase::kRows, MazeChase::kCols});
  spec.action_space = Space::Discrete(5);
  spec.min_reward = 0;
  // A power pellet, then all four ghosts in one step.
  spec.max_reward = MazeChase::kPowerPelletPoints + 200 + 400 + 800 + 1600;
  spec.render_width = MazeChase::kCols * MazeChase::kCellSize;
  spec.render_height =
      MazeChase::kHudHeight + MazeChase::kRows * MazeChase::kCellSize;
  spec.render_fps = 10;
  // The SCORE / LEVEL / LIVES line (Draw()).
  spec.hud = Rect{0, 0, static_cast<float>(spec.render_width),
                  static_cast<float>(MazeChase::kHudHeight)};
  return spec;
}

const bool kRegistered = Envs().Register(
    "MazeChase-v0",
    "eat the pellets, flee the ghosts, eat them after a power pellet "
    "(arcade, in the spirit of Pac-Man)",
    []() -> absl::StatusOr<std::unique_ptr<Env>> {
      return std::make_unique<MazeChase>();
    });

}  // namespace

MazeChase::MazeChase() : Env(MazeChaseSpec()) {}

bool MazeChase::scatter() const {
  return state_.mode_index < kScheduleLength && state_.mode_index % 2 == 0;
}

std::pair<int, int> MazeChase::GhostTarget(int ghost) const {
  const State& s = state_;
  if (scatter()) return {kCornerRow[ghost], kCornerCol[ghost]};
  const int pr = s.player_row;
  const int pc = s.player_col;
  const Dir facing = s.player_dir == Dir::kNone ? Dir::kLeft : s.player_dir;
  const int fr = kDr[static_cast<int>(facing)];
  const int fc = kDc[static_cast<int>(facing)];
  switch (ghost) {
    case kBlinky:
      return {pr, pc};
    case kPinky:
      return {pr + 4 * fr, pc + 4 * fc};
    case kInky: {
      const int vr = pr + 2 * fr;
      const int vc = pc + 2 * fc;
      const Ghost& blinky = s.ghosts[kBlinky];
      return {2 * vr - blinky.row, 2 * vc - blinky.col};
    }
    default: {  // Clyde: shy within eight tiles.
      const Ghost& clyde = s.ghosts[kClyde];
      const int dr = clyde.row - pr;
      const int dc = clyde.col - pc;
      if (dr * dr + dc * dc > 64) return {pr, pc};
      return {kCornerRow[ghost], kCornerCol[ghost]};
    }
  }
}

void MazeChase::RefillMaze() {
  state_.pellets_left = 0;
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < kCols; ++c) {
      const char cell = kLayout[r][c];
      state_.at(r, c) = cell;
      if (cell == kPellet || cell == kPowerPellet) ++state_.pellets_left;
    }
  }
}

void MazeChase::RestartPositions() {
  State& s = state_;
  s.player_row = kPlayerStartRow;
  s.player_col = kPlayerStartCol;
  s.player_dir = Dir::kLeft;
  s.player_moved = false;
  for (int i = 0; i < 4; ++i) {
    Ghost& ghost = s.ghosts[i];
    ghost = Ghost();
    ghost.release_at = kFirstRelease[i];
    if (i == kBlinky) {
      ghost.in_house = false;
      ghost.row = kExitRow;
      ghost.col = kExitCol;
    } else {
      ghost.row = kHouseRow;
      ghost.col = kHouseCol[i];
    }
  }
  s.frightened_left = 0;
  s.ghost_combo = 0;
  s.mode_index = 0;
  s.mode_clock = 0;
  s.life_steps = 0;
}

void MazeChase::ResetState(std::mt19937_64& rng, Observation* observation) {
  state_ = State();
  RefillMaze();
  RestartPositions();
  // The seed's mark on an otherwise fixed start: Blinky's first direction.
  state_.ghosts[kBlinky].dir =
      UniformInt(rng, 2) == 0 ? Dir::kLeft : Dir::kRight;
  WriteObservation(observation);
}

void MazeChase::Frighten() {
  State& s = state_;
  s.frightened_left = kFrightenedSteps;
  s.ghost_combo = 0;
  for (Ghost& ghost : s.ghosts) {
    if (ghost.in_house) continue;
    ghost.frightened = true;
    ghost.reverse = true;
  }
}

bool MazeChase::Collide(double* reward) {
  // Moves are sequential (the player, then the ghosts), so two that swap
  // tiles always share one in between: checking the tile after each half
  // of the step catches every meeting.
  State& s = state_;
  bool caught = false;
  for (int i = 0; i < 4; ++i) {
    Ghost& ghost = s.ghosts[i];
    if (ghost.in_house || ghost.row != s.player_row ||
        ghost.col != s.player_col) {
      continue;
    }
    if (ghost.frightened) {
      const int points = kFirstGhostPoints << s.ghost_combo;
      s.ghost_combo = std::min(s.ghost_combo + 1, 3);
      s.score += points;
      *reward += points;
      ghost.frightened = false;
      ghost.reverse = false;
      ghost.in_house = true;
      ghost.row = kHouseRow;
      ghost.col = kHouseCol[i];
      ghost.dir = Dir::kLeft;
      ghost.release_at = s.life_steps + kEatenGhostWait;
    } else {
      caught = true;
    }
  }
  return caught;
}

void MazeChase::MoveGhost(int index, std::mt19937_64& rng) {
  State& s = state_;
  Ghost& ghost = s.ghosts[index];
  if (ghost.reverse) {
    ghost.reverse = false;
    ghost.dir = Opposite(ghost.dir);
    const auto [r, c] = Next(ghost.row, ghost.col, ghost.dir);
    if (Walkable(s, r, c)) {
      ghost.row = r;
      ghost.col = c;
      return;
    }
  }
  // Every open direction but back, in the arcade's preference order.
  Dir options[4];
  int count = 0;
  for (int d = 0; d < 4; ++d) {
    const Dir dir = static_cast<Dir>(d);
    if (dir == Opposite(ghost.dir)) continue;
    const auto [r, c] = Next(ghost.row, ghost.col, dir);
    if (Walkable(s, r, c)) options[count++] = dir;
  }
  if (count == 0) {  // A dead end: the maze has none, but be safe.
    options[count++] = Opposite(ghost.dir);
  }
  Dir chosen = options[0];
  if (ghost.frightened) {
    chosen = options[UniformInt(rng, count)];
  } else {
    const auto [tr, tc] = GhostTarget(index);
    int best = -1;
    for (int i = 0; i < count; ++i) {
      const int d = static_cast<int>(options[i]);
      // Distance from the tile the move leads to, without the tunnel.
      const int dr = ghost.row + kDr[d] - tr;
      const int dc = ghost.col + kDc[d] - tc;
      const int distance = dr * dr + dc * dc;
      if (best < 0 || distance < best) {
        best = distance;
        chosen = options[i];
      }
    }
  }
  ghost.dir = chosen;
  const auto [r, c] = Next(ghost.row, ghost.col, chosen);
  if (Walkable(s, r, c)) {
    ghost.row = r;
    ghost.col = c;
  }
}

void MazeChase::AdvanceTimers() {
  State& s = state_;
  ++s.life_steps;
  if (s.frightened_left > 0) {
    if (--s.frightened_left == 0) {
      for (Ghost& ghost : s.ghosts) ghost.frightened = false;
    }
  } else if (s.mode_index < kScheduleLength &&
             ++s.mode_clock >= kSchedule[s.mode_index]) {
    // Scatter <-> chase; the schedule stands still while ghosts are
    // frightened, as in the arcade.
    ++s.mode_index;
    s.mode_clock = 0;
    for (Ghost& ghost : s.ghosts) {
      if (!ghost.in_house) ghost.reverse = true;
    }
  }
  for (Ghost& ghost : s.ghosts) {
    if (ghost.in_house && s.life_steps >= ghost.release_at) {
      ghost.in_house = false;
      ghost.row = kExitRow;
      ghost.col = kExitCol;
      ghost.dir = Dir::kLeft;
    }
  }
}

void MazeChase::StepState(const Action& action, StepResult* result) {
  State& s = state_;
  ++s.steps;
  double reward = 0;

  // 1. The player: turn if the asked direction is open, else keep going.
  static constexpr Dir kActionDir[5] = {Dir::kNone, Dir::kUp, Dir::kRight,
                                        Dir::kLeft, Dir::kDown};
  const Dir asked = kActionDir[action.discrete];
  if (asked != Dir::kNone) {
    const auto [r, c] = Next(s.player_row, s.player_col, asked);
    if (Walkable(s, r, c)) s.player_dir = asked;
  }
  const auto [r, c] = Next(s.player_row, s.player_col, s.player_dir);
  s.player_moved = Walkable(s, r, c);
  if (s.player_moved) {
    s.player_row = r;
    s.player_col = c;
  }

  // 2. Eat what is there.
  char& cell = s.at(s.player_row, s.player_col);
  if (cell == kPellet || cell == kPowerPellet) {
    const int points = cell == kPellet ? kPelletPoints : kPowerPelletPoints;
    s.score += points;
    reward += points;
    --s.pellets_left;
    if (cell == kPowerPellet) Frighten();
    cell = kEmpty;
  }

  // 3. Ghosts on the player's new tile, then 4. the ghosts move and meet
  // the player again.
  bool caught = Collide(&reward);
  if (!caught) {
    for (int i = 0; i < 4; ++i) {
      const Ghost& ghost = s.ghosts[i];
      if (ghost.in_house) continue;
      if (ghost.frightened && s.steps % 2 == 1) continue;  // Half speed.
      MoveGhost(i, rng());
    }
    caught = Collide(&reward);
  }

  // 5. A lost life, a cleared maze, or just time passing.
  if (caught) {
    --s.lives;
    if (s.lives == 0) {
      s.game_over = true;
      result->terminated = true;
    } else {
      RestartPositions();
    }
  } else if (s.pellets_left == 0) {
    ++s.level;
    RefillMaze();
    RestartPositions();
  } else {
    AdvanceTimers();
  }
  result->reward = reward;
  WriteObservation(&result->observation);
}

void MazeChase::WriteObservation(Observation* observation) const {
  constexpr int kPlane = kRows * kCols;
  observation->assign(kPlanes * kPlane, 0.0f);
  float* planes = observation->data();
  for (int i = 0; i < kPlane; ++i) {
    switch (state_.cells[i]) {
      case kPellet:
        planes[1 * kPlane + i] = 1;
        break;
      case kPowerPellet:
        planes[2 * kPlane + i] = 1;
        break;
      case kEmpty:
        break;
      default:  // Wall, door, house, void: nowhere to walk.
        planes[i] = 1;
    }
  }
  planes[3 * kPlane + state_.player_row * kCols + state_.player_col] = 1;
  for (const Ghost& ghost : state_.ghosts) {
    const int plane = ghost.frightened ? 5 : 4;
    planes[plane * kPlane + ghost.row * kCols + ghost.col] = 1;
  }
}

namespace {

// A disc of radius `radius` with a wedge cut out towards `angle` (radians,
// y down), `mouth` the wedge's half-angle.
std::vector<Point> PacShape(float cx, float cy, float radius, double angle,
                            double mouth) {
  constexpr int kSegments = 28;
  std::vector<Point> points;
  if (mouth > 0) points.push_back({cx, cy});
  const double from = angle + mouth;
  const double to = angle + 2 * M_PI - mouth;
  const int n = mouth > 0 ? kSegments : kSegments - 1;
  for (int i = 0; i <= n; ++i) {
    const double a = from + (to - from) * i / kSegments;
    points.push_back({cx + radius * static_cast<float>(std::cos(a)),
                      cy + radius * static_cast<float>(std::sin(a))});
  }
  return points;
}

// The arcade ghost: a dome over a skirt with three points.
std::vector<Point> GhostShape(float cx, float cy, float radius) {
  std::vector<Point> points;
  const float top = cy - radius * 0.1f;
  constexpr int kSegments = 16;
  for (int i = 0; i <= kSegments; ++i) {
    const double a = M_PI + M_PI * i / kSegments;  // Left, over the top.
    points.push_back({cx + radius * static_cast<float>(std::cos(a)),
                      top + radius * static_cast<float>(std::sin(a))});
  }
  const float bottom = cy + radius;
  const float notch = cy + radius * 0.6f;
  for (int i = 0; i <= 6; ++i) {
    const float x = cx + radius - 2 * radius * i / 6.0f;
    points.push_back({x, i % 2 == 0 ? bottom : notch});
  }
  return points;
}

double DirAngle(Dir dir) {
  switch (dir) {
    case Dir::kUp:
      return -M_PI / 2;
    case Dir::kDown:
      return M_PI / 2;
    case Dir::kLeft:
      return M_PI;
    default:
      return 0;
  }
}

}  // namespace

void MazeChase::Draw(Canvas* canvas) const {
  const State& s = state_;
  canvas->Reset(spec().render_width, spec().render_height, kBlack);
  constexpr float kCell = kCellSize;
  auto cell_x = [](int col) { return static_cast<float>(col * kCellSize); };
  auto cell_y = [](int row) {
    return static_cast<float>(kHudHeight + row * kCellSize);
  };
  auto is_wall = [&](int row, int col) {
    return row >= 0 && row < kRows && col >= 0 && col < kCols &&
           s.at(row, col) == kWall;
  };

  // Walls: blue blocks that merge with their wall neighbours and stand back
  // from the corridors. Neighbouring blocks overlap by a pixel rather than
  // abut, so no seam shows when the canvas is drawn scaled (tiled).
  constexpr float kInset = 4;
  constexpr float kOverlap = 1;
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < kCols; ++c) {
      const char cell = s.at(r, c);
      const float x = cell_x(c), y = cell_y(r);
      if (cell == kWall) {
        const float x0 = x + (is_wall(r, c - 1) ? -kOverlap : kInset);
        const float x1 = x + kCell - (is_wall(r, c + 1) ? -kOverlap : kInset);
        const float y0 = y + (is_wall(r - 1, c) ? -kOverlap : kInset);
        const float y1 = y + kCell - (is_wall(r + 1, c) ? -kOverlap : kInset);
        canvas->FillRect(x0, y0, x1 - x0, y1 - y0, kWallBlue);
      } else if (cell == kDoor) {
        canvas->FillRect(x, y + kCell / 2 - 2, kCell, 4, kDoorPink);
      } else if (cell == kPellet) {
        canvas->FillCircle({x + kCell / 2, y + kCell / 2}, 3, kPelletColor);
      } else if (cell == kPowerPellet) {
        canvas->FillCircle({x + kCell / 2, y + kCell / 2}, 8, kPelletColor);
      }
    }
  }

  // The player, its mouth opening and closing as it moves.
  {
    const float cx = cell_x(s.player_col) + kCell / 2;
    const float cy = cell_y(s.player_row) + kCell / 2;
    const double mouth =
        s.game_over ? 0 : (s.player_moved && s.steps % 2 == 1 ? 0.75 : 0.25);
    canvas->FillPolygon(PacShape(cx, cy, 10.5f, DirAngle(s.player_dir), mouth),
                        kPlayerYellow);
  }

  // Ghosts.
  for (int i = 0; i < 4; ++i) {
    const Ghost& ghost = s.ghosts[i];
    const float cx = cell_x(ghost.col) + kCell / 2;
    const float cy = cell_y(ghost.row) + kCell / 2;
    Color body = kGhostColors[i];
    if (ghost.frightened) {
      const bool flash =
          s.frightened_left <= kFlashSteps && s.frightened_left % 2 == 1;
      body = flash ? kFlashWhite : kFrightenedBlue;
    }
    canvas->FillPolygon(GhostShape(cx, cy, 10), body);
    if (ghost.frightened) {
      canvas->FillCircle({cx - 3.5f, cy - 2}, 1.8f, kFrightenedFace);
      canvas->FillCircle({cx + 3.5f, cy - 2}, 1.8f, kFrightenedFace);
    } else {
      const int d =
          static_cast<int>(ghost.dir == Dir::kNone ? Dir::kLeft : ghost.dir);
      for (float side : {-4.0f, 4.0f}) {
        canvas->FillCircle({cx + side, cy - 3}, 3.2f, kWhite);
        canvas->FillCircle({cx + side + 1.5f * kDc[d], cy - 3 + 1.5f * kDr[d]},
                           1.7f, kPupilBlue);
      }
    }
  }

  // The bar on top: score, level, lives.
  canvas->DrawText({8, 10}, 20, kWhite, absl::StrCat("SCORE ", s.score));
  canvas->DrawText({190, 10}, 20, kWhite, absl::StrCat("LEVEL ", s.level));
  canvas->DrawText({352, 10}, 20, kWhite, absl::StrCat("LIVES ", s.lives));
  if (s.game_over) {
    canvas->DrawText({174, cell_y(11) + 2}, 20, Color{255, 0, 0, 255},
                     "GAME OVER");
  }
}

}  // namespace rl
