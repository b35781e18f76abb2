// The renderer's built-in bitmap font: printable ASCII, each glyph 5x7 font
// pixels (lowercase descenders one more) in a 6x10 cell: a blank row above,
// a blank column to the right and a blank row below, so text needs no
// spacing of its own. Drawn by our own hand for this project (no external
// font data), so it is free of licence questions and needs no font package.
//
// The renderer draws TextShapes from an atlas of these glyphs with a
// box-filtered ("sharp bilinear") lookup, so text stays crisp at integer
// scales and smooth at others.
//
// Example:
//   const font::Atlas& atlas = font::GetAtlas();
//   font::Cell cell = font::AtlasCell('A');  // atlas.texels at cell.x, cell.y
#ifndef RL_RENDER_FONT_H_
#define RL_RENDER_FONT_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace rl {
namespace font {

inline constexpr int kCellWidth = 6;    // Font pixels.
inline constexpr int kCellHeight = 10;  // Font pixels.
// Cell width per unit of cell height: text of height h is 0.6 h per char.
inline constexpr float kAdvance = static_cast<float>(kCellWidth) / kCellHeight;

// Whether font pixel (x, y) of `c`'s cell is ink; (0, 0) is the cell's top
// left, and outside the cell nothing is. Bytes outside printable ASCII
// (32..126) draw as '?'.
bool Ink(char c, int x, int y);

// Width of `text` drawn with cell height `height`.
inline float TextWidth(std::string_view text, float height) {
  return static_cast<float>(text.size()) * height * kAdvance;
}

// Every glyph in one 8-bit coverage image (255 = ink), each cell padded by
// one blank texel on every side so filtering never bleeds between glyphs.
struct Atlas {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> texels;  // Row-major, row 0 at the top.
};
const Atlas& GetAtlas();

// Where `c`'s cell (without its padding) starts in the atlas, in texels.
struct Cell {
  int x = 0;
  int y = 0;
};
Cell AtlasCell(char c);

}  // namespace font
}  // namespace rl

#endif  // RL_RENDER_FONT_H_
