#include "rl/live/live_page.h"

#include "rl/live/live_page_html.h"

namespace rl {

const std::string& LivePageHtml() {
  static const std::string* const kPage = new std::string(kLivePageHtml);
  return *kPage;
}

}  // namespace rl
