// A binary built as with --config=no_glx (it links glx's stand-in): the
// registry says glx was left out, and how, instead of calling it unknown;
// auto skips it.
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(NotBuiltTest, TheRegistrySaysGlxWasNotBuilt) {
  EXPECT_THAT(RenderBackends().Names(), ElementsAre("auto", "llvmpipe"));
  auto backend = RenderBackends().Create("glx");
  ASSERT_FALSE(backend.ok());
  EXPECT_EQ(backend.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(backend.status().message(),
              HasSubstr("render backend 'glx' was not built into this binary "
                        "(built with --config=no_glx)"));
  EXPECT_THAT(backend.status().message(),
              HasSubstr("valid values are auto, llvmpipe"));
}

TEST(NotBuiltTest, ABackendNotLinkedAtAllNamesItsTarget) {
  auto backend = RenderBackends().Create("egl");
  ASSERT_FALSE(backend.ok());
  EXPECT_THAT(backend.status().message(),
              HasSubstr("'egl' was not built into this binary (its target "
                        "//rl/render/egl is not among the binary's deps"));
  EXPECT_THAT(RenderBackends().KnownNames(),
              ElementsAre("auto", "egl", "glx", "llvmpipe"));
  EXPECT_THAT(RenderBackends().NotBuiltNames(), ElementsAre("egl", "glx"));
}

TEST(NotBuiltTest, AutoSaysWhatItSkipped) {
  std::vector<std::string> log;
  RenderBackendOptions options;
  options.log = [&log](absl::string_view line) { log.emplace_back(line); };
  auto backend = RenderBackends().Create("auto", options);
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_EQ((*backend)->name(), "llvmpipe");
  ASSERT_EQ(log.size(), 1u);
  EXPECT_THAT(log[0], HasSubstr("render backend auto: using llvmpipe"));
  EXPECT_THAT(log[0], HasSubstr("not built into this binary: egl, glx"));
  EXPECT_EQ(RenderBackends().AutoOrder(), std::vector<std::string>{"llvmpipe"});
}

}  // namespace
}  // namespace rl
