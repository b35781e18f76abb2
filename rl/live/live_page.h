// The live page (one self-contained HTML document, no external scripts or
// fonts, so it works offline, in a notebook's IFrame and behind Colab's port
// proxy: every URL in it is relative).
//
// It shows the live picture (<img id="live" src="stream.mjpg">), the
// learning curve (in <div id="curve">, drawn by rl/charts/charts.js as the
// run page's: a dot per training episode in the "training return" series,
// up to 3000, a smoothed line, evaluation means, the videos as markers)
// and the recorded videos (#videos, one <a class="video"> each; a click plays
// it in the page). It polls status.json once a second, asking only for the
// curve points it does not have yet. The content is in one
// <div class="rl-live-page"> and every CSS rule is under it.
#ifndef RL_LIVE_LIVE_PAGE_H_
#define RL_LIVE_LIVE_PAGE_H_

#include <string>

namespace rl {

const std::string& LivePageHtml();

}  // namespace rl

#endif  // RL_LIVE_LIVE_PAGE_H_
