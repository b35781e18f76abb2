// Env keyword arguments: Gymnasium's gym.make(id, **kwargs) in C++.
//
// EnvKwargs is a key -> value-text map, as a command line gives it
// ("frame_skip=4,reset_noise_scale=0.1", ParseEnvKwargs). CreateEnv(id,
// kwargs) creates an env configured by them:
//   - max_episode_steps (an integer >= 0; 0: no limit) works for every env,
//     as gym.make's own argument does;
//   - every other key goes to the env family, which registered a factory
//     for the id in ConfigurableEnvs() and checks keys and values with an
//     EnvKwargsReader: an unknown key is an InvalidArgument error that lists
//     the valid ones, a bad value one that says what was expected;
//   - an env without such a factory accepts no other key (the error says
//     so and lists max_episode_steps as the one valid key).
// The key names and meanings are Gymnasium's where Gymnasium has them.
//
// Example:
//   RL_ASSIGN_OR_RETURN(EnvKwargs kwargs,
//                       ParseEnvKwargs("ctrl_cost_weight=0.05,frame_skip=4"));
//   RL_ASSIGN_OR_RETURN(std::unique_ptr<Env> env,
//                       CreateEnv("HalfCheetah-v5", kwargs));
//
//   // In a family's .cc:
//   const bool kConfigurable = ConfigurableEnvs().Register(
//       "Hopper-v5", "...", [](const EnvKwargs& kwargs) { ... });
#ifndef RL_ENVS_ENV_KWARGS_H_
#define RL_ENVS_ENV_KWARGS_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/core/registry.h"
#include "rl/envs/env.h"

namespace rl {

using EnvKwargs = std::map<std::string, std::string>;

// Parses "key=value,key=value" (spaces around items, keys and values are
// trimmed; an empty text is no kwargs). A comma inside parentheses belongs
// to the value, so ranges read as in Python: "healthy_z_range=(0.7,inf)".
// Errors: InvalidArgument for an item without '=', an empty key or a key
// given twice.
absl::StatusOr<EnvKwargs> ParseEnvKwargs(absl::string_view text);

// "key=value,..." again, keys sorted (for config files and sidecars).
std::string FormatEnvKwargs(const EnvKwargs& kwargs);

// Reads an env's kwargs into typed fields, collecting errors: each call
// names a valid key and, if the kwargs hold it, parses its value into the
// field (left as is otherwise). Finish() then reports the first bad value,
// or the keys no call named, with the valid keys listed.
class EnvKwargsReader {
 public:
  EnvKwargsReader(std::string env_id, const EnvKwargs& kwargs)
      : env_id_(std::move(env_id)), kwargs_(kwargs) {}

  // A number (Python float syntax, "inf" too).
  void Double(const char* key, double* value);
  // A number >= 0.
  void NonNegative(const char* key, double* value);
  // A finite number (no inf): for physical constants a step multiplies by.
  void Finite(const char* key, double* value);
  // A probability: a number in [0, 1].
  void Probability(const char* key, double* value);
  // A whole number >= min.
  void Int(const char* key, int* value, int min);
  // True/False (Python), true/false or 1/0.
  void Bool(const char* key, bool* value);
  // Any text (a path).
  void String(const char* key, std::string* value);
  // "(low,high)" with low <= high (Python's tuple of two numbers).
  void Range(const char* key, std::pair<double, double>* value);
  // "(a,b,...)" of exactly `size` numbers (Python's tuple).
  void Numbers(const char* key, std::vector<double>* value, int size);
  // "(text,text,...)" of one or more texts, quotes optional
  // ("('SFF','FHG')" or "(SFF,FHG)").
  void Texts(const char* key, std::vector<std::string>* value);

  absl::Status Finish() const;

 private:
  const std::string* Find(const char* key);
  void Fail(const char* key, const std::string& text, absl::string_view what);

  std::string env_id_;
  const EnvKwargs& kwargs_;
  std::vector<std::string> valid_;
  absl::Status error_;
};

// Envs that take keyword arguments, by id.
using ConfigurableEnvRegistry = Registry<Env, const EnvKwargs&>;
ConfigurableEnvRegistry& ConfigurableEnvs();

// gym.make(id, **kwargs) (see the header comment). Errors: those of
// Envs().Create for an unknown id; InvalidArgument for keys or values the
// env refuses; the family's own (e.g. NotFound for a missing xml_file).
absl::StatusOr<std::unique_ptr<Env>> CreateEnv(const std::string& id,
                                               const EnvKwargs& kwargs);

}  // namespace rl

#endif  // RL_ENVS_ENV_KWARGS_H_
