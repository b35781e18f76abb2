// Renderer: turns a Canvas into a Frame with OpenGL, offscreen.
//
// One code path (OpenGL 3.3 core) for every backend: the backend only
// supplies the current context. The canvas is scaled to the renderer's frame
// size and drawn antialiased into a framebuffer object, then read back as
// packed RGB or as planar YUV 4:2:0 (BT.709, limited range; see frame.h),
// top row first.
//
// Two ways to get frames:
//   Render(canvas, &frame)        draws and reads back before returning.
//   Submit(canvas) ... Retrieve(&frame)
//                                 pipelined: Submit queues the drawing and an
//                                 asynchronous readback into a pixel buffer
//                                 object and returns; Retrieve hands back the
//                                 oldest submitted frame, waiting only if the
//                                 GPU is not done with it. Up to
//                                 frames_in_flight frames may be submitted
//                                 and not yet retrieved, so the caller (say,
//                                 an encoder) works on frame N while the GPU
//                                 draws frame N+1.
//
// Choices, each measured by renderer_benchmark (numbers in its header); the
// kAuto defaults pick the faster for the backend's GL_RENDERER:
//   antialiasing    kAnalytic (default): a one-pixel coverage fringe on every
//                   edge (tessellator.h); kMsaa: multisampling and a resolve
//                   blit, 4x slower on llvmpipe; kNone: hard edges.
//   yuv_conversion  kYuv420p frames: kGpu draws in YUV (the colour matrix is
//                   affine, so blending commutes with it) into a luma and a
//                   chroma target, averages chroma in a shader and reads the
//                   planes straight out, 1.5 bytes per pixel; kCpu reads
//                   RGBA and converts in C++ (yuv.h). kAuto: kCpu on software
//                   rasterizers, where a full-frame shader pass costs more
//                   than the C++ loop, else kGpu.
//   readback        kPixelBuffers (PBO + fence per frame in flight) or
//                   kDirect (glReadPixels into memory during Submit). kAuto:
//                   kDirect on software rasterizers, whose "asynchronous"
//                   PBO readback is a synchronous copy plus overhead, else
//                   kPixelBuffers.
//
// A Renderer owns its backend and its GL objects; it is used from one thread
// at a time. Each call makes its context current and releases it before
// returning (about 10 us on llvmpipe), so a renderer may be created, used and
// destroyed on different threads, and leaves no context current behind.
//
// Shapes with non-finite coordinates, no area, a radius or width <= 0, or
// alpha 0 draw nothing. Text uses the built-in font (font.h).
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto backend, RenderBackends().Create("auto"));
//   RendererOptions options;
//   options.format = PixelFormat::kYuv420p;
//   RL_ASSIGN_OR_RETURN(auto renderer,
//                       Renderer::Create(std::move(backend), options));
//   Frame frame;
//   RL_RETURN_IF_ERROR(renderer->Render(canvas, &frame));
//
//   // Pipelined:
//   RL_RETURN_IF_ERROR(renderer->Submit(canvas));
//   ... draw the next canvas, Submit it ...
//   RL_RETURN_IF_ERROR(renderer->Retrieve(&frame));  // The first canvas.
#ifndef RL_RENDER_RENDERER_H_
#define RL_RENDER_RENDERER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/render/render_backend.h"

namespace rl {

enum class Antialiasing { kNone, kAnalytic, kMsaa };
enum class YuvConversion { kAuto, kGpu, kCpu };
enum class Readback { kAuto, kPixelBuffers, kDirect };
// How a canvas whose aspect ratio differs from the frame's is fitted.
//   kStretch    fills the whole frame, scaled unevenly (a circle becomes an
//               ellipse).
//   kLetterbox  scaled uniformly to the largest size that fits, centred,
//               with bars of `bar_color` on the two sides left over; what
//               lies outside the canvas does not spill into the bars. At
//               the canvas' own aspect ratio it draws what kStretch draws.
enum class Fit { kStretch, kLetterbox };

// Where kLetterbox puts a canvas of `canvas_width` x `canvas_height` in a
// frame of `frame_width` x `frame_height` pixels (all > 0): whole pixels,
// top-left corner first, rows counted from the top; the offsets are even
// (so bars keep whole YUV 4:2:0 chroma samples) unless the canvas fills
// that side.
struct PixelRect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};
PixelRect LetterboxRect(int canvas_width, int canvas_height, int frame_width,
                        int frame_height);

struct RendererOptions {
  int width = 600;  // Frame size in pixels, 1..8192 each.
  int height = 400;
  PixelFormat format = PixelFormat::kRgb24;  // Of the frames produced.
  Antialiasing antialiasing = Antialiasing::kAnalytic;
  // kMsaa only: samples per pixel, clamped to the driver's GL_MAX_SAMPLES
  // (4 on llvmpipe); below 2 means no antialiasing.
  int msaa_samples = 4;
  YuvConversion yuv_conversion = YuvConversion::kAuto;
  Readback readback = Readback::kAuto;
  int frames_in_flight = 2;  // 1..16.
  Fit fit = Fit::kStretch;
  // kLetterbox: the bars' colour. Black, as a video player's: the canvas'
  // edge stays visible (CartPole's edges are where the cart's episode ends,
  // which bars of its white background would hide).
  Color bar_color = kBlack;
};

class Renderer {
 public:
  // Fails with InvalidArgument on a bad size or option, or with the
  // backend's error when no context can be made.
  static absl::StatusOr<std::unique_ptr<Renderer>> Create(
      std::unique_ptr<RenderBackend> backend, const RendererOptions& options);

  virtual ~Renderer() = default;

  // Draws `canvas` (scaled to the frame size) and reads the pixels back into
  // `frame`, which is reset to the size and format (reuse one Frame to avoid
  // allocation). FailedPrecondition while submitted frames wait for
  // Retrieve.
  virtual absl::Status Render(const Canvas& canvas, Frame* frame) = 0;

  // Queues `canvas` for drawing and readback. FailedPrecondition when
  // frames_in_flight frames already wait: Retrieve one first.
  virtual absl::Status Submit(const Canvas& canvas) = 0;
  // Fills `frame` with the oldest submitted canvas, waiting for it if
  // needed. FailedPrecondition if nothing was submitted.
  virtual absl::Status Retrieve(Frame* frame) = 0;
  // Submitted frames not yet retrieved.
  virtual int pending() const = 0;

  // Draws `canvas` and waits until the drawing is done, reading nothing
  // back: for benchmarks that separate drawing from readback.
  virtual absl::Status DrawOnly(const Canvas& canvas) = 0;

  // The options in force, with every kAuto resolved and msaa_samples
  // clamped.
  virtual const RendererOptions& options() const = 0;
  // e.g. "600x400 yuv420p, analytic antialiasing, YUV on the CPU, direct
  // readback", for logs and the gallery.
  virtual std::string Describe() const = 0;

  virtual const RenderBackend& backend() const = 0;
  int width() const { return options().width; }
  int height() const { return options().height; }
};

}  // namespace rl

#endif  // RL_RENDER_RENDERER_H_
