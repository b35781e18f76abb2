#include "rl/live/live_page.h"

namespace rl {

const std::string& LivePageHtml() {
  static const std::string* const kPage = new std::string(R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>live view</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 12px; color: #222; }
  h1 { font-size: 18px; margin: 0 0 4px; }
  #state { color: #555; margin-bottom: 8px; }
  #bar { height: 4px; background: #ddd; margin-bottom: 10px; }
  #bar div { height: 4px; background: #2a7; width: 0; }
  .row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
  #live { max-width: min(100%, 720px); background: #eee; min-width: 200px; min-height: 120px; }
  #picture-note { color: #a40; }
  #curve { width: 100%; max-width: 900px; height: auto; border: 1px solid #ddd; }
  #curve .pt { fill: #47c; fill-opacity: .55; }
  #curve .ev { fill: #d62; }
  #curve .evline { fill: none; stroke: #d62; stroke-width: 2; }
  #curve .vid { fill: #2a7; font-size: 11px; }
  #curve text { font-size: 11px; fill: #555; }
  #curve line { stroke: #bbb; }
  #videos { padding-left: 18px; max-height: 300px; overflow: auto; }
  #videos li { margin: 2px 0; }
  #player { max-width: 100%; display: none; }
  .muted { color: #777; }
</style>
</head>
<body>
<h1 id="title">live view</h1>
<div id="state">connecting&hellip;</div>
<div id="bar"><div></div></div>
<div class="row">
  <div>
    <img id="live" src="stream.mjpg" alt="live picture of the env">
    <div id="picture-note"></div>
  </div>
  <div style="flex: 1; min-width: 320px">
    <svg id="curve" viewBox="0 0 900 320" role="img"
         aria-label="learning curve"></svg>
    <div class="muted">blue: training episode returns; orange: evaluation
      means; green numbers: videos. <a href="files/">run directory</a></div>
  </div>
</div>
<h2 style="font-size:16px">Videos</h2>
<video id="player" controls muted playsinline></video>
<ul id="videos"><li class="muted">none yet</li></ul>
<script>
"use strict";
const points = [];      // [step, return] of every training episode.
let evals = [], videos = [], totalSteps = 0, shownVideos = -1, ended = false;
let failures = 0;

function esc(text) {
  return String(text).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;",
      ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}
function fmt(x) {
  if (x === null || x === undefined) return "-";
  return Math.abs(x) >= 100 ? x.toFixed(0) : +x.toPrecision(3) + "";
}

function drawCurve() {
  const W = 900, H = 320, L = 60, R = 20, T = 20, B = 40;
  // Past 2000 episodes, one point per bin (the mean of its returns).
  let shown = points;
  if (points.length > 2000) {
    const per = Math.ceil(points.length / 1000);
    shown = [];
    for (let i = 0; i < points.length; i += per) {
      const bin = points.slice(i, i + per);
      shown.push([bin[bin.length - 1][0],
                  bin.reduce((s, p) => s + p[1], 0) / bin.length]);
    }
  }
  let lo = Infinity, hi = -Infinity, maxStep = Math.max(1, totalSteps);
  for (const p of shown) { lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]);
                           maxStep = Math.max(maxStep, p[0]); }
  for (const e of evals) { lo = Math.min(lo, e[1]); hi = Math.max(hi, e[1]);
                           maxStep = Math.max(maxStep, e[0]); }
  if (!isFinite(lo)) { lo = 0; hi = 1; }
  if (hi - lo < 1e-9) { lo -= 1; hi += 1; }
  const x = s => L + (W - L - R) * s / maxStep;
  const y = v => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
  const out = [];
  out.push(`<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}"/>`,
           `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}"/>`,
           `<text x="${L - 6}" y="${y(hi) + 4}" text-anchor="end">${fmt(hi)}</text>`,
           `<text x="${L - 6}" y="${y(lo) + 4}" text-anchor="end">${fmt(lo)}</text>`,
           `<text x="${W - R}" y="${H - B + 16}" text-anchor="end">${maxStep} steps</text>`,
           `<text x="${L}" y="${H - B + 16}">0</text>`,
           `<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">env steps` +
           ` (${points.length} episodes)</text>`);
  for (const p of shown) {
    if (isFinite(p[1])) {
      out.push(`<circle class="pt" cx="${x(p[0]).toFixed(1)}" ` +
               `cy="${y(p[1]).toFixed(1)}" r="2"><title>step ${p[0]}: ` +
               `return ${fmt(p[1])}</title></circle>`);
    }
  }
  if (evals.length > 0) {
    out.push(`<polyline class="evline" points="${evals.map(e =>
        x(e[0]).toFixed(1) + "," + y(e[1]).toFixed(1)).join(" ")}"/>`);
    for (const e of evals) {
      out.push(`<circle class="ev" cx="${x(e[0]).toFixed(1)}" ` +
               `cy="${y(e[1]).toFixed(1)}" r="4"><title>evaluation at step ` +
               `${e[0]}: mean ${fmt(e[1])} &#177; ${fmt(e[2])}</title></circle>`);
    }
  }
  videos.forEach((v, i) => {
    out.push(`<text class="vid" x="${x(v.step).toFixed(1)}" y="${T - 6}" ` +
             `text-anchor="middle">${i + 1}</text>`);
  });
  document.getElementById("curve").innerHTML = out.join("");
}

function play(href) {
  const player = document.getElementById("player");
  player.style.display = "block";
  player.src = href;
  player.play().catch(() => {});
}

function drawVideos() {
  if (videos.length === shownVideos) return;
  shownVideos = videos.length;
  const list = document.getElementById("videos");
  if (videos.length === 0) return;
  list.innerHTML = videos.map((v, i) => {
    const href = "files/" + v.file.split("/").map(encodeURIComponent).join("/");
    return `<li>${i + 1}. <a class="video" href="${esc(href)}">` +
        `${esc(v.file)}</a> <span class="muted">${esc(v.kind)}, episode ` +
        `${v.episode}, step ${v.step}, ${v.frames} frames, return ` +
        `${fmt(v.return)}, ${esc(v.ended)}</span></li>`;
  }).join("");
  for (const a of list.querySelectorAll("a.video")) {
    a.addEventListener("click", event => { event.preventDefault(); play(a.href); });
  }
}

async function poll() {
  try {
    const reply = await fetch("status.json?since=" + points.length,
                              {cache: "no-store"});
    if (!reply.ok) throw new Error("status " + reply.status);
    const s = await reply.json();
    failures = 0;
    if (s.since === points.length) points.push(...s.points);
    evals = s.evals; videos = s.videos; totalSteps = s.total_steps;
    document.title = s.title + " (" + s.state + ")";
    document.getElementById("title").textContent = s.title;
    document.getElementById("state").textContent =
        `${s.state}: step ${s.step}` +
        (s.total_steps > 0 ? ` of ${s.total_steps}` : "") +
        `, ${s.episodes} episodes, ${s.viewers} watching`;
    document.querySelector("#bar div").style.width =
        Math.min(100, 100 * s.step / Math.max(1, s.total_steps)) + "%";
    document.getElementById("picture-note").textContent =
        s.picture_error ? "no live picture: " + s.picture_error : "";
    drawCurve();
    drawVideos();
    setTimeout(poll, points.length < s.total_points ? 50 : 1000);
  } catch (error) {
    if (++failures >= 3) {
      ended = true;
      document.getElementById("state").textContent +=
          " (the run's live view has closed; its files stay in the run directory)";
      return;
    }
    setTimeout(poll, 1000);
  }
}

document.getElementById("live").addEventListener("error", () => {
  if (ended) return;
  // Too many viewers, or a moment without a server: try again shortly.
  document.getElementById("picture-note").textContent =
      "live picture unavailable; retrying";
  setTimeout(() => {
    document.getElementById("live").src = "stream.mjpg?t=" + Date.now();
  }, 3000);
});
poll();
</script>
</body>
</html>
)HTML");
  return *kPage;
}

}  // namespace rl
