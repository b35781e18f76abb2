#!/usr/bin/env bash
# The live view end to end, as a user meets it: a real training run serves
# its live page (--live=127.0.0.1:0), headless Chromium opens it and proves
# the picture moves (two screenshots differ in the env area), the learning
# curve gains points and a listed video plays (browser_check.py, over the
# DevTools protocol). Then the flags a user gets wrong, Ctrl-C (SIGINT)
# mid-run (the run stops cleanly, exit 130, with its page and metrics), play
# --live --realtime on the checkpoint it left, --live_linger (the page
# outlives the run until Ctrl-C), and the pages of a run with --embed
# inserted into a host page as a notebook cell would.
set -uo pipefail
train="$1"
check="$2"
play="$3"
export HOME="$TEST_TMPDIR"  # Chromium's profile and caches.
shots="${TEST_UNDECLARED_OUTPUTS_DIR:-$TEST_TMPDIR}"
log="$TEST_TMPDIR/train.log"
run_dir="$TEST_TMPDIR/run"
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# wait_for LOG PID TEXT: until LOG holds TEXT (a grep -E pattern) or PID
# exits (60 s at most); then prints the live view URL LOG holds, if any.
wait_for() {
  local log="$1" pid="$2" text="$3"
  for _ in $(seq 1 600); do
    grep -qE "$text" "$log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -o 'http://127\.0\.0\.1:[0-9]*/' "$log" | head -n 1 || true
}

# Wrong flags fail before any work, saying what a good one looks like.
for bad in "--live=http://x:80" "--live=:99999" "--live=host:port"; do
  "$train" --steps=100 --run_dir="$TEST_TMPDIR/bad" "$bad" >"$log" 2>&1
  code=$?
  if [[ $code -ne 2 ]] || ! grep -qF "expected HOST:PORT" "$log"; then
    fail "train $bad exited $code (want 2 and 'expected HOST:PORT'):"
    cat "$log"
  fi
done

"$train" --env=CartPole-v1 --agent=ppo --steps=2000000 --seed=1 \
  --run_dir="$run_dir" --live=127.0.0.1:0 --render_backend=llvmpipe \
  --eval_every=50000 --eval_episodes=1 --progress_interval=2 \
  >"$log" 2>&1 &
pid=$!
trap 'kill -9 "$pid" 2>/dev/null || true' EXIT

url="$(wait_for "$log" "$pid" "live view: ")"
if [[ -z "$url" ]]; then
  fail "the run printed no live view URL:"
  cat "$log"
  exit 1
fi
echo "live view at $url"

if ! python3 "$check" "$url" --timeout 90 --screenshot-dir "$shots"; then
  fail "browser checks (above)"
fi

# Ctrl-C mid-run: a clean stop, the run directory complete.
kill -INT "$pid"
wait "$pid"
code=$?
if [[ $code -ne 130 ]]; then
  fail "after SIGINT the run exited $code (want 130):"
  tail -n 20 "$log"
fi
for file in index.html metrics.csv checkpoints/latest.ckpt; do
  [[ -s "$run_dir/$file" ]] || fail "no $run_dir/$file after the stop"
done
grep -q "stopped early" "$log" || fail "no 'stopped early' line in the log"

# play --live --realtime: the trained agent's episodes are watchable while
# they play (a fresh picture, state "playing"), then, with --live_linger,
# the page lists both episodes and their videos.
play_log="$TEST_TMPDIR/play.log"
"$play" --checkpoint="$run_dir/checkpoints/latest.ckpt" --episodes=2 \
  --video_dir="$TEST_TMPDIR/played" --render_backend=llvmpipe --realtime \
  --max_episode_steps=100 --live=127.0.0.1:0 --live_linger \
  >"$play_log" 2>&1 &
play_pid=$!
play_url="$(wait_for "$play_log" "$play_pid" "live view: ")"
python3 - "$play_url" <<'PY' || fail "play --live: $(cat "$play_log")"
import json, sys, time, urllib.request
url = sys.argv[1]
get = lambda path: urllib.request.urlopen(url + path, timeout=10)
frame = get("frame.jpg").read()
assert frame[:2] == b"\xff\xd8", "frame.jpg is not a JPEG"
state = json.load(get("status.json"))["state"]
assert state == "playing", "state while playing: " + state
deadline = time.time() + 60
while time.time() < deadline:
    status = json.load(get("status.json"))
    if status["state"] == "finished":
        break
    time.sleep(0.5)
assert status["state"] == "finished", status["state"]
assert status["total_points"] == 2, status
assert len(status["videos"]) == 2, status["videos"]
video = get("files/" + status["videos"][0]["file"]).read()
assert len(video) > 1000, len(video)
print("play --live: a live JPEG while playing; 2 episodes, 2 videos after")
PY
kill -INT "$play_pid" 2>/dev/null
wait "$play_pid"
code=$?
[[ $code -eq 0 ]] || fail "play: Ctrl-C while lingering exited $code (want 0)"

# --live_linger: after a finished run the page stays, marked finished, until
# Ctrl-C, which then exits 0 (the run was complete).
linger_log="$TEST_TMPDIR/linger.log"
"$train" --agent=random --episodes=2 --video_dir="$TEST_TMPDIR/play" \
  --render_backend=llvmpipe --live=127.0.0.1:0 --live_linger \
  >"$linger_log" 2>&1 &
linger_pid=$!
linger_url="$(wait_for "$linger_log" "$linger_pid" "live view stays at")"
state="$(python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1] + "status.json", timeout=10))["state"])' \
  "$linger_url" 2>&1)"
[[ "$state" == "finished" ]] || fail "lingering page says state '$state' (want finished)"
# Nobody watched that run, yet a viewer who comes now sees its last picture:
# frame.jpg answers it, and the stream sends it as a whole part, closed by
# the boundary (a browser shows it without waiting for another).
python3 - "$linger_url" <<'EOF' || fail "the lingering view shows no last picture"
import socket, sys, time, urllib.parse, urllib.request
url = sys.argv[1]
frame = urllib.request.urlopen(url + "frame.jpg", timeout=10).read()
assert frame[:2] == b"\xff\xd8", "frame.jpg is not a JPEG"
where = urllib.parse.urlsplit(url)
stream = socket.create_connection((where.hostname, where.port), timeout=5)
stream.sendall(b"GET /stream.mjpg HTTP/1.1\r\nHost: x\r\n\r\n")
# The headers end with the opening boundary too: wait for the picture's.
data, deadline = b"", time.monotonic() + 10
while time.monotonic() < deadline and not data.endswith(frame + b"\r\n--frame\r\n"):
    chunk = stream.recv(65536)
    if not chunk:
        break
    data += chunk
assert data.endswith(frame + b"\r\n--frame\r\n"), data[-60:]
EOF
kill -INT "$linger_pid"
wait "$linger_pid"
code=$?
[[ $code -eq 0 ]] || fail "Ctrl-C while lingering exited $code (want 0): $(cat "$linger_log")"

# One notebook cell shows the result: a run with --embed leaves a run page
# and galleries that, inserted as a string into a page with its own body
# style (as IPython's HTML() does), play every video (training and
# evaluation) with no file around and leave the host's style as it was.
embedded="$TEST_TMPDIR/embedded"
"$train" --env=CartPole-v1 --agent=ppo --steps=3000 --eval_every=1000 \
  --eval_episodes=1 --embed --run_dir="$embedded" --render_backend=llvmpipe \
  >"$TEST_TMPDIR/embedded.log" 2>&1 ||
  fail "train --embed: $(tail -n 5 "$TEST_TMPDIR/embedded.log")"
count() { find "$@" -maxdepth 1 -name '*.mp4' | wc -l; }
train_videos="$(count "$embedded/videos")"
eval_videos="$(count "$embedded/videos/eval")"
if [[ $train_videos -lt 1 || $eval_videos -lt 2 ]]; then
  fail "train --embed made $train_videos training and $eval_videos evaluation videos (want >= 1 and >= 2)"
fi
python3 "$check" --timeout 30 \
  --embedded "$embedded/index.html=$((train_videos + eval_videos))" \
  --embedded "$embedded/videos/index.html=$train_videos" \
  --embedded "$embedded/videos/eval/index.html=$eval_videos" ||
  fail "embedded pages (above)"

if [[ $failures -gt 0 ]]; then
  echo "$failures failure(s); the run's log:"
  tail -n 30 "$log"
  exit 1
fi
echo "PASS"
