// RlCharts: the charts of the project's pages (the run page, the runs
// overview, the live view). No dependencies and no network: pages are
// opened from disk, from a notebook, or from the live server, and CDNs are
// out of reach on the machines this runs on.
//
// A chart is an SVG drawn at its container's width: series of [x, y]
// points (lines, dots, a band between two y values), 1-2-5 ticks with
// thousands separators, axis titles, numbered markers in a lane above the
// plot (videos), a readout of the exact values under the pointer (mouse or
// touch), exponential-moving-average smoothing as TensorBoard does it
// (debiased), and x zoom by dragging (double-click resets). Charts in one
// RlCharts.Group share their x range and smoothing, so every chart of a
// page zooms together and a redraw with new data keeps both.
//
// Example:
//   const group = new RlCharts.Group();
//   const chart = group.add(new RlCharts.Chart(div, {title: "return",
//       yLabel: "episode return", xLabel: "env steps"}));
//   chart.set({series: [{name: "return", points: [[0, 9], [72, 15]],
//                         smooth: true}]});
//
// Styles are SVG presentation attributes, never CSS rules, so a page that
// includes this restyles nothing around it.
(function (global) {
  "use strict";
  if (global.RlCharts) return;  // Two pages of a notebook include it twice.
  const SVG_NS = "http://www.w3.org/2000/svg";
  const COLORS = ["#3366cc", "#dd6622", "#22aa77", "#aa33aa", "#cc3344",
                  "#668800", "#0099aa", "#886644"];

  // A step of 1, 2 or 5 times a power of ten giving about `count`
  // intervals over `span`.
  function niceStep(span, count) {
    if (!(span > 0)) return 1;
    const raw = span / Math.max(1, count);
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const f = raw / magnitude;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
  }

  // Ticks over [lo, hi] at a nice step: {lo, hi (widened to ticks when
  // `widen`), step, values}.
  function ticks(lo, hi, count, widen) {
    if (!(hi > lo)) {
      const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
      lo -= pad;
      hi += pad;
    }
    const step = niceStep(hi - lo, count);
    if (widen) {
      lo = Math.floor(lo / step + 1e-9) * step;
      hi = Math.ceil(hi / step - 1e-9) * step;
    }
    const values = [];
    const first = Math.ceil(lo / step - 1e-9);
    for (let i = first; i * step <= hi + step * 1e-9 && values.length < 50;
         ++i) {
      values.push(Math.abs(i * step) < step * 1e-9 ? 0 : i * step);
    }
    return {lo, hi, step, values};
  }

  // The labels of ticks t (ticks()): as many decimals as the step needs,
  // thousands separators; very small or large values in exponent form with
  // one mantissa length for the axis.
  function tickLabels(t) {
    const big = Math.max(Math.abs(t.lo), Math.abs(t.hi));
    if (t.step < 1e-3 || big >= 1e9) {
      const digits = Math.min(3, Math.max(0, Math.floor(Math.log10(big)) -
                                             Math.floor(Math.log10(t.step) +
                                                        1e-9)));
      return t.values.map(v => v === 0 ? "0" : v.toExponential(digits)
                                                   .replace("e+", "e"));
    }
    const decimals = Math.max(0, -Math.floor(Math.log10(t.step) + 1e-9));
    return t.values.map(v => v.toLocaleString("en-US", {
      minimumFractionDigits: decimals, maximumFractionDigits: decimals}));
  }

  // An exact value for readouts: up to 6 significant digits, thousands
  // separators for large ones.
  function formatValue(value) {
    if (value === null || value === undefined || !Number.isFinite(value)) {
      return "nan";
    }
    if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e12)) {
      return value.toExponential(5).replace(/\.?0+e/, "e").replace("e+", "e");
    }
    if (Number.isInteger(value)) return value.toLocaleString("en-US");
    const digits = Math.max(0, 5 - Math.floor(Math.log10(Math.abs(value))));
    return value.toLocaleString("en-US", {maximumFractionDigits: digits});
  }

  // TensorBoard's smoothing: an exponential moving average debiased for
  // its start; weight 0 returns the points. Non-finite values are skipped.
  function ema(points, weight) {
    if (!(weight > 0)) return points;
    const out = [];
    let last = 0, count = 0;
    for (const p of points) {
      if (!Number.isFinite(p[1])) continue;
      last = last * weight + (1 - weight) * p[1];
      ++count;
      out.push([p[0], last / (1 - Math.pow(weight, count))]);
    }
    return out;
  }

  // At most `max` of the points, chosen among them (so a readout shows a
  // value the data has): every k-th, and the last.
  function thin(points, max) {
    if (points.length <= max) return points;
    const k = Math.ceil(points.length / max);
    const out = [];
    for (let i = 0; i < points.length; i += k) out.push(points[i]);
    if (out[out.length - 1] !== points[points.length - 1]) {
      out.push(points[points.length - 1]);
    }
    return out;
  }

  // The index of the point whose x is nearest `x` (points sorted by x).
  function nearest(points, x) {
    let lo = 0, hi = points.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (points[mid][0] < x) lo = mid; else hi = mid;
    }
    return Math.abs(points[lo][0] - x) <= Math.abs(points[hi][0] - x) ? lo
                                                                      : hi;
  }

  // Text for HTML (element content or a quoted attribute): the pages that
  // include this share it.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;",
        ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }

  function el(name, attributes, parent) {
    const node = document.createElementNS(SVG_NS, name);
    for (const key in attributes) node.setAttribute(key, attributes[key]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function text(parent, x, y, content, attributes) {
    const node = el("text", Object.assign({x, y, "font-size": 11,
        "font-family": "sans-serif", fill: "#555"}, attributes || {}),
        parent);
    node.textContent = content;
    return node;
  }

  // Charts that share an x range (zoom) and a smoothing weight.
  class Group {
    constructor() {
      this.charts = [];
      this.xDomain = null;  // [lo, hi] while zoomed, else null.
      this.smoothing = 0.6;
    }
    add(chart) {
      chart.group = this;
      this.charts.push(chart);
      return chart;
    }
    setXDomain(domain) {
      this.xDomain = domain;
      for (const chart of this.charts) chart.render();
    }
    setSmoothing(weight) {
      this.smoothing = weight;
      for (const chart of this.charts) chart.render();
    }
  }

  class Chart {
    // options: title, yLabel, xLabel, height (px, default 220),
    // onMarker(marker) for clicks on a marker.
    constructor(parent, options) {
      this.options = Object.assign({height: 220, xLabel: "env steps"},
                                   options || {});
      this.group = null;
      this.data = {series: [], markers: []};
      this.root = document.createElement("div");
      this.root.setAttribute("data-rl-chart", this.options.title || "");
      this.root.style.position = "relative";
      this.root.style.margin = "0 0 10px";
      this.titleLine = document.createElement("div");
      this.titleLine.style.font = "bold 13px sans-serif";
      this.titleLine.textContent = this.options.title || "";
      this.readout = document.createElement("div");
      this.readout.setAttribute("data-rl-readout", "");
      this.readout.style.font = "12px sans-serif";
      this.readout.style.color = "#333";
      this.readout.style.minHeight = "16px";
      this.readout.style.whiteSpace = "nowrap";
      this.readout.style.overflow = "hidden";
      this.readout.style.textOverflow = "ellipsis";
      this.svg = el("svg", {width: "100%", height: this.options.height,
                            role: "img",
                            "aria-label": this.options.title || "chart"});
      this.svg.style.display = "block";
      this.svg.style.touchAction = "pan-y";
      this.svg.style.userSelect = "none";
      this.root.append(this.titleLine, this.readout, this.svg);
      parent.appendChild(this.root);
      this.hoverX = null;
      this.drag = null;
      this.listen();
    }

    // data: {series: [{name, points: [[x, y], ...] sorted by x, color,
    //   style: "line" (default), "dots" or "line+dots", smooth (EMA per the
    //   group), band: [[x, lo, hi], ...], dash}], markers: [{x, label,
    //   title, ...}], xMax (the x axis reaches at least this), yLabel}.
    set(data) {
      this.data = data;
      this.render();
    }

    width() {
      return Math.max(240, Math.round(this.root.clientWidth ||
          (this.root.parentNode && this.root.parentNode.clientWidth) || 600));
    }

    // Everything drawn, in pixels of the current width.
    layout() {
      const markers = this.data.markers || [];
      const W = this.width(), H = this.options.height;
      const lane = markers.length ? 16 * this.markerRows(markers, W) + 4 : 6;
      return {W, H, L: 64, R: 14, T: lane, B: 36};
    }

    // Rows needed so numbered markers never overlap (greedy, by x).
    markerRows(markers, W) {
      const rows = [];
      const x = this.xScale(W);
      for (const m of markers.slice().sort((a, b) => a.x - b.x)) {
        const px = x(m.x);
        let row = rows.findIndex(last => px - last >= 18);
        if (row < 0) { rows.push(-Infinity); row = rows.length - 1; }
        rows[row] = px;
        m._row = row;
      }
      return Math.max(1, rows.length);
    }

    // The x extent of the data (zoomed: the group's), as [lo, hi].
    xExtent() {
      if (this.group && this.group.xDomain) return this.group.xDomain;
      let hi = this.data.xMax || 0, lo = 0;
      for (const s of this.data.series) {
        if (s.points.length) hi = Math.max(hi, s.points[s.points.length - 1][0]);
      }
      for (const m of this.data.markers || []) hi = Math.max(hi, m.x);
      return [lo, hi > lo ? hi : lo + 1];
    }

    xScale(W) {
      const [lo, hi] = this.xExtent();
      const t = ticks(lo, hi, Math.max(2, Math.floor(W / 110)),
                      !(this.group && this.group.xDomain));
      this.xTicks = t;
      const L = 64, R = 14;
      return x => L + (W - L - R) * (x - t.lo) / (t.hi - t.lo);
    }

    smoothing() {
      return this.group ? this.group.smoothing : 0;
    }

    // The series as drawn: smoothed where asked, cut to the x range.
    shownSeries() {
      const [lo, hi] = this.xExtent();
      const weight = this.smoothing();
      return this.data.series.map((s, i) => {
        const inRange = p => p[0] >= lo && p[0] <= hi;
        const raw = s.points.filter(inRange);
        const smooth = s.smooth && weight > 0 ? ema(s.points, weight)
                                                    .filter(inRange)
                                              : null;
        return {s, raw, smooth, color: s.color || COLORS[i % COLORS.length],
                band: (s.band || []).filter(inRange)};
      });
    }

    render() {
      const svg = this.svg;
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      const box = this.layout();
      const {W, H, L, R, T, B} = box;
      const x = this.xScale(W);
      const shown = this.shownSeries();
      // The y range over what is shown (raw values, bands).
      let lo = Infinity, hi = -Infinity;
      for (const {raw, smooth, band} of shown) {
        for (const p of raw) {
          if (Number.isFinite(p[1])) { lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]); }
        }
        for (const p of smooth || []) { lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]); }
        for (const b of band) {
          if (Number.isFinite(b[1])) lo = Math.min(lo, b[1]);
          if (Number.isFinite(b[2])) hi = Math.max(hi, b[2]);
        }
      }
      if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
      const yt = ticks(lo, hi, Math.max(2, Math.floor((H - T - B) / 40)), true);
      const y = v => T + (H - T - B) * (yt.hi - v) / (yt.hi - yt.lo);
      this.scales = {x, y, box};
      svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
      svg.setAttribute("height", H);
      // Grid and ticks.
      const yLabels = tickLabels(yt);
      yt.values.forEach((v, i) => {
        el("line", {x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#e4e4e4"},
           svg);
        text(svg, L - 5, y(v) + 4, yLabels[i],
             {"text-anchor": "end", "data-rl-ytick": ""});
      });
      const xt = this.xTicks;
      const xLabels = tickLabels(xt);
      xt.values.forEach((v, i) => {
        if (x(v) < L - 0.5 || x(v) > W - R + 0.5) return;
        el("line", {x1: x(v), x2: x(v), y1: T, y2: H - B, stroke: "#eee"}, svg);
        // The last label ends at the plot's edge rather than past it.
        const anchor = x(v) > W - R - 20 ? "end" : "middle";
        text(svg, x(v), H - B + 14, xLabels[i],
             {"text-anchor": anchor, "data-rl-xtick": ""});
      });
      el("rect", {x: L, y: T, width: W - L - R, height: H - T - B,
                  fill: "none", stroke: "#bbb"}, svg);
      text(svg, (L + W - R) / 2, H - 4, this.options.xLabel,
           {"text-anchor": "middle"});
      const yLabel = this.data.yLabel || this.options.yLabel || "";
      text(svg, 12, (T + H - B) / 2, yLabel,
           {"text-anchor": "middle",
            transform: `rotate(-90 12 ${(T + H - B) / 2})`});
      // Clip what is drawn to the plot (zoomed lines run past it).
      const clipId = "rl-clip-" + Math.random().toString(36).slice(2);
      const clip = el("clipPath", {id: clipId}, el("defs", {}, svg));
      el("rect", {x: L, y: T - 4, width: W - L - R, height: H - T - B + 8},
         clip);
      const plot = el("g", {"clip-path": `url(#${clipId})`}, svg);
      const path = pts => {
        let d = "";
        for (const p of pts) {
          if (!Number.isFinite(p[1])) continue;
          d += (d ? "L" : "M") + x(p[0]).toFixed(1) + "," + y(p[1]).toFixed(1);
        }
        return d;
      };
      for (const {s, raw, smooth, color, band} of shown) {
        if (band.length > 1) {
          const upper = band.map(b => [b[0], b[2]]);
          const lower = band.map(b => [b[0], b[1]]).reverse();
          el("path", {d: path(upper) + path(lower).replace(/^M/, "L") + "Z",
                      fill: color, "fill-opacity": 0.15, stroke: "none",
                      "data-rl-band": s.name}, plot);
        }
        const style = s.style || "line";
        const faded = smooth !== null;
        if (style !== "dots") {
          el("path", {d: path(raw), fill: "none", stroke: color,
                      "stroke-width": faded ? 1 : (s.width || 1.6),
                      "stroke-opacity": faded ? 0.3 : 1,
                      "stroke-dasharray": s.dash || "none",
                      "data-rl-series": s.name, "data-rl-raw": ""}, plot);
        }
        if (style !== "line") {
          const dots = el("g", {fill: color,
                                "fill-opacity": faded ? 0.3 : 0.8,
                                "data-rl-series": s.name,
                                "data-rl-raw": ""}, plot);
          for (const p of thin(raw, 3000)) {
            if (!Number.isFinite(p[1])) continue;
            el("circle", {cx: x(p[0]).toFixed(1), cy: y(p[1]).toFixed(1),
                          r: s.radius || 2}, dots);
          }
        }
        if (smooth) {
          el("path", {d: path(smooth), fill: "none", stroke: color,
                      "stroke-width": 2, "data-rl-series": s.name,
                      "data-rl-smoothed": ""}, plot);
        }
      }
      this.drawMarkers(svg, x, T);
      // The hover line and the zoom selection go on top.
      this.hoverLine = el("line", {y1: T, y2: H - B, stroke: "#999",
                                   "stroke-dasharray": "3,3",
                                   visibility: "hidden"}, svg);
      this.selection = el("rect", {y: T, height: H - T - B, fill: "#3366cc",
                                   "fill-opacity": 0.12,
                                   visibility: "hidden"}, svg);
      if (this.hoverX !== null) this.showReadout(this.hoverX);
      else this.idleReadout();
    }

    drawMarkers(svg, x, T) {
      const markers = this.data.markers || [];
      for (const m of markers) {
        const cx = x(m.x);
        if (cx < 60 || cx > this.scales.box.W - 10) continue;
        const cy = 9 + 16 * (m._row || 0);
        const g = el("g", {cursor: "pointer", "data-rl-marker": m.label,
                           tabindex: 0, role: "button"}, svg);
        el("line", {x1: cx, x2: cx, y1: cy + 7, y2: T, stroke: m.color ||
                    "#22aa77", "stroke-opacity": 0.5}, g);
        el("circle", {cx, cy, r: 7.5, fill: m.color || "#22aa77"}, g);
        text(g, cx, cy + 3.5, String(m.label),
             {"text-anchor": "middle", fill: "#fff", "font-size": 9.5});
        const title = el("title", {}, g);
        title.textContent = m.title || "";
        const open = event => {
          event.stopPropagation();
          if (this.options.onMarker) this.options.onMarker(m);
        };
        g.addEventListener("click", open);
        g.addEventListener("pointerdown", event => event.stopPropagation());
        g.addEventListener("keydown", event => {
          if (event.key === "Enter" || event.key === " ") open(event);
        });
      }
    }

    idleReadout() {
      const series = this.data.series.filter(s => s.points.length);
      if (!series.length) {
        this.readout.textContent = "no data yet";
        return;
      }
      // The latest values, until the pointer asks for others.
      this.readout.textContent = "latest: " + series.map(s => {
        const p = s.points[s.points.length - 1];
        return `${s.name} ${formatValue(p[1])} at step ${formatValue(p[0])}`;
      }).join(" · ");
    }

    // The readout of the points nearest data x `at` in every series.
    showReadout(at) {
      const parts = [];
      let step = null;
      const weight = this.smoothing();
      for (const s of this.data.series) {
        if (!s.points.length) continue;
        const i = nearest(s.points, at);
        const p = s.points[i];
        if (step === null) step = p[0];
        let part = `${s.name} ${formatValue(p[1])}`;
        if (s.smooth && weight > 0) {
          const smoothed = ema(s.points.slice(0, i + 1), weight);
          if (smoothed.length) {
            part += ` (smoothed ${formatValue(smoothed[smoothed.length - 1][1])})`;
          }
        }
        if (p[0] !== step) part += ` at step ${formatValue(p[0])}`;
        if (p.length > 2 && p[2] !== undefined) part += ` ${p[2]}`;
        parts.push(part);
      }
      if (step === null) return;
      this.readout.textContent = `step ${formatValue(step)}: ` + parts.join(" · ");
      const px = this.scales.x(step);
      this.hoverLine.setAttribute("x1", px);
      this.hoverLine.setAttribute("x2", px);
      this.hoverLine.setAttribute("visibility", "visible");
    }

    // Pointer x in data units, or null outside the plot.
    dataX(event) {
      const rect = this.svg.getBoundingClientRect();
      const {W, L, R} = this.scales.box;
      const px = (event.clientX - rect.left) * W / rect.width;
      if (px < L || px > W - R) return null;
      const t = this.xTicks;
      return t.lo + (px - L) / (W - L - R) * (t.hi - t.lo);
    }

    listen() {
      const svg = this.svg;
      svg.addEventListener("pointermove", event => {
        const at = this.dataX(event);
        if (this.drag !== null && at !== null) {
          const a = this.scales.x(Math.min(this.drag, at));
          const b = this.scales.x(Math.max(this.drag, at));
          this.selection.setAttribute("x", a);
          this.selection.setAttribute("width", Math.max(0, b - a));
          this.selection.setAttribute("visibility", "visible");
        }
        this.hoverX = at;
        if (at === null) {
          this.hoverLine.setAttribute("visibility", "hidden");
          this.idleReadout();
        } else {
          this.showReadout(at);
        }
      });
      svg.addEventListener("pointerleave", () => {
        this.hoverX = null;
        this.drag = null;
        this.hoverLine.setAttribute("visibility", "hidden");
        this.selection.setAttribute("visibility", "hidden");
        this.idleReadout();
      });
      svg.addEventListener("pointerdown", event => {
        if (event.pointerType === "mouse" && event.button !== 0) return;
        this.drag = this.dataX(event);
      });
      svg.addEventListener("pointerup", event => {
        const at = this.dataX(event);
        const start = this.drag;
        this.drag = null;
        this.selection.setAttribute("visibility", "hidden");
        if (start === null || at === null) return;
        const a = this.scales.x(start), b = this.scales.x(at);
        if (Math.abs(a - b) < 6) return;  // A click or a tap: a readout only.
        const domain = [Math.min(start, at), Math.max(start, at)];
        if (this.group) this.group.setXDomain(domain);
      });
      svg.addEventListener("dblclick", () => {
        if (this.group) this.group.setXDomain(null);
      });
      let width = 0;
      const resize = () => {
        const w = this.width();
        if (w !== width) { width = w; this.render(); }
      };
      if (global.ResizeObserver) new ResizeObserver(resize).observe(this.root);
      else global.addEventListener("resize", resize);
    }
  }

  global.RlCharts = {Chart, Group, ticks, niceStep, tickLabels, formatValue,
                     escapeHtml,
                     ema, thin, nearest, COLORS};
})(window);
