// The whole hot path and its two references, as Google Benchmark
// benchmarks registered at run time:
//
//   Pipeline/BACKEND/CODEC/WxH      env step -> draw -> render (YUV) ->
//                                   recorder (encoder thread) -> file
//   SeedMethod/BACKEND/CODEC/WxH    env step -> draw -> render (RGB) ->
//                                   raw RGB into an `ffmpeg` pipe
//   EncoderLimit/BACKEND/CODEC/WxH  `ffmpeg` encoding the same frames,
//                                   already rendered, from a file
//
// All three encode the same frames (CartPole-v1, random agent, seed 0) with
// the same encoder settings. Each reports counters `fps` and
// `bytes_per_frame`. CODEC is x264_medium, x264_ultrafast or vp9_speed8.
#ifndef BENCHMARKS_PIPELINE_BENCHMARKS_H_
#define BENCHMARKS_PIPELINE_BENCHMARKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace rl {

// Registers the benchmarks for every render backend that works on this
// machine (backends that cannot start are left out, with a note on
// stderr). Returns the names of the backends used.
std::vector<std::string> RegisterPipelineBenchmarks();

// Peak resident memory (KiB) of a child process that runs the whole
// pipeline (llvmpipe, x264 ultrafast, 600x400) for `frames` frames. Call
// before any GL work in this process: a child forked after Mesa started its
// threads can hang.
absl::StatusOr<int64_t> PipelinePeakRssKib(int frames);

}  // namespace rl

#endif  // BENCHMARKS_PIPELINE_BENCHMARKS_H_
