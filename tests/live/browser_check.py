#!/usr/bin/env python3
"""End-to-end check of the trainer's --live page in headless Chromium.

usage: browser_check.py URL [--timeout SECONDS] [--screenshot-dir DIR]
       browser_check.py --embedded PAGE=N [--embedded PAGE=N ...]

Checks that the MJPEG picture moves, that the learning curve gains points
and that a listed video plays. With --embedded, instead: each PAGE (an
--embed run page or gallery), inserted as a string into a host page that
styles its own body, as IPython's HTML() does in a notebook, leaves the
host's body style as it was and plays its N videos (each gets metadata)
with no file around it. Talks the Chrome DevTools Protocol over
--remote-debugging-pipe (fd 3: commands in, fd 4: replies out, each JSON
message ends in a NUL byte) so that only the Python stdlib is needed.
Exit status: 0 all checks pass, 1 a check fails, 2 usage or launch error.
"""
import argparse
import base64
import fcntl
import json
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

FLAGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--no-default-browser-check',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--mute-audio',
    '--autoplay-policy=no-user-gesture-required',
    '--remote-debugging-pipe', '--window-size=1280,1000',
    # Containers often have a tiny /dev/shm; Chromium crashes when it fills.
    '--disable-dev-shm-usage',
]
PICTURE_MIN_FRACTION = 0.002  # of pixels that must change between shots
PIXEL_TOLERANCE = 8           # per channel, absorbs JPEG/scaling noise


class CdpError(Exception):
    pass


class Watchdog(BaseException):
    """Raised by SIGALRM; a BaseException so no check can swallow it."""


class Browser:
    """Chromium process plus a minimal blocking CDP client on its pipe."""

    def __init__(self, exe):
        self.proc, self.buf, self.next_id = None, b'', 0
        self.replies, self.events = {}, []
        self.profile = tempfile.mkdtemp(prefix='browser_check-')
        self.log = open(os.path.join(self.profile, 'chromium.log'), 'w+b')
        cmd_r, self.cmd_w = os.pipe()  # we write commands, Chromium reads
        self.out_r, out_w = os.pipe()  # Chromium writes replies, we read
        # Popen has no fd remapping, so move the child's ends to 3 and 4
        # here; via high numbers first, in case the ends are 3 and 4 swapped.
        def remap():
            hi_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
            hi_w = fcntl.fcntl(out_w, fcntl.F_DUPFD, 10)
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)
        try:
            # pass_fds keeps 3 and 4 open across exec; they are open in the
            # parent too (the pipes took the lowest free numbers).
            self.proc = subprocess.Popen(
                [exe, *FLAGS, '--user-data-dir=' + self.profile,
                 'about:blank'],
                stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                pass_fds=(3, 4), preexec_fn=remap, start_new_session=True)
        except OSError:
            self.close()
            raise
        finally:
            os.close(cmd_r)
            os.close(out_w)

    def close(self):
        """Kill Chromium and its children, remove the profile. Idempotent."""
        if self.proc and self.proc.poll() is None:
            try:
                self.send('Browser.close', timeout=2)
                self.proc.wait(3)
            except Exception:
                pass
        if self.proc:
            try:  # children (renderers, zygote) share its process group
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.wait()
            self.proc = None
        for fd in (self.cmd_w, self.out_r):
            if fd >= 0:
                os.close(fd)
        self.cmd_w = self.out_r = -1
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def log_tail(self, n=15):
        self.log.flush()
        self.log.seek(0)
        lines = [x for x in self.log.read().decode(errors='replace')
                 .splitlines() if 'dbus' not in x]  # no bus here: noise
        return '\n'.join('  chromium: ' + x for x in lines[-n:])

    def _pump(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([self.out_r], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(self.out_r, 1 << 20)
        if not chunk:
            raise CdpError(f'chromium has exited (status {self.proc.poll()})')
        *msgs, self.buf = (self.buf + chunk).split(b'\0')
        for raw in msgs:
            msg = json.loads(raw)
            if 'id' in msg:
                self.replies[msg['id']] = msg
            else:
                self.events.append(msg)
                del self.events[:-2000]  # we never need old noise

    def send(self, method, params=None, session=None, timeout=10):
        self.next_id += 1
        msg = {'id': self.next_id, 'method': method, 'params': params or {}}
        if session:
            msg['sessionId'] = session
        try:
            os.write(self.cmd_w, json.dumps(msg).encode() + b'\0')
        except BrokenPipeError:
            raise CdpError(f'{method}: chromium has exited'
                           f' (status {self.proc.poll()})') from None
        deadline = time.monotonic() + timeout
        while self.next_id not in self.replies:
            try:
                self._pump(deadline)
            except TimeoutError:
                raise CdpError(f'{method}: no reply in {timeout:g}s') \
                    from None
        reply = self.replies.pop(self.next_id)
        if 'error' in reply:
            raise CdpError(f"{method}: {reply['error'].get('message')}")
        return reply.get('result', {})

    def wait_event(self, method, deadline):
        """Return the first buffered or new event `method`, or None."""
        while True:
            for ev in self.events:
                if ev['method'] == method:
                    self.events.remove(ev)
                    return ev
            try:
                self._pump(deadline)
            except TimeoutError:
                return None


class Page:
    def __init__(self, browser, session):
        self.b, self.session = browser, session

    def send(self, method, params=None, timeout=10):
        return self.b.send(method, params, self.session, timeout)

    def js(self, expr, timeout=10, await_promise=False):
        res = self.send('Runtime.evaluate', {
            'expression': expr, 'returnByValue': True,
            'awaitPromise': await_promise}, timeout)
        if 'exceptionDetails' in res:
            d = res['exceptionDetails']
            raise CdpError(d.get('exception', {}).get('description')
                           or d.get('text'))
        return res['result'].get('value')

    def wait_js(self, expr, deadline, interval=0.25):
        """Poll `expr` until truthy; its value, or None at the deadline."""
        while True:
            value = self.js(expr)
            if value or time.monotonic() >= deadline:
                return value
            time.sleep(interval)

    def screenshot(self, clip):
        res = self.send('Page.captureScreenshot', {
            'format': 'png', 'clip': dict(clip, scale=1)}, timeout=20)
        return base64.b64decode(res['data'])


def decode_png(data):
    """(width, height, channels, rows) for 8-bit non-interlaced RGB/RGBA."""
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG')
    pos, idat = 8, []
    while pos < len(data):
        size, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        pos += 12 + size
        if kind == b'IHDR':
            w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB',
                                                               body)
        elif kind == b'IDAT':
            idat.append(body)
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError(f'unsupported PNG: depth {depth} type {ctype}'
                         f' interlace {interlace}')
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(b''.join(idat)), w * bpp
    prev, rows = bytearray(stride), []
    for y in range(h):
        ftype = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ftype == 1:
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 255
        elif ftype == 2:
            row = bytearray((a + b) & 255 for a, b in zip(row, prev))
        elif ftype == 3:
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + prev[i]) >> 1)) & 255
        elif ftype == 4:
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                row[i] = (row[i] + pred) & 255
        elif ftype:
            raise ValueError(f'bad PNG filter type {ftype}')
        rows.append(bytes(row))
        prev = row
    return w, h, bpp, rows


def count_changed(png1, png2):
    w1, h1, bpp1, rows1 = decode_png(png1)
    w2, h2, bpp2, rows2 = decode_png(png2)
    if (w1, h1) != (w2, h2):
        return w1 * h1, w1 * h1  # the element itself changed size
    changed = 0
    for r1, r2 in zip(rows1, rows2):
        if r1 == r2:
            continue
        for x in range(w1):
            p, q = x * bpp1, x * bpp2
            if (abs(r1[p] - r2[q]) > PIXEL_TOLERANCE
                    or abs(r1[p + 1] - r2[q + 1]) > PIXEL_TOLERANCE
                    or abs(r1[p + 2] - r2[q + 2]) > PIXEL_TOLERANCE):
                changed += 1
    return changed, w1 * h1


def check_picture(page, timeout, shot_dir):
    deadline = time.monotonic() + timeout
    if not page.wait_js("(document.getElementById('live') || {})"
                        ".naturalWidth > 0", deadline):
        return False, f'#live has no decoded frame after {timeout:g}s'
    rect = page.js("""(() => {
        const e = document.getElementById('live');
        e.scrollIntoView();
        const r = e.getBoundingClientRect();
        return {x: r.left + scrollX, y: r.top + scrollY,
                width: r.width, height: r.height};
    })()""")
    clip = {k: round(v) for k, v in rect.items()}
    if clip['width'] < 1 or clip['height'] < 1:
        return False, f'#live is not visible (rect {clip})'
    first = page.screenshot(clip)
    most = 0  # most pixels changed against the first shot so far
    while True:
        time.sleep(1.5)
        second = page.screenshot(clip)
        changed, total = count_changed(first, second)
        most = max(most, changed)
        if most / total > PICTURE_MIN_FRACTION or \
                time.monotonic() >= deadline:
            break
    if shot_dir:
        os.makedirs(shot_dir, exist_ok=True)
        for name, png in (('live-1.png', first), ('live-2.png', second)):
            with open(os.path.join(shot_dir, name), 'wb') as f:
                f.write(png)
    ok = most / total > PICTURE_MIN_FRACTION
    pct = 100 * most / total
    need = 100 * PICTURE_MIN_FRACTION
    return ok, (f'{pct:.1f}% of {total} pixels differ' if ok else
                f'picture still for {timeout:g}s: at most {pct:.2f}% of'
                f' {total} pixels differ (need > {need:g}%)')


# Training episodes drawn on the live curve (RlCharts' dots of the series).
CURVE_JS = ("document.querySelectorAll('#curve [data-rl-series=\"training "
            "return\"] circle').length")


def settled_count(page, limit=5):
    """Point count once the page's first (paged, catch-up) polls are done,
    so that history loading in is not mistaken for new episodes."""
    end, last = time.monotonic() + limit, page.js(CURVE_JS)
    while time.monotonic() < end:
        time.sleep(1.2)
        now = page.js(CURVE_JS)
        if now == last:
            break
        last = now
    return last


def check_curve(page, before, timeout):
    deadline = time.monotonic() + timeout
    after = page.wait_js(f'{CURVE_JS} > {before} && {CURVE_JS}', deadline)
    if after:
        return True, f'{before} -> {after} points'
    after = page.js(CURVE_JS)
    return False, (f'still {after} points after {timeout:g}s (was {before})'
                   + ('; no #curve element' if page.js(
                       "!document.getElementById('curve')") else ''))


VIDEO_JS = """(async () => {
  const href = document.querySelector('#videos a.video').href;
  const v = document.createElement('video');
  v.muted = true;
  document.body.appendChild(v);
  try {
    await new Promise((resolve, reject) => {
      setTimeout(() => reject(new Error('no loadedmetadata in %(ms)dms')),
                 %(ms)d);
      v.onloadedmetadata = resolve;
      v.onerror = () => reject(new Error('media error ' +
          (v.error && v.error.code) + ': ' + (v.error && v.error.message)));
      v.src = href;
      v.play().catch(() => {});  // failures surface as 'error' above
    });
    await new Promise(r => setTimeout(r, 1000));
    return {href, ok: true, w: v.videoWidth, h: v.videoHeight,
            duration: String(v.duration), t: v.currentTime};
  } catch (e) {
    // The media error is vague; the HTTP status usually says why.
    let http = '';
    try {
      const r = await fetch(href, {headers: {Range: 'bytes=0-0'},
                                   signal: AbortSignal.timeout(5000)});
      http = ' (HTTP ' + r.status + ' ' + r.headers.get('content-type') + ')';
    } catch (e2) { http = ' (fetch failed: ' + e2 + ')'; }
    return {href, ok: false, error: String(e.message || e) + http};
  } finally { v.pause(); v.remove(); }
})()"""


def check_video(page, timeout):
    deadline = time.monotonic() + timeout
    if not page.wait_js("!!document.querySelector('#videos a.video')",
                        deadline):
        return False, f'no #videos a.video link after {timeout:g}s'
    left = max(5, deadline - time.monotonic())
    r = page.js(VIDEO_JS % {'ms': int(left * 1000)}, timeout=left + 10,
                await_promise=True)
    name = r['href'].rsplit('/', 1)[-1]
    if not r['ok']:
        return False, f"{r['href']}: {r['error']}"
    duration = float(r['duration'])  # 'Infinity' parses too
    ok = r['w'] > 0 and duration > 0
    return ok, (f"{name} {r['w']}x{r['h']}, duration {r['duration']}s,"
                f" currentTime {r['t']:.2f}s after 1s of play"
                + ('' if ok else ' (need width and duration > 0)'))


def open_page(b, url, timeout):
    deadline = time.monotonic() + timeout
    target = b.send('Target.createTarget', {'url': 'about:blank'})
    session = b.send('Target.attachToTarget', {
        'targetId': target['targetId'], 'flatten': True})['sessionId']
    page = Page(b, session)
    page.send('Page.enable')
    page.send('Runtime.enable')
    page.send('Page.bringToFront')  # defensive: hidden tabs may not paint
    b.events.clear()
    nav = page.send('Page.navigate', {'url': url}, timeout)
    if nav.get('errorText'):
        raise CdpError(f"cannot load {url}: {nav['errorText']}")
    if not b.wait_event('Page.domContentEventFired', deadline):
        raise CdpError(f'{url}: DOMContentLoaded not fired in {timeout:g}s')
    # 'load' waits for the first MJPEG frame too; without one, carry on and
    # let the picture check say so.
    if not b.wait_event('Page.loadEventFired',
                        min(deadline, time.monotonic() + 10)):
        print('note: no load event yet (is stream.mjpg sending frames?)')
    return page


# A notebook-like host: its own body style, the page as a string in a cell.
HOST_STYLE = ('body{background:rgb(1,2,3);color:rgb(4,5,6);margin:3px;'
              'font-family:serif;border:2px solid rgb(7,8,9)}')
BODY_STYLE_JS = """(() => {
  const s = getComputedStyle(document.body);
  return [s.backgroundColor, s.color, s.margin, s.fontFamily, s.borderTopWidth,
          s.borderTopColor].join(' / ');
})()"""
VIDEOS_READY_JS = """(() => {
  // The players of videos (not the run page's large player, which has none
  // until a marker is clicked).
  const v = [...document.querySelectorAll('#cell video')].filter(
      x => !x.closest('.rl-player'));
  return {n: v.length, ready: v.filter(x => x.readyState >= 1).length,
          errors: v.filter(x => x.error).map(x => x.error.code),
          sources: v.map(x => (x.currentSrc || '').slice(0, 22))};
})()"""


def check_embedded(b, path, want, timeout):
    """An --embed page inserted into a host page: (ok, detail)."""
    with open(path, encoding='utf-8') as f:
        html = f.read()
    page = open_page(b, 'about:blank', timeout)
    page.js("document.head.innerHTML = '<style>%s</style>';"
            "document.body.innerHTML = '<p>host</p><div id=\"cell\"></div>'"
            % HOST_STYLE)
    before = page.js(BODY_STYLE_JS)
    page.js('document.getElementById("cell").innerHTML = '
            + json.dumps(html), timeout=30)
    # innerHTML runs no scripts; Jupyter runs those of an HTML output, so do
    # as it does: each script again, in place.
    page.js("""for (const old of document.querySelectorAll('#cell script')) {
      const s = document.createElement('script');
      s.textContent = old.textContent;
      old.replaceWith(s);
    }""", timeout=30)
    after = page.js(BODY_STYLE_JS)
    charts = page.js("document.querySelectorAll("
                     "'#cell .rl-run-page [data-rl-chart] svg path').length")
    deadline = time.monotonic() + timeout
    page.wait_js(VIDEOS_READY_JS + '.ready === ' + str(want), deadline)
    r = page.js(VIDEOS_READY_JS)
    name = os.path.basename(os.path.dirname(path)) + '/' + \
        os.path.basename(path)
    problems = []
    if after != before:
        problems.append(f'host body style {before!r} became {after!r}')
    if r['n'] != want or r['ready'] != want:
        problems.append(f"{r['ready']} of {r['n']} videos have metadata "
                        f"(want {want}), errors {r['errors']}, sources "
                        f"{sorted(set(r['sources']))}")
    if 'rl-run-page' in html and not charts:
        problems.append('the run page drew no charts in the host page')
    if problems:
        return False, f'{name}: ' + '; '.join(problems)
    return True, (f'{name}: {want} videos play inserted into a host page, '
                  f'host body style unchanged ({before})'
                  + (f', {charts} chart paths drawn' if charts else ''))


def run_embedded_checks(b, args):
    failed = 0
    for spec in args.embedded:
        path, _, want = spec.rpartition('=')
        try:
            ok, detail = check_embedded(b, path, int(want), args.timeout)
        except (CdpError, OSError, ValueError, KeyError, TypeError) as e:
            ok, detail = False, f'{spec}: error: {e}'
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'} embedded page: {detail}",
              flush=True)
    print(f'FAILED {failed} of {len(args.embedded)} checks' if failed
          else 'ALL PASS')
    return not failed


def run_checks(b, args):
    """PASS/FAIL lines for every check; True if all passed."""
    try:
        page = open_page(b, args.url, args.timeout)
        before = settled_count(page)
        checks = [
            ('picture moves', lambda: check_picture(
                page, args.timeout, args.screenshot_dir)),
            ('curve gains points', lambda: check_curve(
                page, before, args.timeout)),
            ('video plays', lambda: check_video(page, args.timeout)),
        ]
    except CdpError as e:
        checks = [('page loads', lambda msg=str(e): (False, msg))]
    failed = 0
    for name, check in checks:
        try:
            ok, detail = check()
        except (CdpError, OSError, ValueError, KeyError, TypeError) as e:
            ok, detail = False, f'error: {e}'
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)
    errors = [e['params']['exceptionDetails'] for e in b.events
              if e['method'] == 'Runtime.exceptionThrown']
    if errors:  # often the reason a check failed
        first = errors[0].get('exception', {}).get('description')
        print(f'note: page threw {len(errors)} JS exception(s), first: '
              f"{first or errors[0]['text']}")
    print(f'FAILED {failed} of {len(checks)} checks' if failed else 'ALL PASS')
    return not failed


def run(args):
    exe = args.chromium or shutil.which('chromium')
    if not exe or not os.access(exe, os.X_OK):
        print('chromium not found: apt-get install chromium', file=sys.stderr)
        return 2
    b = None
    try:
        try:
            b = Browser(exe)
            version = b.send('Browser.getVersion', timeout=30)['product']
        except (OSError, CdpError) as e:
            print(f'cannot start {exe}: {e}\n' + (b.log_tail() if b else ''),
                  file=sys.stderr)
            return 2
        print(f'{version}, {args.url or "embedded pages"}', flush=True)
        if args.embedded:
            return 0 if run_embedded_checks(b, args) else 1
        return 0 if run_checks(b, args) else 1
    except Watchdog:
        print('FAIL: global deadline hit, something hung\n'
              + (b.log_tail() if b else ''))
        return 1
    finally:
        signal.alarm(0)  # close() is bounded on its own
        if b:
            b.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('url', nargs='?', help='the live view')
    ap.add_argument('--embedded', action='append', metavar='PAGE=N',
                    help='instead: PAGE, made with --embed, plays its N '
                    'videos inserted into a host page and leaves the host '
                    "page's style as it was (repeatable)")
    ap.add_argument('--timeout', type=float, default=60,
                    help='seconds each check may wait (default 60)')
    ap.add_argument('--screenshot-dir', help='save live-1.png, live-2.png')
    ap.add_argument('--chromium', help='browser binary (default: chromium)')
    args = ap.parse_args()
    if args.timeout <= 0:
        ap.error('--timeout must be positive')
    if bool(args.url) == bool(args.embedded):
        ap.error('give the live view URL or --embedded pages')

    def on_alarm(*_):
        raise Watchdog
    signal.signal(signal.SIGALRM, on_alarm)
    # Backstop only: page load and the three checks are each bounded by
    # about --timeout plus fixed CDP timeouts, well inside this.
    signal.alarm(int(5 * args.timeout + 120))
    # Make SIGTERM unwind through the finally that kills Chromium.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(run(args))


if __name__ == '__main__':
    main()
