#include "rl/agents/checkpoint.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rl/agents/hyperparams.h"
#include "rl/agents/serialize.h"

namespace rl {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

TEST(SerializeTest, RoundTripAndBoundsChecks) {
  ByteWriter out;
  out.U32(7);
  out.I64(-3);
  out.F64(0.25);
  out.String("hello");
  out.Floats({1.5f, -2.0f});
  std::mt19937_64 rng(5);
  rng();
  out.Rng(rng);
  const std::string bytes = out.Release();

  ByteReader in(bytes, "test");
  uint32_t u;
  int64_t i;
  double d;
  std::string s;
  std::vector<float> f;
  std::mt19937_64 restored;
  ASSERT_TRUE(in.U32(&u).ok());
  ASSERT_TRUE(in.I64(&i).ok());
  ASSERT_TRUE(in.F64(&d).ok());
  ASSERT_TRUE(in.String(&s).ok());
  ASSERT_TRUE(in.Floats(&f).ok());
  ASSERT_TRUE(in.Rng(&restored).ok());
  EXPECT_TRUE(in.ExpectEnd().ok());
  EXPECT_EQ(u, 7u);
  EXPECT_EQ(i, -3);
  EXPECT_EQ(d, 0.25);
  EXPECT_EQ(s, "hello");
  EXPECT_EQ(f, (std::vector<float>{1.5f, -2.0f}));
  EXPECT_EQ(restored(), rng());

  ByteReader short_read(bytes.substr(0, 2), "state");
  const absl::Status status = short_read.U32(&u);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(status.message(),
            "state: truncated: a 32-bit integer needs 4 bytes at offset 0, "
            "only 2 left");

  // A length prefix claiming more than is there is refused before any
  // allocation.
  ByteWriter huge;
  huge.U64(uint64_t{1} << 60);
  ByteReader lying(huge.bytes(), "state");
  EXPECT_EQ(lying.Floats(&f).code(), absl::StatusCode::kDataLoss);
}

Checkpoint Sample() {
  Checkpoint checkpoint;
  checkpoint.header.agent = "dqn";
  checkpoint.header.env_id = "CartPole-v1";
  checkpoint.header.observation_space =
      Space::Box({-1, -std::numeric_limits<float>::infinity()}, {1, 2});
  checkpoint.header.action_space = Space::Discrete(2);
  checkpoint.header.seed = 42;
  checkpoint.header.steps = 1234;
  checkpoint.header.hyperparams = {{"hidden", "8,8"}, {"gamma", "0.9"}};
  checkpoint.agent_state = "agent-bytes";
  checkpoint.trainer_state = "trainer-bytes";
  return checkpoint;
}

TEST(CheckpointTest, RoundTrips) {
  const std::string bytes = EncodeCheckpoint(Sample());
  EXPECT_EQ(bytes.substr(0, 8), "HRLCKPT\n");
  auto decoded = DecodeCheckpoint(bytes, "mem");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  const CheckpointHeader& header = decoded->header;
  EXPECT_EQ(header.agent, "dqn");
  EXPECT_EQ(header.env_id, "CartPole-v1");
  EXPECT_TRUE(
      SameSpace(header.observation_space, Sample().header.observation_space));
  EXPECT_TRUE(SameSpace(header.action_space, Space::Discrete(2)));
  EXPECT_EQ(header.seed, 42u);
  EXPECT_EQ(header.steps, 1234);
  EXPECT_EQ(header.hyperparams, Sample().header.hyperparams);
  EXPECT_EQ(decoded->agent_state, "agent-bytes");
  EXPECT_EQ(decoded->trainer_state, "trainer-bytes");
}

TEST(CheckpointTest, EveryTruncationIsAnErrorNotACrash) {
  const std::string bytes = EncodeCheckpoint(Sample());
  for (size_t size = 0; size < bytes.size(); ++size) {
    const auto decoded = DecodeCheckpoint(bytes.substr(0, size), "cut");
    ASSERT_FALSE(decoded.ok()) << size;
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss)
        << size << ": " << decoded.status();
  }
  const auto decoded = DecodeCheckpoint(bytes.substr(0, 30), "cut");
  EXPECT_NE(decoded.status().message().find("truncated"), std::string::npos)
      << decoded.status();
}

TEST(CheckpointTest, EveryFlippedByteIsDetected) {
  const std::string bytes = EncodeCheckpoint(Sample());
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string corrupt = bytes;
    corrupt[i] ^= 0x10;
    EXPECT_FALSE(DecodeCheckpoint(corrupt, "flip").ok()) << "byte " << i;
  }
  std::string corrupt = bytes;
  corrupt[40] ^= 1;
  EXPECT_EQ(DecodeCheckpoint(corrupt, "x.ckpt").status().message(),
            "checkpoint x.ckpt: checksum mismatch: the file is corrupt "
            "(changed after it was written)");
}

TEST(CheckpointTest, OtherFilesAndVersionsAreRefused) {
  const auto text = DecodeCheckpoint("just some text, not a checkpoint", "t");
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(text.status().message().find("not a headless_rl checkpoint"),
            std::string::npos);

  // The same file with version 2 and a valid checksum.
  std::string bytes = EncodeCheckpoint(Sample());
  bytes[8] = 2;
  std::string covered = bytes.substr(0, bytes.size() - 8);
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : covered) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  ByteWriter checksum;
  checksum.U64(hash);
  const auto newer = DecodeCheckpoint(covered + checksum.bytes(), "v2");
  EXPECT_EQ(newer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(newer.status().message().find(
                "format version 2, this build reads version 1"),
            std::string::npos)
      << newer.status();

  const auto missing = ReadCheckpoint(TempPath("no-such.ckpt"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

TEST(CheckpointTest, WritesAtomically) {
  const std::string path = TempPath("atomic.ckpt");
  ASSERT_TRUE(WriteCheckpoint(path, Sample()).ok());
  EXPECT_FALSE(std::ifstream(path + ".tmp").good());
  auto read = ReadCheckpoint(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->agent_state, "agent-bytes");
  const absl::Status status =
      WriteCheckpoint(TempPath("no/such/dir/a.ckpt"), Sample());
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("cannot write checkpoint"),
            std::string::npos);
}

long PeakRssKb() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// --resume=X where X is no checkpoint file: refused at once, in bounded
// memory (a 3 GB file of zeros used to be read whole: 6 GB, 29 s).
TEST(CheckpointTest, RefusesWhatIsNotACheckpointFileWithoutReadingIt) {
  const std::string dir = TempPath("a-directory");
  mkdir(dir.c_str(), 0755);
  auto directory = ReadCheckpoint(dir);
  EXPECT_EQ(directory.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(directory.status().message().find("is a directory"),
            std::string::npos)
      << directory.status();

  const std::string fifo = TempPath("a-fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  auto pipe = ReadCheckpoint(fifo);  // Would block forever if opened.
  EXPECT_EQ(pipe.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(pipe.status().message().find("not a regular file"),
            std::string::npos)
      << pipe.status();

  auto zero = ReadCheckpoint("/dev/zero");
  EXPECT_EQ(zero.status().code(), absl::StatusCode::kInvalidArgument);

  const long rss_before = PeakRssKb();
  const std::string zeros = TempPath("zeros.ckpt");
  const int fd = open(zeros.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, int64_t{3} << 30), 0);  // Sparse: no disk used.
  close(fd);
  auto big = ReadCheckpoint(zeros);
  EXPECT_EQ(big.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(big.status().message().find("not a headless_rl checkpoint"),
            std::string::npos)
      << big.status();

  // The right magic, then a size the file does not have: refused from the
  // prefix, before the 3 GB body would be read.
  {
    std::string prefix = EncodeCheckpoint(Sample()).substr(0, 20);
    const int out = open(zeros.c_str(), O_WRONLY);
    ASSERT_EQ(pwrite(out, prefix.data(), prefix.size(), 0), 20);
    close(out);
  }
  auto padded = ReadCheckpoint(zeros);
  EXPECT_EQ(padded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(padded.status().message().find("truncated or padded"),
            std::string::npos)
      << padded.status();
  unlink(zeros.c_str());
  EXPECT_LT(PeakRssKb() - rss_before, 64 * 1024) << "kB of peak RSS";
}

TEST(CheckpointTest, NeverWritesThroughALink) {
  const std::string victim = TempPath("victim.txt");
  std::ofstream(victim) << "precious";
  const std::string path = TempPath("linked.ckpt");
  unlink(path.c_str());
  ASSERT_EQ(symlink(victim.c_str(), path.c_str()), 0);
  const absl::Status status = WriteCheckpoint(path, Sample());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  std::ifstream in(victim);
  std::string contents;
  in >> contents;
  EXPECT_EQ(contents, "precious");
}

TEST(CheckpointTest, MismatchesAreNamed) {
  const CheckpointHeader header = Sample().header;
  const Space obs = header.observation_space;
  EXPECT_TRUE(CheckCheckpointMatches(header, "dqn", "CartPole-v1", obs,
                                     Space::Discrete(2))
                  .ok());
  EXPECT_EQ(CheckCheckpointMatches(header, "ppo", "CartPole-v1", obs,
                                   Space::Discrete(2))
                .message(),
            "checkpoint is for agent 'dqn', not 'ppo'");
  EXPECT_EQ(CheckCheckpointMatches(header, "dqn", "Acrobot-v1", obs,
                                   Space::Discrete(2))
                .message(),
            "checkpoint is for env 'CartPole-v1', not 'Acrobot-v1'");
  EXPECT_EQ(CheckCheckpointMatches(header, "dqn", "CartPole-v1", obs,
                                   Space::Discrete(3))
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(CheckCheckpointMatches(header, "dqn", "CartPole-v1",
                                      Space::Box({-1, 0}, {1, 2}),
                                      Space::Discrete(2))
                   .ok());
}

struct AgentCase {
  std::string name;
  AgentContext context;
};

std::vector<AgentCase> SmallAgents() {
  std::vector<AgentCase> cases;
  cases.push_back(
      {"q_learning", {Space::Discrete(4), Space::Discrete(3), 1, "", {}}});
  cases.push_back({"dqn",
                   {Space::Box({-1, -1}, {1, 1}),
                    Space::Discrete(2),
                    2,
                    "",
                    {{"hidden", "3"},
                     {"buffer_size", "8"},
                     {"learning_starts", "2"},
                     {"batch_size", "2"},
                     {"train_freq", "1"}}}});
  cases.push_back({"ppo",
                   {Space::Box({-1, -1}, {1, 1}),
                    Space::Box({-1}, {1}),
                    3,
                    "",
                    {{"hidden", "3"},
                     {"n_steps", "3"},
                     {"batch_size", "2"},
                     {"normalize_observation", "true"},
                     {"normalize_reward", "true"}}}});
  return cases;
}

// A few steps so every part of the state is non-trivial.
void Exercise(Agent& agent, const AgentContext& context, int steps) {
  for (int i = 0; i < steps; ++i) {
    Observation observation =
        context.observation_space.kind == Space::Kind::kDiscrete
            ? Observation{static_cast<float>(i % 4)}
            : Observation{0.1f * (i % 5), -0.3f};
    const Action action = agent.Act(observation);
    StepResult result;
    result.observation = observation;
    result.reward = i % 3;
    result.terminated = i % 4 == 3;
    ASSERT_TRUE(agent.Observe({observation, action, result}).ok());
  }
}

TEST(AgentCheckpointTest, SaveLoadRestoresTheAgentExactly) {
  for (const AgentCase& c : SmallAgents()) {
    SCOPED_TRACE(c.name);
    auto agent = CreateAgent(c.name, c.context);
    ASSERT_TRUE(agent.ok()) << agent.status();
    Exercise(**agent, c.context, 7);
    const std::string path = TempPath(c.name + ".ckpt");
    ASSERT_TRUE(SaveAgent(path, c.name, c.context, **agent, 7).ok());
    CheckpointHeader header;
    auto restored = LoadAgent(path, &header);
    ASSERT_TRUE(restored.ok()) << restored.status();
    EXPECT_EQ(header.agent, c.name);
    EXPECT_EQ(header.steps, 7);
    EXPECT_EQ(*(*restored)->SaveState(), *(*agent)->SaveState());
    // Both continue identically.
    Exercise(**agent, c.context, 5);
    Exercise(**restored, c.context, 5);
    EXPECT_EQ(*(*restored)->SaveState(), *(*agent)->SaveState());
  }
}

TEST(AgentCheckpointTest, MismatchedStatesAreRefused) {
  const std::vector<AgentCase> cases = SmallAgents();
  auto dqn = CreateAgent("dqn", cases[1].context);
  auto ppo = CreateAgent("ppo", cases[2].context);
  ASSERT_TRUE(dqn.ok() && ppo.ok());
  const absl::Status wrong_agent = (*dqn)->LoadState(*(*ppo)->SaveState());
  EXPECT_EQ(wrong_agent.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(wrong_agent.message(), "the state is of agent 'ppo', not 'dqn'");

  AgentContext wider = cases[1].context;
  wider.hyperparams["hidden"] = "5";
  auto wide = CreateAgent("dqn", wider);
  ASSERT_TRUE(wide.ok());
  const absl::Status wrong_size = (*wide)->LoadState(*(*dqn)->SaveState());
  EXPECT_EQ(wrong_size.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(wrong_size.message().find("Q network (2-5-2 relu) has 17 values, "
                                      "this agent has 27"),
            std::string::npos)
      << wrong_size;
}

// Garbage inside a checkpoint whose checksum is right (a bug, or a
// hand-made file) is an error, never a crash.
TEST(AgentCheckpointTest, CorruptStatesAreErrorsNotCrashes) {
  for (const AgentCase& c : SmallAgents()) {
    SCOPED_TRACE(c.name);
    auto agent = CreateAgent(c.name, c.context);
    ASSERT_TRUE(agent.ok());
    Exercise(**agent, c.context, 9);
    const std::string state = *(*agent)->SaveState();
    for (size_t size = 0; size < state.size(); ++size) {
      auto fresh = CreateAgent(c.name, c.context);
      EXPECT_FALSE((*fresh)->LoadState(state.substr(0, size)).ok()) << size;
    }
    std::mt19937_64 rng(1);
    for (int trial = 0; trial < 300; ++trial) {
      std::string corrupt = state;
      for (int k = 0; k < 3; ++k) corrupt[rng() % corrupt.size()] = rng();
      auto fresh = CreateAgent(c.name, c.context);
      (*fresh)->LoadState(corrupt).IgnoreError();  // Must not crash.
    }
  }
}

}  // namespace
}  // namespace rl
