// MazeChase-v0: our own arcade game in the spirit of Pac-Man (and of the
// seed's Pac-Man demo). Not a Gymnasium env; ALE users will find the action
// numbering of MsPacman's minimal set.
//
// A 19x21 maze of pellets (10 points), four power pellets (50 points) and a
// tunnel; four ghosts leave a house in the middle one after another. Ghosts
// alternate between scatter (each heads for its own corner) and chase
// (Blinky targets the player, Pinky four tiles ahead of it, Inky the point
// that mirrors Blinky about two tiles ahead of the player, Clyde the player
// when far and its corner when near), reversing at every switch. A power
// pellet frightens the ghosts outside the house for 40 steps: they reverse,
// wander at random (from the env's seeded generator) at half speed, and can
// be eaten for 200, 400, 800, 1600 points; an eaten ghost goes back to the
// house and comes out again 12 steps later. A ghost that is not frightened
// and reaches the player's tile (or whose tile the player walks into) costs
// a life; everyone then goes back to the start, the pellets stay. Clearing
// every pellet refills the maze (level + 1). Three lives.
//
// Actions Discrete(5): 0 NOOP (keep going), 1 UP, 2 RIGHT, 3 LEFT, 4 DOWN.
// A turn into a wall is ignored and the player keeps going; it stops at a
// wall. Everyone moves one tile per step (frightened ghosts every other).
// Observation Box(6, 21, 19) of 0/1 planes, row-major: walls (and the house
// door and the void outside the maze), pellets, power pellets, the player,
// ghosts to avoid, frightened ghosts.
// Reward: the points scored in the step, in [0, 3050]. Terminates when the
// last life is lost; truncated at 3000 steps. Reset: the start position;
// the seed picks Blinky's first direction and every frightened move, so the
// same seed gives the same game.
// Renders 456x544 at 10 fps: the maze in 24-pixel tiles under a 40-pixel
// bar with the score, level and lives drawn as text (Canvas::DrawText).
//
// Example:
//   MazeChase env;                // Or Envs().Create("MazeChase-v0").
//   env.Reset(1);
//   StepResult result;
//   RL_RETURN_IF_ERROR(env.Step(Action::Discrete(MazeChase::kLeft), &result));
#ifndef RL_ENVS_ARCADE_MAZE_CHASE_H_
#define RL_ENVS_ARCADE_MAZE_CHASE_H_

#include <array>
#include <cstdint>
#include <random>

#include "rl/envs/env.h"

namespace rl {

class MazeChase : public Env {
 public:
  static constexpr int kRows = 21;
  static constexpr int kCols = 19;
  static constexpr int kPlanes = 6;
  static constexpr int kCellSize = 24;  // Logical pixels per tile.
  static constexpr int kHudHeight = 40;
  static constexpr int kStartLives = 3;
  static constexpr int kPelletPoints = 10;
  static constexpr int kPowerPelletPoints = 50;
  static constexpr int kFirstGhostPoints = 200;
  static constexpr int kFrightenedSteps = 40;
  static constexpr int kFlashSteps = 12;  // Frightened ghosts flash at the end.
  static constexpr int kEatenGhostWait = 12;
  static constexpr int kMaxEpisodeSteps = 3000;

  // Actions, in ALE's MsPacman order.
  enum ActionId : int { kNoop = 0, kUp = 1, kRight = 2, kLeft = 3, kDown = 4 };

  // Directions in the order ghosts prefer them on a tie (as the arcade's).
  enum class Dir : int8_t { kUp = 0, kLeft = 1, kDown = 2, kRight = 3, kNone };

  // Tile contents.
  static constexpr char kWall = '#';
  static constexpr char kPellet = '.';
  static constexpr char kPowerPellet = 'o';
  static constexpr char kEmpty = ' ';
  static constexpr char kDoor = '-';
  static constexpr char kHouse = 'H';
  static constexpr char kVoid = '_';  // Outside the maze.

  enum GhostName : int { kBlinky = 0, kPinky = 1, kInky = 2, kClyde = 3 };

  struct Ghost {
    int row = 0;
    int col = 0;
    Dir dir = Dir::kLeft;
    bool in_house = true;
    bool frightened = false;
    bool reverse = false;  // Turn round at the next move.
    int release_at = 0;    // life_steps at which it leaves the house.
  };

  // The whole game, public so tests and demos can set any situation.
  struct State {
    std::array<char, kRows * kCols> cells{};  // Row-major tile contents.
    int player_row = 0;
    int player_col = 0;
    Dir player_dir = Dir::kLeft;
    bool player_moved = false;  // Whether the last step moved the player.
    std::array<Ghost, 4> ghosts;
    int score = 0;
    int lives = kStartLives;
    int level = 1;
    int pellets_left = 0;
    int frightened_left = 0;  // Steps of fright left.
    int ghost_combo = 0;      // Ghosts eaten since the last power pellet.
    int mode_index = 0;       // Into the scatter/chase schedule.
    int mode_clock = 0;       // Steps spent in the current mode.
    int life_steps = 0;       // Steps since the last (re)start.
    int64_t steps = 0;        // Steps since Reset().
    bool game_over = false;
    char& at(int row, int col) { return cells[row * kCols + col]; }
    char at(int row, int col) const { return cells[row * kCols + col]; }
  };

  MazeChase();

  const State& state() const { return state_; }
  // For tests and demos: puts the env in `state` mid-episode.
  void SetState(const State& state) { state_ = state; }
  // Whether ghosts are in scatter mode now (else chase).
  bool scatter() const;
  // The tile a ghost heads for now (chase or scatter rules).
  std::pair<int, int> GhostTarget(int ghost) const;

  void Draw(Canvas* canvas) const override;

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;

 private:
  // Puts the player and the ghosts at their start, keeping the pellets.
  void RestartPositions();
  void RefillMaze();
  void Frighten();
  // Meets every ghost on the player's tile: eats the frightened ones (adding
  // their points to `reward`), returns true if another one caught the player.
  bool Collide(double* reward);
  void MoveGhost(int index, std::mt19937_64& rng);
  void AdvanceTimers();
  void WriteObservation(Observation* observation) const;

  State state_;
};

}  // namespace rl

#endif  // RL_ENVS_ARCADE_MAZE_CHASE_H_
