#include "rl/agents/hyperparams.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace rl {

absl::StatusOr<HyperParams> ParseHyperParams(absl::string_view text) {
  HyperParams params;
  std::string last_key;
  for (absl::string_view piece : absl::StrSplit(text, ',')) {
    piece = absl::StripAsciiWhitespace(piece);
    const size_t equals = piece.find('=');
    if (equals == absl::string_view::npos) {
      if (last_key.empty()) {
        if (piece.empty() && params.empty()) continue;  // "" or leading ','
        return absl::InvalidArgumentError(absl::StrCat(
            "hyper-parameters '", text, "': '", piece,
            "' is not key=value (write e.g. learning_rate=3e-4,hidden=64,64)"));
      }
      absl::StrAppend(&params[last_key], ",", piece);
      continue;
    }
    const std::string key(absl::StripAsciiWhitespace(piece.substr(0, equals)));
    const std::string value(
        absl::StripAsciiWhitespace(piece.substr(equals + 1)));
    if (key.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "hyper-parameters '", text, "': '", piece, "' has an empty key"));
    }
    if (!params.emplace(key, value).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "hyper-parameters '", text, "': '", key, "' is given twice"));
    }
    last_key = key;
  }
  return params;
}

std::string FormatHyperParams(const HyperParams& params) {
  return absl::StrJoin(params, ",", absl::PairFormatter("="));
}

std::string FormatDouble(double value) {
  // The shortest of the round-tripping %g forms: "10", not "1e+01".
  std::string best;
  char buffer[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) != value) continue;
    if (best.empty() || std::strlen(buffer) < best.size()) best = buffer;
  }
  if (best.empty()) {
    std::snprintf(buffer, sizeof(buffer), "%.17g", value);
    best = buffer;
  }
  return best;
}

void ParamBinder::Add(Info info,
                      std::function<absl::Status(absl::string_view)> set,
                      std::function<std::string()> get) {
  const std::string name = info.name;
  bindings_[name] = Binding{std::move(info), std::move(set), std::move(get)};
}

namespace {

// `text` as an integer in [min, max], for ParamBinder::Int and Int64.
absl::StatusOr<int64_t> ParseInteger(const std::string& owner,
                                     const std::string& name,
                                     absl::string_view text, int64_t min,
                                     int64_t max) {
  int64_t value;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        owner, ": hyper-parameter ", name, "='", text, "' is not an integer"));
  }
  if (value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(owner, ": hyper-parameter ", name, "=", value,
                     " is outside [", min, ", ", max, "]"));
  }
  return value;
}

}  // namespace

void ParamBinder::Int64(const std::string& name, int64_t* field,
                        const std::string& description, int64_t min,
                        int64_t max) {
  Add(
      {name, "int", description, absl::StrCat("[", min, ", ", max, "]")},
      [this, name, field, min, max](absl::string_view text) -> absl::Status {
        absl::StatusOr<int64_t> value =
            ParseInteger(owner_, name, text, min, max);
        if (!value.ok()) return value.status();
        *field = *value;
        return absl::OkStatus();
      },
      [field] { return absl::StrCat(*field); });
}

void ParamBinder::Int(const std::string& name, int* field,
                      const std::string& description, int64_t min,
                      int64_t max) {
  Add(
      {name, "int", description, absl::StrCat("[", min, ", ", max, "]")},
      [this, name, field, min, max](absl::string_view text) -> absl::Status {
        absl::StatusOr<int64_t> value =
            ParseInteger(owner_, name, text, min, max);
        if (!value.ok()) return value.status();
        *field = static_cast<int>(*value);
        return absl::OkStatus();
      },
      [field] { return absl::StrCat(*field); });
}

void ParamBinder::Double(const std::string& name, double* field,
                         const std::string& description, double min,
                         double max) {
  Add(
      {name, "float", description,
       absl::StrCat("[", FormatDouble(min), ", ", FormatDouble(max), "]")},
      [this, name, field, min, max](absl::string_view text) -> absl::Status {
        double value;
        if (!absl::SimpleAtod(text, &value) || !std::isfinite(value)) {
          return absl::InvalidArgumentError(
              absl::StrCat(owner_, ": hyper-parameter ", name, "='", text,
                           "' is not a finite number"));
        }
        if (value < min || value > max) {
          return absl::InvalidArgumentError(absl::StrCat(
              owner_, ": hyper-parameter ", name, "=", text, " is outside [",
              FormatDouble(min), ", ", FormatDouble(max), "]"));
        }
        *field = value;
        return absl::OkStatus();
      },
      [field] { return FormatDouble(*field); });
}

void ParamBinder::Bool(const std::string& name, bool* field,
                       const std::string& description) {
  Add(
      {name, "bool", description, "true|false"},
      [this, name, field](absl::string_view text) -> absl::Status {
        if (text == "true" || text == "1") {
          *field = true;
        } else if (text == "false" || text == "0") {
          *field = false;
        } else {
          return absl::InvalidArgumentError(
              absl::StrCat(owner_, ": hyper-parameter ", name, "='", text,
                           "' is not true, false, 1 or 0"));
        }
        return absl::OkStatus();
      },
      [field] { return std::string(*field ? "true" : "false"); });
}

void ParamBinder::Choice(const std::string& name, std::string* field,
                         const std::string& description,
                         std::vector<std::string> choices) {
  const std::string joined = absl::StrJoin(choices, "|");
  Add(
      {name, "choice", description, joined},
      [this, name, field, choices,
       joined](absl::string_view text) -> absl::Status {
        for (const std::string& choice : choices) {
          if (text == choice) {
            *field = choice;
            return absl::OkStatus();
          }
        }
        return absl::InvalidArgumentError(
            absl::StrCat(owner_, ": hyper-parameter ", name, "='", text,
                         "' is not one of ", joined));
      },
      [field] { return *field; });
}

void ParamBinder::IntList(const std::string& name, std::vector<int>* field,
                          const std::string& description, int64_t min,
                          int64_t max) {
  Add(
      {name, "ints", description,
       absl::StrCat("comma-separated, each in [", min, ", ", max, "]")},
      [this, name, field, min, max](absl::string_view text) -> absl::Status {
        std::vector<int> values;
        if (!absl::StripAsciiWhitespace(text).empty()) {
          for (absl::string_view piece : absl::StrSplit(text, ',')) {
            int64_t value;
            if (!absl::SimpleAtoi(piece, &value) || value < min ||
                value > max) {
              return absl::InvalidArgumentError(
                  absl::StrCat(owner_, ": hyper-parameter ", name, "='", text,
                               "' must be comma-separated integers in [", min,
                               ", ", max, "], e.g. 64,64"));
            }
            values.push_back(static_cast<int>(value));
          }
        }
        *field = std::move(values);
        return absl::OkStatus();
      },
      [field] { return absl::StrJoin(*field, ","); });
}

absl::Status ParamBinder::Apply(const HyperParams& values) {
  // Check every name first, so an error changes nothing.
  for (const auto& [name, value] : values) {
    if (bindings_.find(name) == bindings_.end()) {
      std::vector<std::string> names;
      for (const auto& [known, binding] : bindings_) names.push_back(known);
      return absl::InvalidArgumentError(
          absl::StrCat(owner_, ": unknown hyper-parameter '", name,
                       "': valid keys are ", absl::StrJoin(names, ", ")));
    }
  }
  const HyperParams before = Values();
  for (const auto& [name, value] : values) {
    absl::Status status = bindings_[name].set(value);
    if (!status.ok()) {
      for (const auto& [old_name, old_value] : before) {
        bindings_[old_name].set(old_value).IgnoreError();
      }
      return status;
    }
  }
  return absl::OkStatus();
}

HyperParams ParamBinder::Values() const {
  HyperParams values;
  for (const auto& [name, binding] : bindings_) values[name] = binding.get();
  return values;
}

std::vector<ParamBinder::Info> ParamBinder::Describe() const {
  std::vector<Info> infos;
  for (const auto& [name, binding] : bindings_) infos.push_back(binding.info);
  return infos;
}

absl::StatusOr<std::unique_ptr<Agent>> CreateAgent(
    absl::string_view name, const AgentContext& context) {
  absl::StatusOr<std::unique_ptr<Agent>> agent = Agents().Create(name, context);
  if (!agent.ok()) return agent;
  if (IsDataParallel(context.collective) && !(*agent)->trains_data_parallel()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "agent '", name, "' does not train data-parallel across ",
        context.collective->size(),
        " ranks (ppo does; see rl/mpi/README.md): run it without mpirun"));
  }
  const HyperParams known = (*agent)->hyperparams();
  for (const auto& [key, value] : context.hyperparams) {
    if (known.find(key) == known.end()) {
      if (known.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("agent '", name, "' takes no hyper-parameters, got '",
                         key, "=", value, "'"));
      }
      std::vector<std::string> names;
      for (const auto& [k, v] : known) names.push_back(k);
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": unknown hyper-parameter '", key,
                       "': valid keys are ", absl::StrJoin(names, ", ")));
    }
  }
  return agent;
}

}  // namespace rl
