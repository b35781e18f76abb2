// For tests of the project's pages (gallery, run page, live page): whether
// their CSS stays inside the page, so inserting the page's HTML into another
// document (a notebook cell, as IPython.display.HTML does) restyles nothing
// of that document.
#ifndef RL_RECORD_SCOPED_CSS_CHECK_H_
#define RL_RECORD_SCOPED_CSS_CHECK_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace rl {

// Every selector of every rule in `html`'s <style> elements (comments
// dropped, @media and @supports blocks entered), in order.
std::vector<std::string> StyleSelectors(absl::string_view html);

// The selectors of StyleSelectors(html) that do not start with the class
// selector `root` (".rl-gallery"; ".rl-gallery-x" does not count), so
// could match elements outside the page's root element.
std::vector<std::string> UnscopedSelectors(absl::string_view html,
                                           absl::string_view root);

// What in `html` (a whole document) would restyle a document it is inserted
// into, or not be styled itself: no CSS rules at all, rules outside the
// class `root_class` ("rl-gallery"), a <body> that does not open with
// <div class="root_class"> (further attributes allowed) or has content
// after that element (a final
// <script> aside). Empty if none.
std::vector<std::string> ScopingProblems(absl::string_view html,
                                         absl::string_view root_class);

}  // namespace rl

#endif  // RL_RECORD_SCOPED_CSS_CHECK_H_
