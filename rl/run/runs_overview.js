// The runs overview's table and chart (PARENT/index.html; RlCharts draws).
// RlRunsOverview.start(root, data) lists data.entries (runs_overview.h,
// OverviewData) and overlays the curves of the ticked runs and seed groups
// in one chart: evaluation means (solid, dots) and training returns
// smoothed with the page's EMA weight (dashed). A seed group is drawn as
// its seeds' mean with a min-max band: evaluations at the steps every seed
// evaluated at, training returns (each seed smoothed first) interpolated on
// a common grid over the steps every seed reached.
//
// While a run goes on, the page (a document of its own) reloads every 30 s
// to show what the runs wrote since (the file is rewritten at their
// evaluations); the ticked runs, smoothing and zoom are kept across
// reloads (sessionStorage).
//
// DOM for tests: a run's row is tr[data-rl-run="DIR"], a group's
// tr[data-rl-group="NAME"]; their checkboxes input[data-rl-select="DIR"]
// or [data-rl-select="NAME"]; series are named DIR or NAME (evaluations)
// and "DIR training return" (training).
(function(global) {
'use strict';
if (global.RlRunsOverview) return;

const COLORS = RlCharts.COLORS;
const GRID = 150;  // Points of a group's mean training curve.
const RELOAD_S = 30;

const esc = RlCharts.escapeHtml;

function fmt(value) {
  return value === null || value === undefined ? '' :
                                                 RlCharts.formatValue(value);
}

// "3 min ago" for an ISO time, "" if unreadable.
function ago(iso) {
  const t = Date.parse(iso);
  if (!isFinite(t)) return '';
  const s = Math.max(0, (Date.now() - t) / 1000);
  if (s < 90) return `${Math.round(s)} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

// y of the polyline `points` at x (linear between neighbours).
function interpolate(points, x) {
  let lo = 0, hi = points.length - 1;
  if (x <= points[0][0]) return points[0][1];
  if (x >= points[hi][0]) return points[hi][1];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid][0] <= x)
      lo = mid;
    else
      hi = mid;
  }
  const [x0, y0] = points[lo], [x1, y1] = points[hi];
  return x1 > x0 ? y0 + (y1 - y0) * (x - x0) / (x1 - x0) : y1;
}

// {points: [[x, mean]], band: [[x, min, max]]} of `curves` at xs.
function meanBand(xs, valuesAt) {
  const points = [], band = [];
  for (const x of xs) {
    const values = valuesAt(x).filter(v => v !== null && isFinite(v));
    if (!values.length) continue;
    points.push([x, values.reduce((a, b) => a + b, 0) / values.length]);
    band.push([x, Math.min(...values), Math.max(...values)]);
  }
  return {points, band};
}

function value(run, key) {
  const [section, name] =
      [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
  const table = section === 'hparams' ? run.hparams : run.kwargs;
  return table && name in table ? table[name] : undefined;
}

class Overview {
  constructor(root, data) {
    this.root = root;
    this.data = data;
    this.runs = data.entries.filter(e => e.run);
    this.byName = {};
    for (const run of this.runs) this.byName[run.name] = run;
    this.groupOf = {};
    for (const g of data.groups) {
      for (const name of g.runs) this.groupOf[name] = g;
    }
    // Every selectable item (a color each while ticked).
    this.items = [];
    for (const g of data.groups) {
      this.items.push(
          {name: g.name, group: g, runs: g.runs.map(n => this.byName[n])});
    }
    for (const run of this.runs) this.items.push({name: run.name, run});
    // At first: every group's mean and the runs in no group (at most 8).
    this.selected = new Set(data.groups.map(g => g.name));
    for (const run of this.runs) {
      if (!this.groupOf[run.name] && this.selected.size < 8) {
        this.selected.add(run.name);
      }
    }
    // What the reader chose before a reload.
    this.storageKey = 'rl-runs-overview:' + location.pathname;
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(this.storageKey) || 'null');
    } catch (e) {
    }
    if (saved && Array.isArray(saved.selected)) {
      this.selected = new Set(saved.selected.filter(n => this.item(n)));
    }
    this.group = new RlCharts.Group();
    const setXDomain = this.group.setXDomain.bind(this.group);
    this.group.setXDomain = domain => {
      setXDomain(domain);
      this.save();
    };
    if (saved && Array.isArray(saved.xDomain))
      this.group.xDomain = saved.xDomain;
    this.chart =
        this.group.add(new RlCharts.Chart(root.querySelector('.rl-chart'), {
          title: 'Returns of the ticked runs',
          yLabel: 'episode return',
          height: 320
        }));
    const slider = root.querySelector('.rl-smoothing input');
    const shown = root.querySelector('.rl-smoothing output');
    this.slider = slider;
    if (saved && isFinite(saved.smoothing)) slider.value = saved.smoothing;
    this.group.smoothing = Number(slider.value);
    shown.textContent = Number(slider.value).toFixed(2);
    slider.addEventListener('input', () => {
      shown.textContent = Number(slider.value).toFixed(2);
      this.group.smoothing = Number(slider.value);
      this.draw();
    });
    this.showEvals = root.querySelector('.rl-show-evals');
    this.showTraining = root.querySelector('.rl-show-training');
    if (saved) {
      this.showEvals.checked = saved.evals !== false;
      this.showTraining.checked = saved.training !== false;
    }
    this.showEvals.addEventListener('change', () => this.draw());
    this.showTraining.addEventListener('change', () => this.draw());
    root.querySelector('.rl-reset-zoom')
        .addEventListener('click', () => this.group.setXDomain(null));
    this.table();
    this.others();
    this.draw();
    // A document of its own (not a notebook cell) with a run going on.
    if (root.parentNode === document.body &&
        this.runs.some(r => r.state === 'running')) {
      const note = root.querySelector('.rl-note');
      if (note) {
        note.textContent +=
            ` This page reloads every ${RELOAD_S} s while a run goes on.`;
      }
      setTimeout(() => location.reload(), 1000 * RELOAD_S);
    }
  }

  save() {
    try {
      sessionStorage.setItem(this.storageKey, JSON.stringify({
        selected: [...this.selected],
        smoothing: Number(this.slider.value),
        xDomain: this.group.xDomain,
        evals: this.showEvals.checked,
        training: this.showTraining.checked
      }));
    } catch (e) {
    }  // No storage (a sandboxed frame): nothing kept.
  }

  // The table: a group's row above its seeds' rows, then the other runs,
  // then folders that look like runs but are not.
  table() {
    const differing = this.data.differing;
    // An env or agent every run shares is said once, above the table.
    const envOf = r => r.env + (r.env_kwargs ? ` (${r.env_kwargs})` : '');
    const envs = new Set(this.runs.map(envOf));
    const agents = new Set(this.runs.map(r => r.agent));
    this.showEnv = envs.size > 1;
    this.showAgent = agents.size > 1;
    const shared = [];
    if (this.runs.length > 1 && !this.showEnv)
      shared.push(`env ${[...envs][0]}`);
    if (this.runs.length > 1 && !this.showAgent)
      shared.push(`agent ${[...agents][0]}`);
    const sharedLine = this.root.querySelector('.rl-shared');
    if (sharedLine) {
      sharedLine.textContent =
          shared.length ? `Every run: ${shared.join(', ')}.` : '';
    }
    if (this.runs.length <= 1) this.showEnv = this.showAgent = true;
    const head =
        ['', 'run']
            .concat(
                this.showEnv ? ['env'] : [], this.showAgent ? ['agent'] : [],
                [
                  'seed', 'status', 'steps / budget', 'episodes',
                  'best evaluation'
                ])
            .concat(differing.map(
                k => k.startsWith('env_kwargs.') ? 'env ' + k.slice(11) :
                                                   k.slice(8)));
    let html = '<thead><tr>' + head.map(h => `<th>${esc(h)}</th>`).join('') +
        '</tr></thead><tbody>';
    const done = new Set();
    for (const run of this.runs) {
      if (done.has(run.name)) continue;
      const g = this.groupOf[run.name];
      if (g) {
        html += this.groupRow(g);
        for (const name of g.runs) {
          html += this.runRow(this.byName[name], true);
          done.add(name);
        }
      } else {
        html += this.runRow(run, false);
        done.add(run.name);
      }
    }
    for (const e of this.data.entries) {
      if (e.run || !e.half) continue;
      html +=
          `<tr class="rl-not-run" data-rl-entry="${esc(e.name)}"><td></td>` +
          `<td class="rl-name">${esc(e.name)}</td>` +
          `<td colspan="${head.length - 2}">${esc(e.problem)}</td></tr>`;
    }
    html += '</tbody>';
    const table = this.root.querySelector('.rl-runs');
    table.innerHTML = html;
    for (const box of table.querySelectorAll('input[data-rl-select]')) {
      const name = box.getAttribute('data-rl-select');
      box.checked = this.selected.has(name);
      box.addEventListener('change', () => {
        if (box.checked)
          this.selected.add(name);
        else
          this.selected.delete(name);
        this.draw();
      });
    }
  }

  item(name) {
    return this.items.find(i => i.name === name);
  }

  checkbox(name) {
    return `<input type="checkbox" data-rl-select="${esc(name)}">` +
        `<span class="rl-swatch" data-rl-swatch="${esc(name)}"></span>`;
  }

  envAgentCells(run) {
    return (this.showEnv ? `<td>${esc(run.env)}` +
                    `${
                               run.env_kwargs ?
                                   ' (' + esc(run.env_kwargs) + ')' :
                                   ''}</td>` :
                           '') +
        (this.showAgent ? `<td>${esc(run.agent)}</td>` : '');
  }

  differingCells(runs) {
    return this.data.differing
        .map(key => {
          const values = new Set(runs.map(r => JSON.stringify(value(r, key))));
          const v = values.size === 1 ? value(runs[0], key) : undefined;
          return `<td>${
              values.size === 1 ? esc(v === undefined ? '—' : v) : '…'}</td>`;
        })
        .join('');
  }

  status(run) {
    let text = run.state, title = run.note || '';
    if (run.state === 'running') {
      const when = ago(run.updated);
      if (when) text += `, updated ${when}`;
      if (run.host) title = `pid on ${run.host}` + (title ? '; ' + title : '');
    } else if (run.state === 'interrupted') {
      title = 'status.json says running, but the process that wrote it ' +
          `(on ${run.host}) is gone: killed, or the machine restarted`;
      const when = ago(run.updated);
      if (when) text += ` (last heard of ${when})`;
    } else if (run.state === 'failed' && run.message) {
      title = run.message;
      text += ': ' +
          (run.message.length > 60 ? run.message.slice(0, 57) + '...' :
                                     run.message);
    } else if (run.state === 'unknown' && run.note) {
      text += ' (' + run.note + ')';
    }
    return `<td class="rl-status rl-state-${esc(run.state)}" title="${
               esc(title)}">` +
        `${esc(text)}</td>`;
  }

  runRow(run, member) {
    const href = encodeURIComponent(run.name) + '/index.html';
    const pct = run.total_steps > 0 && run.state === 'running' ?
        ` (${Math.floor(100 * run.steps / run.total_steps)}%)` :
        '';
    return `<tr class="${member ? 'rl-member' : 'rl-single'}" ` +
        `data-rl-run="${esc(run.name)}">` +
        `<td>${this.checkbox(run.name)}</td>` +
        `<td class="rl-name"><a href="${esc(href)}">${esc(run.name)}</a></td>` +
        this.envAgentCells(run) + `<td class="rl-num">${esc(run.seed)}</td>` +
        this.status(run) +
        `<td class="rl-num">${fmt(run.steps)} / ${fmt(run.total_steps)}${
               pct}</td>` +
        `<td class="rl-num">${fmt(run.episodes)}</td>` +
        `<td class="rl-num">${fmt(run.best_eval)}</td>` +
        this.differingCells([run]) + '</tr>';
  }

  groupRow(g) {
    const runs = g.runs.map(n => this.byName[n]);
    const states = {};
    for (const r of runs) states[r.state] = (states[r.state] || 0) + 1;
    const state = Object.keys(states).map(s => `${states[s]} ${s}`).join(', ');
    const bests = runs.map(r => r.best_eval).filter(v => v !== null);
    const best = bests.length ?
        `${fmt(bests.reduce((a, b) => a + b, 0) / bests.length)} ` +
            `(${fmt(Math.min(...bests))}–${fmt(Math.max(...bests))})` :
        '';
    const steps = runs.map(r => r.steps);
    return `<tr class="rl-group" data-rl-group="${esc(g.name)}">` +
        `<td>${this.checkbox(g.name)}</td>` +
        `<td class="rl-name">${esc(g.name)}</td>` +
        this.envAgentCells(runs[0]) +
        `<td class="rl-num">${runs.length} seeds</td>` +
        `<td class="rl-status">${esc(state)}</td>` +
        `<td class="rl-num">${fmt(Math.min(...steps))}` +
        `${
               Math.max(...steps) !== Math.min(...steps) ?
                   ' to ' + fmt(Math.max(...steps)) :
                   ''}` +
        ` / ${fmt(runs[0].total_steps)}</td><td></td>` +
        `<td class="rl-num" title="mean of the seeds' best evaluations (lowest to highest)">${
               best}</td>` +
        this.differingCells(runs) + '</tr>';
  }

  // Folders and files that are not runs and hold no run files.
  others() {
    const others = this.data.entries.filter(e => !e.run && !e.half);
    const p = this.root.querySelector('.rl-others');
    p.textContent = others.length ? 'Also in this folder: ' +
            others.map(e => `${e.name} (${e.problem})`).join('; ') + '.' :
                                    '';
  }

  smoothed(run) {
    return RlCharts.ema(
        run.returns.filter(p => p[1] !== null), this.group.smoothing);
  }

  series(item) {
    const out = [];
    const evals = this.showEvals.checked, training = this.showTraining.checked;
    if (item.run) {
      const run = item.run;
      if (training && run.returns.length) {
        out.push({
          name: `${run.name} training return`,
          color: item.color,
          points: this.smoothed(run),
          dash: '5,3',
          width: 1.4
        });
      }
      if (evals && run.evals.length) {
        out.push({
          name: run.name,
          color: item.color,
          style: 'line+dots',
          width: 2,
          radius: 3,
          points: run.evals.map(e => [e[0], e[1], `(± ${fmt(e[2])})`])
        });
      }
      return out;
    }
    const runs = item.runs;
    if (training) {
      const curves = runs.map(r => this.smoothed(r)).filter(c => c.length);
      if (curves.length === runs.length) {
        const lo = Math.max(...curves.map(c => c[0][0]));
        const hi = Math.min(...curves.map(c => c[c.length - 1][0]));
        const xs = [];
        if (hi > lo) {
          for (let i = 0; i <= GRID; ++i) xs.push(lo + (hi - lo) * i / GRID);
        } else if (hi === lo) {
          xs.push(lo);
        }
        const m = meanBand(xs, x => curves.map(c => interpolate(c, x)));
        out.push({
          name: `${item.name} training return`,
          color: item.color,
          points: m.points,
          band: m.band,
          dash: '5,3',
          width: 1.4
        });
      }
    }
    if (evals) {
      // The steps every seed evaluated at.
      let steps = null;
      for (const r of runs) {
        const own = new Set(r.evals.map(e => e[0]));
        steps =
            steps === null ? own : new Set([...steps].filter(s => own.has(s)));
      }
      const xs = [...(steps || [])].sort((a, b) => a - b);
      const m = meanBand(xs, x => runs.map(r => {
        const e = r.evals.find(e => e[0] === x);
        return e ? e[1] : null;
      }));
      out.push({
        name: item.name,
        color: item.color,
        style: 'line+dots',
        width: 2.4,
        radius: 3,
        points: m.points,
        band: m.band
      });
    }
    return out;
  }

  draw() {
    // Colors in the order of the ticked items: distinct up to 8 of them.
    const series = [];
    let shown = 0;
    for (const item of this.items) {
      if (this.selected.has(item.name))
        item.color = COLORS[shown++ % COLORS.length];
      const swatch = this.root.querySelector(
          `[data-rl-swatch="${CSS.escape(item.name)}"]`);
      const on = this.selected.has(item.name);
      if (swatch) swatch.style.background = on ? item.color : 'transparent';
      if (on) series.push(...this.series(item));
    }
    this.chart.set({series});
    this.save();
  }
}

function start(root, data) {
  return new Overview(root, data);
}

global.RlRunsOverview = {
  start,
  interpolate,
  meanBand
};
})(window);
