#!/usr/bin/env bash
# The pages an RL engineer reads, as they read them: a finished PPO run's
# page (a chart per metric, readouts that are metrics.csv's values,
# smoothing, zoom, a video marker playing in the page), a running run's page
# taking in new data without reloading, and the runs overview overlaying the
# two runs (pages_check.py, headless Chromium). Screenshots go to the test's
# undeclared outputs (the README's come from here).
set -uo pipefail
train="$1"
check="$2"
browser_check="$3"
export HOME="$TEST_TMPDIR"  # Chromium's profile and caches.
shots="${TEST_UNDECLARED_OUTPUTS_DIR:-$TEST_TMPDIR}"
runs="$TEST_TMPDIR/runs"
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

common=(--env=CartPole-v1 --agent=ppo --render_backend=llvmpipe --size=300x200 --quiet)

# A finished run, then a running one beside it.
"$train" "${common[@]}" --steps=20000 --eval_every=5000 --seed=1 \
  --run_dir="$runs/finished" >"$TEST_TMPDIR/finished.log" 2>&1 ||
  fail "training failed: $(tail -n 5 "$TEST_TMPDIR/finished.log")"
python3 "$check" "$browser_check" --run-page "$runs/finished" \
  --screenshot-dir "$shots" || fail "the finished run's page (above)"

"$train" "${common[@]}" --steps=100000000 --eval_every=100000000 --seed=2 \
  --run_dir="$runs/running" >"$TEST_TMPDIR/running.log" 2>&1 &
pid=$!
trap 'kill -9 "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q '"rows":\[\[' "$runs/running/index.html" 2>/dev/null && break
  sleep 0.1
done
python3 "$check" "$browser_check" --run-page "$runs/running" --running ||
  fail "the running run's page (above)"
kill -INT "$pid"
wait "$pid"
code=$?
[[ $code -eq 130 ]] || fail "the running run exited $code after SIGINT (want 130)"

# The overview of both (runs/index.html): a row each, two overlaid.
python3 "$check" "$browser_check" --overview "$runs" --screenshot-dir "$shots" ||
  fail "the runs overview (above)"

if ((failures > 0)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "PASS"
