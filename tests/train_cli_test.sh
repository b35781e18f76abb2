#!/usr/bin/env bash
# The train binary as a user meets it: exit codes and messages for bad flags,
# and a real run that leaves videos and index.html.
set -uo pipefail
train="$1"
out="$TEST_TMPDIR/out.txt"
failures=0

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

[[ $failures -eq 0 ]] && echo "all checks passed"
exit $failures
