#!/usr/bin/env bash
# Training runs as a user meets them: the run directory (metrics, evals,
# checkpoints, config, videos, index.html with an SVG curve), play from a
# checkpoint (and refusing corrupt or mismatched ones), resume continuing
# the curve, SIGINT stopping cleanly, console output.
# Videos are checked by decoding them with ffmpeg (tools/debian-packages.txt).
set -uo pipefail
train="$1"
play="$2"
out="$TEST_TMPDIR/out.txt"
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# decoded_frames FILE: frames ffprobe decodes from FILE (empty on error).
decoded_frames() {
  ffprobe -v error -count_frames -select_streams v:0 \
    -show_entries stream=nb_read_frames -of csv=p=0 "$1" 2>/dev/null
}

# check_video FILE: it decodes to exactly the frames its sidecar says.
check_video() {
  local video="$1" sidecar="${1%.*}.json"
  [[ -s "$video" ]] || { fail "missing video $video"; return; }
  [[ -s "$sidecar" ]] || { fail "missing sidecar $sidecar"; return; }
  local want got
  want=$(grep -o '"frames": [0-9]*' "$sidecar" | grep -o '[0-9]*$')
  got=$(decoded_frames "$video")
  [[ -n "$got" && "$got" == "$want" ]] ||
    fail "$video decodes to '$got' frames, sidecar says '$want'"
}

# check_metrics FILE: a header, numeric rows, steps never decreasing (PPO's
# lockstep envs may end episodes on the same step).
check_metrics() {
  head -1 "$1" | grep -q '^step,episode,return,length,steps_per_s' ||
    fail "$1 header: $(head -1 "$1")"
  awk -F, 'NR > 1 {
      for (i = 1; i <= 5; ++i) if ($i !~ /^-?[0-9.e+-]+$/) { print "bad row " NR; exit 1 }
      if (NR > 2 && $1 + 0 < prev) { print "step decreases at row " NR; exit 1 }
      prev = $1 + 0 }' "$1" || fail "$1 rows"
}

run="$TEST_TMPDIR/run"
common=(--render_backend=llvmpipe --recorder=mp4 --size=160x120)

# 1. PPO on CartPole for 4000 steps, evaluated every 1000.
if ! "$train" --env=CartPole-v1 --agent=ppo --steps=4000 --eval_every=1000 \
  --eval_episodes=2 --seed=3 --run_dir="$run" "${common[@]}" >"$out" 2>&1; then
  fail "training run failed:"; cat "$out"
fi
grep -q 'steps/s' "$out" && grep -q 'ETA' "$out" || { fail "no progress lines"; cat "$out"; }
grep -q 'trained 4000 steps' "$out" || fail "no summary line"
check_metrics "$run/metrics.csv"
rows=$(($(wc -l <"$run/metrics.csv") - 1))
((rows >= 20)) || fail "metrics.csv has only $rows rows"
[[ $(tail -n +2 "$run/evals.csv" | cut -d, -f1 | tr '\n' ' ') == "0 1000 2000 3000 4000 " ]] ||
  fail "evals.csv steps: $(cat "$run/evals.csv")"
for f in checkpoints/latest.ckpt checkpoints/best.ckpt config.json index.html; do
  [[ -s "$run/$f" ]] || fail "missing $run/$f"
done
grep -q '"agent": "ppo"' "$run/config.json" || fail "config.json lacks the agent"
grep -q '"learning_rate"' "$run/config.json" || fail "config.json lacks hyperparams"
# The charts are drawn in the browser (rl/charts/charts.js) from the data
# inline in the page.
grep -q 'RlCharts' "$run/index.html" || fail "index.html has no charts"
grep -q '"columns":\["step","episode","return"' "$run/index.html" &&
  grep -q '"rows":\[\[[0-9]' "$run/index.html" || fail "no curve points"
grep -q 'http-equiv="refresh"' "$run/index.html" && fail "finished page still refreshes"
links=$(grep -o 'href="videos/[^"]*\.mp4"' "$run/index.html" | sort -u | sed 's/href="//;s/"$//')
[[ $(echo "$links" | grep -c eval) -eq 5 ]] || fail "want 5 eval videos linked, got: $links"
[[ $(echo "$links" | grep -vc eval) -ge 2 ]] || fail "want training videos linked, got: $links"
for link in $links; do check_video "$run/$link"; done
# One numbering (rl/pipeline/observer.h): a training video
# ENV-episode-E-steps-A-B that ended with its episode is metrics.csv's row
# "B,E,RETURN,..." (8 lockstep envs: the run's steps and episodes, not env
# 0's), its sidecar says the same and the page captions it "at step B,
# episode E"; evaluation videos are named by the evals.csv step they ran at.
checked=0
for sidecar in "$run"/videos/CartPole-v1-episode-*.json; do
  grep -Eq '"ended": "(terminated|truncated)"' "$sidecar" || continue
  name=$(basename "$sidecar" .json)
  [[ $name =~ -episode-([0-9]+)-steps-([0-9]+)-([0-9]+)$ ]] || fail "odd video name $name"
  e=${BASH_REMATCH[1]} a=${BASH_REMATCH[2]} b=${BASH_REMATCH[3]}
  grep -q "\"episode\": $e," "$sidecar" && grep -q "\"first_step\": $a," "$sidecar" &&
    grep -q "\"last_step\": $b," "$sidecar" || fail "sidecar $name says other numbers"
  video_return=$(sed -nE 's/^ *"return": ([-0-9.e+]+),$/\1/p' "$sidecar")
  row=$(grep -E "^$b,$e," "$run/metrics.csv")
  awk -F, -v r="$video_return" '{ exit !($3 == r) }' <<<"$row" ||
    fail "video $name (return $video_return) is not metrics.csv's episode $e at step $b: '$row'"
  grep -q "at step $b, episode $e," "$run/index.html" || fail "no page caption 'at step $b, episode $e'"
  checked=$((checked + 1))
done
((checked >= 2)) || fail "only $checked training videos checked: $(ls "$run/videos")"
for s in $(tail -n +2 "$run/evals.csv" | cut -d, -f1); do
  [[ -s "$run/videos/eval/CartPole-v1-eval-step-$s-episode-0.mp4" ]] ||
    fail "no evaluation video named by its step $s: $(ls "$run/videos/eval")"
done
grep -q '"num_envs": 8,' "$run/config.json" && grep -q '"record_eval": true,' "$run/config.json" &&
  grep -Eq '"learning_rate": 0.001(,|$)' "$run/config.json" ||
  fail "config.json does not keep numbers as numbers: $(cat "$run/config.json")"

# 2. Reproducible: the same seed gives the same metrics (but for steps/s).
"$train" --agent=ppo --steps=4000 --eval_every=1000 --eval_episodes=2 --seed=3 \
  --run_dir="$TEST_TMPDIR/run2" --record=none --quiet >"$out" 2>&1 || fail "second run failed"
[[ ! -s "$out" ]] || { fail "--quiet printed:"; cat "$out"; }
cmp <(cut -d, -f1-4 "$run/metrics.csv") <(cut -d, -f1-4 "$TEST_TMPDIR/run2/metrics.csv") ||
  fail "same seed, different metrics"
[[ ! -e "$TEST_TMPDIR/run2/videos/eval" ]] || [[ -z $(ls "$TEST_TMPDIR/run2/videos/eval"/*.mp4 2>/dev/null) ]] ||
  fail "--record=none recorded evaluations"

# A new run refuses a run directory that holds one, unless --overwrite.
"$train" --agent=ppo --steps=100 --run_dir="$TEST_TMPDIR/run2" --record=none >"$out" 2>&1
[[ $? -eq 2 ]] && grep -q 'already holds a run' "$out" || { fail "reused run_dir"; cat "$out"; }
"$train" --agent=ppo --steps=300 --run_dir="$TEST_TMPDIR/run2" --record=none \
  --overwrite --quiet >"$out" 2>&1 || { fail "--overwrite"; cat "$out"; }
[[ $(tail -1 "$TEST_TMPDIR/run2/evals.csv" | cut -d, -f1) -lt 1000 ]] ||
  fail "--overwrite kept the old evaluations"

# 3. play: the checkpoint loads and records greedy episodes.
if ! "$play" --checkpoint="$run/checkpoints/best.ckpt" --episodes=2 \
  --video_dir="$TEST_TMPDIR/play" --render_backend=llvmpipe >"$out" 2>&1; then
  fail "play failed:"; cat "$out"
fi
grep -q 'played 2 episode(s) of CartPole-v1' "$out" || { fail "play summary"; cat "$out"; }
for video in "$TEST_TMPDIR"/play/*.mp4; do check_video "$video"; done
[[ -s "$TEST_TMPDIR/play/index.html" ]] || fail "play wrote no gallery"
# ... with the render flags train has (//rl/render:render_flags): --size is
# the video's size, and the sidecar says what rendered it.
if ! "$play" --checkpoint="$run/checkpoints/best.ckpt" --episodes=1 \
  --video_dir="$TEST_TMPDIR/play-sized" --render_backend=llvmpipe \
  --size=96x64 --overlay --overlay_label=sized >"$out" 2>&1; then
  fail "play with the render flags failed:"; cat "$out"
fi
for video in "$TEST_TMPDIR"/play-sized/*.mp4; do
  size=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height \
    -of csv=p=0 "$video")
  [[ $size == "96,64" ]] || fail "play --size=96x64 wrote a $size video"
done
expect_play_failure_early() {
  "$play" --checkpoint="$run/checkpoints/best.ckpt" "$@" \
    --video_dir="$TEST_TMPDIR/bad-flags" >"$out" 2>&1
  [[ $? -eq 2 ]] || { fail "play $* was not refused with exit 2"; cat "$out"; }
}
expect_play_failure_early --size=0x64
grep -qF -- "--size=0x64: bad frame size '0x64'" "$out" || { fail "play --size"; cat "$out"; }
expect_play_failure_early --render_backend=metal
grep -qF -- "--render_backend=metal: unknown render backend 'metal': valid values are auto, egl, glx, llvmpipe" "$out" ||
  { fail "play --render_backend=metal"; cat "$out"; }
expect_play_failure_early --egl_device=5
grep -qF -- "--render_backend=auto --egl_device=5: EGL device 5 does not exist" "$out" ||
  { fail "play --egl_device=5"; cat "$out"; }
[[ -e "$TEST_TMPDIR/bad-flags" ]] && fail "a refused play created its video directory"

# 4. play refuses bad checkpoints with exit 3 and a clear message.
expect_play_failure() {
  local code="$1" text="$2"
  shift 2
  "$play" "$@" --video_dir="$TEST_TMPDIR/bad" >"$out" 2>&1
  local actual=$?
  if [[ $actual -ne $code ]] || ! grep -qF -- "$text" "$out"; then
    fail "play $* exited $actual (want $code with '$text'):"; cat "$out"
  fi
}
echo "not a checkpoint" >"$TEST_TMPDIR/garbage.ckpt"
head -c 200 "$run/checkpoints/best.ckpt" >"$TEST_TMPDIR/truncated.ckpt"
cp "$run/checkpoints/best.ckpt" "$TEST_TMPDIR/flipped.ckpt"
printf '\xff' | dd of="$TEST_TMPDIR/flipped.ckpt" bs=1 seek=1000 conv=notrunc 2>/dev/null
expect_play_failure 3 "not a headless_rl checkpoint" --checkpoint="$TEST_TMPDIR/garbage.ckpt"
expect_play_failure 3 "truncated" --checkpoint="$TEST_TMPDIR/truncated.ckpt"
expect_play_failure 3 "checksum" --checkpoint="$TEST_TMPDIR/flipped.ckpt"
expect_play_failure 3 "not 'Acrobot-v1'" --checkpoint="$run/checkpoints/best.ckpt" --env=Acrobot-v1
expect_play_failure 3 "cannot use checkpoint" --checkpoint="$TEST_TMPDIR/none.ckpt"
expect_play_failure 2 "--checkpoint is required"
[[ -e "$TEST_TMPDIR/bad" ]] && fail "a refused play created its video directory"

# 5. Resume continues the same curve in the same run directory.
before=$(wc -l <"$run/metrics.csv")
if ! "$train" --resume="$run/checkpoints/latest.ckpt" --steps=6000 --record=none \
  --render_backend=llvmpipe >"$out" 2>&1; then
  fail "resume failed:"; cat "$out"
fi
check_metrics "$run/metrics.csv"
after=$(wc -l <"$run/metrics.csv")
((after > before)) || fail "resume appended no rows ($before -> $after)"
last=$(tail -1 "$run/evals.csv" | cut -d, -f1)
[[ "$last" == 6000 ]] || fail "last evaluation at $last, want 6000"

# 6. SIGINT: stops cleanly with exit 130.
sig="$TEST_TMPDIR/sig"
"$train" --agent=ppo --steps=100000000 --eval_every=100000000 --run_dir="$sig" \
  --record=every --record_every=1 "${common[@]}" >"$TEST_TMPDIR/sig.txt" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  [[ -f "$sig/videos.csv" ]] && (($(grep -c ',train,' "$sig/videos.csv") >= 3)) && break
  sleep 0.1
done
kill -INT "$pid"
wait "$pid"
code=$?
[[ $code -eq 130 ]] || { fail "SIGINT: exit $code, want 130"; cat "$TEST_TMPDIR/sig.txt"; }
grep -q 'http-equiv="refresh"' "$sig/index.html" && fail "stopped page still refreshes"
grep -q 'stopped early' "$sig/index.html" || fail "stopped page does not say so"
[[ -s "$sig/checkpoints/latest.ckpt" ]] || fail "no checkpoint after SIGINT"
check_metrics "$sig/metrics.csv"
ls "$sig"/videos/*-recording.* 2>/dev/null && fail "a video was left unfinished"
lastvideo=$(grep ',train,' "$sig/videos.csv" | tail -1 | cut -d, -f5)
check_video "$sig/$lastvideo"
"$play" --checkpoint="$sig/checkpoints/latest.ckpt" --episodes=1 \
  --video_dir="$TEST_TMPDIR/play2" --render_backend=llvmpipe >"$out" 2>&1 ||
  fail "the checkpoint written at SIGINT does not play"

# 7. Other agents: DQN checkpoints; random trains without checkpoints.
"$train" --agent=dqn --steps=1500 --run_dir="$TEST_TMPDIR/dqn" --record=none \
  --hparams=learning_starts=200 >"$out" 2>&1 || { fail "dqn run"; cat "$out"; }
[[ -s "$TEST_TMPDIR/dqn/checkpoints/best.ckpt" ]] || fail "dqn wrote no checkpoint"
grep -Eq 'learning_starts": 200(,|$)' "$TEST_TMPDIR/dqn/config.json" || fail "--hparams not in config.json"
"$train" --agent=random --steps=500 --run_dir="$TEST_TMPDIR/random" --record=none \
  >"$out" 2>&1 || { fail "random run"; cat "$out"; }
check_metrics "$TEST_TMPDIR/random/metrics.csv"
"$train" --agent=ppo --steps=100 --hparams=nope=1 --run_dir="$TEST_TMPDIR/nope" >"$out" 2>&1
[[ $? -eq 2 ]] && grep -q nope "$out" || { fail "unknown hyper-parameter"; cat "$out"; }

[[ $failures -eq 0 ]] && echo "all checks passed"
exit $failures
