#include "rl/render/overlay.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "rl/canvas/canvas.h"
#include "rl/render/font.h"

namespace rl {

std::vector<std::string> OverlayLines(const OverlayInfo& info) {
  std::vector<std::string> lines;
  std::string first = info.env_id;
  if (info.episode >= 0) {
    absl::StrAppend(&first, first.empty() ? "" : "  ", "episode ",
                    info.episode);
  }
  if (!first.empty()) lines.push_back(first);
  std::string second;
  if (info.step >= 0) absl::StrAppend(&second, "step ", info.step);
  if (info.show_return) {
    absl::StrAppend(&second, second.empty() ? "" : "  ", "return ",
                    absl::StrFormat("%.6g", info.episode_return));
  }
  if (!second.empty()) lines.push_back(second);
  if (!info.label.empty()) lines.push_back(info.label);
  return lines;
}

void DrawOverlay(const OverlayInfo& info, const OverlayOptions& options,
                 Canvas* canvas) {
  const std::vector<std::string> lines = OverlayLines(info);
  if (lines.empty()) return;
  const float height =
      options.text_height > 0
          ? options.text_height
          : std::max(10.0f, static_cast<float>(canvas->height()) / 20);
  // The font's cells carry their own spacing; the box adds a margin.
  const float margin = height * 0.3f;
  size_t longest = 0;
  for (const std::string& line : lines)
    longest = std::max(longest, line.size());
  const float width = font::TextWidth(std::string(longest, 'x'), height);
  const float box_right = std::min<float>(canvas->width(), 2 * margin + width);
  const float box_bottom = std::min<float>(
      canvas->height(), 2 * margin + height * static_cast<float>(lines.size()));
  float top = 0;
  const Rect& hud = options.keep_clear;
  if (Rect{0, 0, box_right, box_bottom}.Overlaps(hud)) {
    // Below the HUD, a pixel apart so antialiasing leaves it untouched;
    // else the bottom.
    const float below = hud.y + hud.height + 1;
    top = below + box_bottom <= canvas->height()
              ? below
              : std::max(0.0f, canvas->height() - box_bottom);
  }
  canvas->FillRect(0, top, box_right, box_bottom, options.box_color);
  for (size_t i = 0; i < lines.size(); ++i) {
    canvas->DrawText({margin, top + margin + height * static_cast<float>(i)},
                     height, options.text_color, lines[i]);
  }
}

}  // namespace rl
