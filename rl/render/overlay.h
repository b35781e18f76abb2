// Overlays: text drawn into the frame, over the env's own picture: the env
// id, the episode, the step, the return so far, and a label of the user's,
// on a translucent backing box so it stays legible on any background. They
// are Canvas shapes (the renderer's built-in font), so they cost nothing
// unless used and need no GL of their own.
//
// Example:
//   env->Draw(&canvas);
//   OverlayInfo info{"CartPole-v1", /*episode=*/2, /*step=*/57,
//                    /*episode_return=*/57.0, "seed 3, random agent"};
//   DrawOverlay(info, OverlayOptions(), &canvas);
#ifndef RL_RENDER_OVERLAY_H_
#define RL_RENDER_OVERLAY_H_

#include <string>
#include <vector>

#include "rl/canvas/canvas.h"

namespace rl {

struct OverlayInfo {
  std::string env_id;  // Empty: not shown.
  int episode = -1;    // < 0: not shown.
  int step = -1;       // < 0: not shown.
  double episode_return = 0;
  bool show_return = true;
  std::string label;  // Empty: not shown.
};

struct OverlayOptions {
  // Text height in canvas pixels; 0 picks canvas height / 20 (20 for a
  // 400-pixel canvas: each font pixel two canvas pixels), at least 10.
  float text_height = 0;
  Color text_color = kWhite;
  Color box_color = Color{0, 0, 0, 150};  // Translucent black.
  // A part of the canvas the overlay never covers: an env's own HUD
  // (EnvSpec::hud). The box goes at the top-left corner unless it would
  // overlap it; then just below it, or, if there is no room below, at the
  // bottom-left corner.
  Rect keep_clear;
};

// The lines DrawOverlay writes, e.g. {"CartPole-v1  episode 2",
// "step 57  return 57", "my label"}; empty lines are left out.
std::vector<std::string> OverlayLines(const OverlayInfo& info);

// Draws the overlay lines at the canvas' top-left corner (or off
// options.keep_clear, see there) on a backing box. Draws nothing if there
// are no lines.
void DrawOverlay(const OverlayInfo& info, const OverlayOptions& options,
                 Canvas* canvas);

}  // namespace rl

#endif  // RL_RENDER_OVERLAY_H_
