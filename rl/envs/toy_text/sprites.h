// Shape drawings standing in for the PNG sprites of Gymnasium's toy_text
// envs (which we cannot ship): each fills one cell (x, y, w, h) of a canvas
// with simple polygons and circles in colours picked to resemble the
// originals. Layouts (grid, cell sizes, draw order, offsets) are
// Gymnasium's; only the pictures inside the cells are approximations.
//
// The colours, chosen so a frame reads like Gymnasium 1.x's at a glance
// (tested by sampling rendered frames in looks_test.cc):
//  - FrozenLake: pale blue-white ice (ice.png); a hole is light cyan water
//    (about (140, 214, 240)) under a white snow lip, with a deeper blue
//    shadow along its far edge (hole.png), not a dark pit.
//  - CliffWalking: a checkerboard of two greens of grass (mountain_bg1/2),
//    a brown rock cliff (mountain_cliff), and grass cells above it ending
//    in the cliff's brown edge (mountain_near-cliff1/2).
//  - Taxi: mid-grey asphalt (taxi_background), walls as green hedges with
//    rounded ends (gridworld_median_*), the stands' tints over it.
#ifndef RL_ENVS_TOY_TEXT_SPRITES_H_
#define RL_ENVS_TOY_TEXT_SPRITES_H_

#include "rl/canvas/canvas.h"

namespace rl {
namespace sprites {

struct Cell {
  float x, y, w, h;
};

enum class Facing { kUp, kDown, kLeft, kRight };

// The main colours of the ice, grass and road tiles: each env's canvas
// background, which the tiles below draw on (a filled rect per tile on top
// of it would draw the same picture, slower: a frame renders about 1.5x as
// fast without them, see the env_benchmark numbers in git log).
inline constexpr Color kIceColor{204, 230, 247, 255};
inline constexpr Color kGrassColor{122, 184, 72, 255};
inline constexpr Color kRoadColor{126, 128, 130, 255};

// FrozenLake.
void Ice(Canvas* canvas, const Cell& cell);  // Glints on kIceColor.
void Hole(Canvas* canvas, const Cell& cell);
void CrackedHole(Canvas* canvas, const Cell& cell);  // The elf fell in.
void Gift(Canvas* canvas, const Cell& cell);         // goal.png.
// FrozenLake and CliffWalking.
void Stool(Canvas* canvas, const Cell& cell);
void Elf(Canvas* canvas, const Cell& cell, Facing facing);
// CliffWalking.
// mountain_bg1/2: kGrassColor's tufts, or the darker grass filled in.
void Grass(Canvas* canvas, const Cell& cell, bool darker);
void Cliff(Canvas* canvas, const Cell& cell);  // mountain_cliff.png.
// The cliff's top edge along the bottom of a grass cell (near-cliff1/2).
void NearCliff(Canvas* canvas, const Cell& cell, bool darker);
void Cookie(Canvas* canvas, const Cell& cell);
// Taxi (its road, taxi_background.png, is the canvas' kRoadColor).
// A wall piece, a hedge: vertical or horizontal; `start`/`end` round off the
// first or last piece of a run (gridworld_median_top/bottom/left/right).
void Median(Canvas* canvas, const Cell& cell, bool vertical, bool start,
            bool end);
void Passenger(Canvas* canvas, const Cell& cell);
void Hotel(Canvas* canvas, const Cell& cell);  // Drawn at alpha 170.
void Taxi(Canvas* canvas, const Cell& cell, Facing facing);

}  // namespace sprites
}  // namespace rl

#endif  // RL_ENVS_TOY_TEXT_SPRITES_H_
