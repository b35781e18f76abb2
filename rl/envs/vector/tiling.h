// Tiling: several canvases laid out as a grid on one canvas, so N envs can
// be watched in one video frame (what Gymnasium's RecordVideo cannot do).
// Pure canvas composition (Canvas::DrawCanvas): the renderer needs nothing
// new, and each tile is clipped to its own cell.
//
// Example:
//   std::vector<Canvas> tiles(4, Canvas(1, 1));
//   for (int i = 0; i < 4; ++i) envs[i]->Draw(&tiles[i]);
//   Canvas grid(1, 1);
//   TileCanvases(tiles, TileOptions(), &grid);  // 2x2, 1208x808 for CartPole.
#ifndef RL_ENVS_VECTOR_TILING_H_
#define RL_ENVS_VECTOR_TILING_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "rl/canvas/canvas.h"

namespace rl {

struct TileOptions {
  // Tiles per row; 0 picks ceil(sqrt(n)), so the grid is about square.
  int columns = 0;
  // Each tile's size relative to its canvas (all tiles take the first
  // canvas's size; others are scaled to fit its width and height).
  float scale = 1;
  // Logical pixels between tiles and around the grid, in `gap_color`.
  float gap = 4;
  Color gap_color{48, 48, 48, 255};
  // Draws each tile's label (below) in its bottom-left corner (envs keep
  // titles and scores at the top), white on a dark badge; the text height
  // is 5% of the tile height, at least 10 and at least min_label_height,
  // but at most half the tile height.
  bool labels = true;
  // In the grid's logical pixels: how tall labels must be to stay readable
  // where the grid is shown small (VideoSession sets it for the run page).
  float min_label_height = 0;
};

// The grid's logical size for `n` tiles of `tile_width` x `tile_height`.
std::pair<int, int> TiledSize(int n, int tile_width, int tile_height,
                              const TileOptions& options);

// Cell `index` of a grid of `n` tiles of `tile_width` x `tile_height`: its
// top left corner and size in the grid's logical pixels, left to right, top
// to bottom. What TileCanvases draws into; 3D scenes are placed by it too.
struct TileCell {
  float x = 0;
  float y = 0;
  float width = 0;
  float height = 0;
};
TileCell GridCell(int index, int n, int tile_width, int tile_height,
                  const TileOptions& options);

// Resets `out` to the grid size and draws every canvas into its cell, left
// to right, top to bottom. `labels[i]` (if given) labels tile i; without
// labels the tiles are numbered from 0. Empty cells stay gap-coloured.
void TileCanvases(absl::Span<const Canvas> tiles, const TileOptions& options,
                  Canvas* out, absl::Span<const std::string> labels = {});

}  // namespace rl

#endif  // RL_ENVS_VECTOR_TILING_H_
