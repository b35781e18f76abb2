// RGB to YUV 4:2:0 (BT.709, limited range) as Frame documents it: the CPU
// conversion the Renderer uses when that is faster than converting on the
// GPU (software rasterizers), and the coefficients both share.
//
// Scene renderers read RGBA back from GL and convert with these; a buffer
// whose rows are bottom first (glReadPixels of a picture drawn the GL way up,
// as MuJoCo's) is converted with a negative row stride, no copy.
//
// Example:
//   frame.Reset(width, height, PixelFormat::kYuv420p);
//   RgbaToYuv420p(rgba.data(), width, height, &frame);
//   // Rows bottom first: start at the top row, step backwards.
//   RgbaToYuv420p(rgba.data() + (height - 1) * 4 * width, -4 * width, width,
//                 height, &frame);
#ifndef RL_RENDER_YUV_H_
#define RL_RENDER_YUV_H_

#include <cstddef>
#include <cstdint>

#include "rl/core/frame.h"

namespace rl {

// Y, U and V of an RGB colour in 0..1 (Y = c[0][0] r + c[0][1] g + c[0][2] b
// + c[0][3], and so on): BT.709 with limited range, Y 16..235, U/V 16..240
// (scaled by 1/255).
extern const double kRgbToYuv709[3][4];

// Converts `width` x `height` RGBA pixels (tightly packed rows, top first;
// alpha ignored) into `frame`, which must already be Reset to that size and
// kYuv420p. Chroma is the average of each 2x2 block; at an odd edge the
// last column or row counts twice (as if repeated), as the encoder's padding
// does.
void RgbaToYuv420p(const uint8_t* rgba, int width, int height, Frame* frame);

// The same for rows `row_stride` bytes apart (>= 4 * width, or <= -4 *
// width for rows stored bottom first); `top_row` is the picture's top row.
void RgbaToYuv420p(const uint8_t* top_row, ptrdiff_t row_stride, int width,
                   int height, Frame* frame);

// Packs RGBA pixels into `frame` (already Reset to the size, kRgb24).
void RgbaToRgb(const uint8_t* rgba, int width, int height, Frame* frame);

// The same for rows `row_stride` bytes apart, as RgbaToYuv420p above.
void RgbaToRgb(const uint8_t* top_row, ptrdiff_t row_stride, int width,
               int height, Frame* frame);

}  // namespace rl

#endif  // RL_RENDER_YUV_H_
