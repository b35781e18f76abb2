#include "rl/run/runs_overview.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "rl/charts/charts_js.h"
#include "rl/core/file_util.h"
#include "rl/envs/env_kwargs.h"
#include "rl/record/gallery.h"
#include "rl/run/runs_overview_html.h"
#include "rl/run/runs_overview_js.h"

namespace rl {
namespace {

namespace fs = std::filesystem;

// At most `limit` bytes of the regular file at `path` (never through a
// link); nullopt if it cannot be read.
std::optional<std::string> ReadSmallFile(const std::string& path,
                                         size_t limit) {
  std::error_code error;
  if (fs::symlink_status(path, error).type() != fs::file_type::regular) {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  // The file's size (a run's config.json is a few KB), not the limit: a scan
  // of a thousand runs would otherwise clear gigabytes. /proc files say 0.
  const uintmax_t size = fs::file_size(path, error);
  const size_t want =
      error || size == 0 ? limit : std::min<size_t>(limit, size);
  std::string text(want, '\0');
  in.read(text.data(), static_cast<std::streamsize>(want));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

// /proc/PID/stat's start time (field 22), 0 if unknown.
int64_t ProcessStartTicks(int64_t pid) {
  const std::optional<std::string> stat =
      ReadSmallFile(absl::StrCat("/proc/", pid, "/stat"), 4096);
  if (!stat) return 0;
  const size_t paren = stat->rfind(')');  // The command may hold spaces.
  if (paren == std::string::npos) return 0;
  std::vector<absl::string_view> fields = absl::StrSplit(
      absl::string_view(*stat).substr(paren + 1), ' ', absl::SkipEmpty());
  int64_t ticks = 0;
  // Fields after the command start at field 3 (state): 22 is the 20th.
  if (fields.size() < 20 || !absl::SimpleAtoi(fields[19], &ticks)) return 0;
  return ticks;
}

std::string Hostname() {
  char name[HOST_NAME_MAX + 1] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "";
  return name;
}

// A number read from a file as a count: 0 unless finite and in int64's range
// ("inf" parses from a CSV, and converting it would be undefined).
int64_t StepCount(double value) {
  return std::isfinite(value) && std::fabs(value) < 9.2e18
             ? static_cast<int64_t>(value)
             : 0;
}

int64_t JsonInt(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  if (it == object.end()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_number_float()) return StepCount(it->get<double>());
  int64_t value = 0;
  if (it->is_string() && absl::SimpleAtoi(it->get<std::string>(), &value)) {
    return value;
  }
  return 0;
}

std::string JsonText(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// Reads the columns `wanted` of the CSV at `path` (rows that do not parse,
// as a half-written last line, are skipped). A missing file has no rows.
// Returns "" or what is wrong with the file.
std::string ReadCsvColumns(const std::string& path,
                           const std::vector<std::string>& wanted,
                           std::vector<std::vector<double>>* rows) {
  std::error_code error;
  const fs::file_type type = fs::symlink_status(path, error).type();
  if (type == fs::file_type::not_found) return "";
  const std::string name = fs::path(path).filename().string();
  if (type != fs::file_type::regular) {
    return absl::StrCat(name, " is not a regular file");
  }
  std::ifstream in(path);
  if (!in) return absl::StrCat(name, " cannot be read");
  std::string line;
  if (!std::getline(in, line)) return "";  // Empty: no rows yet.
  const std::vector<std::string> header =
      absl::StrSplit(absl::StripAsciiWhitespace(line), ',');
  std::vector<size_t> index;
  for (const std::string& column : wanted) {
    auto it = std::find(header.begin(), header.end(), column);
    if (it == header.end()) {
      return absl::StrCat(name, " has no ", absl::StrJoin(wanted, ", "),
                          " columns");
    }
    index.push_back(static_cast<size_t>(it - header.begin()));
  }
  while (std::getline(in, line)) {
    // A row is appended whole, newline last: a line without one is being
    // written (or was cut), whatever it looks like.
    if (in.eof()) break;
    const std::vector<absl::string_view> fields =
        absl::StrSplit(absl::StripAsciiWhitespace(line), ',');
    std::vector<double> row;
    for (size_t i : index) {
      double value = 0;
      if (i >= fields.size() || !absl::SimpleAtod(fields[i], &value)) break;
      row.push_back(value);
    }
    if (row.size() == index.size()) rows->push_back(std::move(row));
  }
  return "";
}

// Every k-th row and the last, at most about `max` of them.
std::vector<std::vector<double>> Thin(std::vector<std::vector<double>> rows,
                                      size_t max) {
  if (rows.size() <= max) return rows;
  const size_t k = (rows.size() + max - 1) / max;
  std::vector<std::vector<double>> out;
  for (size_t i = 0; i < rows.size(); i += k) out.push_back(rows[i]);
  if ((rows.size() - 1) % k != 0) out.push_back(rows.back());
  return out;
}

// A JSON number (steps as integers: 304, not 304.0), or null when not
// finite.
nlohmann::json Number(double value) {
  if (!std::isfinite(value)) return nlohmann::json();
  if (value == std::floor(value) && std::fabs(value) < 9e15) {
    return nlohmann::json(static_cast<int64_t>(value));
  }
  return nlohmann::json(value);
}

nlohmann::json Rows(const std::vector<std::vector<double>>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const std::vector<double>& row : rows) {
    nlohmann::json item = nlohmann::json::array();
    for (double value : row) item.push_back(Number(value));
    out.push_back(std::move(item));
  }
  return out;
}

// A CSV's columns as ReadCsvColumns reads them, thinned to `max_rows`
// (0: all), with the rows' count before thinning.
struct CsvColumns {
  std::string problem;
  std::vector<std::vector<double>> rows;
  int64_t total = 0;
};

// ReadCsvColumns then Thin, remembered for files whose size and time are
// unchanged: a process rewriting the overview at every evaluation reads a
// finished run's metrics.csv (millions of rows for a long run) once.
CsvColumns ReadCsvCached(const std::string& path,
                         const std::vector<std::string>& wanted,
                         size_t max_rows) {
  struct Cached {
    uintmax_t size = 0;
    fs::file_time_type time;
    CsvColumns columns;
  };
  static std::mutex mutex;
  static auto* const cache = new std::map<std::string, Cached>();
  std::error_code error;
  const uintmax_t size = fs::file_size(path, error);
  const fs::file_time_type time =
      error ? fs::file_time_type() : fs::last_write_time(path, error);
  const std::string key =
      absl::StrCat(path, "\n", absl::StrJoin(wanted, ","), "\n", max_rows);
  if (!error) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache->find(key);
    if (it != cache->end() && it->second.size == size &&
        it->second.time == time) {
      return it->second.columns;
    }
  }
  CsvColumns columns;
  columns.problem = ReadCsvColumns(path, wanted, &columns.rows);
  columns.total = static_cast<int64_t>(columns.rows.size());
  if (max_rows > 0) columns.rows = Thin(std::move(columns.rows), max_rows);
  if (!error && columns.problem.empty()) {
    std::lock_guard<std::mutex> lock(mutex);
    (*cache)[key] = Cached{size, time, columns};
  }
  return columns;
}

OverviewEntry NotARun(const std::string& name, std::string why,
                      bool looks_like_run = false) {
  OverviewEntry entry;
  entry.name = name;
  entry.problem = absl::StrCat("not a run: ", why);
  entry.looks_like_run = looks_like_run;
  return entry;
}

OverviewEntry ScanFolder(const std::string& parent, const std::string& name) {
  const std::string dir = absl::StrCat(parent, "/", name);
  const std::string config_path = dir + "/config.json";
  bool has_run_files = false;
  for (const char* file :
       {"metrics.csv", "evals.csv", "status.json", "checkpoints"}) {
    std::error_code error;
    has_run_files =
        has_run_files ||
        fs::symlink_status(absl::StrCat(dir, "/", file), error).type() !=
            fs::file_type::not_found;
  }
  std::error_code error;
  const fs::file_type config_type =
      fs::symlink_status(config_path, error).type();
  if (config_type == fs::file_type::not_found) {
    return NotARun(name,
                   has_run_files ? "no config.json (half-written, or a run "
                                   "that failed before it started)"
                                 : "no config.json",
                   has_run_files);
  }
  const std::optional<std::string> config_text =
      ReadSmallFile(config_path, 4 << 20);
  if (!config_text) {
    return NotARun(name, "config.json cannot be read", true);
  }
  OverviewEntry entry;
  entry.name = name;
  entry.config = nlohmann::json::parse(*config_text, nullptr, false);
  if (entry.config.is_discarded()) {
    return NotARun(name, "config.json is not valid JSON (half-written?)", true);
  }
  if (!entry.config.is_object() || !entry.config.contains("run") ||
      !entry.config["run"].is_object() ||
      !entry.config["run"].contains("env")) {
    return NotARun(name, "config.json has no \"run\" section with an env",
                   true);
  }
  const nlohmann::json& run = entry.config["run"];
  // The curves.
  CsvColumns returns =
      ReadCsvCached(dir + "/metrics.csv", {"step", "return"}, kMaxReturnPoints);
  if (!returns.problem.empty()) return NotARun(name, returns.problem, true);
  if (std::string problem =
          ReadCsvColumns(dir + "/evals.csv",
                         {"step", "mean_return", "std_return"}, &entry.evals);
      !problem.empty()) {
    return NotARun(name, problem, true);
  }
  entry.is_run = true;
  entry.return_rows = returns.total;
  const int64_t last_step =
      returns.rows.empty() ? 0 : StepCount(returns.rows.back()[0]);
  entry.returns = std::move(returns.rows);
  // The state.
  const std::string status_path = dir + "/status.json";
  const std::optional<std::string> status_text =
      ReadSmallFile(status_path, 1 << 20);
  if (status_text) {
    nlohmann::json status = nlohmann::json::parse(*status_text, nullptr, false);
    if (status.is_object()) {
      entry.status = std::move(status);
    } else {
      entry.status_note = "status.json is not valid JSON";
    }
  } else {
    entry.status_note = "no status.json (a run from an older train)";
  }
  entry.total_steps = JsonInt(run, "steps");
  entry.episodes = entry.return_rows;
  entry.steps = last_step;
  if (!entry.evals.empty()) {
    entry.steps =
        std::max<int64_t>(entry.steps, StepCount(entry.evals.back()[0]));
  }
  for (const std::vector<double>& e : entry.evals) {
    if (std::isfinite(e[1]) && (!entry.best_eval || e[1] >= *entry.best_eval))
      entry.best_eval = e[1];
  }
  entry.state = "unknown";
  if (entry.status.is_object()) {
    const nlohmann::json& s = entry.status;
    entry.state = JsonText(s, "state");
    if (entry.state != "running" && entry.state != "finished" &&
        entry.state != "stopped" && entry.state != "failed") {
      entry.status_note =
          absl::StrCat("status.json has an unknown state '", entry.state, "'");
      entry.state = "unknown";
    }
    entry.steps = std::max(entry.steps, JsonInt(s, "steps"));
    if (JsonInt(s, "total_steps") > 0) {
      entry.total_steps = JsonInt(s, "total_steps");
    }
    entry.episodes = std::max(entry.episodes, JsonInt(s, "episodes"));
    if (s.contains("best_eval") && s["best_eval"].is_number()) {
      entry.best_eval = s["best_eval"].get<double>();
    }
    if (entry.state == "running") {
      ProcessIdentity who;
      who.pid = JsonInt(s, "pid");
      who.hostname = JsonText(s, "hostname");
      who.start_ticks = JsonInt(s, "process_start");
      if (ProcessGone(who)) entry.state = "interrupted";
    }
  }
  return entry;
}

// "0-2" for 0, 1, 2; "0, 2, 5" otherwise.
std::string SeedList(std::vector<int64_t> seeds) {
  std::sort(seeds.begin(), seeds.end());
  const bool distinct =
      std::adjacent_find(seeds.begin(), seeds.end()) == seeds.end();
  const bool consecutive =
      distinct && seeds.size() > 2 &&
      seeds.back() - seeds.front() + 1 == static_cast<int64_t>(seeds.size());
  if (consecutive) return absl::StrCat(seeds.front(), "-", seeds.back());
  return absl::StrJoin(seeds, ", ");
}

// The parsed env kwargs of a run's config ({} if none or unreadable).
nlohmann::json KwargsOf(const nlohmann::json& config) {
  nlohmann::json out = nlohmann::json::object();
  const std::string text = JsonText(config["run"], "env_kwargs");
  if (text.empty()) return out;
  absl::StatusOr<EnvKwargs> kwargs = ParseEnvKwargs(text);
  if (!kwargs.ok()) return out;
  for (const auto& [key, value] : *kwargs) out[key] = value;
  return out;
}

nlohmann::json HparamsOf(const nlohmann::json& config) {
  auto it = config.find("hyperparams");
  return it != config.end() && it->is_object() ? *it : nlohmann::json::object();
}

// Keys of `section(run)` that differ between two runs of one `by(run)`.
void AddDiffering(const std::vector<const OverviewEntry*>& runs,
                  const std::string& prefix,
                  nlohmann::json (*section)(const nlohmann::json&),
                  const char* by, std::set<std::string>* differing) {
  std::map<std::string, std::vector<nlohmann::json>> sections;
  for (const OverviewEntry* run : runs) {
    sections[JsonText(run->config["run"], by)].push_back(section(run->config));
  }
  for (const auto& [kind, list] : sections) {
    std::set<std::string> keys;
    for (const nlohmann::json& s : list) {
      for (const auto& [key, value] : s.items()) keys.insert(key);
    }
    for (const std::string& key : keys) {
      const nlohmann::json first =
          list[0].contains(key) ? list[0][key] : nlohmann::json();
      for (const nlohmann::json& s : list) {
        const nlohmann::json value =
            s.contains(key) ? s[key] : nlohmann::json();
        if (value != first) {
          differing->insert(prefix + key);
          break;
        }
      }
    }
  }
}

}  // namespace

ProcessIdentity ThisProcess() {
  ProcessIdentity who;
  who.pid = getpid();
  who.hostname = Hostname();
  who.start_ticks = ProcessStartTicks(who.pid);
  return who;
}

bool ProcessGone(const ProcessIdentity& who) {
  if (who.pid <= 0 || who.hostname.empty() || who.hostname != Hostname()) {
    return false;
  }
  if (kill(static_cast<pid_t>(who.pid), 0) != 0 && errno == ESRCH) return true;
  if (who.start_ticks > 0) {
    const int64_t now = ProcessStartTicks(who.pid);
    if (now > 0 && now != who.start_ticks) return true;  // A reused pid.
  }
  return false;
}

std::string NowUtc() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(),
                          absl::UTCTimeZone());
}

nlohmann::json RunStatusJson(const RunStatus& status) {
  nlohmann::json json = {
      {"state", status.state},
      {"steps", status.steps},
      {"total_steps", status.total_steps},
      {"episodes", status.episodes},
      {"best_eval",
       status.best_eval ? Number(*status.best_eval) : nlohmann::json()},
      {"started", status.started},
      {"updated", status.updated},
      {"pid", status.process.pid},
      {"hostname", status.process.hostname},
      {"process_start", status.process.start_ticks}};
  if (!status.message.empty()) json["message"] = status.message;
  return json;
}

absl::Status WriteRunStatus(const std::string& run_dir,
                            const RunStatus& status) {
  return WriteFileAtomically(
      run_dir + "/status.json",
      RunStatusJson(status).dump(2, ' ', false,
                                 nlohmann::json::error_handler_t::replace) +
          "\n");
}

std::vector<OverviewEntry> ScanRuns(const std::string& parent) {
  std::vector<OverviewEntry> entries;
  std::error_code error;
  fs::directory_iterator it(parent, error), end;
  for (; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;  // .replaced-*, editors'.
    std::error_code type_error;
    const fs::file_type type = it->symlink_status(type_error).type();
    if (name == "index.html" && type == fs::file_type::regular) continue;
    if (type == fs::file_type::symlink) {
      entries.push_back(NotARun(name, "a symbolic link (not followed)"));
    } else if (type != fs::file_type::directory) {
      entries.push_back(NotARun(name, "a file, not a folder"));
    } else {
      entries.push_back(ScanFolder(parent, name));
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const OverviewEntry& a, const OverviewEntry& b) {
              return a.name < b.name;
            });
  return entries;
}

nlohmann::json OverviewData(const std::string& parent,
                            const std::vector<OverviewEntry>& entries) {
  nlohmann::json data;
  data["parent"] = parent;
  data["generated"] = NowUtc();
  std::vector<const OverviewEntry*> runs;
  nlohmann::json list = nlohmann::json::array();
  for (const OverviewEntry& entry : entries) {
    nlohmann::json item = {{"name", entry.name}, {"run", entry.is_run}};
    if (!entry.is_run) {
      item["problem"] = entry.problem;
      item["half"] = entry.looks_like_run;
      list.push_back(std::move(item));
      continue;
    }
    runs.push_back(&entry);
    const nlohmann::json& run = entry.config["run"];
    item["env"] = JsonText(run, "env");
    item["env_kwargs"] = JsonText(run, "env_kwargs");
    item["kwargs"] = KwargsOf(entry.config);
    item["agent"] = JsonText(run, "agent");
    item["seed"] = JsonInt(run, "seed");
    item["hparams"] = HparamsOf(entry.config);
    item["state"] = entry.state;
    item["note"] = entry.status_note;
    item["message"] = JsonText(entry.status, "message");
    item["started"] = JsonText(entry.status, "started");
    item["updated"] = JsonText(entry.status, "updated");
    item["host"] = JsonText(entry.status, "hostname");
    item["steps"] = entry.steps;
    item["total_steps"] = entry.total_steps;
    item["episodes"] = entry.episodes;
    item["best_eval"] =
        entry.best_eval ? Number(*entry.best_eval) : nlohmann::json();
    item["evals"] = Rows(entry.evals);
    item["returns"] = Rows(entry.returns);
    item["return_rows"] = entry.return_rows;
    list.push_back(std::move(item));
  }
  data["entries"] = std::move(list);
  std::set<std::string> differing;
  AddDiffering(runs, "hparams.", HparamsOf, "agent", &differing);
  AddDiffering(runs, "env_kwargs.", KwargsOf, "env", &differing);
  data["differing"] = differing;
  // Runs that differ only by seed.
  std::map<std::string, std::vector<const OverviewEntry*>> by_setup;
  for (const OverviewEntry* run : runs) {
    const nlohmann::json& r = run->config["run"];
    // The same experiment: env, agent, hyper-parameters, budget and
    // evaluations (curves of other budgets or schedules do not average).
    const nlohmann::json setup = {
        JsonText(r, "env"),         KwargsOf(run->config),
        JsonText(r, "agent"),       HparamsOf(run->config),
        JsonInt(r, "steps"),        JsonInt(r, "eval_every"),
        JsonInt(r, "eval_episodes")};
    by_setup[setup.dump(-1, ' ', false,
                        nlohmann::json::error_handler_t::replace)]
        .push_back(run);
  }
  // Named by their seeds; groups that would share a name also by their env,
  // agent and the values of the differing settings that tell them apart.
  struct Group {
    std::string name, label;
    nlohmann::json runs = nlohmann::json::array();
  };
  std::vector<Group> found;
  std::map<std::string, int> uses;
  for (const auto& [setup, members] : by_setup) {
    if (members.size() < 2) continue;
    Group group;
    std::vector<int64_t> seeds;
    for (const OverviewEntry* run : members) {
      seeds.push_back(JsonInt(run->config["run"], "seed"));
      group.runs.push_back(run->name);
    }
    const OverviewEntry& first = *members[0];
    const nlohmann::json& r = first.config["run"];
    group.label = absl::StrCat(JsonText(r, "env"), " / ", JsonText(r, "agent"));
    for (const std::string& key : differing) {
      const bool hparam = absl::StartsWith(key, "hparams.");
      const nlohmann::json section =
          hparam ? HparamsOf(first.config) : KwargsOf(first.config);
      const std::string name = key.substr(key.find('.') + 1);
      if (section.contains(name)) {
        absl::StrAppend(&group.label, ", ", name, "=",
                        JsonText(section, name.c_str()));
      }
    }
    group.name = absl::StrCat("mean of seeds ", SeedList(seeds));
    if (std::set<int64_t>(seeds.begin(), seeds.end()).size() < seeds.size()) {
      group.name = absl::StrCat("mean of ", seeds.size(), " runs (seeds ",
                                SeedList(seeds), ")");
    }
    ++uses[group.name];
    found.push_back(std::move(group));
  }
  nlohmann::json groups = nlohmann::json::array();
  std::set<std::string> names;
  for (Group& group : found) {
    if (uses[group.name] > 1) {
      group.name = absl::StrCat(group.name, " (", group.label, ")");
    }
    const std::string base = group.name;
    for (int n = 2; names.count(group.name) > 0; ++n) {
      group.name = absl::StrCat(base, " #", n);
    }
    names.insert(group.name);
    groups.push_back(
        {{"name", group.name}, {"label", group.label}, {"runs", group.runs}});
  }
  data["groups"] = std::move(groups);
  return data;
}

std::string RunsOverviewHtml(const nlohmann::json& data) {
  const std::string parent = data.value("parent", "");
  std::string folder = fs::path(parent).filename().string();
  if (folder.empty() || folder == ".") folder = parent;
  const std::string title = absl::StrCat("Runs in ", folder);
  // One pass: a value holding "{{...}}" is never substituted again.
  return absl::StrReplaceAll(
      kRunsOverviewHtml,
      {{"{{marker}}", kRunsOverviewMarker},
       {"{{title}}", HtmlEscape(title)},
       {"{{parent}}", HtmlEscape(parent)},
       {"{{generated}}", HtmlEscape(data.value("generated", ""))},
       {"{{charts_js}}", kChartsJs},
       {"{{overview_js}}", kRunsOverviewJs},
       {"{{data}}", ScriptSafeJson(data)}});
}

bool IsOurOverview(const std::string& path) {
  const std::optional<std::string> head = ReadSmallFile(path, 4096);
  return head && head->find(kRunsOverviewMarker) != std::string::npos;
}

std::string RunsParent(const std::string& run_dir) {
  std::string dir = run_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  const fs::path parent = fs::path(dir).parent_path();
  return parent.empty() ? "." : parent.string();
}

absl::StatusOr<bool> UpdateRunsOverview(const std::string& parent) {
  const std::string path = parent + "/index.html";
  std::error_code error;
  const bool exists =
      fs::symlink_status(path, error).type() != fs::file_type::not_found;
  if (exists && !IsOurOverview(path)) return false;
  // A new overview only in a folder named runs (train's default parent):
  // --run_dir=~/x must not turn the home folder into a listing of it.
  fs::path folder = fs::absolute(parent, error).lexically_normal();
  if (folder.filename().empty()) folder = folder.parent_path();  // "runs/"
  if (!exists && folder.filename() != "runs") return false;
  const std::vector<OverviewEntry> entries = ScanRuns(parent);
  const bool any_run =
      std::any_of(entries.begin(), entries.end(),
                  [](const OverviewEntry& e) { return e.is_run; });
  if (!any_run) {
    if (exists) fs::remove(path, error);  // Ours, and of nothing now.
    return false;
  }
  absl::Status written = WriteFileAtomically(
      path, RunsOverviewHtml(OverviewData(parent, entries)));
  if (!written.ok()) return written;
  return true;
}

}  // namespace rl
