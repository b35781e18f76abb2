#include "rl/run/run_page.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "nlohmann/json.hpp"
#include "rl/charts/charts_js.h"
#include "rl/record/gallery.h"
#include "rl/run/run_files.h"
#include "rl/run/run_page_html.h"
#include "rl/run/run_page_js.h"

namespace rl {
namespace {

// "training" or, in a data-parallel run, "training on rank 1".
std::string KindLabel(const PageVideo& video, const std::string& kind) {
  if (video.rank < 0) return kind;
  return absl::StrCat(kind, " on rank ", video.rank);
}

// The players, each with the id the curve's markers link to.
std::string VideoFigures(const std::vector<PageVideo>& videos,
                         const EmbeddedVideos& embedded) {
  std::string html;
  for (size_t i = 0; i < videos.size(); ++i) {
    const PageVideo& v = videos[i];
    const auto data_uri = embedded.find(v.file);
    absl::StrAppendFormat(
        &html,
        "<figure id=\"rl-run-video-%d\"><video controls preload=\"metadata\" "
        "src=\"%s\"></video><figcaption>%d. %s at step %d, episode %d, "
        "return %s (<a href=\"%s\">file</a>)</figcaption></figure>\n",
        i + 1,
        data_uri == embedded.end() ? HtmlEscape(v.file) : data_uri->second,
        i + 1, KindLabel(v, v.kind == "eval" ? "evaluation" : "training"),
        v.step, v.episode, FormatNumber(v.video_return), HtmlEscape(v.file));
  }
  return html;
}

// A JSON string for inside the page's <script> (ScriptSafeJson).
std::string JsonString(const std::string& text) {
  return ScriptSafeJson(nlohmann::json(text));
}

// A number as the run's CSV files write it (whole numbers exactly, the rest
// to 6 significant digits), or null.
std::string JsonNumber(double value) {
  if (!std::isfinite(value)) return "null";
  if (value == std::floor(value) && std::fabs(value) < 9007199254740992.0) {
    return absl::StrFormat("%.0f", value);
  }
  return FormatNumber(value);
}

std::string DataJson(const RunPageData& data) {
  std::string json = absl::StrCat(
      "{\"title\":", JsonString(data.title),
      ",\"status\":", JsonString(data.status_line),
      ",\"running\":", data.running ? "true" : "false", ",\"metrics\":{");
  std::vector<std::string> columns;
  if (data.metrics != nullptr) columns = data.metrics->columns();
  absl::StrAppend(&json, "\"columns\":[");
  for (size_t i = 0; i < columns.size(); ++i) {
    absl::StrAppend(&json, i ? "," : "", JsonString(columns[i]));
  }
  absl::StrAppend(&json, "],\"rows\":[");
  if (data.metrics != nullptr) {
    bool first_row = true;
    for (const std::vector<double>& row : data.metrics->Rows()) {
      absl::StrAppend(&json, first_row ? "[" : ",[");
      first_row = false;
      for (size_t i = 0; i < row.size(); ++i) {
        absl::StrAppend(&json, i ? "," : "", JsonNumber(row[i]));
      }
      json += "]";
    }
  }
  absl::StrAppend(&json,
                  "],\"total\":", data.metrics ? data.metrics->total() : 0,
                  ",\"stride\":", data.metrics ? data.metrics->stride() : 1,
                  "},\"evals\":[");
  for (size_t i = 0; i < data.evals.size(); ++i) {
    const EvalPoint& e = data.evals[i];
    absl::StrAppend(&json, i ? "," : "", "[", e.step, ",",
                    JsonNumber(e.mean_return), ",", JsonNumber(e.std_return),
                    ",", e.episodes, "]");
  }
  absl::StrAppend(&json, "],\"videos\":[");
  for (size_t i = 0; i < data.videos.size(); ++i) {
    const PageVideo& v = data.videos[i];
    absl::StrAppend(
        &json, i ? "," : "", "{\"n\":", i + 1, ",\"kind\":", JsonString(v.kind),
        ",\"step\":", v.step, ",\"episode\":", v.episode,
        ",\"return\":", JsonNumber(v.video_return),
        ",\"file\":", JsonString(v.file), ",\"rank\":", v.rank, "}");
  }
  json += "]}";
  return json;
}

}  // namespace

void MetricTable::Add(std::vector<double> row) {
  const int64_t index = total_++;
  if (index % stride_ == 0) {
    kept_.push_back(row);
    if (kept_.size() > max_rows_) {
      // Keep rows 0, 2 stride, 4 stride, ...: every other one.
      size_t out = 0;
      for (size_t i = 0; i < kept_.size(); i += 2) kept_[out++] = kept_[i];
      kept_.resize(out);
      stride_ *= 2;
    }
  }
  latest_ = std::move(row);
}

std::vector<std::vector<double>> MetricTable::Rows() const {
  std::vector<std::vector<double>> rows = kept_;
  if (total_ > 0 && (total_ - 1) % stride_ != 0) rows.push_back(latest_);
  return rows;
}

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) return "nan";
  return absl::StrFormat("%.6g", value);
}

std::string RunPageHtml(const RunPageData& data, const std::string& key,
                        double refresh_s, const EmbeddedVideos& embedded) {
  const std::string refresh =
      refresh_s > 0 ? absl::StrFormat(
                          "<noscript><meta http-equiv=\"refresh\" "
                          "content=\"%.0f\"></noscript>\n",
                          refresh_s)
                    : "";
  const bool has_eval_videos =
      std::any_of(data.videos.begin(), data.videos.end(),
                  [](const PageVideo& v) { return v.kind == "eval"; });
  const std::string eval_gallery =
      has_eval_videos
          ? ", <a href=\"videos/eval/index.html\">evaluation gallery</a>"
          : "";
  const std::string runs_link =
      data.runs_overview ? ", <a href=\"../index.html\">all runs</a>" : "";
  // One pass: a value holding "{{...}}" is never substituted again.
  return absl::StrReplaceAll(
      kRunPageHtml, {{"{{refresh}}", refresh},
                     {"{{title}}", HtmlEscape(data.title)},
                     {"{{status}}", HtmlEscape(data.status_line)},
                     {"{{key}}", HtmlEscape(key)},
                     {"{{key_json}}", JsonString(key)},
                     {"{{videos}}", VideoFigures(data.videos, embedded)},
                     {"{{eval_gallery}}", eval_gallery},
                     {"{{runs_link}}", runs_link},
                     {"{{charts_js}}", kChartsJs},
                     {"{{run_page_js}}", kRunPageJs},
                     {"{{data}}", DataJson(data)},
                     {"{{refresh_s}}", absl::StrFormat("%g", refresh_s)}});
}

std::string RunPageDataScript(const RunPageData& data, const std::string& key) {
  return absl::StrCat("RlRunPage.update(", JsonString(key), ", ",
                      DataJson(data), ");\n");
}

}  // namespace rl
