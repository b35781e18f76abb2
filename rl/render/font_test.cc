#include "rl/render/font.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace rl {
namespace font {
namespace {

// A glyph as a string of '#' and '.', row after row, for comparisons.
std::string Picture(char c) {
  std::string picture;
  for (int y = 0; y < kCellHeight; ++y) {
    for (int x = 0; x < kCellWidth; ++x) picture += Ink(c, x, y) ? '#' : '.';
    picture += '\n';
  }
  return picture;
}

TEST(FontTest, EveryPrintableCharacterButSpaceHasInk) {
  for (int c = 33; c < 127; ++c) {
    EXPECT_NE(Picture(static_cast<char>(c)).find('#'), std::string::npos)
        << static_cast<char>(c);
  }
  EXPECT_EQ(Picture(' ').find('#'), std::string::npos);
}

TEST(FontTest, GlyphsAreDistinct) {
  std::set<std::string> pictures;
  for (int c = 32; c < 127; ++c) {
    EXPECT_TRUE(pictures.insert(Picture(static_cast<char>(c))).second)
        << "'" << static_cast<char>(c) << "' looks like another glyph";
  }
}

TEST(FontTest, CellsKeepTheirSpacing) {
  for (int c = 32; c < 127; ++c) {
    for (int y = 0; y < kCellHeight; ++y) {
      EXPECT_FALSE(Ink(static_cast<char>(c), kCellWidth - 1, y));
    }
    for (int x = 0; x < kCellWidth; ++x) {
      EXPECT_FALSE(Ink(static_cast<char>(c), x, 0));
      EXPECT_FALSE(Ink(static_cast<char>(c), x, kCellHeight - 1));
    }
  }
  EXPECT_FALSE(Ink('A', -1, 3));
  EXPECT_FALSE(Ink('A', 2, 40));
}

TEST(FontTest, ShapesOfAFewGlyphs) {
  EXPECT_EQ(Picture('T'),
            "......\n"
            "#####.\n"
            "..#...\n"
            "..#...\n"
            "..#...\n"
            "..#...\n"
            "..#...\n"
            "..#...\n"
            "......\n"
            "......\n");
  // A descender below the baseline.
  EXPECT_TRUE(Ink('g', 1, 8));
  EXPECT_FALSE(Ink('a', 1, 8));
}

TEST(FontTest, OtherBytesDrawAsQuestionMarks) {
  EXPECT_EQ(Picture('\x01'), Picture('?'));
  EXPECT_EQ(Picture('\xe9'), Picture('?'));
  EXPECT_EQ(Picture('\x7f'), Picture('?'));
}

TEST(FontTest, AtlasHoldsEveryGlyphWithPadding) {
  const Atlas& atlas = GetAtlas();
  ASSERT_EQ(atlas.texels.size(),
            static_cast<size_t>(atlas.width) * atlas.height);
  for (int c = 32; c < 127; ++c) {
    const Cell cell = AtlasCell(static_cast<char>(c));
    ASSERT_GE(cell.x, 1);
    ASSERT_GE(cell.y, 1);
    ASSERT_LE(cell.x + kCellWidth + 1, atlas.width);
    ASSERT_LE(cell.y + kCellHeight + 1, atlas.height);
    for (int y = -1; y <= kCellHeight; ++y) {
      for (int x = -1; x <= kCellWidth; ++x) {
        const uint8_t texel =
            atlas.texels[static_cast<size_t>(cell.y + y) * atlas.width +
                         cell.x + x];
        EXPECT_EQ(texel, Ink(static_cast<char>(c), x, y) ? 255 : 0);
      }
    }
  }
}

TEST(FontTest, TextWidth) {
  EXPECT_FLOAT_EQ(TextWidth("abc", 20), 36);
  EXPECT_FLOAT_EQ(TextWidth("", 20), 0);
}

}  // namespace
}  // namespace font
}  // namespace rl
