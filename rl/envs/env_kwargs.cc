#include "rl/envs/env_kwargs.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "rl/core/status_macros.h"

namespace rl {
namespace {

constexpr char kMaxEpisodeSteps[] = "max_episode_steps";

// strtod over the whole text (it reads "inf", "-inf" and "1e-3").
bool ParseDouble(absl::string_view text, double* out) {
  const std::string s(absl::StripAsciiWhitespace(text));
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno == ERANGE || std::isnan(value)) {
    return false;
  }
  *out = value;
  return true;
}

// "(a, b, ...)" -> {"a", "b", ...} (trimmed); false without the
// parentheses or with an empty element.
bool ParseTuple(absl::string_view text, std::vector<std::string>* out) {
  absl::string_view inner = absl::StripAsciiWhitespace(text);
  if (inner.size() < 2 || inner.front() != '(' || inner.back() != ')') {
    return false;
  }
  inner = inner.substr(1, inner.size() - 2);
  out->clear();
  for (absl::string_view part : absl::StrSplit(inner, ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (part.size() >= 2 && (part.front() == '\'' || part.front() == '"') &&
        part.back() == part.front()) {
      part = part.substr(1, part.size() - 2);
    }
    if (part.empty()) return false;
    out->emplace_back(part);
  }
  return !out->empty();
}

}  // namespace

absl::StatusOr<EnvKwargs> ParseEnvKwargs(absl::string_view text) {
  EnvKwargs kwargs;
  std::vector<std::string> items;
  std::string item;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') depth = std::max(depth - 1, 0);
    if (c == ',' && depth == 0) {
      items.push_back(item);
      item.clear();
    } else {
      item.push_back(c);
    }
  }
  items.push_back(item);
  for (const std::string& raw : items) {
    const absl::string_view entry = absl::StripAsciiWhitespace(raw);
    if (entry.empty()) continue;
    const size_t equals = entry.find('=');
    if (equals == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "env kwargs: '", entry, "' is not key=value (e.g. frame_skip=4)"));
    }
    const std::string key(absl::StripAsciiWhitespace(entry.substr(0, equals)));
    const std::string value(
        absl::StripAsciiWhitespace(entry.substr(equals + 1)));
    if (key.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("env kwargs: '", entry, "' has no key before '='"));
    }
    if (!kwargs.emplace(key, value).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "env kwargs: '", key, "' is given twice; give each key once"));
    }
  }
  return kwargs;
}

std::string FormatEnvKwargs(const EnvKwargs& kwargs) {
  return absl::StrJoin(kwargs, ",", absl::PairFormatter("="));
}

const std::string* EnvKwargsReader::Find(const char* key) {
  valid_.push_back(key);
  auto it = kwargs_.find(key);
  return it == kwargs_.end() ? nullptr : &it->second;
}

void EnvKwargsReader::Fail(const char* key, const std::string& text,
                           absl::string_view what) {
  if (!error_.ok()) return;
  error_ = absl::InvalidArgumentError(absl::StrCat(
      env_id_, ": keyword argument ", key, "=", text, " is not ", what));
}

void EnvKwargsReader::Double(const char* key, double* value) {
  const std::string* text = Find(key);
  if (text == nullptr) return;
  if (!ParseDouble(*text, value)) Fail(key, *text, "a number");
}

void EnvKwargsReader::NonNegative(const char* key, double* value) {
  const std::string* text = Find(key);
  if (text == nullptr) return;
  double parsed = 0;
  if (!ParseDouble(*text, &parsed) || parsed < 0) {
    return Fail(key, *text, "a number >= 0");
  }
  *value = parsed;
}

void EnvKwargsReader::Finite(const char* key, double* value) {
  const std::string* text = Find(key);
  if (text == nullptr) return;
  double parsed = 0;
  if (!ParseDouble(*text, &parsed) || !std::isfinite(parsed)) {
    return Fail(key, *text, "a finite number");
  }
  *value = parsed;
}

void EnvKwargsReader::Probability(const char* key, double* value) {
  const std::string* text = Find(key);
  if (text == nullptr) return;
  double parsed = 0;
  if (!ParseDouble(*text, &parsed) || parsed < 0 || parsed > 1) {
    return Fail(key, *text, "a probability in [0, 1]");
  }
  *value = parsed;
}

void EnvKwargsReader::Int(const char* key, int* value, int min) {
  const std::string* text = Find(key);
  if (text == nullptr) return;
  double parsed = 0;
  if (!ParseDouble(*text, &parsed) || parsed != std::floor(parsed) ||
      parsed < min || parsed > 1e9) {
    return Fail(key, *text, absl::StrCat("a whole number >= ", min));
  }
  *value = static_cast<int>(parsed);
}

void EnvKwargsReader::Bool(const char* key, bool* value) {
  const std::string* text = Find(key);
  if (text == nullptr) return;
  if (*text == "True" || *text == "true" || *text == "1") {
    *value = true;
  } else if (*text == "False" || *text == "false" || *text == "0") {
    *value = false;
  } else {
    Fail(key, *text, "True or False");
  }
}

void EnvKwargsReader::String(const char* key, std::string* value) {
  const std::string* text = Find(key);
  if (text == nullptr) return;
  if (text->empty()) return Fail(key, *text, "a non-empty text");
  *value = *text;
}

void EnvKwargsReader::Range(const char* key, std::pair<double, double>* value) {
  const std::string* text = Find(key);
  if (text == nullptr) return;
  absl::string_view inner = absl::StripAsciiWhitespace(*text);
  const char* what = "a range (low,high) of two numbers, low <= high";
  if (inner.size() < 2 || inner.front() != '(' || inner.back() != ')') {
    return Fail(key, *text, what);
  }
  inner = inner.substr(1, inner.size() - 2);
  const size_t comma = inner.find(',');
  std::pair<double, double> parsed;
  if (comma == absl::string_view::npos ||
      !ParseDouble(inner.substr(0, comma), &parsed.first) ||
      !ParseDouble(inner.substr(comma + 1), &parsed.second) ||
      parsed.first > parsed.second) {
    return Fail(key, *text, what);
  }
  *value = parsed;
}

void EnvKwargsReader::Numbers(const char* key, std::vector<double>* value,
                              int size) {
  const std::string* text = Find(key);
  if (text == nullptr) return;
  std::vector<std::string> parts;
  std::vector<double> numbers(size);
  bool ok = ParseTuple(*text, &parts) && static_cast<int>(parts.size()) == size;
  for (int i = 0; ok && i < size; ++i) ok = ParseDouble(parts[i], &numbers[i]);
  if (!ok) {
    return Fail(key, *text,
                absl::StrCat("a tuple (...) of ", size, " numbers"));
  }
  *value = std::move(numbers);
}

void EnvKwargsReader::Texts(const char* key, std::vector<std::string>* value) {
  const std::string* text = Find(key);
  if (text == nullptr) return;
  std::vector<std::string> parts;
  if (!ParseTuple(*text, &parts)) {
    return Fail(key, *text, "a tuple (...) of one or more texts");
  }
  *value = std::move(parts);
}

absl::Status EnvKwargsReader::Finish() const {
  if (!error_.ok()) return error_;
  std::vector<std::string> unknown;
  for (const auto& [key, value] : kwargs_) {
    if (std::find(valid_.begin(), valid_.end(), key) == valid_.end()) {
      unknown.push_back(key);
    }
  }
  if (unknown.empty()) return absl::OkStatus();
  std::vector<std::string> valid = valid_;
  valid.push_back(kMaxEpisodeSteps);
  std::sort(valid.begin(), valid.end());
  return absl::InvalidArgumentError(absl::StrCat(
      env_id_, ": unknown keyword argument", unknown.size() > 1 ? "s " : " ",
      absl::StrJoin(unknown, ", "), "; valid keys are ",
      absl::StrJoin(valid, ", ")));
}

ConfigurableEnvRegistry& ConfigurableEnvs() {
  static auto* registry = new ConfigurableEnvRegistry("configurable env");
  return *registry;
}

absl::StatusOr<std::unique_ptr<Env>> CreateEnv(const std::string& id,
                                               const EnvKwargs& kwargs) {
  RL_RETURN_IF_ERROR(Envs().CheckName(id));
  EnvKwargs family_kwargs = kwargs;
  std::optional<int> max_episode_steps;
  if (auto it = family_kwargs.find(kMaxEpisodeSteps);
      it != family_kwargs.end()) {
    double steps = 0;
    if (!ParseDouble(it->second, &steps) || steps != std::floor(steps) ||
        steps < 0 || steps > 1e9) {
      return absl::InvalidArgumentError(
          absl::StrCat(id, ": keyword argument max_episode_steps=", it->second,
                       " is not a whole number >= 0 (0: no time limit)"));
    }
    max_episode_steps = static_cast<int>(steps);
    family_kwargs.erase(it);
  }
  absl::StatusOr<std::unique_ptr<Env>> env;
  if (family_kwargs.empty()) {
    env = Envs().Create(id);
  } else if (ConfigurableEnvs().Contains(id)) {
    env = ConfigurableEnvs().Create(id, family_kwargs);
  } else {
    std::vector<std::string> keys;
    for (const auto& [key, value] : family_kwargs) keys.push_back(key);
    return absl::InvalidArgumentError(absl::StrCat(
        id, ": unknown keyword argument", keys.size() > 1 ? "s " : " ",
        absl::StrJoin(keys, ", "), "; this env takes only ", kMaxEpisodeSteps));
  }
  if (!env.ok()) return env.status();
  if (max_episode_steps.has_value()) {
    (*env)->set_max_episode_steps(*max_episode_steps);
  }
  return env;
}

}  // namespace rl
