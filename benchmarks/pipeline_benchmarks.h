// The whole hot path and its two references, as Google Benchmark
// benchmarks registered at run time:
//
//   Pipeline/KEY      env step -> draw or scene update -> render (YUV) ->
//                     recorder (encoder thread) -> file
//   SeedMethod/KEY    env step -> draw or scene update -> render (RGB) ->
//                     raw RGB into an `ffmpeg` pipe: for CartPole the seed's
//                     method (gym's Monitor), for MuJoCo envs MuJoCo's own
//                     way (mjr_render + mjr_readPixels, as Gymnasium and
//                     mujoco-record do)
//   EncoderLimit/KEY  `ffmpeg` encoding the same frames, already rendered,
//                     from a file
//   Frames/B/ENV/WxH, MujocoFrames/B/ENV/WxH  (MuJoCo envs) the frames alone,
//                     no encoding, the pipeline's way and MuJoCo's way
//
// KEY is BACKEND/CODEC/WxH for CartPole-v1 (600x400 and 84x84) and
// BACKEND/CODEC/ENV/480x480[/mujoco_look] for HalfCheetah-v5 and
// HumanoidDMC-v0 (frame_source.h: both sides draw the same look, the
// project's defaults or, with /mujoco_look, MuJoCo's own).
// All encode the same frames (random agent, seed 0) with the same encoder
// settings. Each reports counters `fps`, `bytes_per_frame` and
// `cpu_ms_per_frame` (CPU time of every thread and child process, ffmpeg's
// included). CODEC is
// x264_medium, x264_ultrafast or vp9_speed8 (MuJoCo: x264_medium and
// vp9_speed8, the recorders' defaults).
#ifndef BENCHMARKS_PIPELINE_BENCHMARKS_H_
#define BENCHMARKS_PIPELINE_BENCHMARKS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rl/render/render_backend.h"

namespace rl {

// Registers the benchmarks for every render backend that works on this
// machine (backends that cannot start are left out, with a note on
// stderr). Returns one live backend of each kind used: keep them for the
// run (glx's private Xvfb then starts once, not once per video).
// `short_mujoco_videos`: 30 MuJoCo frames per video instead of 300 (100
// for MuJoCo's look), for smoke runs.
std::vector<std::unique_ptr<RenderBackend>> RegisterPipelineBenchmarks(
    bool short_mujoco_videos = false);

// Peak resident memory (KiB) of a child process that runs the whole
// pipeline (llvmpipe, x264 ultrafast, 600x400) for `frames` frames. Call
// before any GL work in this process: a child forked after Mesa started its
// threads can hang.
absl::StatusOr<int64_t> PipelinePeakRssKib(int frames);

// The same for HumanoidDMC-v0 at 480x480 (llvmpipe, x264 medium, the
// project's look), `frames` frames.
absl::StatusOr<int64_t> MujocoPipelinePeakRssKib(int frames);

}  // namespace rl

#endif  // BENCHMARKS_PIPELINE_BENCHMARKS_H_
