#!/usr/bin/env bash
# The reliability holes a hostile tester found (issue 17), each as a check
# that failed before the fix: no run lost to a refused --overwrite, no write
# through a planted link, no debris from a refused run, resumes that keep
# their settings, honest summaries, messages that name the real mistake.
set -uo pipefail
train="$1"
play="$2"
tmp="$TEST_TMPDIR"
out="$tmp/out.txt"
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
common=(--render_backend=llvmpipe --size=96x64 --quiet)

# fingerprint DIR: every file below DIR (links too) with its checksum.
fingerprint() {
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum
   find . -type l | sort)
}

# expect_exit CODE WHAT COMMAND...: runs it; its exit code must be CODE.
expect_exit() {
  local want="$1" what="$2"
  shift 2
  "$@" >"$out" 2>&1
  local got=$?
  [[ $got == "$want" ]] || { fail "$what: exit $got, want $want"; cat "$out"; }
}

# A finished run to protect.
run="$tmp/run"
expect_exit 0 "the first run" "$train" --env=CartPole-v1 --agent=ppo \
  --steps=2000 --eval_every=1000 --eval_episodes=2 --run_dir="$run" "${common[@]}"
before="$(fingerprint "$run")"
[[ -s "$run/checkpoints/latest.ckpt" ]] || fail "the first run has no checkpoint"

# 1. --overwrite with a value refused later deletes nothing.
for bad in --fps=1000 --encoder_queue=-1 --render_backend=egl --crf=0 \
  "--recorder=webm --crf=64" --egl_device=5; do
  # shellcheck disable=SC2086
  "$train" --env=CartPole-v1 --agent=ppo --steps=2000 --run_dir="$run" \
    --overwrite --size=96x64 --quiet $bad >"$out" 2>&1 &&
    { fail "--overwrite $bad was accepted"; cat "$out"; }
  [[ "$(fingerprint "$run")" == "$before" ]] ||
    fail "--overwrite $bad changed the old run"
done
grep -q -- "--crf: mp4 recorder: crf is 0, valid range is 1\.\.51" < <("$train" --env=CartPole-v1 --agent=ppo --crf=0 \
  --run_dir="$tmp/crf0" "${common[@]}" 2>&1) ||
  fail "mp4 --crf=0: the message does not give the valid range 1..51"

# ... and a good --overwrite replaces the run, leaving nothing aside.
expect_exit 0 "a good --overwrite" "$train" --env=CartPole-v1 --agent=ppo \
  --steps=1000 --eval_every=500 --eval_episodes=1 --seed=4 --run_dir="$run" \
  --overwrite "${common[@]}"
grep -Eq '"seed": 4(,|$)' "$run/config.json" || fail "--overwrite kept the old config"
[[ -z "$(find "$run" -name '.replaced-*')" ]] || fail "the replaced run was left"
(($(wc -l <"$run/evals.csv") == 4)) ||
  fail "evals after --overwrite: $(cat "$run/evals.csv")"

# 2. A planted link: the run is refused and the link's target untouched.
echo precious >"$tmp/victim"
for name in index.html.tmp config.json videos; do
  linked="$tmp/linked-${name%%.*}"
  mkdir -p "$linked"
  ln -s "$tmp/victim" "$linked/$name"
  expect_exit 2 "a run into a directory holding a link ($name)" "$train" \
    --env=CartPole-v1 --agent=ppo --steps=500 --run_dir="$linked" "${common[@]}"
  grep -q "symbolic link" "$out" || { fail "link $name: no reason given"; cat "$out"; }
  [[ "$(cat "$tmp/victim")" == precious ]] || fail "the write followed $name"
  [[ ! -e "$linked/metrics.csv" && ! -e "$linked/index.html" ]] ||
    fail "a refused run ($name) wrote files"
done

# 3. A refused value writes nothing, so the corrected rerun just works...
fresh="$tmp/fresh"
for bad in --encoder_queue=-1 --render_backend=egl; do
  "$train" --env=CartPole-v1 --agent=ppo --steps=500 --run_dir="$fresh" \
    --size=96x64 --quiet $bad >"$out" 2>&1 && fail "$bad was accepted"
  [[ $bad == --encoder_queue=-1 ]] && ! grep -q queue_frames "$out" &&
    fail "--encoder_queue=-1: $(cat "$out")"
  [[ ! -e "$fresh" ]] || { fail "refused $bad left $(find "$fresh")"; rm -rf "$fresh"; }
done
"$train" --env=CartPole-v1 --agent=ppo --steps=500 --run_dir="$fresh" \
  --size=96x64 --quiet --encoder_queue=-1 --live=127.0.0.1:0 >"$out" 2>&1 &&
  fail "--encoder_queue=-1 with --live was accepted"
[[ ! -e "$fresh" ]] || { fail "refused run with --live left $fresh"; rm -rf "$fresh"; }
expect_exit 0 "the corrected rerun" "$train" --env=CartPole-v1 --agent=ppo \
  --steps=500 --run_dir="$fresh" "${common[@]}"
# ... and never replaces a gallery page (play runs).
gallery="$tmp/gallery"
mkdir -p "$gallery"
echo '<p>my page</p>' >"$gallery/index.html"
for bad in --encoder_queue=-1 --egl_device=5 --render_backend=egl; do
  "$train" --env=CartPole-v1 --episodes=1 --video_dir="$gallery" \
    --size=96x64 $bad >"$out" 2>&1 && fail "play run with $bad was accepted"
  [[ "$(cat "$gallery/index.html")" == '<p>my page</p>' ]] ||
    fail "play run with $bad replaced the gallery page"
done
ckpt="$fresh/checkpoints/latest.ckpt"
"$play" --checkpoint="$ckpt" --video_dir="$gallery" --render_backend=egl \
  >"$out" 2>&1 && fail "play --render_backend=egl was accepted here"
[[ "$(cat "$gallery/index.html")" == '<p>my page</p>' ]] ||
  fail "play --render_backend=egl replaced the gallery page"

# A leftover of a crashed run by the name a new video would take: kept as
# it was, listed in the gallery as interrupted; the new video takes another.
leftover_dir="$tmp/leftover"
mkdir -p "$leftover_dir"
head -c 5000 /dev/urandom >"$leftover_dir/CartPole-v1-episode-0-steps-0-recording.mp4"
sum_before=$(sha256sum <"$leftover_dir/CartPole-v1-episode-0-steps-0-recording.mp4")
expect_exit 0 "a run beside a leftover -recording file" "$train" \
  --env=CartPole-v1 --episodes=1 --video_dir="$leftover_dir" --size=96x64 \
  --render_backend=llvmpipe
[[ $(sha256sum <"$leftover_dir/CartPole-v1-episode-0-steps-0-recording.mp4") == "$sum_before" ]] ||
  fail "the leftover was overwritten"
ls "$leftover_dir" | grep -q '^CartPole-v1-episode-0-steps-0-[0-9]*\.mp4$' ||
  fail "no new video beside the leftover: $(ls "$leftover_dir")"
grep -qi "interrupted" "$leftover_dir/index.html" ||
  fail "the gallery does not list the leftover as interrupted"

# 4. Resume: the checkpoint's settings run; contradictions are refused.
resumed="$tmp/resumed"
expect_exit 0 "the run to resume" "$train" --env=CartPole-v1 --agent=ppo \
  --steps=2000 --eval_every=1000 --eval_episodes=1 --seed=2 \
  --record=every --record_every=2 --run_dir="$resumed" "${common[@]}"
latest="$resumed/checkpoints/latest.ckpt"
snapshot="$(fingerprint "$resumed")"
for contradiction in --env=MountainCar-v0 --agent=dqn --seed=5 \
  --hparams=learning_rate=0.5 --eval_every=7 --eval_episodes=3 --steps=100; do
  expect_exit 2 "resume $contradiction" "$train" --resume="$latest" \
    "$contradiction" "${common[@]}"
  grep -q -- "${contradiction%%=*}\|at step 2000" "$out" ||
    { fail "resume $contradiction: the message does not name it"; cat "$out"; }
done
# No --steps: the run's own budget, which it has reached.
expect_exit 2 "resume of a finished run" "$train" --resume="$latest" "${common[@]}"
grep -q "at step 2000" "$out" || { fail "finished run: $(cat "$out")"; }
[[ "$(fingerprint "$resumed")" == "$snapshot" ]] || fail "refused resumes changed the run"
# Needs no --agent; the same values given explicitly are fine.
expect_exit 0 "resume to 4000" "$train" --resume="$latest" --steps=4000 \
  --env=CartPole-v1 --seed=2 "${common[@]}"
[[ $(tail -n +2 "$resumed/evals.csv" | cut -d, -f1 | tr '\n' ' ') == "0 1000 2000 3000 4000 " ]] ||
  fail "evals.csv after resume: $(cat "$resumed/evals.csv")"
grep -q '"resumes"' "$resumed/config.json" || fail "config.json does not record the resume"
grep -Eq '"steps": 4000(,|$)' "$resumed/config.json" || fail "config.json: not the new budget"
# Video names go on counting: no step range of env 0 overlaps another.
ls "$resumed/videos" | grep -E '^CartPole-v1-episode-.*\.mp4$' |
  sed -E 's/.*-steps-([0-9]+)-([0-9]+)\.mp4/\1 \2/' | sort -n |
  awk 'NR > 1 && $1 <= last { bad = 1 } { last = $2 } END { exit bad }' ||
  fail "training video step ranges restart after the resume: $(ls "$resumed/videos")"
n_eval=$(ls "$resumed/videos/eval" | grep -c '\.mp4$')
((n_eval == 5)) || fail "5 evaluation videos expected, got $n_eval"
# A resume path that is no checkpoint file: refused at once.
mkfifo "$tmp/fifo"
for bad in "$resumed" "$tmp/fifo" /dev/zero; do
  expect_exit 2 "--resume=$bad" timeout 20 "$train" --resume="$bad" --steps=9000 \
    "${common[@]}"
done

# 5. The disk fills mid-run: the run fails saying why, the page (written in
# place of the old one, there being no room beside it) says so, and the
# videos finished before play.
full="$tmp/full"
mkdir -p "$full"
if unshare --mount --propagation private sh -c "mount -t tmpfs -o size=1500k tmpfs '$full' &&
    { '$train' --env=CartPole-v1 --agent=ppo --steps=60000 --run_dir='$full/run' \
        --render_backend=llvmpipe --record=every --quiet >'$tmp/full.out' 2>&1
      echo \$? >'$tmp/full.code'; cp -r '$full/run' '$tmp/full-copy'; }" 2>"$out"; then
  [[ "$(cat "$tmp/full.code")" == 1 ]] || fail "full disk: exit $(cat "$tmp/full.code")"
  grep -q "No space left on device" "$tmp/full.out" ||
    { fail "full disk: no reason given"; cat "$tmp/full.out"; }
  grep -q '<p class="rl-status">failed at step [0-9]*: .*No space left' \
    "$tmp/full-copy/index.html" || fail "full disk: the page does not say the run failed"
  grep -q 'http-equiv="refresh"' "$tmp/full-copy/index.html" &&
    fail "full disk: the failed page still refreshes"
  for video in "$tmp/full-copy"/videos/CartPole-v1-episode-*.mp4; do
    [[ $video == *-recording.mp4 ]] && continue
    ffprobe -v error -count_frames -select_streams v:0 \
      -show_entries stream=nb_read_frames -of csv=p=0 "$video" >/dev/null 2>&1 ||
      fail "full disk: $video does not play"
  done
else
  echo "skipped the full-disk check: cannot mount a tmpfs here ($(cat "$out"))"
fi

# 7. Ctrl-C: the summary names the latest and the best checkpoint; play
# does not count an episode cut short.
stopped="$tmp/stopped"
"$train" --env=CartPole-v1 --agent=ppo --steps=10000000 --eval_every=2000 \
  --eval_episodes=1 --run_dir="$stopped" --render_backend=llvmpipe \
  --size=96x64 --record=none >"$out" 2>&1 &
pid=$!
for _ in $(seq 600); do
  [[ -f "$stopped/evals.csv" ]] && (($(wc -l <"$stopped/evals.csv") >= 3)) &&
    break
  sleep 0.1
done
kill -INT "$pid"
wait "$pid"
code=$?
((code == 130)) || fail "SIGINT: exit $code"
grep -q "latest checkpoint (step [0-9]*): .*latest.ckpt" "$out" ||
  { fail "the stopped summary does not name latest.ckpt"; cat "$out"; }
grep -q "best evaluation .*best.ckpt" "$out" ||
  { fail "the stopped summary does not name best.ckpt"; cat "$out"; }
"$play" --checkpoint="$stopped/checkpoints/latest.ckpt" --episodes=1000 \
  --realtime --video_dir="$tmp/play" --render_backend=llvmpipe >"$out" 2>&1 &
pid=$!
sleep 2
kill -INT "$pid"
wait "$pid"
grep -q "not counted in the mean" "$out" || { fail "play: the cut episode"; cat "$out"; }
complete=$(grep -c '^episode [0-9]*: return' "$out")
grep -q "played $complete episode(s)" "$out" ||
  { fail "play counts the cut episode"; cat "$out"; }

# 8. Messages that point at the real mistake (exit 2: a flag error).
expect_exit 2 "typo'd env" "$train" --env=CartPol-v1 --agent=ppo
grep -q "CartPol-v1" "$out" && ! grep -q "no default step budget" "$out" ||
  { fail "typo'd env: $(cat "$out")"; }
expect_exit 2 "--steps=-5" "$train" --steps=-5
expect_exit 2 "--eval_every=-1" "$train" --agent=ppo --eval_every=-1 --run_dir="$tmp/x"
expect_exit 2 "--preset with webm" "$train" --recorder=webm --preset=fast --episodes=1
grep -q -- "--preset is an option of the mp4 recorder; --recorder=webm takes --vp9_speed, --vp9_row_mt, --vp9_tile_columns, --encoder_options" "$out" ||
  fail "--preset with webm: $(cat "$out")"
expect_exit 2 "--vp9_speed with mp4" "$train" --recorder=mp4 --vp9_speed=4 --episodes=1
grep -q -- "--vp9_speed is an option of the webm recorder; --recorder=mp4 takes --preset, --encoder_options" "$out" ||
  fail "--vp9_speed with mp4: $(cat "$out")"
expect_exit 2 "--hparams with random" "$train" --hparams=learning_rate=1 --episodes=1
expect_exit 2 "--seed=-1" "$train" --seed=-1
expect_exit 2 "play --max_episode_steps=0" "$play" --checkpoint="$ckpt" \
  --max_episode_steps=0
expect_exit 2 "play --seed=-1" "$play" --checkpoint="$ckpt" --seed=-1
[[ ! -e "$tmp/x" ]] || fail "a refused run created its directory"

if ((failures > 0)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all reliability checks passed"
