#!/usr/bin/env bash
# --env_kwargs (gym.make(id, **kwargs)) as a user meets it in train and play:
# bad keys and values refused with exit 2 before anything is written, the
# kwargs in config.json, the sidecars and the page, the same env for
# training, evaluation, play and resume, and contradictions refused.
set -uo pipefail
train="$1"
play="$2"
out="$TEST_TMPDIR/out.txt"
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# expect CODE TEXT PROGRAM ARGS...: PROGRAM exits with CODE and prints TEXT.
expect() {
  local code="$1" text="$2"
  shift 2
  "$@" >"$out" 2>&1
  local actual=$?
  if [[ $actual -ne $code ]] || ! grep -qF -- "$text" "$out"; then
    fail "$* exited $actual (want $code with '$text'), output:"
    cat "$out"
  fi
}

common=(--render_backend=llvmpipe --recorder=mp4 --size=64x64)
run="$TEST_TMPDIR/run"
lake=(--env=FrozenLake-v1 --agent=q_learning)

# 1. Refused before anything is written, exit 2, naming the flag.
expect 2 "--env_kwargs=slippery=False: FrozenLake-v1: unknown keyword argument slippery; valid keys are desc, is_slippery, map_name, max_episode_steps," \
  "$train" "${lake[@]}" --env_kwargs=slippery=False --steps=100 --run_dir="$run" "${common[@]}"
expect 2 "--env_kwargs=map_name=9x9: " \
  "$train" "${lake[@]}" --env_kwargs=map_name=9x9 --steps=100 --run_dir="$run" "${common[@]}"
expect 2 "--env_kwargs=is_slippery: " \
  "$train" "${lake[@]}" --env_kwargs=is_slippery --steps=100 --run_dir="$run" "${common[@]}"
expect 2 "--env_kwargs=gravity=3: Acrobot-v1: unknown keyword argument gravity; this env takes only max_episode_steps" \
  "$train" --env=Acrobot-v1 --env_kwargs=gravity=3 --episodes=1 --video_dir="$TEST_TMPDIR/videos"
[[ -e "$run" || -e "$TEST_TMPDIR/videos" ]] && fail "a refused run wrote $(ls "$TEST_TMPDIR")"

# 2. Training on the 8x8 lake, not slippery: every env made with the kwargs.
kwargs=is_slippery=False,map_name=8x8
expect 0 "trained 1000 steps" "$train" "${lake[@]}" --env_kwargs="$kwargs" \
  --steps=1000 --eval_every=500 --eval_episodes=2 --record=every \
  --record_every=20 --run_dir="$run" "${common[@]}"
grep -q "\"env_kwargs\": \"$kwargs\"" "$run/config.json" ||
  fail "config.json lacks the kwargs: $(cat "$run/config.json")"
grep -q "FrozenLake-v1 ($kwargs) / q_learning" "$run/index.html" ||
  fail "the run page does not show the kwargs"
# The env keeps its id with map_name=8x8, as gym.make("FrozenLake-v1",
# map_name="8x8") does.
ls "$run"/videos/FrozenLake-v1-episode-*.mp4 >/dev/null 2>&1 ||
  fail "no training video of the 8x8 lake: $(ls "$run/videos")"
sidecars=("$run"/videos/*.json "$run"/videos/eval/*.json)
((${#sidecars[@]} >= 4)) || fail "want training and evaluation sidecars, got ${sidecars[*]}"
for sidecar in "${sidecars[@]}"; do
  grep -q "\"env_kwargs\": \"$kwargs\"" "$sidecar" || fail "$sidecar lacks the kwargs"
done
# The evaluation env is made with the kwargs too (its sidecars above): the
# untrained greedy policy (all Q-values 0: always left) stays put until
# FrozenLake-v1's time limit, 100 steps, which Gymnasium registers with the
# id whatever the map (FrozenLake8x8-v1's is 200).
first_eval="$run/videos/eval/FrozenLake-v1-eval-step-0-episode-0.json"
grep -q '"steps": 100,' "$first_eval" && grep -q '"ended": "truncated"' "$first_eval" ||
  fail "the evaluation did not stop at FrozenLake-v1's limit: $(ls "$run/videos/eval")"

# 3. play takes the run's kwargs from its config.json ...
expect 0 "env kwargs $kwargs (from $run/config.json)" "$play" \
  --checkpoint="$run/checkpoints/best.ckpt" --episodes=1 \
  --video_dir="$TEST_TMPDIR/play" "${common[@]}"
grep -q "\"env_kwargs\": \"$kwargs\"" "$TEST_TMPDIR"/play/*.json ||
  fail "play's sidecar lacks the kwargs"
# ... and an explicit --env_kwargs makes another env: the default 4x4 lake
# has 16 states, the checkpoint's 64.
expect 3 "Discrete(64) differs from the env's Discrete(16) (the env made with --env_kwargs=)" \
  "$play" --checkpoint="$run/checkpoints/best.ckpt" --env_kwargs= \
  --video_dir="$TEST_TMPDIR/play-4x4" "${common[@]}"
expect 2 "--env_kwargs=foo=1: FrozenLake-v1: unknown keyword argument foo" \
  "$play" --checkpoint="$run/checkpoints/best.ckpt" --env_kwargs=foo=1 \
  --video_dir="$TEST_TMPDIR/play-bad" "${common[@]}"
[[ -e "$TEST_TMPDIR/play-4x4" || -e "$TEST_TMPDIR/play-bad" ]] &&
  fail "a refused play created its video directory"

# 4. Resume: the run's kwargs; a contradicting --env_kwargs refused by name.
latest="$run/checkpoints/latest.ckpt"
before=$(cat "$run/evals.csv")
for contradiction in --env_kwargs=map_name=8x8 --env_kwargs=; do
  expect 2 "$contradiction" "$train" --resume="$latest" --steps=1500 \
    "$contradiction" "${common[@]}"
  grep -q "contradicts the run's $run/config.json (env_kwargs $kwargs)" "$out" ||
    { fail "resume $contradiction: $(cat "$out")"; }
done
[[ "$(cat "$run/evals.csv")" == "$before" ]] || fail "a refused resume changed the run"
expect 0 "trained 1500 steps" "$train" --resume="$latest" --steps=1500 \
  --env_kwargs=map_name=8x8,is_slippery=false "${common[@]}"
expect 0 "trained 2000 steps" "$train" --resume="$latest" --steps=2000 "${common[@]}"
[[ $(tail -n +2 "$run/evals.csv" | cut -d, -f1 | tr '\n' ' ') == "0 500 1000 1500 2000 " ]] ||
  fail "evals.csv after the resumes: $(cat "$run/evals.csv")"
grep -q "\"env_kwargs\": \"$kwargs\"" "$run/config.json" ||
  fail "config.json lost the kwargs on resume"
for sidecar in "$run"/videos/*.json; do
  grep -q "\"env_kwargs\": \"$kwargs\"" "$sidecar" || fail "$sidecar lacks the kwargs"
done

# 5. Episodes without training (the random agent): max_episode_steps for
# any env; a run without kwargs writes "" in its sidecars.
expect 0 "wrote 2 video(s)" "$train" --env=CartPole-v1 \
  --env_kwargs=max_episode_steps=5 --episodes=2 --record=every \
  --video_dir="$TEST_TMPDIR/short" "${common[@]}"
for sidecar in "$TEST_TMPDIR"/short/*.json; do
  grep -q '"env_kwargs": "max_episode_steps=5"' "$sidecar" &&
    grep -q '"steps": 5,' "$sidecar" && grep -q '"ended": "truncated"' "$sidecar" ||
    fail "$sidecar: $(cat "$sidecar")"
done
expect 0 "wrote 1 video(s)" "$train" --env=CartPole-v1 --episodes=1 \
  --record=every --video_dir="$TEST_TMPDIR/plain" "${common[@]}"
grep -q '"env_kwargs": ""' "$TEST_TMPDIR"/plain/*.json || fail "no empty env_kwargs"
# The README's MuJoCo example.
expect 0 "played 1 episode(s), recorded none" "$train" --env=HalfCheetah-v5 \
  --env_kwargs=ctrl_cost_weight=0.05,frame_skip=5 --episodes=1 --record=none

[[ $failures -eq 0 ]] && echo "all checks passed"
exit $failures
