#include "rl/run/runs_overview.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "rl/record/scoped_css_check.h"

namespace rl {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

void Write(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A fresh folder for one test.
std::string Parent(const std::string& name) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/", name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

nlohmann::json Config(const std::string& env, const std::string& agent,
                      int seed, double learning_rate,
                      const std::string& kwargs = "") {
  return {{"run",
           {{"env", env},
            {"env_kwargs", kwargs},
            {"agent", agent},
            {"seed", seed},
            {"steps", 1000}}},
          {"hyperparams", {{"learning_rate", learning_rate}, {"n_envs", 8}}},
          {"flags", nlohmann::json::object()}};
}

// A run folder: config.json, status.json (state; pid of `pid`), evals.csv
// and a metrics.csv of `episodes` rows.
void MakeRun(const std::string& dir, const nlohmann::json& config,
             const std::string& state, int64_t pid, int episodes = 10) {
  Write(dir + "/config.json", config.dump(2));
  RunStatus status;
  status.state = state;
  status.steps = 1000;
  status.total_steps = 1000;
  status.episodes = episodes;
  status.best_eval = 42;
  status.started = status.updated = NowUtc();
  status.process = ThisProcess();
  status.process.pid = pid;
  ASSERT_TRUE(WriteRunStatus(dir, status).ok());
  std::string metrics = "step,episode,return,length,steps_per_s,loss\n";
  for (int i = 0; i < episodes; ++i) {
    absl::StrAppend(&metrics, (i + 1) * 10, ",", i, ",", i * 0.5, ",10,99,\n");
  }
  Write(dir + "/metrics.csv", metrics);
  Write(dir + "/evals.csv",
        "step,mean_return,std_return,episodes\n0,9,1,5\n500,30,2,5\n"
        "1000,42,3,5\n");
}

// A pid no process has: a child's, after it ended.
int64_t DeadPid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return child;
}

const OverviewEntry* Find(const std::vector<OverviewEntry>& entries,
                          const std::string& name) {
  for (const OverviewEntry& e : entries) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

TEST(ScanRuns, StatesCurvesDifferingParametersAndSeedGroups) {
  const std::string parent = Parent("states");
  MakeRun(parent + "/a-seed0", Config("CartPole-v1", "ppo", 0, 0.001),
          "finished", getpid(), 1000);
  MakeRun(parent + "/a-seed1", Config("CartPole-v1", "ppo", 1, 0.001),
          "running", getpid());
  MakeRun(parent + "/a-seed2", Config("CartPole-v1", "ppo", 2, 1e-3), "stopped",
          getpid());
  MakeRun(parent + "/b-lr", Config("CartPole-v1", "ppo", 0, 0.01), "running",
          DeadPid());
  // Another budget is another experiment: not in the seeds' group.
  nlohmann::json longer = Config("CartPole-v1", "ppo", 3, 0.001);
  longer["run"]["steps"] = 2000;
  MakeRun(parent + "/a-seed3-longer", longer, "finished", getpid());
  // Another agent's hyper-parameters differ from ppo's by nature: not a
  // column. Another host's running run cannot be checked: still running.
  nlohmann::json dqn = Config("CartPole-v1", "dqn", 0, 0.5);
  MakeRun(parent + "/c-dqn", dqn, "running", DeadPid());
  nlohmann::json status =
      nlohmann::json::parse(Read(parent + "/c-dqn/status.json"));
  status["hostname"] = "another-host";
  Write(parent + "/c-dqn/status.json", status.dump());

  const std::vector<OverviewEntry> entries = ScanRuns(parent);
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(Find(entries, "a-seed0")->state, "finished");
  EXPECT_EQ(Find(entries, "a-seed1")->state, "running");
  EXPECT_EQ(Find(entries, "a-seed2")->state, "stopped");
  EXPECT_EQ(Find(entries, "b-lr")->state, "interrupted");
  EXPECT_EQ(Find(entries, "c-dqn")->state, "running");
  // The return curve: at most ~300 of metrics.csv's own rows, the last kept.
  const OverviewEntry& big = *Find(entries, "a-seed0");
  EXPECT_EQ(big.return_rows, 1000);
  EXPECT_LE(big.returns.size(), static_cast<size_t>(kMaxReturnPoints) + 1);
  EXPECT_GE(big.returns.size(), 200u);
  EXPECT_EQ(big.returns.back(), (std::vector<double>{10000, 499.5}));
  EXPECT_EQ(big.returns[1][1], big.returns[1][0] / 20 - 0.5);  // A real row.
  EXPECT_EQ(big.evals.size(), 3u);
  EXPECT_EQ(*big.best_eval, 42);
  EXPECT_EQ(big.steps, 10000);  // metrics.csv's last row, past status.json.

  const nlohmann::json data = OverviewData(parent, entries);
  EXPECT_EQ(data["differing"], nlohmann::json({"hparams.learning_rate"}));
  ASSERT_EQ(data["groups"].size(), 1u);
  EXPECT_EQ(data["groups"][0]["name"], "mean of seeds 0-2");
  EXPECT_EQ(data["groups"][0]["runs"],
            nlohmann::json({"a-seed0", "a-seed1", "a-seed2"}));
  const nlohmann::json& first = data["entries"][0];
  EXPECT_EQ(first["name"], "a-seed0");
  EXPECT_EQ(first["seed"], 0);
  EXPECT_EQ(first["agent"], "ppo");
  EXPECT_EQ(first["total_steps"], 1000);
  EXPECT_EQ(first["evals"][1], nlohmann::json::parse("[500,30,2]"));
}

TEST(ScanRuns, SeesRowsAppendedSinceTheLastScan) {
  const std::string parent = Parent("appended");
  MakeRun(parent + "/r", Config("CartPole-v1", "ppo", 0, 0.001), "running",
          getpid(), 5);
  EXPECT_EQ(ScanRuns(parent)[0].return_rows, 5);
  EXPECT_EQ(ScanRuns(parent)[0].return_rows, 5);  // Remembered.
  std::ofstream(parent + "/r/metrics.csv", std::ios::app) << "60,5,7,10,99,\n";
  const OverviewEntry again = ScanRuns(parent)[0];
  EXPECT_EQ(again.return_rows, 6);
  EXPECT_EQ(again.returns.back(), (std::vector<double>{60, 7}));
}

TEST(OverviewData, GroupsThatWouldShareANameSayWhatTellsThemApart) {
  const std::string parent = Parent("names");
  for (int seed : {0, 1}) {
    MakeRun(absl::StrCat(parent, "/a", seed),
            Config("CartPole-v1", "ppo", seed, 0.001), "finished", getpid());
    MakeRun(absl::StrCat(parent, "/b", seed),
            Config("CartPole-v1", "ppo", seed, 0.003), "finished", getpid());
  }
  const nlohmann::json data = OverviewData(parent, ScanRuns(parent));
  std::vector<std::string> names;
  for (const nlohmann::json& g : data["groups"]) names.push_back(g["name"]);
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names, ElementsAre("mean of seeds 0, 1 (CartPole-v1 / ppo, "
                                 "learning_rate=0.001)",
                                 "mean of seeds 0, 1 (CartPole-v1 / ppo, "
                                 "learning_rate=0.003)"));
}

TEST(ScanRuns, EnvKwargsDifferAmongRunsOfOneEnv) {
  const std::string parent = Parent("kwargs");
  MakeRun(parent + "/x",
          Config("FrozenLake-v1", "q_learning", 0, 0.1, "map_name=8x8"),
          "finished", getpid());
  MakeRun(parent + "/y",
          Config("FrozenLake-v1", "q_learning", 0, 0.1, "map_name=4x4"),
          "finished", getpid());
  const nlohmann::json data = OverviewData(parent, ScanRuns(parent));
  EXPECT_EQ(data["differing"], nlohmann::json({"env_kwargs.map_name"}));
  EXPECT_THAT(data["groups"], IsEmpty());
  EXPECT_EQ(data["entries"][0]["kwargs"]["map_name"], "8x8");
}

TEST(ScanRuns, ForeignAndHalfWrittenEntriesAreListedAsSuch) {
  const std::string parent = Parent("foreign");
  MakeRun(parent + "/good", Config("CartPole-v1", "ppo", 0, 0.001), "finished",
          getpid());
  fs::create_directories(parent + "/photos");
  Write(parent + "/photos/cat.jpg", "jpeg");
  Write(parent + "/half/metrics.csv", "step,episode,return\n1,0,3\n");
  Write(parent + "/torn/config.json", "{\"run\": {\"env\": \"Cart");
  Write(parent + "/odd/config.json", "[1, 2]");
  MakeRun(parent + "/badcsv", Config("CartPole-v1", "ppo", 0, 0.001),
          "finished", getpid());
  Write(parent + "/badcsv/metrics.csv", "a,b,c\n1,2,3\n");
  fs::create_directories(parent + "/dir-config/config.json");
  Write(parent + "/notes.txt", "my notes");
  fs::create_symlink("/etc", parent + "/link");
  Write(parent + "/.hidden/config.json", "{}");
  // A half-written last row of a live run's CSV is skipped, not fatal.
  MakeRun(parent + "/live", Config("CartPole-v1", "ppo", 1, 0.001), "running",
          getpid(), 3);
  std::ofstream(parent + "/live/metrics.csv", std::ios::app) << "40,3,1.";

  const std::vector<OverviewEntry> entries = ScanRuns(parent);
  std::vector<std::string> names;
  for (const OverviewEntry& e : entries) names.push_back(e.name);
  EXPECT_THAT(names, ElementsAre("badcsv", "dir-config", "good", "half", "link",
                                 "live", "notes.txt", "odd", "photos", "torn"));
  auto problem = [&](const std::string& name) {
    const OverviewEntry* e = Find(entries, name);
    EXPECT_FALSE(e->is_run) << name;
    return e->problem;
  };
  EXPECT_EQ(problem("photos"), "not a run: no config.json");
  EXPECT_FALSE(Find(entries, "photos")->looks_like_run);
  EXPECT_THAT(problem("half"), HasSubstr("not a run: no config.json (half"));
  EXPECT_TRUE(Find(entries, "half")->looks_like_run);
  EXPECT_THAT(problem("torn"), HasSubstr("config.json is not valid JSON"));
  EXPECT_THAT(problem("odd"), HasSubstr("no \"run\" section"));
  EXPECT_THAT(problem("badcsv"),
              HasSubstr("metrics.csv has no step, return columns"));
  EXPECT_THAT(problem("dir-config"), HasSubstr("config.json cannot be read"));
  EXPECT_EQ(problem("notes.txt"), "not a run: a file, not a folder");
  EXPECT_THAT(problem("link"), HasSubstr("symbolic link"));
  EXPECT_TRUE(Find(entries, "good")->is_run);
  const OverviewEntry& live = *Find(entries, "live");
  EXPECT_TRUE(live.is_run);
  EXPECT_EQ(live.return_rows, 3);

  // The page is made all the same.
  const std::string html = RunsOverviewHtml(OverviewData(parent, entries));
  EXPECT_THAT(html, HasSubstr("not a run: config.json is not valid JSON"));
  EXPECT_THAT(ScopingProblems(html, "rl-runs-overview"), IsEmpty());
}

TEST(ScanRuns, MissingOrUnreadableStatusIsUnknownNotFatal) {
  const std::string parent = Parent("nostatus");
  MakeRun(parent + "/old", Config("CartPole-v1", "ppo", 0, 0.001), "finished",
          getpid());
  fs::remove(parent + "/old/status.json");
  MakeRun(parent + "/torn", Config("CartPole-v1", "ppo", 1, 0.001), "finished",
          getpid());
  Write(parent + "/torn/status.json", "{\"state\": \"runn");
  const std::vector<OverviewEntry> entries = ScanRuns(parent);
  ASSERT_EQ(entries.size(), 2u);
  for (const OverviewEntry& e : entries) {
    EXPECT_TRUE(e.is_run);
    EXPECT_EQ(e.state, "unknown");
    EXPECT_EQ(e.steps, 1000);     // evals.csv's last row.
    EXPECT_EQ(*e.best_eval, 42);  // evals.csv's best.
  }
  EXPECT_THAT(entries[0].status_note, HasSubstr("no status.json"));
  EXPECT_THAT(entries[1].status_note, HasSubstr("not valid JSON"));
  EXPECT_THAT(ScanRuns(parent + "/missing"), IsEmpty());
}

TEST(ProcessGone, OnlyForADeadPidOfThisHost) {
  EXPECT_FALSE(ProcessGone(ThisProcess()));
  ProcessIdentity dead = ThisProcess();
  dead.pid = DeadPid();
  dead.start_ticks = 0;
  EXPECT_TRUE(ProcessGone(dead));
  dead.hostname = "elsewhere";
  EXPECT_FALSE(ProcessGone(dead));
  // This pid, but started at another time: the pid was reused.
  ProcessIdentity reused = ThisProcess();
  if (reused.start_ticks > 0) {
    reused.start_ticks += 1;
    EXPECT_TRUE(ProcessGone(reused));
  }
}

TEST(RunStatus, JsonHasEveryField) {
  RunStatus status;
  status.state = "failed";
  status.steps = 10;
  status.total_steps = 20;
  status.episodes = 3;
  status.started = "2026-11-29T14:00:00Z";
  status.updated = NowUtc();
  status.process = ThisProcess();
  status.message = "disk full";
  const nlohmann::json json = RunStatusJson(status);
  EXPECT_EQ(json["state"], "failed");
  EXPECT_EQ(json["total_steps"], 20);
  EXPECT_TRUE(json["best_eval"].is_null());
  EXPECT_EQ(json["pid"], getpid());
  EXPECT_EQ(json["message"], "disk full");
  EXPECT_EQ(json["updated"].get<std::string>().size(), 20u);
  status.best_eval = 1.5;
  EXPECT_EQ(RunStatusJson(status)["best_eval"], 1.5);
}

TEST(UpdateRunsOverview, WritesOursNeverAUsersPage) {
  const std::string parent = Parent("clobber/runs");
  MakeRun(parent + "/r", Config("CartPole-v1", "ppo", 0, 0.001), "finished",
          getpid());
  const std::string index = parent + "/index.html";
  // Absent: written, with the marker.
  absl::StatusOr<bool> written = UpdateRunsOverview(parent);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_TRUE(*written);
  EXPECT_THAT(Read(index), HasSubstr(kRunsOverviewMarker));
  EXPECT_TRUE(IsOurOverview(index));
  EXPECT_THAT(Read(index), HasSubstr("\"name\":\"r\""));
  // Ours: rewritten with the new run.
  MakeRun(parent + "/s", Config("CartPole-v1", "ppo", 1, 0.001), "finished",
          getpid());
  written = UpdateRunsOverview(parent);
  ASSERT_TRUE(written.ok() && *written);
  EXPECT_THAT(Read(index), HasSubstr("\"name\":\"s\""));
  // A user's: left alone.
  Write(index, "<p>my page</p>");
  written = UpdateRunsOverview(parent);
  ASSERT_TRUE(written.ok());
  EXPECT_FALSE(*written);
  EXPECT_EQ(Read(index), "<p>my page</p>");
  // A link is not ours either, whatever it points at.
  fs::remove(index);
  Write(parent + "/elsewhere.html", kRunsOverviewMarker);
  fs::create_symlink(parent + "/elsewhere.html", index);
  written = UpdateRunsOverview(parent);
  ASSERT_TRUE(written.ok());
  EXPECT_FALSE(*written);
  EXPECT_EQ(Read(parent + "/elsewhere.html"), kRunsOverviewMarker);
  fs::remove(index);
  // An overview of no run any more is taken away.
  ASSERT_TRUE(UpdateRunsOverview(parent).ok());
  fs::remove_all(parent + "/r");
  fs::remove_all(parent + "/s");
  written = UpdateRunsOverview(parent);
  ASSERT_TRUE(written.ok());
  EXPECT_FALSE(*written);
  EXPECT_FALSE(fs::exists(index));
}

// A new overview only in a folder named runs (train's default parent), so a
// run in --run_dir=~/x does not turn the home folder into a listing; one
// that is there already (ours) is kept up to date wherever it is.
TEST(UpdateRunsOverview, StartsOneOnlyInAFolderNamedRuns) {
  const std::string home = Parent("home");
  MakeRun(home + "/x", Config("CartPole-v1", "ppo", 0, 0.001), "finished",
          getpid());
  absl::StatusOr<bool> written = UpdateRunsOverview(home);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_FALSE(*written);
  EXPECT_FALSE(fs::exists(home + "/index.html"));
  // "runs/" with its slash is a folder named runs.
  const std::string runs = Parent("slash/runs");
  MakeRun(runs + "/x", Config("CartPole-v1", "ppo", 0, 0.001), "finished",
          getpid());
  written = UpdateRunsOverview(runs + "/");
  ASSERT_TRUE(written.ok() && *written);
  // Moved elsewhere under another name, it stays ours and up to date.
  fs::rename(runs, home + "/experiments");
  MakeRun(home + "/experiments/y", Config("CartPole-v1", "ppo", 1, 0.001),
          "finished", getpid());
  written = UpdateRunsOverview(home + "/experiments");
  ASSERT_TRUE(written.ok() && *written);
  EXPECT_THAT(Read(home + "/experiments/index.html"),
              HasSubstr("\"name\":\"y\""));
}

// Numbers that do not fit a count (a config.json step budget of 1e300, a
// metrics.csv step "inf") are read as 0, never converted out of range.
TEST(ScanRuns, NumbersOutOfRangeAreZero) {
  const std::string parent = Parent("huge/runs");
  nlohmann::json config = Config("CartPole-v1", "ppo", 0, 0.001);
  config["run"]["steps"] = 1e300;
  MakeRun(parent + "/r", config, "finished", getpid());
  Write(parent + "/r/metrics.csv",
        "step,episode,return,length,steps_per_s\ninf,0,1,1,1\n");
  Write(parent + "/r/evals.csv",
        "step,mean_return,std_return,episodes\nnan,1,0,5\n");
  fs::remove(parent + "/r/status.json");  // Steps from config and CSVs.
  const std::vector<OverviewEntry> entries = ScanRuns(parent);
  const OverviewEntry* r = Find(entries, "r");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->total_steps, 0);
  EXPECT_EQ(r->steps, 0);
}

TEST(RunsOverviewHtml, DataCannotEndTheScriptAndSurvivesBadUtf8) {
  const std::string parent = Parent("json");
  const std::string name = "x<!--<b>&'\"";
  MakeRun(parent + "/" + name, Config("Cart</script>", "ppo", 0, 0.001),
          "finished", getpid());
  // Names are bytes: one that is not UTF-8 is shown with a replacement
  // character (the JSON would not be valid otherwise).
  MakeRun(parent + "/y-\xff", Config("CartPole-v1", "ppo", 1, 0.001),
          "finished", getpid());
  Write(parent + "/z/config.json", "{\"run\": {\"env\": \"a\xff\"}}");
  const nlohmann::json data = OverviewData(parent, ScanRuns(parent));
  const std::string json = ScriptSafeJson(data);
  EXPECT_EQ(json.find('<'), std::string::npos);
  const nlohmann::json back = nlohmann::json::parse(json, nullptr, false);
  ASSERT_TRUE(back.is_object());
  EXPECT_EQ(back["entries"][0]["name"], name);
  EXPECT_EQ(back["entries"][0]["env"], "Cart</script>");
  EXPECT_EQ(back["entries"][1]["name"], "y-\xef\xbf\xbd");
  EXPECT_EQ(back["entries"][2]["run"], false);
  const std::string html = RunsOverviewHtml(data);
  // The page's own </script> and none from the data.
  const std::string tail = html.substr(html.find("RlRunsOverview.start("));
  EXPECT_EQ(tail.find("</script>"), tail.rfind("</script>"));
  EXPECT_THAT(ScopingProblems(html, "rl-runs-overview"), IsEmpty());
  EXPECT_THAT(html, HasSubstr("<title>Runs in json</title>"));
  EXPECT_THAT(html, HasSubstr(kRunsOverviewMarker));
  // No network: nothing loaded from elsewhere.
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

TEST(RunsParent, TheFolderHoldingTheRun) {
  EXPECT_EQ(RunsParent("runs/x"), "runs");
  EXPECT_EQ(RunsParent("/tmp/runs/x/"), "/tmp/runs");
  EXPECT_EQ(RunsParent("x"), ".");
}

}  // namespace
}  // namespace rl
