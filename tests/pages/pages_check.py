#!/usr/bin/env python3
"""The run page and the runs overview as a user sees them, in headless Chromium.

usage: pages_check.py BROWSER_CHECK_PY --run-page RUN_DIR [--running]
           [--overview RUNS_DIR] [--screenshot-dir DIR]

Run page (file://RUN_DIR/index.html): a chart per metric draws (every
metrics.csv column and the evaluations), the pointer's readout shows a value
metrics.csv holds at the step it says, the smoothing control redraws the
smoothed line, a drag zooms every chart together, and clicking a video
marker plays that video in the page's player. With --running (the run is
still training): the page takes in new data without reloading itself.
Overview (file://RUNS_DIR/index.html): a row per run, and selecting two runs
overlays two curves. Drives Chromium with tests/live/browser_check.py's
DevTools client (stdlib only). Exit status: 0 all pass, 1 a check fails, 2
usage or launch error.
"""
import argparse
import base64
import csv
import importlib.util
import os
import re
import shutil
import sys
import time


def load_browser_check(path):
    spec = importlib.util.spec_from_file_location('browser_check', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RETURN_CHART = '[data-rl-chart="Episode return"]'


def read_metrics(run_dir):
    with open(os.path.join(run_dir, 'metrics.csv'), newline='') as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def element_box(page, selector):
    """The element's box in CSS pixels, scrolled into view, or None."""
    return page.js(f"""(() => {{
      const e = document.querySelector({selector!r});
      if (!e) return null;
      e.scrollIntoView({{block: 'center'}});
      const r = e.getBoundingClientRect();
      return {{x: r.left, y: r.top, w: r.width, h: r.height}};
    }})()""")


def mouse(page, kind, x, y, buttons=0):
    params = {'type': kind, 'x': x, 'y': y, 'buttons': buttons,
              'pointerType': 'mouse'}
    if kind in ('mousePressed', 'mouseReleased'):
        params.update(button='left', clickCount=1)
    page.send('Input.dispatchMouseEvent', params)


def check_charts(page, header):
    # One chart per column but step, episode and return (which the return
    # chart shows), plus the return chart and the evaluation std chart.
    want = len(header) - 3 + 2
    n = page.wait_js("document.querySelectorAll('[data-rl-chart]').length",
                     time.monotonic() + 20)
    empty = page.js("""[...document.querySelectorAll('[data-rl-chart]')]
      .filter(c => !c.querySelector('path[data-rl-series]') ||
                   !c.querySelector('path[data-rl-series]').getAttribute('d'))
      .map(c => c.getAttribute('data-rl-chart'))""")
    series = page.js(f"""[...new Set([...document.querySelectorAll(
      '{RETURN_CHART} [data-rl-series]')].map(e =>
      e.getAttribute('data-rl-series')))]""")
    titles = page.js("""[...document.querySelectorAll('[data-rl-chart]')]
      .map(c => c.getAttribute('data-rl-chart'))""")
    missing = [c for c in header[3:] if c not in titles]
    ticks = page.js(f"""[...document.querySelectorAll(
      '{RETURN_CHART} [data-rl-ytick]')].map(t => t.textContent)""")
    problems = []
    if n != want:
        problems.append(f'{n} charts, want {want}: {titles}')
    if missing:
        problems.append(f'no chart for {missing}')
    if empty:
        problems.append(f'charts without a line: {empty}')
    if sorted(series) != ['evaluation mean', 'training return']:
        problems.append(f'return chart series {series}')
    # 1-2-5 ticks: every y tick label of the return chart is a multiple of
    # the step between the first two.
    values = [float(t.replace(',', '')) for t in ticks]
    if len(values) < 3 or any(
            abs((v - values[0]) / (values[1] - values[0]) -
                round((v - values[0]) / (values[1] - values[0]))) > 1e-6
            for v in values) or (values[1] - values[0]) / 10 ** (
                len(str(int(abs(values[1] - values[0])))) - 1) not in (1, 2, 5):
        problems.append(f'odd y ticks {ticks}')
    if problems:
        return False, '; '.join(problems)
    return True, (f'{n} charts ({", ".join(titles)}), return chart series '
                  f'{series}, y ticks {ticks}')


def check_readout(page, run_dir):
    box = element_box(page, f'{RETURN_CHART} svg')
    if not box:
        return False, 'no return chart'
    # Over the plot, 60% of the way across.
    x, y = box['x'] + 64 + 0.6 * (box['w'] - 78), box['y'] + box['h'] / 2
    mouse(page, 'mouseMoved', x, y)
    text = page.wait_js(
        f"(() => {{ const t = document.querySelector('{RETURN_CHART} "
        f"[data-rl-readout]').textContent; return t.startsWith('step ') && t; "
        f"}})()", time.monotonic() + 5)
    if not text:
        return False, 'the readout did not change under the pointer'
    m = re.match(r'step ([\d,]+): training return ([-\d.,e]+)', text)
    if not m:
        return False, f'readout {text!r}'
    step, value = m.group(1).replace(',', ''), float(m.group(2).replace(',', ''))
    header, rows = read_metrics(run_dir)  # Now: a running run writes on.
    s, r = header.index('step'), header.index('return')
    if not any(row[s] == step and abs(float(row[r]) - value) <=
               1e-6 * max(1, abs(value)) for row in rows):
        return False, f'readout {text!r}: no metrics.csv row at step {step} ' \
                      f'with return {value}'
    return True, f'{text!r} is metrics.csv\'s row at step {step}'


def check_smoothing(page):
    d = f"document.querySelector('{RETURN_CHART} path[data-rl-smoothed]')"
    before = page.js(f'{d} && {d}.getAttribute("d")')
    page.js("""(() => {
      const s = document.querySelector('.rl-smoothing input');
      s.value = 0.95; s.dispatchEvent(new Event('input'));
    })()""")
    after = page.js(f'{d} && {d}.getAttribute("d")')
    shown = page.js("document.querySelector('.rl-smoothing output')"
                    ".textContent")
    page.js("""(() => {
      const s = document.querySelector('.rl-smoothing input');
      s.value = 0; s.dispatchEvent(new Event('input'));
    })()""")
    gone = page.js(f'!{d}')
    if not before or not after or before == after or not gone:
        return False, (f'smoothed line before {bool(before)}, changed '
                       f'{before != after}, gone at 0: {gone}')
    return True, f'0.6 -> 0.95 ({shown}) redrew the smoothed line; 0 hides it'


def check_zoom(page):
    before = page.js(f'[...document.querySelectorAll(\'[data-rl-chart="length"] '
                     f'[data-rl-xtick]\')].map(t => t.textContent)')
    box = element_box(page, f'{RETURN_CHART} svg')
    left = box['x'] + 64
    width = box['w'] - 78
    y = box['y'] + box['h'] / 2
    mouse(page, 'mouseMoved', left + 0.5 * width, y)
    mouse(page, 'mousePressed', left + 0.5 * width, y, 1)
    mouse(page, 'mouseMoved', left + 0.8 * width, y, 1)
    mouse(page, 'mouseReleased', left + 0.8 * width, y)
    after = page.js(f'[...document.querySelectorAll(\'[data-rl-chart="length"] '
                    f'[data-rl-xtick]\')].map(t => t.textContent)')
    page.js("document.querySelector('.rl-reset-zoom').click()")
    reset = page.js(f'[...document.querySelectorAll(\'[data-rl-chart="length"] '
                    f'[data-rl-xtick]\')].map(t => t.textContent)')
    if not before or before == after or reset != before:
        return False, f'x ticks of the length chart {before} -> {after} -> {reset}'
    return True, (f'dragging over the return chart zoomed the length chart '
                  f'({before[0]}..{before[-1]} -> {after[0]}..{after[-1]}); '
                  f'reset restored it')


def check_marker(page):
    marker = page.js(f"""(() => {{
      const g = document.querySelector('{RETURN_CHART} [data-rl-marker]');
      if (!g) return null;
      g.scrollIntoView({{block: 'center'}});
      const r = g.querySelector('circle').getBoundingClientRect();
      return {{x: r.left + r.width / 2, y: r.top + r.height / 2,
              label: g.getAttribute('data-rl-marker'),
              title: g.querySelector('title').textContent}};
    }})()""")
    if not marker:
        return False, 'no video marker on the return chart'
    mouse(page, 'mouseMoved', marker['x'], marker['y'])
    mouse(page, 'mousePressed', marker['x'], marker['y'], 1)
    mouse(page, 'mouseReleased', marker['x'], marker['y'])
    playing = page.wait_js("""(() => {
      const v = document.querySelector('.rl-player video');
      return v && !document.querySelector('.rl-player').hidden &&
             v.currentTime > 0.1 && v.readyState >= 2 &&
             decodeURI(v.currentSrc).split('/').slice(-2).join('/');
    })()""", time.monotonic() + 20)
    url = page.js('location.href')
    if not playing or not url.endswith('index.html'):
        error = page.js("(document.querySelector('.rl-player video').error "
                        "|| {}).code")
        return False, (f'marker {marker["label"]} ({marker["title"]}): not '
                       f'playing in the page (error {error}, at {url})')
    return True, (f'marker {marker["label"]} ({marker["title"]}) plays '
                  f'{playing} in the page')


def check_polling(page, timeout):
    page.js('window.rlNotReloaded = true')
    latest = f"document.querySelector('{RETURN_CHART} [data-rl-readout]')"
    mouse(page, 'mouseMoved', 1, 1)  # Off the charts: the latest values.
    before = page.js(f'{latest}.textContent')
    changed = page.wait_js(f"{latest}.textContent !== {before!r} && "
                           f"window.rlNotReloaded && {latest}.textContent",
                           time.monotonic() + timeout)
    if not changed:
        return False, (f'no new data in {timeout:g}s without a reload '
                       f'(still {before!r}; reloaded: '
                       f'{not page.js("window.rlNotReloaded === true")})')
    return True, f'{before!r} -> {changed!r}, same document'


def check_overview(page):
    runs = page.wait_js("document.querySelectorAll('tr[data-rl-run]').length",
                        time.monotonic() + 20)
    if not runs or runs < 2:
        return False, f'{runs} runs listed'
    boxes = page.js("document.querySelectorAll('input[data-rl-select]').length")
    page.js("""[...document.querySelectorAll('input[data-rl-select]')]
      .forEach(b => { if (b.checked) b.click(); })""")
    page.js("""[...document.querySelectorAll('input[data-rl-select]')]
      .slice(0, 2).forEach(b => b.click())""")
    series = page.wait_js("""(() => {
      const names = new Set([...document.querySelectorAll(
        '[data-rl-chart] path[data-rl-series]')].filter(p =>
        p.getAttribute('d')).map(p => p.getAttribute('data-rl-series')));
      return names.size >= 2 && [...names];
    })()""", time.monotonic() + 10)
    if not series:
        return False, f'{runs} runs, {boxes} checkboxes; selecting two drew no two curves'
    return True, f'{runs} runs; two selected overlay {series}'


def screenshot(page, path):
    mouse(page, 'mouseMoved', 1, 1)  # No readout left from a check.
    size = page.js('({w: document.documentElement.scrollWidth, '
                   'h: Math.min(document.documentElement.scrollHeight, 2400)})')
    page.js('window.scrollTo(0, 0); document.querySelectorAll(".rl-player")'
            '.forEach(p => { p.hidden = true; })')
    png = base64.b64decode(page.send('Page.captureScreenshot', {
        'format': 'png', 'captureBeyondViewport': True,
        'clip': {'x': 0, 'y': 0, 'width': size['w'], 'height': size['h'],
                 'scale': 1}}, timeout=30)['data'])
    with open(path, 'wb') as f:
        f.write(png)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('browser_check', help='tests/live/browser_check.py')
    ap.add_argument('--run-page', help='a run directory')
    ap.add_argument('--running', action='store_true',
                    help='the run still trains: check the page updates')
    ap.add_argument('--overview', help='a runs directory (its index.html)')
    ap.add_argument('--screenshot-dir')
    ap.add_argument('--timeout', type=float, default=60)
    args = ap.parse_args()
    if not args.run_page and not args.overview:
        ap.error('give --run-page and/or --overview')
    bc = load_browser_check(args.browser_check)
    exe = shutil.which('chromium')
    if not exe:
        print('chromium not found: apt-get install chromium', file=sys.stderr)
        return 2
    b = bc.Browser(exe)
    failed = total = 0
    try:
        b.send('Browser.getVersion', timeout=30)
        checks = []
        if args.run_page:
            header, rows = read_metrics(args.run_page)
            url = 'file://' + os.path.abspath(args.run_page) + '/index.html'
            page = bc.open_page(b, url, args.timeout)
            page.send('Emulation.setDeviceMetricsOverride', {
                'width': 1100, 'height': 900, 'deviceScaleFactor': 1,
                'mobile': False})
            checks += [('run page: a chart per metric',
                        lambda: check_charts(page, header))]
            if args.running:
                checks += [('run page: new data without a reload',
                            lambda: check_polling(page, args.timeout))]
            checks += [
                ('run page: readout', lambda: check_readout(page, args.run_page)),
                ('run page: smoothing', lambda: check_smoothing(page)),
                ('run page: zoom', lambda: check_zoom(page)),
                ('run page: video marker', lambda: check_marker(page)),
            ]
            if args.screenshot_dir:
                checks.append(('run page: screenshot', lambda: (
                    page.js("document.querySelector('.rl-smoothing input')"
                            ".value = 0.6; document.querySelector("
                            "'.rl-smoothing input').dispatchEvent("
                            "new Event('input')); true"),
                    screenshot(page, os.path.join(args.screenshot_dir,
                                                  'run_page.png')),
                    (True, 'saved'))[-1]))
        if args.overview:
            def overview_checks():
                url = 'file://' + os.path.abspath(args.overview) + '/index.html'
                page = bc.open_page(b, url, args.timeout)
                page.send('Emulation.setDeviceMetricsOverride', {
                    'width': 1100, 'height': 900, 'deviceScaleFactor': 1,
                    'mobile': False})
                ok, detail = check_overview(page)
                if ok and args.screenshot_dir:
                    screenshot(page, os.path.join(args.screenshot_dir,
                                                  'runs_overview.png'))
                return ok, detail
            checks.append(('overview: two runs overlay', overview_checks))
        for name, check in checks:
            total += 1
            try:
                ok, detail = check()
            except (bc.CdpError, OSError, ValueError, KeyError, TypeError) as e:
                ok, detail = False, f'error: {e}'
            failed += not ok
            print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)
        errors = [e['params']['exceptionDetails'] for e in b.events
                  if e['method'] == 'Runtime.exceptionThrown']
        if errors:
            first = errors[0].get('exception', {}).get('description')
            print(f'FAIL: the page threw {len(errors)} JS exception(s), first: '
                  f"{first or errors[0]['text']}")
            failed += 1
    finally:
        b.close()
    print(f'FAILED {failed} of {total} checks' if failed else 'ALL PASS')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
