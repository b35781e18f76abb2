#include "rl/run/run_page.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "rl/record/gallery.h"
#include "rl/run/run_page_html.h"

namespace rl {
namespace {

constexpr double kWidth = 900, kHeight = 320, kLeft = 60, kRight = 20,
                 kTop = 20, kBottom = 40;

// Maps steps and returns to the curve's pixels.
class CurveScale {
 public:
  CurveScale(const std::vector<CurvePoint>& curve,
             const std::vector<EvalPoint>& evals, int64_t total_steps)
      : max_step_(std::max<int64_t>(1, total_steps)) {
    for (const CurvePoint& p : curve) Widen(p.step, p.episode_return);
    for (const EvalPoint& p : evals) Widen(p.step, p.mean_return);
    if (hi_ - lo_ < 1e-9) {
      lo_ -= 1;
      hi_ += 1;
    }
  }
  double x(int64_t step) const {
    return kLeft + (kWidth - kLeft - kRight) * step / max_step_;
  }
  double y(double value) const {
    if (!std::isfinite(value)) value = lo_;
    return kTop + (kHeight - kTop - kBottom) * (hi_ - value) / (hi_ - lo_);
  }
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  int64_t max_step() const { return max_step_; }

 private:
  void Widen(int64_t step, double value) {
    max_step_ = std::max(max_step_, step);
    if (!std::isfinite(value)) return;
    if (!any_) lo_ = hi_ = value;
    any_ = true;
    lo_ = std::min(lo_, value);
    hi_ = std::max(hi_, value);
  }

  int64_t max_step_;
  double lo_ = 0, hi_ = 1;
  bool any_ = false;
};

// The frame, the axes and a few ticks.
void AppendAxes(const CurveScale& scale, std::string* svg) {
  absl::StrAppendFormat(
      svg,
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
      "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" class=\"curve\">\n"
      "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n",
      kWidth, kHeight, kWidth, kHeight, kWidth, kHeight);
  absl::StrAppendFormat(
      svg,
      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
      "stroke=\"#333\"/>\n<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
      "y2=\"%.1f\" stroke=\"#333\"/>\n",
      kLeft, kTop, kLeft, kHeight - kBottom, kLeft, kHeight - kBottom,
      kWidth - kRight, kHeight - kBottom);
  for (int i = 0; i <= 4; ++i) {
    const double v = scale.lo() + (scale.hi() - scale.lo()) * i / 4;
    const int64_t s = scale.max_step() * i / 4;
    absl::StrAppendFormat(svg,
                          "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                          "text-anchor=\"end\">%s</text>\n"
                          "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                          "text-anchor=\"middle\">%d</text>\n",
                          kLeft - 4, scale.y(v) + 4, FormatNumber(v),
                          scale.x(s), kHeight - kBottom + 14, s);
  }
  absl::StrAppendFormat(svg,
                        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                        "text-anchor=\"middle\">env steps</text>\n",
                        (kWidth + kLeft) / 2, kHeight - 6);
}

// Training returns, at most ~2000 points.
void AppendTrainingLine(const CurveScale& scale,
                        const std::vector<CurvePoint>& curve,
                        std::string* svg) {
  if (curve.empty()) return;
  const size_t stride = std::max<size_t>(1, curve.size() / 2000);
  std::string points;
  for (size_t i = 0; i < curve.size(); i += stride) {
    absl::StrAppendFormat(&points, "%.1f,%.1f ", scale.x(curve[i].step),
                          scale.y(curve[i].episode_return));
  }
  absl::StrAppend(svg,
                  "<polyline class=\"train\" fill=\"none\" "
                  "stroke=\"#8ab\" stroke-width=\"1\" points=\"",
                  points, "\"/>\n");
}

void AppendEvaluations(const CurveScale& scale,
                       const std::vector<EvalPoint>& evals, std::string* svg) {
  if (evals.empty()) return;
  std::string points;
  for (const EvalPoint& p : evals) {
    absl::StrAppendFormat(&points, "%.1f,%.1f ", scale.x(p.step),
                          scale.y(p.mean_return));
  }
  absl::StrAppend(svg,
                  "<polyline class=\"eval\" fill=\"none\" stroke=\"#d60\" "
                  "stroke-width=\"2\" points=\"",
                  points, "\"/>\n");
  for (const EvalPoint& p : evals) {
    absl::StrAppendFormat(
        svg,
        "<circle class=\"eval\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
        "fill=\"#d60\"><title>eval at step %d: %s</title></circle>\n",
        scale.x(p.step), scale.y(p.mean_return), p.step,
        FormatNumber(p.mean_return));
  }
}

// "training" or, in a data-parallel run, "training on rank 1".
std::string KindLabel(const PageVideo& video, const std::string& kind) {
  if (video.rank < 0) return kind;
  return absl::StrCat(kind, " on rank ", video.rank);
}

// Video markers, numbered in training order.
void AppendVideoMarkers(const CurveScale& scale,
                        const std::vector<PageVideo>& videos,
                        std::string* svg) {
  for (size_t i = 0; i < videos.size(); ++i) {
    const PageVideo& v = videos[i];
    const double vx = scale.x(v.step), vy = scale.y(v.video_return);
    absl::StrAppendFormat(
        svg,
        "<a href=\"#rl-run-video-%d\"><circle class=\"video\" cx=\"%.1f\" "
        "cy=\"%.1f\" "
        "r=\"6\" fill=\"%s\" fill-opacity=\"0.8\"><title>video %d (%s, "
        "step %d, return %s)</title></circle><text x=\"%.1f\" y=\"%.1f\" "
        "font-size=\"9\" text-anchor=\"middle\" fill=\"#fff\">%d</text></a>\n",
        i + 1, vx, vy, v.kind == "eval" ? "#a40" : "#357", i + 1,
        KindLabel(v, v.kind), v.step, FormatNumber(v.video_return), vx, vy + 3,
        i + 1);
  }
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

}  // namespace

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) return "nan";
  return absl::StrFormat("%.6g", value);
}

std::string RunPageHtml(const std::string& title,
                        const std::vector<CurvePoint>& curve,
                        const std::vector<EvalPoint>& evals,
                        const std::vector<PageVideo>& videos,
                        int64_t total_steps, double refresh_s,
                        const std::string& status_line,
                        const EmbeddedVideos& embedded) {
  const CurveScale scale(curve, evals, total_steps);
  std::string svg;
  AppendAxes(scale, &svg);
  AppendTrainingLine(scale, curve, &svg);
  AppendEvaluations(scale, evals, &svg);
  AppendVideoMarkers(scale, videos, &svg);
  svg += "</svg>\n";
  const std::string refresh =
      refresh_s > 0 ? absl::StrFormat(
                          "<noscript data-refresh-s=\"%.0f\"><meta "
                          "http-equiv=\"refresh\" content=\"%.0f\">"
                          "</noscript>\n",
                          refresh_s, refresh_s)
                    : "";
  const bool has_eval_videos =
      std::any_of(videos.begin(), videos.end(),
                  [](const PageVideo& v) { return v.kind == "eval"; });
  const std::string eval_gallery =
      has_eval_videos
          ? ", <a href=\"videos/eval/index.html\">evaluation gallery</a>"
          : "";
  // One pass: a value holding "{{...}}" is never substituted again.
  return absl::StrReplaceAll(kRunPageHtml,
                             {{"{{refresh}}", refresh},
                              {"{{title}}", HtmlEscape(title)},
                              {"{{status}}", HtmlEscape(status_line)},
                              {"{{curve}}", svg},
                              {"{{videos}}", VideoFigures(videos, embedded)},
                              {"{{eval_gallery}}", eval_gallery}});
}

}  // namespace rl
