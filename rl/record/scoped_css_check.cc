#include "rl/record/scoped_css_check.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace rl {
namespace {

// `css` without its /* comments */.
std::string WithoutComments(absl::string_view css) {
  std::string out;
  while (!css.empty()) {
    const size_t open = css.find("/*");
    absl::StrAppend(&out, css.substr(0, open));
    if (open == absl::string_view::npos) break;
    const size_t close = css.find("*/", open + 2);
    if (close == absl::string_view::npos) break;
    css.remove_prefix(close + 2);
  }
  return out;
}

// Appends the selectors of the rules in `css` to `selectors`.
void AddSelectors(absl::string_view css, std::vector<std::string>* selectors) {
  while (true) {
    const size_t open = css.find('{');
    if (open == absl::string_view::npos) return;
    const absl::string_view prelude =
        absl::StripAsciiWhitespace(css.substr(0, open));
    // The block's end, nested blocks included.
    size_t close = open + 1;
    for (int depth = 1; close < css.size() && depth > 0; ++close) {
      if (css[close] == '{') ++depth;
      if (css[close] == '}') --depth;
    }
    const absl::string_view block = css.substr(open + 1, close - open - 2);
    if (absl::StartsWith(prelude, "@media") ||
        absl::StartsWith(prelude, "@supports")) {
      AddSelectors(block, selectors);
    } else if (!absl::StartsWith(prelude, "@")) {
      for (absl::string_view selector : absl::StrSplit(prelude, ',')) {
        selectors->emplace_back(absl::StripAsciiWhitespace(selector));
      }
    }
    css.remove_prefix(close);
  }
}

}  // namespace

std::vector<std::string> StyleSelectors(absl::string_view html) {
  std::vector<std::string> selectors;
  for (size_t at = html.find("<style"); at != absl::string_view::npos;
       at = html.find("<style", at + 1)) {
    const size_t start = html.find('>', at);
    const size_t end = html.find("</style>", at);
    if (start == absl::string_view::npos || end == absl::string_view::npos) {
      break;
    }
    AddSelectors(WithoutComments(html.substr(start + 1, end - start - 1)),
                 &selectors);
  }
  return selectors;
}

std::vector<std::string> UnscopedSelectors(absl::string_view html,
                                           absl::string_view root) {
  std::vector<std::string> unscoped;
  for (const std::string& selector : StyleSelectors(html)) {
    const bool scoped =
        absl::StartsWith(selector, root) &&
        (selector.size() == root.size() ||
         !(std::isalnum(static_cast<unsigned char>(selector[root.size()])) ||
           selector[root.size()] == '-' || selector[root.size()] == '_'));
    if (!scoped) unscoped.push_back(selector);
  }
  return unscoped;
}

std::vector<std::string> ScopingProblems(absl::string_view html,
                                         absl::string_view root_class) {
  std::vector<std::string> problems;
  if (StyleSelectors(html).empty()) problems.push_back("no CSS rules");
  for (const std::string& selector :
       UnscopedSelectors(html, absl::StrCat(".", root_class))) {
    problems.push_back(
        absl::StrCat("rule outside .", root_class, ": ", selector));
  }
  const size_t body = html.find("<body>");
  const size_t end = html.rfind("</body>");
  if (body == absl::string_view::npos || end == absl::string_view::npos ||
      end < body) {
    problems.push_back("no <body>...</body>");
    return problems;
  }
  absl::string_view content =
      absl::StripAsciiWhitespace(html.substr(body + 6, end - body - 6));
  // <div class="root"> or <div class="root" data-...>.
  const std::string opening = absl::StrCat("<div class=\"", root_class, "\"");
  if (!absl::StartsWith(content, opening) || content.size() <= opening.size() ||
      (content[opening.size()] != '>' && content[opening.size()] != ' ')) {
    problems.push_back(absl::StrCat("<body> does not open with <div class=\"",
                                    root_class,
                                    "\">: ", content.substr(0, 40)));
  }
  if (absl::EndsWith(content, "</script>")) {
    content = absl::StripTrailingAsciiWhitespace(
        content.substr(0, content.rfind("<script")));
  }
  if (!absl::EndsWith(content, "</div>")) {
    const size_t tail = std::min<size_t>(40, content.size());
    problems.push_back(absl::StrCat("content after the root element: ",
                                    content.substr(content.size() - tail)));
  }
  return problems;
}

}  // namespace rl
