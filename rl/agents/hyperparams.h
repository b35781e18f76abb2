// Hyper-parameters: parsing "key=value" overrides, binding them to the
// fields of an agent's config struct with types, ranges and clear errors,
// and creating an agent that must know every override it is given.
//
// The text form is "key=value,key=value". A piece without '=' continues the
// previous value, so lists need no quoting: "hidden=64,64,learning_rate=1e-3"
// sets hidden to "64,64".
//
// Example (inside an agent's factory):
//   PpoConfig config;
//   ParamBinder binder("ppo");
//   binder.Double("learning_rate", &config.learning_rate, "Adam step size",
//                 0, 1);
//   binder.IntList("hidden", &config.hidden, "hidden layer widths", 1, 4096);
//   RL_RETURN_IF_ERROR(
//       binder.Apply(DefaultHyperParams("ppo", context.env_id)));
//   RL_RETURN_IF_ERROR(binder.Apply(context.hyperparams));
//   HyperParams resolved = binder.Values();  // for hyperparams()
#ifndef RL_AGENTS_HYPERPARAMS_H_
#define RL_AGENTS_HYPERPARAMS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/agents/agent.h"

namespace rl {

// Parses "key=value,..." (see above). Errors: an empty key, a piece without
// '=' before any key, a key given twice. Empty text gives no overrides.
absl::StatusOr<HyperParams> ParseHyperParams(absl::string_view text);

// "key=value,..." in key order; ParseHyperParams() reads it back.
std::string FormatHyperParams(const HyperParams& params);

// Shortest decimal text that reads back as exactly `value` ("0.0003").
std::string FormatDouble(double value);

// Binds hyper-parameter names to fields. Apply() sets fields from text,
// checking the type and range of each value and refusing unknown names;
// Values() reads the fields back as text.
class ParamBinder {
 public:
  struct Info {
    std::string name;
    std::string type;  // "int", "float", "bool", "ints", "choice"
    std::string description;
    std::string range;  // e.g. "[1, 1024]" or "tanh|relu"
  };

  // `owner` names the agent in messages ("ppo").
  explicit ParamBinder(std::string owner) : owner_(std::move(owner)) {}

  void Int(const std::string& name, int* field, const std::string& description,
           int64_t min, int64_t max);
  void Int64(const std::string& name, int64_t* field,
             const std::string& description, int64_t min, int64_t max);
  void Double(const std::string& name, double* field,
              const std::string& description, double min, double max);
  void Bool(const std::string& name, bool* field,
            const std::string& description);
  // One of `choices`.
  void Choice(const std::string& name, std::string* field,
              const std::string& description, std::vector<std::string> choices);
  // A comma-separated list of integers, each in [min, max]; may be empty.
  void IntList(const std::string& name, std::vector<int>* field,
               const std::string& description, int64_t min, int64_t max);

  // Sets each named field. Errors (InvalidArgument, nothing changed): an
  // unknown name (listing the valid ones), a value that does not parse or
  // is out of range (saying what is expected).
  absl::Status Apply(const HyperParams& values);
  HyperParams Values() const;
  std::vector<Info> Describe() const;

 private:
  struct Binding {
    Info info;
    std::function<absl::Status(absl::string_view)> set;
    std::function<std::string()> get;
  };
  void Add(Info info, std::function<absl::Status(absl::string_view)> set,
           std::function<std::string()> get);

  std::string owner_;
  std::map<std::string, Binding> bindings_;
};

// Agents().Create(name, context), then a check that the agent uses every key
// of context.hyperparams: an agent without hyper-parameters (random) given
// some is an InvalidArgument error, not a silent no-op.
absl::StatusOr<std::unique_ptr<Agent>> CreateAgent(absl::string_view name,
                                                   const AgentContext& context);

}  // namespace rl

#endif  // RL_AGENTS_HYPERPARAMS_H_
