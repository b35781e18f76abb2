#include "rl/envs/vector/tiling.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace rl {
namespace {

int Columns(int n, const TileOptions& options) {
  if (options.columns > 0) return std::min(options.columns, std::max(n, 1));
  return std::max(1, static_cast<int>(std::ceil(std::sqrt(n))));
}

}  // namespace

std::pair<int, int> TiledSize(int n, int tile_width, int tile_height,
                              const TileOptions& options) {
  const int columns = Columns(n, options);
  const int rows = std::max(1, (n + columns - 1) / columns);
  const float w = tile_width * options.scale;
  const float h = tile_height * options.scale;
  return {
      static_cast<int>(std::ceil(columns * w + (columns + 1) * options.gap)),
      static_cast<int>(std::ceil(rows * h + (rows + 1) * options.gap))};
}

TileCell GridCell(int index, int n, int tile_width, int tile_height,
                  const TileOptions& options) {
  const int columns = Columns(n, options);
  TileCell cell;
  cell.width = tile_width * options.scale;
  cell.height = tile_height * options.scale;
  cell.x = options.gap + (index % columns) * (cell.width + options.gap);
  cell.y = options.gap + (index / columns) * (cell.height + options.gap);
  return cell;
}

void TileCanvases(absl::Span<const Canvas> tiles, const TileOptions& options,
                  Canvas* out, absl::Span<const std::string> labels) {
  const int n = static_cast<int>(tiles.size());
  const int tile_width = n > 0 ? tiles[0].width() : 1;
  const int tile_height = n > 0 ? tiles[0].height() : 1;
  const auto [width, height] = TiledSize(n, tile_width, tile_height, options);
  out->Reset(width, height, options.gap_color);
  for (int i = 0; i < n; ++i) {
    const Canvas& tile = tiles[i];
    const TileCell cell = GridCell(i, n, tile_width, tile_height, options);
    const float x = cell.x, y = cell.y;
    const float cell_w = cell.width, cell_h = cell.height;
    // A tile of another size is fitted into the cell, keeping its aspect.
    const float scale = std::min(cell_w / tile.width(), cell_h / tile.height());
    out->DrawCanvas(tile, {x, y}, scale);
    if (options.labels) {
      // Bottom left: envs keep their own titles and scores at the top.
      const std::string label =
          i < static_cast<int>(labels.size()) ? labels[i] : absl::StrCat(i);
      const float text_height =
          std::min(std::max({10.0f, 0.05f * cell_h, options.min_label_height}),
                   0.5f * cell_h);
      const float badge_h = text_height * 1.3f;
      // The font's cells are about 0.6 of their height wide.
      const float badge_w = (0.6f * label.size() + 0.6f) * text_height;
      const float badge_y = y + cell_h - badge_h;
      out->FillRect(x, badge_y, std::min(badge_w, cell_w), badge_h,
                    Color{0, 0, 0, 160});
      out->DrawText({x + 0.3f * text_height, badge_y + 0.15f * text_height},
                    text_height, kWhite, label);
    }
  }
}

}  // namespace rl
