// The registry of render backends as //rl/render:backends builds it: every
// backend named, errors that say what was asked, what is valid and what
// works here.
#include "rl/render/render_backend.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(RenderBackendsTest, ListsEveryBackend) {
  EXPECT_THAT(RenderBackends().Names(),
              ElementsAre("auto", "egl", "glx", "llvmpipe"));
  EXPECT_THAT(RenderBackends().KnownNames(),
              ElementsAre("auto", "egl", "glx", "llvmpipe"));
  EXPECT_THAT(RenderBackends().NotBuiltNames(), IsEmpty());
  EXPECT_THAT(RenderBackends().Description("llvmpipe"), HasSubstr("llvmpipe"));
  EXPECT_THAT(RenderBackends().Description("glx"), HasSubstr("Xvfb"));
  EXPECT_THAT(RenderBackends().Description("egl"), HasSubstr("GPU"));
}

TEST(RenderBackendsTest, AutoTriesGpuThenCpuThenXServer) {
  EXPECT_THAT(RenderBackends().AutoOrder(),
              ElementsAre("egl", "llvmpipe", "glx"));
  EXPECT_EQ(RenderBackends().AutoPriority("auto"),
            RenderBackendRegistry::kNotTriedByAuto);
  EXPECT_EQ(RenderBackends().Description("auto"),
            "the first that works here of egl, llvmpipe, glx, in that order; "
            "it says which on stderr");
}

TEST(RenderBackendsTest, UnknownNameSaysWhatWasAskedValidAndAvailable) {
  std::vector<std::string> log;
  RenderBackendOptions options;
  options.log = [&log](absl::string_view line) { log.emplace_back(line); };
  auto backend = RenderBackends().Create("vulkan", options);
  ASSERT_FALSE(backend.ok());
  EXPECT_EQ(backend.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(backend.status().message());
  EXPECT_THAT(message, HasSubstr("unknown render backend 'vulkan'"));
  EXPECT_THAT(message, HasSubstr("valid values are auto, egl, glx, llvmpipe"));
  // What works on this machine (CI: llvmpipe and glx; no GPU).
  EXPECT_THAT(message, HasSubstr("on this machine: "));
  EXPECT_THAT(message, HasSubstr("llvmpipe: works (llvmpipe"));
  EXPECT_THAT(message, HasSubstr("glx: works ("));
  EXPECT_THAT(message, HasSubstr("egl: "));
  EXPECT_TRUE(log.empty());  // Probing is quiet.
  EXPECT_EQ(RenderBackends().CheckName("vulkan").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(RenderBackends().CheckName("glx").ok());
}

TEST(RenderBackendsTest, ProbeHasALinePerBackendButAuto) {
  const std::vector<std::string> lines = RenderBackends().Probe({});
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], HasSubstr("egl: "));
  EXPECT_THAT(lines[1], HasSubstr("glx: works"));
  EXPECT_THAT(lines[2], HasSubstr("llvmpipe: works"));
}

TEST(RenderBackendsTest, SoftwareRendererNames) {
  EXPECT_TRUE(IsSoftwareRenderer("llvmpipe (LLVM 15.0.6, 256 bits)"));
  EXPECT_TRUE(IsSoftwareRenderer("softpipe"));
  EXPECT_TRUE(IsSoftwareRenderer("Software Rasterizer"));
  EXPECT_TRUE(IsSoftwareRenderer("Google SwiftShader"));
  EXPECT_FALSE(IsSoftwareRenderer("NVIDIA GeForce RTX 3090/PCIe/SSE2"));
  EXPECT_FALSE(IsSoftwareRenderer("AMD Radeon RX 6800 (navi21, LLVM 15.0.6)"));
  EXPECT_FALSE(IsSoftwareRenderer("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
}

using Targets = RenderBackendRegistry::BackendTargets;

// A backend that makes no context: for the registry's own logic.
class FakeBackend : public RenderBackend {
 public:
  explicit FakeBackend(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  absl::Status MakeCurrent() override { return absl::OkStatus(); }
  absl::Status ReleaseCurrent() override { return absl::OkStatus(); }
  std::string gl_renderer() const override { return "fake " + name_; }
  std::string gl_version() const override { return "3.3"; }
  GlProfile gl_profile() const override { return GlProfile::kCore; }

 private:
  std::string name_;
};

RenderBackendRegistry::Factory Works(std::string name) {
  return [name](const RenderBackendOptions&)
             -> absl::StatusOr<std::unique_ptr<RenderBackend>> {
    return std::make_unique<FakeBackend>(name);
  };
}

RenderBackendRegistry::Factory Fails(absl::Status status) {
  return
      [status](const RenderBackendOptions&)
          -> absl::StatusOr<std::unique_ptr<RenderBackend>> { return status; };
}

RenderBackendOptions Logging(std::vector<std::string>* log) {
  RenderBackendOptions options;
  options.log = [log](absl::string_view line) { log->emplace_back(line); };
  return options;
}

// What a new backend registers (name, description, auto priority) is all
// that auto's order, the lists and the errors read.
TEST(RenderBackendRegistryTest, AutoOrderComesFromThePriorities) {
  RenderBackendRegistry registry(Targets{{"gone", "//rl/render/gone"}});
  EXPECT_TRUE(registry.Register("slow", "an X server", 100, Works("slow")));
  EXPECT_TRUE(registry.Register("fast", "a GPU", 300,
                                Fails(absl::UnavailableError("no GPU here"))));
  EXPECT_TRUE(registry.Register("mid", "the CPU", 200, Works("mid")));
  EXPECT_TRUE(registry.Register("double", "a test double",
                                RenderBackendRegistry::kNotTriedByAuto,
                                Works("double")));
  EXPECT_FALSE(registry.Register("mid", "again", 900, Works("mid")));
  EXPECT_EQ(registry.AutoPriority("mid"), 200);  // The first one counts.

  EXPECT_THAT(registry.Names(),
              ElementsAre("auto", "double", "fast", "mid", "slow"));
  EXPECT_THAT(registry.AutoOrder(), ElementsAre("fast", "mid", "slow"));
  EXPECT_THAT(registry.KnownNames(),
              ElementsAre("auto", "double", "fast", "gone", "mid", "slow"));
  EXPECT_THAT(registry.NotBuiltNames(), ElementsAre("gone"));
  EXPECT_EQ(registry.Description("mid"), "the CPU");
  EXPECT_THAT(registry.Description("auto"),
              HasSubstr("the first that works here of fast, mid, slow"));

  std::vector<std::string> log;
  auto backend = registry.Create("auto", Logging(&log));
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_EQ((*backend)->name(), "mid");
  EXPECT_THAT(log, ElementsAre("render backend auto: using mid (fake mid) "
                               "because fast failed: no GPU here; not built "
                               "into this binary: gone"));
}

TEST(RenderBackendRegistryTest, AutoStopsAtAnErrorMarkedNoAutoFallback) {
  RenderBackendRegistry registry(Targets{});
  registry.Register(
      "gpu", "a GPU", 300,
      Fails(NoAutoFallback(absl::InvalidArgumentError("device 7 is gone"))));
  registry.Register("cpu", "the CPU", 200, Works("cpu"));
  std::vector<std::string> log;
  auto backend = registry.Create("auto", Logging(&log));
  ASSERT_FALSE(backend.ok());
  EXPECT_EQ(backend.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(backend.status().message(), "device 7 is gone");
  EXPECT_EQ(RenderBackendOfError(backend.status()), "gpu");
  EXPECT_THAT(log, IsEmpty());
  EXPECT_FALSE(IsNoAutoFallback(absl::UnavailableError("x")));
  EXPECT_TRUE(NoAutoFallback(absl::OkStatus()).ok());
}

TEST(RenderBackendRegistryTest, AutoWithNothingThatWorksSaysWhy) {
  RenderBackendRegistry registry(Targets{{"gone", "//rl/render/gone"}});
  registry.Register("cpu", "the CPU", 200,
                    Fails(absl::UnavailableError("no driver")));
  std::vector<std::string> log;
  auto backend = registry.Create("auto", Logging(&log));
  ASSERT_FALSE(backend.ok());
  EXPECT_EQ(backend.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(backend.status().message(),
            "render backend auto found no way to get an OpenGL context here: "
            "cpu failed: no driver; not built into this binary: gone");
  EXPECT_EQ(RenderBackendOfError(backend.status()), "auto");
  EXPECT_THAT(log, IsEmpty());

  RenderBackendRegistry empty(Targets{});
  auto none = empty.Create("auto", Logging(&log));
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.status().message(),
              HasSubstr("no backend it could try is built into this binary"));
}

TEST(RenderBackendRegistryTest, NamesNotBuiltInSayWhy) {
  RenderBackendRegistry registry(
      Targets{{"gone", "//rl/render/gone"}, {"left", "//rl/render/left"}});
  registry.RegisterNotBuilt("left", "built with --config=no_left");
  registry.Register("cpu", "the CPU", 200, Works("cpu"));
  auto left = registry.Create("left");
  ASSERT_FALSE(left.ok());
  EXPECT_EQ(left.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(left.status().message(),
              HasSubstr("render backend 'left' was not built into this binary "
                        "(built with --config=no_left): valid values are "
                        "auto, cpu; on this machine: cpu: works (fake cpu)"));
  EXPECT_EQ(RenderBackendOfError(left.status()), "left");
  EXPECT_THAT(registry.Create("gone").status().message(),
              HasSubstr("render backend 'gone' was not built into this binary "
                        "(its target //rl/render/gone is not among the "
                        "binary's deps"));
  EXPECT_THAT(registry.Create("what").status().message(),
              HasSubstr("unknown render backend 'what': valid values are "
                        "auto, cpu"));
  EXPECT_EQ(RenderBackendOfError(absl::UnavailableError("elsewhere")), "");
}

TEST(RenderBackendRegistryTest, LogsEachNoticeOncePerProcess) {
  EXPECT_TRUE(RenderBackends().FirstTimeLogged("a notice only this test logs"));
  EXPECT_FALSE(
      RenderBackends().FirstTimeLogged("a notice only this test logs"));
  EXPECT_TRUE(RenderBackends().FirstTimeLogged("another notice"));
}

}  // namespace
}  // namespace rl
