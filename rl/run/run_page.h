// The run page (RUN_DIR/index.html): a chart of every metric the run logs
// (episode returns with the evaluations and the videos placed along them,
// losses, policy statistics, schedules, speed: every metrics.csv and
// evals.csv column), drawn in the browser by rl/charts/charts.js with
// smoothing, exact readouts under the pointer and a shared zoom; a player
// for the video a marker is clicked for; the videos in training order; and
// links to the run's files and galleries.
//
// One self-contained file: its scripts and data are inline (no network, no
// other file needed), links are relative, so the run directory can be
// copied or served anywhere, opened from disk, or shown in a notebook (an
// IFrame, or with --embed as a string with every video inlined). While the
// run goes on, the page reloads only its data (RUN_DIR/page_data.js,
// RunPageDataScript()) every few seconds: charts redraw in place, new videos
// are appended, and a video being watched plays on. The content is in one
// <div class="rl-run-page"> and every CSS rule is under it, so the page
// restyles nothing of a page it is inserted into. run_page.html and
// run_page.js hold the document and its logic (embedded at build time);
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
  int episodes = 0;
};

// A training episode's return at its step (the live view's curve).
struct CurvePoint {
  int64_t step = 0;
  double episode_return = 0;
};

// The rows of metrics.csv a page charts: every row while there are few,
// then every k-th (k doubling as the run grows, at most max_rows kept) and
// always the latest. A page stays a few hundred KB for a run of any length,
// and every value it shows is one metrics.csv holds.
class MetricTable {
 public:
  explicit MetricTable(size_t max_rows = 1500) : max_rows_(max_rows) {}
  void SetColumns(std::vector<std::string> columns) {
    columns_ = std::move(columns);
  }
  const std::vector<std::string>& columns() const { return columns_; }
  // A row in column order (NaN for a missing value).
  void Add(std::vector<double> row);
  // The rows kept, then the latest row if it is not among them.
  std::vector<std::vector<double>> Rows() const;
  int64_t total() const { return total_; }
  int64_t stride() const { return stride_; }

 private:
  size_t max_rows_;
  std::vector<std::string> columns_;
  std::vector<std::vector<double>> kept_;  // Rows 0, stride, 2 stride, ...
  std::vector<double> latest_;
  int64_t total_ = 0;
  int64_t stride_ = 1;
};

// What a run page shows.
struct RunPageData {
  std::string title;
  std::string status_line;
  bool running = false;
  const MetricTable* metrics = nullptr;  // Not owned; null: none yet.
  std::vector<EvalPoint> evals;
  std::vector<PageVideo> videos;
  // The run directory's parent holds the runs overview (index.html).
  bool runs_overview = false;
};

// A video's data: URI (VideoDataUri) by its `file`, for --embed.
using EmbeddedVideos = std::map<std::string, std::string>;

// The page. `refresh_s` > 0 (while the run goes on) makes it reload its data
// from page_data.js that often (and, without JavaScript, the whole page). A
// video in `embedded` plays from its data: URI, so the page plays it with no
// file around (loaded as a string into a notebook cell); the others play from
// their files. `key` tells pages of different runs apart in one document
// (the run directory).
std::string RunPageHtml(const RunPageData& data, const std::string& key,
                        double refresh_s, const EmbeddedVideos& embedded = {});

// RUN_DIR/page_data.js: the data of RunPageHtml() (no data: URIs), as a call
// of RlRunPage.update(key, data).
std::string RunPageDataScript(const RunPageData& data, const std::string& key);

// Numbers as the run's files write them: 6 significant digits, "nan" for
// anything not finite.
std::string FormatNumber(double value);

}  // namespace rl

#endif  // RL_RUN_RUN_PAGE_H_
