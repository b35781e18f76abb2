#include "rl/live/live_page.h"

#include "absl/strings/str_replace.h"
#include "rl/charts/charts_js.h"
#include "rl/live/live_page_html.h"

namespace rl {

const std::string& LivePageHtml() {
  // The charts are the run page's, inline: the page needs no other file.
  static const std::string* const kPage = new std::string(
      absl::StrReplaceAll(kLivePageHtml, {{"{{charts_js}}", kChartsJs}}));
  return *kPage;
}

}  // namespace rl
