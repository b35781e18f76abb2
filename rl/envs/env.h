// Env: a reinforcement-learning environment with Gymnasium's semantics.
//
//   Reset(seed) starts an episode and returns the first observation.
//   Step(action) advances one step and fills a StepResult:
//     terminated: the episode reached a terminal state of the MDP (the pole
//                 fell); bootstrapping from it is wrong.
//     truncated:  the episode was cut short from outside the MDP (the time
//                 limit, Gymnasium's TimeLimit wrapper); the state is not
//                 terminal.
//   After either is true, Step() fails with FailedPrecondition until the next
//   Reset(): stepping a finished episode is a bug in the caller.
//   Draw(&canvas) paints the current state onto a 2D canvas (no OpenGL).
//
// Implementations derive from Env, pass an EnvSpec to the constructor and
// implement ResetState/StepState/Draw; the base class owns the random
// generator, the time limit, action checks and the finished-episode guard,
// so every env behaves alike. rl/envs/reference/ holds the smallest complete
// env, commented as a tutorial; rl/envs/README.md says how to add one.
//
// Seeding: the same seed gives the same trajectory, on every machine
// (std::mt19937_64 and our own distributions). The numbers differ from
// Gymnasium's NumPy generator: same distributions, not the same draws.
//
// Example:
//   RL_ASSIGN_OR_RETURN(std::unique_ptr<Env> env,
//   Envs().Create("CartPole-v1")); Observation observation =
//   env->Reset(/*seed=*/42); StepResult result; while (!env->episode_over()) {
//     RL_RETURN_IF_ERROR(env->Step(Action::Discrete(1), &result));
//   }
#ifndef RL_ENVS_ENV_H_
#define RL_ENVS_ENV_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rl/canvas/canvas.h"
#include "rl/core/registry.h"
#include "rl/envs/space.h"

namespace rl {

// Box observations are their floats; a Discrete observation is one float
// holding the index.
using Observation = std::vector<float>;

// An action: `discrete` for Discrete action spaces, `continuous` for Box.
struct Action {
  static Action Discrete(int64_t index) {
    Action action;
    action.discrete = index;
    return action;
  }
  static Action Continuous(std::vector<float> values) {
    Action action;
    action.continuous = std::move(values);
    return action;
  }
  int64_t discrete = 0;
  std::vector<float> continuous;
};

struct StepResult {
  Observation observation;
  double reward = 0;
  bool terminated = false;
  bool truncated = false;
};

// What an env declares about itself.
struct EnvSpec {
  std::string id;             // Gymnasium's id, e.g. "CartPole-v1".
  int max_episode_steps = 0;  // Time limit; 0 means none (as Gymnasium's
                              // CliffWalking).
  Space observation_space;
  Space action_space;
  // Bounds of the reward of any single step, for checks and agents that
  // scale rewards.
  double min_reward = -std::numeric_limits<double>::infinity();
  double max_reward = std::numeric_limits<double>::infinity();
  int render_width = 600;   // Preferred frame size and rate: the canvas Draw()
  int render_height = 400;  // fills has this logical size.
  int render_fps = 30;
  // Where Draw() puts the env's own text (score, level, lives), in canvas
  // pixels: overlays (rl/render/overlay.h) never cover it. Empty: none.
  Rect hud;
  // True for envs that describe a 3D MuJoCo scene (rl/envs/mujoco): their
  // frames come from MuJoCo's renderer on a compatibility-profile context
  // (rl/pipeline/env_picture.h), and Draw() paints only a flat schematic.
  bool scene_3d = false;
};

class Env {
 public:
  virtual ~Env() = default;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  const EnvSpec& spec() const { return spec_; }
  const std::string& id() const { return spec_.id; }
  const Space& observation_space() const { return spec_.observation_space; }
  const Space& action_space() const { return spec_.action_space; }

  // Starts an episode. With a seed, the generator is re-seeded (same seed,
  // same episode); without, it continues from its current state.
  Observation Reset(std::optional<uint64_t> seed = std::nullopt);
  // As above, writing into `observation` (reusing its memory: no allocation
  // once it has the capacity).
  void Reset(std::optional<uint64_t> seed, Observation* observation);

  // Advances one step. Errors: FailedPrecondition before the first Reset()
  // or after the episode ended; InvalidArgument for an action outside a
  // Discrete action space, or a Box action of the wrong size or with a
  // non-finite value, or one an env's CheckBoxAction() refuses (MuJoCo envs
  // refuse values outside the bounds). Other envs clip Box actions outside
  // the bounds exactly where Gymnasium's env clips them (Pendulum,
  // MountainCarContinuous). On error `result` is left unchanged. Reuses
  // result->observation's memory.
  absl::Status Step(const Action& action, StepResult* result);

  // The env's own checks of a Box action that has the right size and finite
  // values (MuJoCo envs: within the bounds). Step() runs it before
  // StepState() and returns its error; public so that a vector env can check
  // every sub-env's action before stepping any. The default accepts all.
  virtual absl::Status CheckBoxAction(const Action& action) const {
    return absl::OkStatus();
  }

  // Steps taken in the current episode.
  int elapsed_steps() const { return elapsed_steps_; }
  // True between the step that ended an episode and the next Reset().
  bool episode_over() const { return episode_over_; }
  // True once Reset() has been called.
  bool started() const { return started_; }

  // Overrides the time limit, as gym.make(id, max_episode_steps=n) does; 0
  // removes it. Takes effect from the current step count on.
  void set_max_episode_steps(int steps) { spec_.max_episode_steps = steps; }

  // Paints the current state onto `canvas`, which it first resets to the
  // env's preferred render size (spec().render_width x render_height); the
  // renderer scales that to the frame size.
  virtual void Draw(Canvas* canvas) const = 0;

 protected:
  explicit Env(EnvSpec spec) : spec_(std::move(spec)) {}

  // Sets a fresh initial state drawn from `rng` and writes its observation.
  virtual void ResetState(std::mt19937_64& rng, Observation* observation) = 0;
  // Applies a valid action: writes observation, reward and terminated (the
  // base class has set reward = 0 and terminated = false beforehand).
  virtual void StepState(const Action& action, StepResult* result) = 0;

  std::mt19937_64& rng() { return rng_; }

 private:
  absl::Status CheckStep(const Action& action) const;

  EnvSpec spec_;
  std::mt19937_64 rng_{0};
  int elapsed_steps_ = 0;
  bool started_ = false;
  bool episode_over_ = false;
};

// Envs built into this binary, by Gymnasium id ("CartPole-v1").
using EnvRegistry = Registry<Env>;
EnvRegistry& Envs();

// Uniform real in [low, high) from `rng`; identical on every platform (the
// standard library's distributions are not).
double UniformReal(std::mt19937_64& rng, double low, double high);

// Normal (Gaussian) with the given mean and standard deviation, from two
// UniformReal draws (Box-Muller, the cosine branch); identical on every
// platform. Gymnasium's MuJoCo envs draw some reset noise from
// np_random.standard_normal: same distribution, not NumPy's draws.
double Normal(std::mt19937_64& rng, double mean, double stddev);

// Uniform integer in [0, n), n >= 1, without modulo bias; identical on every
// platform.
int64_t UniformInt(std::mt19937_64& rng, int64_t n);

// An index drawn with the given probabilities (summing to 1), as Gymnasium's
// toy_text categorical_sample: the first i whose cumulative probability
// exceeds a uniform draw in [0, 1).
int Categorical(std::mt19937_64& rng, const double* probabilities, int n);

}  // namespace rl

#endif  // RL_ENVS_ENV_H_
