#!/usr/bin/env bash
# The train binary's recording flags as a user meets them: bad values are
# refused (exit 2) with the valid ones listed, before anything is written;
# webm, every-Nth-episode and step-triggered runs leave the videos, sidecars
# and gallery they should; --record=none leaves nothing.
set -uo pipefail
train="$1"
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
    fail "train $* exited $actual (want $code), wanted '$text' in: $(cat "$out")"
  fi
}

never="$TEST_TMPDIR/never"
expect_failure 2 "--recorder: unknown recorder 'avi': valid values are mp4, webm" --recorder=avi --video_dir="$never"
expect_failure 2 "unknown record mode 'some': valid values are capped_cubic, every, steps, none" --record=some --video_dir="$never"
expect_failure 2 "--record_every: recording by steps needs record_every=N, the env steps from one video's start to the next (e.g. record_every=1000)" --record=steps --video_dir="$never"
expect_failure 2 "--video_length: video_length is -1" --video_length=-1 --video_dir="$never"
expect_failure 2 "--crf: webm recorder: crf is 64, valid range is 0..63" --recorder=webm --crf=64 --video_dir="$never"
expect_failure 2 "--crf: mp4 recorder: crf is 52, valid range is 1..51" --crf=52 --video_dir="$never"
expect_failure 2 "--vp9_speed: webm recorder: speed is 10, valid range is 0..9" --recorder=webm --vp9_speed=10 --video_dir="$never"
expect_failure 2 "--encoder_options: webm recorder: unknown encoder option 'preset': valid options are speed (0..9), row_mt (0 or 1), tile_columns (-1..6)" --recorder=webm --encoder_options=preset=fast --video_dir="$never"
expect_failure 2 "--encoder_options: mp4 recorder: unknown preset 'fastest'" --encoder_options=preset=fastest --video_dir="$never"
expect_failure 2 "--name_prefix: name_prefix 'a/b' contains '/'" --name_prefix=a/b --video_dir="$never"
[[ -e "$never" ]] && fail "a refused run created $never"

# webm, every 2nd episode of 5: episodes 0, 2, 4.
dir="$TEST_TMPDIR/webm"
if ! "$train" --recorder=webm --record=every --record_every=2 --episodes=5 \
    --size=96x64 --name_prefix=cp --video_dir="$dir" >"$out" 2>&1; then
  fail "webm run failed: $(cat "$out")"
fi
for episode in 0 2 4; do
  video=$(ls "$dir"/cp-episode-$episode-steps-*.webm 2>/dev/null)
  [[ -s "$video" ]] || fail "missing webm video of episode $episode in $(ls "$dir")"
  grep -q '"codec": "vp9"' "${video%.webm}.json" || fail "no sidecar for $video"
  grep -q "src=\"$(basename "$video")\"" "$dir/index.html" || fail "$video not in index.html"
done
[[ $(ls "$dir"/*.webm | wc -l) -eq 3 ]] || fail "expected 3 videos in $(ls "$dir")"
grep -q "wrote 3 video(s)" "$out" || fail "no summary line in: $(cat "$out")"

# A video every 30 steps, 10 frames each.
dir="$TEST_TMPDIR/steps"
if ! "$train" --record=steps --record_every=30 --video_length=10 --episodes=3 \
    --size=96x64 --preset=ultrafast --video_dir="$dir" >"$out" 2>&1; then
  fail "steps run failed: $(cat "$out")"
fi
ls "$dir"/CartPole-v1-episode-0-steps-1-10.mp4 >/dev/null 2>&1 ||
  fail "missing the first step video in $(ls "$dir")"
grep -q '"ended": "video_length"' "$dir"/CartPole-v1-episode-0-steps-1-10.json ||
  fail "sidecar of the first step video"

# Nothing recorded: no directory, no rendering.
dir="$TEST_TMPDIR/none"
if ! "$train" --record=none --episodes=2 --video_dir="$dir" >"$out" 2>&1; then
  fail "--record=none run failed: $(cat "$out")"
fi
[[ -e "$dir" ]] && fail "--record=none created $dir"
grep -q "recorded none" "$out" || fail "no summary line in: $(cat "$out")"

[[ $failures -eq 0 ]] && echo "all checks passed"
exit $failures
