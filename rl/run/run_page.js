// The run page's charts and players (RUN_DIR/index.html; RlCharts draws).
// RlRunPage.start(root, data) draws a page's data; while the run goes on
// and the page is a document of its own (a browser tab, an IFrame), it
// reloads page_data.js beside it every few seconds, which calls
// RlRunPage.update(key, data): the charts redraw in place (zoom, smoothing
// and scroll kept) and new videos are appended, so a video being watched
// plays on. Inserted into a notebook cell as a string, the page never
// polls (the notebook is not the run directory).
(function (global) {
  "use strict";
  if (global.RlRunPage) return;

  // Which chart group a metric goes in, by name; the rest in "other".
  const GROUPS = [
    ["returns", "Returns", /^(return|eval_mean_return|eval_std_return)$/],
    ["episodes", "Episodes", /^(length)$/],
    ["losses", "Losses", /loss/],
    ["policy", "Policy and value statistics",
     /^(approx_kl|clip_fraction|entropy|explained_variance|q_mean|value_mean|grad_norm|log_std|std)/],
    ["schedule", "Schedules", /^(learning_rate|epsilon|clip_range|updates)/],
    ["speed", "Speed", /^(steps_per_s)$/],
    ["other", "Other statistics", /.*/],
  ];
  // Units and readable names for the y axes.
  const LABELS = {
    return: "episode return", length: "episode length (steps)",
    steps_per_s: "env steps / s (whole run)",
    learning_rate: "learning rate", approx_kl: "approx. KL",
    clip_fraction: "fraction clipped", explained_variance: "explained variance",
  };

  const pages = {};  // key -> [page, ...]

  const esc = RlCharts.escapeHtml;

  function column(data, name) {
    const m = data.metrics;
    const i = m.columns.indexOf(name);
    const s = m.columns.indexOf("step");
    const e = m.columns.indexOf("episode");
    if (i < 0 || s < 0) return [];
    // [step, value, "(episode N)"] for the readout.
    return m.rows.map(r => [r[s], r[i] === null ? NaN : r[i],
                            e >= 0 ? `(episode ${r[e]})` : undefined]);
  }

  // A number as C's "%.6g" writes it (run_page.cc's FormatNumber), so a
  // caption drawn here reads as the page's own.
  function g6(v) {
    if (v === null || !Number.isFinite(v)) return "nan";
    const text = v.toPrecision(6);
    const e = text.indexOf("e");
    const trim = m => m.includes(".") ? m.replace(/\.?0+$/, "") : m;
    if (e < 0) return trim(text);
    const exponent = Number(text.slice(e + 1));
    return trim(text.slice(0, e)) + "e" + (exponent < 0 ? "-" : "+") +
        String(Math.abs(exponent)).padStart(2, "0");
  }

  function caption(v) {
    const kind = v.kind === "eval" ? "evaluation"
        : v.rank >= 0 ? `training on rank ${v.rank}` : "training";
    // As the page's own captions (run_page.cc): plain step numbers.
    return `${v.n}. ${kind} at step ${v.step}, episode ${v.episode}, ` +
        `return ${g6(v.return)}`;
  }

  class Page {
    constructor(root, data) {
      this.root = root;
      this.group = new RlCharts.Group();
      this.charts = {};
      this.videoCount = 0;
      this.chartsBox = root.querySelector(".rl-charts");
      this.player = root.querySelector(".rl-player");
      this.figures = root.querySelector(".rl-videos");
      const slider = root.querySelector(".rl-smoothing input");
      const shown = root.querySelector(".rl-smoothing output");
      slider.addEventListener("input", () => {
        shown.textContent = Number(slider.value).toFixed(2);
        this.group.setSmoothing(Number(slider.value));
      });
      this.group.smoothing = Number(slider.value);
      shown.textContent = Number(slider.value).toFixed(2);
      root.querySelector(".rl-reset-zoom").addEventListener(
          "click", () => this.group.setXDomain(null));
      // The player floats over the page's corner (the charts stay where the
      // reader is); closing it stops the video.
      this.player.querySelector(".rl-close").addEventListener("click", () => {
        this.player.querySelector("video").pause();
        this.player.hidden = true;
      });
      this.update(data);
    }

    chart(key, title, yLabel, height, onMarker) {
      if (this.charts[key]) return this.charts[key];
      const [groupKey, groupTitle] =
          GROUPS.find(g => g[2].test(key)) || GROUPS[GROUPS.length - 1];
      let section = this.chartsBox.querySelector(`[data-group="${groupKey}"]`);
      if (!section) {
        section = document.createElement("section");
        section.setAttribute("data-group", groupKey);
        section.innerHTML = `<h2>${esc(groupTitle)}</h2><div class="rl-grid"></div>`;
        // Groups in GROUPS' order, whatever order their metrics came.
        const order = GROUPS.findIndex(g => g[0] === groupKey);
        const after = Array.from(this.chartsBox.children).find(other =>
            GROUPS.findIndex(g => g[0] === other.getAttribute("data-group")) >
            order);
        this.chartsBox.insertBefore(section, after || null);
      }
      const box = document.createElement("div");
      box.className = key === "return" ? "rl-wide" : "rl-cell";
      section.querySelector(".rl-grid").appendChild(box);
      this.charts[key] = this.group.add(new RlCharts.Chart(box, {
          title, yLabel, height, onMarker}));
      return this.charts[key];
    }

    update(data) {
      // The data carries no data: URIs (--embed puts them in the players
      // alone): a video plays from its player's source.
      for (const v of data.videos) {
        const player = this.root.querySelector(`#rl-run-video-${v.n} video`);
        if (player) v.src = player.getAttribute("src");
      }
      this.data = data;
      const status = this.root.querySelector(".rl-status");
      if (status) status.textContent = data.status;
      const returns = column(data, "return");
      // A NaN evaluation comes as null: NaN here, so it is left out, not
      // drawn at 0 (null - null is 0 in JavaScript).
      const ev = data.evals.map(e => e.map(x => x === null ? NaN : x));
      const evals = ev.map(e => [e[0], e[1], `(± ${RlCharts.formatValue(e[2])} over ${e[3]} episodes)`]);
      const markers = data.videos.map(v => ({
        x: v.step, label: v.n, title: caption(v), video: v,
        color: v.kind === "eval" ? "#dd6622" : "#22aa77"}));
      const xMax = 0;  // The axis spans the data (not the budget).
      this.chart("return", "Episode return", "episode return", 300,
                 m => this.play(m.video)).set({
        xMax, markers,
        series: [
          {name: "training return", points: returns, style: "dots",
           smooth: true, color: "#3366cc", radius: 1.8},
          {name: "evaluation mean", points: evals, style: "line+dots",
           color: "#dd6622", width: 2, radius: 3.5,
           band: ev.map(e => [e[0], e[1] - e[2], e[1] + e[2]])},
        ]});
      for (const name of data.metrics.columns) {
        if (["step", "episode", "return"].includes(name)) continue;
        this.chart(name, name, LABELS[name] || name, 180).set({
          xMax, series: [{name, points: column(data, name), smooth: true}]});
      }
      if (data.evals.length) {
        this.chart("eval_std_return", "evaluation return std", "std of greedy returns", 180).set({
          xMax, series: [{name: "evaluation std", color: "#dd6622",
                          points: ev.map(e => [e[0], e[2]])}]});
      }
      const note = this.root.querySelector(".rl-thinned");
      if (note) {
        note.textContent = data.metrics.total > data.metrics.rows.length
            ? `Charts show ${data.metrics.rows.length.toLocaleString("en-US")} of ` +
              `${data.metrics.total.toLocaleString("en-US")} episodes (every ` +
              `${data.metrics.stride}th and the latest; metrics.csv has all).`
            : "";
      }
      this.addVideos(data.videos);
    }

    // Appends the players of videos new since the last update; the old
    // ones are left alone, so one being watched plays on.
    addVideos(videos) {
      for (; this.videoCount < videos.length; ++this.videoCount) {
        const v = videos[this.videoCount];
        if (this.root.querySelector(`#rl-run-video-${v.n}`)) continue;
        const figure = document.createElement("figure");
        figure.id = `rl-run-video-${v.n}`;
        figure.innerHTML = `<video controls preload="metadata"></video>` +
            `<figcaption>${esc(caption(v))} (<a>file</a>)</figcaption>`;
        figure.querySelector("video").src = v.src || v.file;
        figure.querySelector("a").href = v.file;
        this.figures.appendChild(figure);
      }
    }

    // Plays video `v` large in the page's floating player.
    play(v) {
      const video = this.player.querySelector("video");
      this.player.hidden = false;
      this.player.querySelector("figcaption").textContent = caption(v);
      const src = v.src || v.file;
      if (video.getAttribute("src") !== src) video.setAttribute("src", src);
      video.currentTime = 0;
      const playing = video.play();
      if (playing && playing.catch) playing.catch(() => {});
    }
  }

  function start(root, data, options) {
    const page = new Page(root, data);
    const key = root.getAttribute("data-rl-run");
    (pages[key] = pages[key] || []).push(page);
    // A document of its own: the page's root directly in <body>.
    if (!data.running || root.parentNode !== document.body ||
        !options || !(options.refreshSeconds > 0)) {
      return page;
    }
    const poll = () => {
      if (!page.data.running) return;
      const script = document.createElement("script");
      script.src = "page_data.js?t=" + Date.now();
      const done = () => {
        script.remove();
        setTimeout(poll, 1000 * options.refreshSeconds);
      };
      script.onload = done;
      script.onerror = done;
      document.head.appendChild(script);
    };
    setTimeout(poll, 1000 * options.refreshSeconds);
    return page;
  }

  function update(key, data) {
    for (const page of pages[key] || []) page.update(data);
  }

  global.RlRunPage = {start, update};
})(window);
