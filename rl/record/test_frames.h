// Helpers for recorder tests and benchmarks: a test pattern with known
// pixels, an RGB -> YUV 4:2:0 conversion written from the BT.709 formulas
// (independent of libswscale), padding, PSNR, and the process's peak RSS.
//
// Example:
//   Frame rgb = MakeTestFrame(601, 401, /*index=*/7);
//   Frame yuv = RgbToYuv420p(rgb);
//   EXPECT_GT(Psnr(PadFrame(rgb, 602, 402), decoded), 35.0);
#ifndef RL_RECORD_TEST_FRAMES_H_
#define RL_RECORD_TEST_FRAMES_H_

#include <cstdint>

#include "rl/core/frame.h"

namespace rl {

// Frame `index` of a test video (RGB): on the left a grid of saturated
// solid colours that shifts every frame, on the right a smooth gradient
// whose blue changes every frame. The grid's blocks are 32 pixels, aligned
// on macroblocks and on the 2x2 chroma samples, so 4:2:0 itself loses
// nothing at their edges.
Frame MakeTestFrame(int width, int height, int index);

// `rgb` in BT.709 limited range planar 4:2:0, as rl/core/frame.h defines
// kYuv420p: chroma of each 2x2 block (clipped at odd edges) averaged.
Frame RgbToYuv420p(const Frame& rgb);

// RGB `frame` grown to `width` x `height` by repeating its last column and
// row.
Frame PadFrame(const Frame& frame, int width, int height);

// PSNR in dB of RGB `actual` against RGB `expected` over `expected`'s size
// (`actual` may be larger); 100 for identical pixels.
double Psnr(const Frame& expected, const Frame& actual);

// The process's peak resident set size (VmHWM) in KiB; -1 if unknown.
int64_t PeakRssKib();

// Resets the peak to the current RSS (writes 5 to /proc/self/clear_refs);
// false if the kernel does not allow it.
bool ResetPeakRss();

}  // namespace rl

#endif  // RL_RECORD_TEST_FRAMES_H_
