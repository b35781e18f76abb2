#!/usr/bin/env bash
# Data-parallel training under mpirun (rl/mpi/README.md), as a user meets
# it: parameters bit-identical across ranks after K updates; 2 ranks x 4
# envs reach the PPO CartPole target within the budget 1 rank x 8 envs has
# (the defaults table's); a 2-rank run resumed with 4 ranks continues the
# curve; ranks started with different flags are refused before anything is
# written; killing one rank ends the job within seconds, naming the rank,
# with the videos written playable and the latest checkpoint usable; rank
# 0's live view shows rank 1's envs; SIGUSR1 to mpirun stops every rank
# cleanly.
set -uo pipefail
train="$1"
helper="$2"
lsan_suppressions="$3"
play="$4"
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Open MPI refuses root unless told; its session files go to the test's tmp.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export TMPDIR="$TEST_TMPDIR"
# Under --config=asan, LeakSanitizer: Open MPI is built without frame
# pointers, so the fast unwinder sees one frame of its allocations and no
# suppression can name them. Case 1 (short) unwinds fully and suppresses
# Open MPI's own exit-time allocations (tests/testdata/lsan_openmpi.supp),
# so the data-parallel agent and MpiWorld are leak-checked; the long runs
# after it skip leak checks (their code, MPI's aside, is leak-checked by the
# single-process asan tests).
if [[ -n "${ASAN_OPTIONS:-}" ]]; then
  export LSAN_OPTIONS="suppressions=$PWD/$lsan_suppressions:fast_unwind_on_malloc=0"
  export OMPI_MCA_mca_base_component_disable_dlclose=1
fi
# Two cores: more ranks than cores must be allowed, and ranks must yield
# while they wait.
mpi=(mpirun --oversubscribe --mca mpi_yield_when_idle 1)
common=(--render_backend=llvmpipe --recorder=mp4 --size=160x120 --quiet)

# http_get URL: the body on stdout (python3 is a declared dependency, curl
# is not).
http_get() {
  python3 -c 'import sys, urllib.request
sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=2).read())' \
    "$1" 2>/dev/null
}

decoded_frames() {
  ffprobe -v error -count_frames -select_streams v:0 \
    -show_entries stream=nb_read_frames -of csv=p=0 "$1" 2>/dev/null
}
check_video() {
  local video="$1" sidecar="${1%.*}.json" want got
  got=$(decoded_frames "$video")
  if [[ "$video" == *-recording.* ]]; then
    # Cut short when the job was killed mid-video (no sidecar yet): it
    # still opens and plays up to its last flush (none if killed within
    # --flush_interval_ms of its start).
    [[ -n "$got" ]] || fail "$video (cut short by the kill) does not open"
    return
  fi
  want=$(grep -o '"frames": [0-9]*' "$sidecar" | grep -o '[0-9]*$')
  [[ -n "$got" && "$got" == "$want" ]] ||
    fail "$video decodes to '$got' frames, sidecar says '$want'"
}

# 1. Parameters bit-identical across ranks after 6 updates, from different
# experience.
dir="$TEST_TMPDIR/agree"
mkdir -p "$dir"
if ! "${mpi[@]}" -np 2 "$helper" --out_dir="$dir" --updates=6 \
  >"$dir/out.txt" 2>&1; then
  fail "the 2-rank helper failed:"; cat "$dir/out.txt"
fi
grep -q 'rank 1: steps 1536, updates 6' "$dir/out.txt" ||
  { fail "rank 1 did not report 6 updates at step 1536"; cat "$dir/out.txt"; }
[[ -s "$dir/rank0.params" ]] || fail "rank 0 wrote no parameters"
cmp -s "$dir/rank0.params" "$dir/rank1.params" ||
  fail "rank 0's and rank 1's parameters differ after 6 updates"
cmp -s "$dir/rank0.returns" "$dir/rank1.returns" &&
  fail "both ranks ended the same episodes: their envs are not their own"

if [[ -n "${ASAN_OPTIONS:-}" ]]; then
  # (The slow unwinder, kept, would slow every allocation of the long runs.)
  export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
  unset LSAN_OPTIONS
fi

# 2. 2 ranks x 4 envs reach PPO CartPole's target (mean >= 475 over 20
# greedy episodes) within the defaults table's budget for 1 rank x 8 envs.
run="$TEST_TMPDIR/learn"
if ! "${mpi[@]}" -np 2 "$train" --env=CartPole-v1 --agent=ppo \
  --hparams=n_envs=4 --steps=150000 --eval_every=10000 --eval_episodes=20 \
  --record=none --record_eval=false --run_dir="$run" "${common[@]}" \
  >"$TEST_TMPDIR/learn.txt" 2>&1; then
  fail "the 2-rank CartPole run failed:"; cat "$TEST_TMPDIR/learn.txt"
fi
best=$(tail -n +2 "$run/evals.csv" | cut -d, -f2 | sort -g | tail -1)
awk -v b="${best:-0}" 'BEGIN { exit !(b >= 475) }' ||
  fail "2 ranks x 4 envs: best evaluation ${best:-none} < 475 within 150000 steps"
grep -q '"ranks": 2' "$run/config.json" || fail "config.json has no ranks: 2"

# 3. A 2-rank run to 8000 steps, resumed with 4 ranks to 16000.
run="$TEST_TMPDIR/resume"
"${mpi[@]}" -np 2 "$train" --env=CartPole-v1 --agent=ppo --hparams=n_envs=4 \
  --steps=8000 --eval_every=4000 --eval_episodes=2 --record_ranks=all \
  --run_dir="$run" "${common[@]}" >"$TEST_TMPDIR/first.txt" 2>&1 ||
  { fail "first part failed:"; cat "$TEST_TMPDIR/first.txt"; }
ls "$run"/videos/rank1/CartPole-v1-rank1-episode-*.mp4 >/dev/null 2>&1 ||
  fail "rank 1 (--record_ranks=all) recorded no video in videos/rank1"
for video in "$run"/videos/*.mp4 "$run"/videos/rank1/*.mp4; do
  check_video "$video"
done
grep -q '"rank": 1' "$run"/videos/rank1/*.json || fail "no rank in rank 1's sidecars"
grep -q 'training on rank 1' "$run/index.html" ||
  fail "the run page does not say which videos are rank 1's"
rows_before=$(wc -l <"$run/metrics.csv")
"${mpi[@]}" -np 4 "$train" --resume="$run/checkpoints/latest.ckpt" \
  --steps=16000 "${common[@]}" >"$TEST_TMPDIR/second.txt" 2>&1 ||
  { fail "resume with 4 ranks failed:"; cat "$TEST_TMPDIR/second.txt"; }
awk -F, 'NR > 2 && $1 + 0 < prev { bad = 1 } NR > 1 { prev = $1 + 0 }
  END { exit bad }' "$run/metrics.csv" || fail "metrics.csv steps decrease"
last=$(tail -1 "$run/metrics.csv" | cut -d, -f1)
((last > 8000 && $(wc -l <"$run/metrics.csv") > rows_before)) ||
  fail "the resumed run did not continue metrics.csv (last step $last)"
evals=$(tail -n +2 "$run/evals.csv" | cut -d, -f1 | tr '\n' ' ')
[[ "$evals" =~ ^0\ 4000\ 8000\ 12[0-9]{3}\ 16[0-9]{3}\ $ ]] ||
  fail "evals.csv steps after the resume: $evals"
grep -q '"ranks": 4' "$run/config.json" || fail "config.json has no ranks: 4"

# 4. Ranks given different flags: refused by name, nothing written.
run="$TEST_TMPDIR/mismatch"
"${mpi[@]}" -np 1 "$train" --agent=ppo --steps=2000 --seed=0 \
  --run_dir="$run" : -np 1 "$train" --agent=ppo --steps=2000 --seed=1 \
  --run_dir="$run" >"$TEST_TMPDIR/mismatch.txt" 2>&1
status=$?
((status != 0)) || fail "mismatched flags: exit status 0"
grep -q 'rank 1: --seed=1 (rank 0: --seed=0)' "$TEST_TMPDIR/mismatch.txt" ||
  { fail "mismatched flags: no message naming rank 1's --seed"; cat "$TEST_TMPDIR/mismatch.txt"; }
[[ ! -e "$run" ]] || fail "mismatched flags: $run was written"

# Only training runs data-parallel: playing episodes under mpirun is refused.
"${mpi[@]}" -np 2 "$train" --episodes=1 --video_dir="$TEST_TMPDIR/played" \
  >"$TEST_TMPDIR/episodes.txt" 2>&1 && fail "train --episodes under mpirun ran"
grep -q 'train runs data-parallel training only' "$TEST_TMPDIR/episodes.txt" ||
  { fail "train --episodes under mpirun: no reason given"; cat "$TEST_TMPDIR/episodes.txt"; }
"${mpi[@]}" -np 1 "$play" --env=CartPole-v1 --episodes=1 \
  --video_dir="$TEST_TMPDIR/played" >"$TEST_TMPDIR/play.txt" 2>&1 &&
  fail "play under mpirun ran"
grep -q 'play runs as one process' "$TEST_TMPDIR/play.txt" ||
  { fail "play under mpirun: no reason given"; cat "$TEST_TMPDIR/play.txt"; }
[[ ! -e "$TEST_TMPDIR/played" ]] || fail "refused runs wrote $TEST_TMPDIR/played"

# 5. Killing one rank ends the job within seconds.
run="$TEST_TMPDIR/kill"
mark="dp-test-$$-$RANDOM"
# (n_steps=64: each rank's rollout holds the whole minibatch of 256, so the
# run can resume in one process too.)
"${mpi[@]}" -np 2 -x DP_TEST_MARK="$mark" "$train" --env=CartPole-v1 \
  --agent=ppo --hparams=n_envs=4,n_steps=64 --steps=100000000 --eval_every=3000 \
  --eval_episodes=1 --record=every --record_every=5 --run_dir="$run" \
  "${common[@]}" >"$TEST_TMPDIR/kill.txt" 2>&1 &
job=$!
rank1=""
for _ in $(seq 600); do
  sleep 0.1
  [[ -s "$run/checkpoints/latest.ckpt" ]] || continue
  for environ in /proc/[0-9]*/environ; do
    if tr '\0' '\n' 2>/dev/null <"$environ" | grep -qx "DP_TEST_MARK=$mark" &&
      tr '\0' '\n' 2>/dev/null <"$environ" | grep -qx 'OMPI_COMM_WORLD_RANK=1'; then
      rank1=$(basename "$(dirname "$environ")")
    fi
  done
  [[ -n "$rank1" ]] && break
done
if [[ -z "$rank1" ]]; then
  fail "no checkpoint or no rank 1 process within 60 s"; kill -9 "$job"
else
  kill -9 "$rank1"
  start=$SECONDS
  while kill -0 "$job" 2>/dev/null && ((SECONDS - start < 30)); do sleep 0.2; done
  if kill -0 "$job" 2>/dev/null; then
    fail "the job still runs 30 s after rank 1 was killed"; kill -9 "$job"
  fi
  wait "$job"
  status=$?
  ((status != 0)) || fail "killed rank: mpirun exit status 0"
  grep -q 'rank 1' "$TEST_TMPDIR/kill.txt" ||
    { fail "killed rank: no message naming rank 1"; cat "$TEST_TMPDIR/kill.txt"; }
  echo "job ended $((SECONDS - start)) s after rank 1 was killed (status $status)"
  for video in "$run"/videos/CartPole-v1-episode-*.mp4; do check_video "$video"; done
  if ! "$train" --resume="$run/checkpoints/latest.ckpt" --steps=40000 \
    --record=none "${common[@]}" >"$TEST_TMPDIR/after.txt" 2>&1; then
    fail "the latest checkpoint after the kill does not resume:"; cat "$TEST_TMPDIR/after.txt"
  fi
fi

# 6. The live view (rank 0's) shows rank 1's envs too while watched.
run="$TEST_TMPDIR/live"
"${mpi[@]}" -np 2 "$train" --env=CartPole-v1 --agent=ppo --hparams=n_envs=4 \
  --steps=100000000 --record=none --record_eval=false --run_dir="$run" \
  --live=127.0.0.1:0 --render_backend=llvmpipe >"$TEST_TMPDIR/live.txt" 2>&1 &
job=$!
url=""
for _ in $(seq 300); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$TEST_TMPDIR/live.txt" | head -1)
  [[ -n "$url" ]] && break
  sleep 0.1
done
if [[ -z "$url" ]]; then
  fail "the 2-rank run printed no live view URL:"; cat "$TEST_TMPDIR/live.txt"
else
  # A viewer on rank 0's stream; rank 1's pictures follow at its meetings.
  python3 -c 'import sys, time, urllib.request
stream = urllib.request.urlopen(sys.argv[1], timeout=20)
start = time.time()
while time.time() - start < 20: stream.read(65536)' "${url}stream.mjpg" 2>/dev/null &
  viewer=$!
  pictures=""
  for _ in $(seq 150); do
    sleep 0.1
    pictures=$(http_get "${url}status.json" | grep -o '"rank_pictures":\[\[1,[0-9]*\]\]')
    [[ -n "$pictures" ]] && break
  done
  [[ -n "$pictures" ]] || fail "status.json lists no picture of rank 1"
  http_get "${url}rank_frame.jpg?rank=1" >"$TEST_TMPDIR/rank1.jpg"
  [[ "$(head -c 2 "$TEST_TMPDIR/rank1.jpg" | od -An -tx1 | tr -d ' ')" == ffd8 ]] ||
    fail "rank_frame.jpg?rank=1 is not a JPEG"
  kill "$viewer" 2>/dev/null
fi
# SIGUSR1 to mpirun reaches every rank: they stop together, cleanly.
kill -USR1 "$job" 2>/dev/null
wait "$job"
status=$?
((status == 130)) || { fail "SIGUSR1: exit status $status, want 130"; cat "$TEST_TMPDIR/live.txt"; }
grep -q 'stopped early by a signal; checkpoint, metrics, videos and page are complete' \
  "$TEST_TMPDIR/live.txt" || fail "SIGUSR1: no clean-stop summary"
grep -q 'http-equiv="refresh"' "$run/index.html" &&
  fail "SIGUSR1: the page still refreshes as if the run went on"

if ((failures > 0)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all data-parallel checks passed"
