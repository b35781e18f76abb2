// The run page (RUN_DIR/index.html): an SVG learning curve (training
// returns, evaluation means) with numbered markers linking the videos, then
// the videos in training order, and links to the run's files and video
// galleries. One self-contained file with relative links, so the run
// directory can be copied or served anywhere; with --embed the videos are
// inlined too. The content is in one <div class="rl-run-page"> and every
// CSS rule is under it, so the page can be inserted into another (a
// notebook cell) and restyle nothing there. The
// document's HTML and CSS are in run_page.html (embedded at build time);
// this fills in the run's data.
#ifndef RL_RUN_RUN_PAGE_H_
#define RL_RUN_RUN_PAGE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rl {

struct PageVideo {
  std::string kind;  // "train" or "eval".
  int64_t step = 0;  // Training step it belongs at on the curve.
  std::string file;  // Relative to the run directory.
  double video_return = 0;
  int64_t episode = 0;
  // Data-parallel training: the rank whose env it shows; -1: one process.
  int rank = -1;
};

struct EvalPoint {
  int64_t step = 0;
  double mean_return = 0;
  double std_return = 0;
};

struct CurvePoint {
  int64_t step = 0;
  double episode_return = 0;
};

// A video's data: URI (VideoDataUri) by its `file`, for --embed.
using EmbeddedVideos = std::map<std::string, std::string>;

// The page. `refresh_s` > 0 makes it reload itself (while the run goes on;
// not when inserted into another page, which a meta refresh would reload);
// `total_steps` is the run's budget (the x axis spans at least that). A
// video in `embedded` plays from its data: URI, so the page plays it with
// no file around (loaded as a string into a notebook cell); the others
// play from their files.
std::string RunPageHtml(const std::string& title,
                        const std::vector<CurvePoint>& curve,
                        const std::vector<EvalPoint>& evals,
                        const std::vector<PageVideo>& videos,
                        int64_t total_steps, double refresh_s,
                        const std::string& status_line,
                        const EmbeddedVideos& embedded = {});

// Numbers as the run's files write them: 6 significant digits, "nan" for
// anything not finite.
std::string FormatNumber(double value);

}  // namespace rl

#endif  // RL_RUN_RUN_PAGE_H_
