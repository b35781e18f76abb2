// Shape drawings standing in for the PNG sprites of Gymnasium's toy_text
// envs (which we cannot ship): each fills one cell (x, y, w, h) of a canvas
// with simple polygons and circles in colours picked to resemble the
// originals. Layouts (grid, cell sizes, draw order, offsets) are
// Gymnasium's; only the pictures inside the cells are approximations.
#ifndef RL_ENVS_TOY_TEXT_SPRITES_H_
#define RL_ENVS_TOY_TEXT_SPRITES_H_

#include "rl/canvas/canvas.h"

namespace rl {
namespace sprites {

struct Cell {
  float x, y, w, h;
};

enum class Facing { kUp, kDown, kLeft, kRight };

// The main colours of the ice, snow and road tiles.
inline constexpr Color kIceColor{204, 230, 247, 255};
inline constexpr Color kSnowColor{232, 239, 245, 255};
inline constexpr Color kRoadColor{236, 236, 232, 255};

// FrozenLake.
void Ice(Canvas* canvas, const Cell& cell);
void Hole(Canvas* canvas, const Cell& cell);
void CrackedHole(Canvas* canvas, const Cell& cell);  // The elf fell in.
void Gift(Canvas* canvas, const Cell& cell);         // goal.png.
// FrozenLake and CliffWalking.
void Stool(Canvas* canvas, const Cell& cell);
void Elf(Canvas* canvas, const Cell& cell, Facing facing);
// CliffWalking.
void Snow(Canvas* canvas, const Cell& cell, bool darker);  // mountain_bg1/2.
void Cliff(Canvas* canvas, const Cell& cell);
void NearCliff(Canvas* canvas, const Cell& cell, bool darker);
void Cookie(Canvas* canvas, const Cell& cell);
// Taxi.
void Road(Canvas* canvas, const Cell& cell);  // taxi_background.png.
// A wall piece: vertical or horizontal; `start`/`end` round off the first
// or last piece of a run (gridworld_median_top/bottom/left/right).
void Median(Canvas* canvas, const Cell& cell, bool vertical, bool start,
            bool end);
void Passenger(Canvas* canvas, const Cell& cell);
void Hotel(Canvas* canvas, const Cell& cell);  // Drawn at alpha 170.
void Taxi(Canvas* canvas, const Cell& cell, Facing facing);

}  // namespace sprites
}  // namespace rl

#endif  // RL_ENVS_TOY_TEXT_SPRITES_H_
