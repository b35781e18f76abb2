#!/usr/bin/env bash
# The train binary as a user meets it: exit codes and messages for bad flags,
# --help, --quiet, --max_episode_steps, a reused --video_dir, and a real run
# that leaves videos and index.html.
set -uo pipefail
train="$1"
play="$2"
out="$TEST_TMPDIR/out.txt"
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# expect_failure CODE TEXT ARGS...: the run exits with CODE and prints TEXT.
expect_failure() {
  local code="$1" text="$2"
  shift 2
  "$train" "$@" >"$out" 2>&1
  local actual=$?
  if [[ $actual -ne $code ]] || ! grep -qF -- "$text" "$out"; then
    echo "FAIL: train $* exited $actual (want $code), output:"
    cat "$out"
    echo "(wanted it to contain: $text)"
    failures=$((failures + 1))
  fi
}

dir="$TEST_TMPDIR/videos"
expect_failure 2 "unknown env 'Nope-v0': valid values are Acrobot-v1, CartPole-v1, " --env=Nope-v0 --video_dir="$dir"
expect_failure 2 "--render_backend=metal: unknown render backend 'metal': valid values are auto, egl, glx, llvmpipe; on this machine: " --render_backend=metal --video_dir="$dir"
expect_failure 2 "unknown recorder 'avi': valid values are mp4, webm" --recorder=avi --video_dir="$dir"
expect_failure 2 "unknown agent 'smart': valid values are " --agent=smart --video_dir="$dir"
expect_failure 2 "--size=0x400: bad frame size '0x400'" --size=0x400 --video_dir="$dir"
expect_failure 2 "episodes must be >= 1" --episodes=0 --video_dir="$dir"
expect_failure 2 "--preset: mp4 recorder: unknown preset 'fastest': valid values are ultrafast" --preset=fastest --video_dir="$TEST_TMPDIR/preset"
expect_failure 1 "cannot create video directory /proc/nope" --video_dir=/proc/nope/videos
expect_failure 1 "Unknown command line flag 'colour'" --colour=red
if [[ -e "$dir" ]]; then
  echo "FAIL: a refused run created $dir"
  failures=$((failures + 1))
fi

# A real run: two episodes, an odd size, a standalone (embedded) page.
if ! "$train" --episodes=2 --size=161x101 --video_dir="$dir" --embed >"$out" 2>&1; then
  echo "FAIL: a good run failed:"
  cat "$out"
  failures=$((failures + 1))
fi
for episode in 0 1; do
  video=$(ls "$dir"/CartPole-v1-episode-$episode-steps-*.mp4 2>/dev/null)
  if [[ ! -s "$video" || ! -s "${video%.mp4}.json" ]]; then
    echo "FAIL: missing $video"
    failures=$((failures + 1))
  fi
done
if ! grep -q 'src="data:video/mp4;base64,AAAA' "$dir/index.html"; then
  echo "FAIL: index.html does not embed the videos"
  failures=$((failures + 1))
fi
if ! grep -q "wrote 2 video(s)" "$out"; then
  echo "FAIL: no summary line in:"
  cat "$out"
  failures=$((failures + 1))
fi

# --help lists every flag of the project's flag libraries, not only the
# binary's own (absl's default).
for binary in "$train" "$play"; do
  "$binary" --help >"$out" 2>&1
  for flag in live live_linger live_fps render_backend egl_device recorder \
      crf env_kwargs max_episode_steps overwrite; do
    grep -qF -- "--$flag (" "$out" ||
      fail "$(basename "$binary") --help does not list --$flag"
  done
done

# --quiet: errors only, the render backend's notice too. The same run
# without --quiet prints it (auto's choice), so the check can fail.
run="$TEST_TMPDIR/quiet-run"
common=(--env=FrozenLake-v1 --agent=q_learning --steps=300 --size=64x64
  --render_backend=auto --run_dir="$run" --overwrite)
"$train" "${common[@]}" >"$out" 2>&1 || fail "run without --quiet: $(cat "$out")"
grep -q "render backend auto: using" "$out" ||
  fail "no render backend notice without --quiet: $(cat "$out")"
"$train" "${common[@]}" --quiet >"$out" 2>&1 || fail "--quiet run: $(cat "$out")"
[[ ! -s "$out" ]] || fail "--quiet printed: $(cat "$out")"
# The same for --episodes runs (play and record).
"$train" --env=FrozenLake-v1 --episodes=2 --size=64x64 --render_backend=auto \
  --video_dir="$TEST_TMPDIR/quiet-videos" --quiet >"$out" 2>&1 ||
  fail "--quiet --episodes run: $(cat "$out")"
[[ ! -s "$out" ]] || fail "--quiet --episodes printed: $(cat "$out")"
[[ -s "$TEST_TMPDIR/quiet-videos/index.html" ]] || fail "--quiet --episodes wrote no gallery"

# --max_episode_steps: an env without a time limit (CliffWalking-v1) ends
# its episodes there, and so do their videos (a random agent's made an hour).
dir="$TEST_TMPDIR/cliff"
"$train" --env=CliffWalking-v1 --episodes=1 --max_episode_steps=30 \
  --size=64x64 --video_dir="$dir" >"$out" 2>&1 || fail "cliff run: $(cat "$out")"
grep -q "CliffWalking-v1 episode 0: return .* in 30 steps" "$out" ||
  fail "the episode was not cut at 30 steps: $(cat "$out")"
grep -q '"frames": 31' "$dir"/CliffWalking-v1-episode-0-steps-0-*.json ||
  fail "the video is not 31 frames (reset + 30 steps)"
expect_failure 2 "--max_episode_steps must be >= 1 (got 0)" \
  --max_episode_steps=0 --video_dir="$TEST_TMPDIR/never"
# Training: its episodes are not cut, its videos are.
run="$TEST_TMPDIR/cliff-run"
"$train" --env=CliffWalking-v1 --agent=q_learning --steps=2000 \
  --max_episode_steps=20 --size=64x64 --run_dir="$run" --quiet >"$out" 2>&1 ||
  fail "cliff training: $(cat "$out")"
first=$(ls "$run"/videos/CliffWalking-v1-episode-0-steps-*.json 2>/dev/null | head -1)
grep -q '"frames": 20' "$first" && grep -q '"ended": "frame cap"' "$first" ||
  fail "training video $first not capped at 20 frames: $(cat "$first")"

# A --video_dir holding another run's videos is refused (nothing written),
# or replaced with --overwrite: one directory, one run.
dir="$TEST_TMPDIR/reused"
"$train" --episodes=1 --size=64x64 --video_dir="$dir" >"$out" 2>&1 ||
  fail "first run: $(cat "$out")"
before=$(ls "$dir" | sort; cat "$dir"/*.json | sha256sum)
expect_failure 2 "--video_dir: video directory $dir already holds 1 video(s) of an earlier run (CartPole-v1-episode-0-steps-0-" \
  --episodes=1 --size=64x64 --video_dir="$dir" --recorder=webm
expect_failure 2 "(--overwrite deletes them and their sidecars first)" \
  --episodes=1 --size=64x64 --video_dir="$dir"
[[ "$(ls "$dir" | sort; cat "$dir"/*.json | sha256sum)" == "$before" ]] ||
  fail "a refused run changed $dir: $(ls "$dir")"
"$train" --episodes=1 --size=64x64 --video_dir="$dir" --recorder=webm \
  --overwrite >"$out" 2>&1 || fail "--overwrite run: $(cat "$out")"
ls "$dir"/*.mp4 >/dev/null 2>&1 && fail "--overwrite left the mp4s: $(ls "$dir")"
ls "$dir"/*.webm >/dev/null 2>&1 || fail "no webm after --overwrite: $(ls "$dir")"
grep -q '"codec": "vp9"' "$dir"/*.json || fail "sidecar not the new run's"

[[ $failures -eq 0 ]] && echo "all checks passed"
exit $failures
