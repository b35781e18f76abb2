#!/usr/bin/env bash
# Many runs and seeds as a user meets them (issue 16): train --seeds trains
# one run per seed into runs/ENV-AGENT-seedS, each with a status.json, and
# runs/index.html lists them (finished, one group of seeds); refusals; a
# run killed outright shows as interrupted; a user's own runs/index.html is
# left alone.
set -uo pipefail
train="$(realpath "$1")"
out="$TEST_TMPDIR/out.txt"
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
cd "$TEST_TMPDIR" || exit 1
common=(--agent=ppo --steps=1500 --eval_episodes=2 --record=none)

# 1. Two seeds, default run directories under runs/.
if ! "$train" --seeds=0,1 "${common[@]}" >"$out" 2>&1; then
  fail "train --seeds=0,1 failed:"; cat "$out"
fi
for s in 0 1; do
  dir="runs/CartPole-v1-ppo-seed$s"
  for f in config.json status.json metrics.csv evals.csv index.html checkpoints/latest.ckpt; do
    [[ -s "$dir/$f" ]] || fail "missing $dir/$f"
  done
  grep -Eq "\"seed\": $s(,|$)" "$dir/config.json" || fail "$dir/config.json: not seed $s"
  grep -q '"state": "finished"' "$dir/status.json" || fail "$dir/status.json: $(cat "$dir/status.json")"
  grep -q '"total_steps": 1500' "$dir/status.json" || fail "$dir/status.json has no budget"
  grep -q "\"pid\": [0-9]" "$dir/status.json" || fail "$dir/status.json has no pid"
  grep -q 'href="../index.html">all runs' "$dir/index.html" || fail "$dir/index.html has no 'all runs' link"
  grep -q "seed $s: finished, 15[0-9][0-9] steps" "$out" || fail "no summary line for seed $s"
done
cmp -s <(cut -d, -f1-4 runs/CartPole-v1-ppo-seed0/metrics.csv) \
  <(cut -d, -f1-4 runs/CartPole-v1-ppo-seed1/metrics.csv) && fail "seeds 0 and 1 trained alike"
grep -q "all runs: runs/index.html" "$out" || fail "the summary does not name the overview"
index=runs/index.html
grep -q '<meta name="generator" content="headless-rl runs overview">' "$index" ||
  fail "runs/index.html lacks the generator marker"
# The page's data (one line of JSON): both runs, finished, one seed group.
data=$(grep -o 'RlRunsOverview.start(root, .*);$' "$index")
for s in 0 1; do
  grep -q "\"name\":\"CartPole-v1-ppo-seed$s\"" <<<"$data" || fail "the overview does not list seed $s"
done
[[ $(grep -o '"state":"finished"' <<<"$data" | wc -l) -eq 2 ]] || fail "overview states: $(grep -o '"state":"[a-z]*"' <<<"$data")"
grep -q '"name":"mean of seeds 0, 1"' <<<"$data" || fail "no seed group in the overview"
grep -q '<script src=' "$index" && fail "the overview loads a script from elsewhere"

# 2. --run_dir with --seeds: RUN_DIR-seedS.
"$train" --seeds=2 "${common[@]}" --run_dir="$TEST_TMPDIR/mine" --quiet >"$out" 2>&1 ||
  { fail "--seeds with --run_dir"; cat "$out"; }
[[ -s "$TEST_TMPDIR/mine-seed2/config.json" ]] || fail "no mine-seed2: $(ls "$TEST_TMPDIR")"
[[ -e "$TEST_TMPDIR/mine" ]] && fail "--run_dir=mine was made as well"

# 3. Refusals (exit 2, saying why), before any run directory is made.
expect_refusal() {
  local text="$1"
  shift
  "$train" "$@" >"$out" 2>&1
  local code=$?
  [[ $code -eq 2 ]] && grep -qF -- "$text" "$out" ||
    { fail "train $* exited $code (want 2 with '$text'):"; cat "$out"; }
}
expect_refusal "--seeds and --seed" --seeds=0,1 --seed=3 "${common[@]}"
expect_refusal "--seeds with --resume" --seeds=0,1 \
  --resume=runs/CartPole-v1-ppo-seed0/checkpoints/latest.ckpt
expect_refusal "--seeds with --episodes" --seeds=0,1 --episodes=3
expect_refusal "'x' is not a seed" --seeds=0,x "${common[@]}"
# The largest uint64 (a loop to it would never end): refused as --seed is.
expect_refusal "is larger than 9223372036854775807" \
  --seeds=18446744073709551615 "${common[@]}"
expect_refusal "ends before it starts" --seeds=4-2 "${common[@]}"
expect_refusal "repeats seed 1" --seeds=0-2,1 "${common[@]}"
if command -v mpirun >/dev/null; then
  mpirun --allow-run-as-root --oversubscribe -np 1 "$train" --seeds=5,6 \
    "${common[@]}" >"$out" 2>&1
  grep -qF -- "--seeds under mpirun" "$out" || { fail "--seeds under mpirun"; cat "$out"; }
fi
[[ -e runs/CartPole-v1-ppo-seed5 || -e runs/CartPole-v1-ppo-seed4 ]] &&
  fail "a refused --seeds made a run directory"

# 4. A failed seed does not stop the others; the exit code says it failed.
"$train" --seeds=1-3 "${common[@]}" --quiet >"$out" 2>&1
code=$?
((code == 2)) || { fail "seed 1's run directory is taken: exit $code, want 2"; cat "$out"; }
[[ -s runs/CartPole-v1-ppo-seed3/status.json ]] || fail "the seeds after a failed one did not run"

# 5. A run killed outright (no chance to say so) is interrupted.
"$train" --agent=ppo --steps=100000000 --eval_every=500 --eval_episodes=1 \
  --record=none --seed=9 --quiet >"$out" 2>&1 &
pid=$!
for _ in $(seq 300); do
  [[ -f runs/CartPole-v1-ppo-seed9/evals.csv ]] &&
    (($(wc -l <runs/CartPole-v1-ppo-seed9/evals.csv) >= 2)) && break
  sleep 0.1
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null
grep -q '"state": "running"' runs/CartPole-v1-ppo-seed9/status.json ||
  fail "the killed run's status: $(cat runs/CartPole-v1-ppo-seed9/status.json)"
# The next run to start rewrites the overview.
"$train" --seeds=4 "${common[@]}" --quiet >"$out" 2>&1 || { fail "seed 4"; cat "$out"; }
data=$(grep -o 'RlRunsOverview.start(root, .*);$' "$index")
[[ $(grep -o '"state":"interrupted"' <<<"$data" | wc -l) -eq 1 ]] ||
  fail "the killed run is not interrupted in the overview"

# 6. A half-written folder and a file are listed, not fatal.
mkdir -p runs/torn && echo '{"run": {"env": "Ca' >runs/torn/config.json
echo notes >runs/notes.txt
"$train" --seeds=5 "${common[@]}" --quiet >"$out" 2>&1 || { fail "seed 5"; cat "$out"; }
grep -q 'not a run: config.json is not valid JSON' "$index" || fail "the torn folder is not listed as such"
grep -q '"name":"CartPole-v1-ppo-seed5"' "$index" || fail "seed 5 is not listed"

# 7. A user's own runs/index.html is never replaced: one warning, and run
# pages do not link it.
echo '<p>my runs</p>' >"$index"
"$train" --seeds=6 "${common[@]}" >"$out" 2>&1 || { fail "seed 6"; cat "$out"; }
[[ "$(cat "$index")" == '<p>my runs</p>' ]] || fail "the user's runs/index.html was replaced"
[[ $(grep -c 'is not a runs overview' "$out") -eq 1 ]] || { fail "want one warning"; cat "$out"; }
grep -q 'all runs' runs/CartPole-v1-ppo-seed6/index.html && fail "a run page links the user's page"

[[ $failures -eq 0 ]] && echo "all checks passed"
exit $failures
