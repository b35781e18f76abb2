// Render backend conformance: the same cases on every backend the registry
// knows (RenderBackends().KnownNames(): auto, egl, glx, llvmpipe, and the
// test-only surfaceless of rl/render/testing), as rl/envs/conformance_test
// does for envs. Backends left out of the build are skipped, saying so. A
// backend linked into this test is tested; there is no list to edit. Every
// backend must work here except those in kNeedsHardware (no GPU in CI), which
// are skipped, saying why, when they cannot start.
//
//  - CartPole-v1, Pendulum-v1 and MazeChase-v0, rendered from fixed states
//    (a seed and a fixed action sequence), match the golden PNGs in
//    tests/testdata/render within the tolerance below, and every backend
//    matches llvmpipe within it too (the software backends exactly: both
//    are Mesa's llvmpipe).
//  - Odd and tiny frame sizes, RGB and YUV.
//  - Two renderers in one process, interleaved and in two threads.
//  - 100 renderers created and destroyed: ASan (bazel test --config=asan)
//    finds no leak, and no Xvfb is left running.
//
// Tolerance: a frame matches a golden image if no channel of any pixel is
// off by more than 8 except on at most 0.5% of the pixels, and the mean
// absolute difference over all channels is at most 0.5. That absorbs a GPU's
// or another Mesa version's rounding at antialiased edges, not a moved
// shape.
//
// Regenerate the golden images after an intended change of the renderer or
// of an env's drawing (llvmpipe is the reference):
//   RL_UPDATE_GOLDENS=1 bazel run //tests:render_conformance_test --
//       --gtest_filter='*GoldenImages/llvmpipe'
// (one command) and review the new PNGs before committing them.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/envs/env.h"
#include "rl/render/image_io.h"
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

namespace rl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kGoldenDir[] = "tests/testdata/render";
constexpr int kChannelTolerance = 8;
constexpr double kOutlierFraction = 0.005;
constexpr double kMeanTolerance = 0.5;

// Backends that need hardware the CI machines lack (a GPU). Every other
// registered backend must work on any machine that runs this test.
constexpr const char* kNeedsHardware[] = {"egl"};

bool NeedsHardware(const std::string& backend) {
  return std::find(std::begin(kNeedsHardware), std::end(kNeedsHardware),
                   backend) != std::end(kNeedsHardware);
}

// An env in a fixed state: its canvas after `steps` fixed actions from
// Reset(seed).
struct Scene {
  const char* env_id;
  uint64_t seed;
  int steps;
};

constexpr Scene kScenes[] = {
    {"CartPole-v1", 3, 12},
    {"Pendulum-v1", 5, 7},
    {"MazeChase-v0", 2, 9},
};

absl::StatusOr<Canvas> DrawScene(const Scene& scene) {
  absl::StatusOr<std::unique_ptr<Env>> env = Envs().Create(scene.env_id);
  if (!env.ok()) return env.status();
  (*env)->Reset(scene.seed);
  StepResult result;
  for (int i = 0; i < scene.steps && !(*env)->episode_over(); ++i) {
    const Space& space = (*env)->action_space();
    Action action =
        space.kind == Space::Kind::kDiscrete
            ? Action::Discrete(
                  i % 3 == 0 ? 0 : std::min<int64_t>(space.n - 1, i % 2 + 1))
            : Action::Continuous(std::vector<float>(
                  space.shape.empty() ? 1 : space.shape[0],
                  (i % 2 == 0 ? 0.7f : -0.3f) * space.high[0]));
    absl::Status status = (*env)->Step(action, &result);
    if (!status.ok()) return status;
  }
  Canvas canvas(1, 1);
  (*env)->Draw(&canvas);
  return canvas;
}

struct Difference {
  int max = 0;
  double mean = 0;
  double outliers = 0;  // Fraction of pixels off by more than the tolerance.
  bool sizes_match = true;
  bool Within() const {
    return sizes_match && outliers <= kOutlierFraction &&
           mean <= kMeanTolerance;
  }
  std::string ToString() const {
    if (!sizes_match) return "sizes differ";
    return absl::StrFormat(
        "max channel difference %d, mean %.3f, %.3f%% of pixels off by more "
        "than %d",
        max, mean, 100 * outliers, kChannelTolerance);
  }
};

Difference Compare(const Frame& a, const Frame& b) {
  Difference d;
  if (a.width() != b.width() || a.height() != b.height() ||
      a.format() != b.format()) {
    d.sizes_match = false;
    return d;
  }
  const size_t pixels = static_cast<size_t>(a.width()) * a.height();
  size_t outliers = 0;
  double sum = 0;
  for (size_t i = 0; i < pixels; ++i) {
    int worst = 0;
    for (int c = 0; c < 3; ++c) {
      const int diff = std::abs(a.data()[3 * i + c] - b.data()[3 * i + c]);
      worst = std::max(worst, diff);
      sum += diff;
    }
    d.max = std::max(d.max, worst);
    outliers += worst > kChannelTolerance;
  }
  d.mean = sum / (3.0 * pixels);
  d.outliers = static_cast<double>(outliers) / pixels;
  return d;
}

std::string GoldenName(const Scene& scene, int width, int height) {
  return absl::StrCat(scene.env_id, "-", width, "x", height, ".png");
}

// Xvfb processes that are children of this process.
int ChildXvfbCount() {
  int count = 0;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return 0;
  const std::string self = std::to_string(getpid());
  while (dirent* entry = readdir(proc)) {
    const std::string pid = entry->d_name;
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos)
      continue;
    std::ifstream stat("/proc/" + pid + "/stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const size_t open = line.find('(');
    const size_t close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    const std::string comm = line.substr(open + 1, close - open - 1);
    // After ") ": state, then ppid.
    std::string rest = line.substr(close + 2);
    const size_t space = rest.find(' ');
    const char state = rest[0];
    const std::string ppid =
        rest.substr(space + 1, rest.find(' ', space + 1) - space - 1);
    if (comm == "Xvfb" && ppid == self && state != 'Z') ++count;
  }
  closedir(proc);
  return count;
}

class ConformanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<RenderBackend>> backend = NewBackend();
    if (!backend.ok()) {
      if (absl::StrContains(backend.status().message(), "was not built")) {
        GTEST_SKIP() << backend.status().message();
      }
      if (NeedsHardware(GetParam())) {
        GTEST_SKIP() << GetParam()
                     << "'s hardware case skipped: it cannot start on this "
                        "machine ("
                     << backend.status().message() << ")";
      }
      FAIL() << "backend " << GetParam()
             << " must work on this machine: " << backend.status();
    }
  }

  absl::StatusOr<std::unique_ptr<RenderBackend>> NewBackend() const {
    RenderBackendOptions options;
    options.log = [](absl::string_view) {};
    return RenderBackends().Create(GetParam(), options);
  }

  absl::StatusOr<std::unique_ptr<Renderer>> NewRenderer(
      int width, int height, PixelFormat format = PixelFormat::kRgb24) const {
    absl::StatusOr<std::unique_ptr<RenderBackend>> backend = NewBackend();
    if (!backend.ok()) return backend.status();
    RendererOptions options;
    options.width = width;
    options.height = height;
    options.format = format;
    return Renderer::Create(*std::move(backend), options);
  }

  // Renders `canvas` with a new renderer of this backend.
  absl::StatusOr<Frame> RenderWith(const Canvas& canvas, int width,
                                   int height) const {
    absl::StatusOr<std::unique_ptr<Renderer>> renderer =
        NewRenderer(width, height);
    if (!renderer.ok()) return renderer.status();
    Frame frame;
    absl::Status status = (*renderer)->Render(canvas, &frame);
    if (!status.ok()) return status;
    return frame;
  }

  void SaveForInspection(const Frame& frame, const std::string& name) const {
    const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
    if (dir == nullptr) return;
    const std::string path = absl::StrCat(dir, "/", GetParam(), "-", name);
    if (WritePng(frame, path).ok()) std::printf("wrote %s\n", path.c_str());
  }
};

TEST_P(ConformanceTest, GoldenImages) {
  const char* update = std::getenv("RL_UPDATE_GOLDENS");
  for (const Scene& scene : kScenes) {
    absl::StatusOr<Canvas> canvas = DrawScene(scene);
    ASSERT_TRUE(canvas.ok()) << scene.env_id << ": " << canvas.status();
    for (auto [width, height] :
         {std::pair{canvas->width(), canvas->height()}, std::pair{84, 84}}) {
      const std::string name = GoldenName(scene, width, height);
      SCOPED_TRACE(name);
      absl::StatusOr<Frame> frame = RenderWith(*canvas, width, height);
      ASSERT_TRUE(frame.ok()) << frame.status();
      if (update != nullptr && std::string(update) == "1" &&
          GetParam() == "llvmpipe") {
        const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
        ASSERT_NE(workspace, nullptr)
            << "RL_UPDATE_GOLDENS works under `bazel run`, which says where "
               "the source tree is";
        const std::string path =
            absl::StrCat(workspace, "/", kGoldenDir, "/", name);
        ASSERT_TRUE(WritePng(*frame, path).ok());
        std::printf("updated %s\n", path.c_str());
        continue;
      }
      absl::StatusOr<Frame> golden =
          ReadPng(absl::StrCat(kGoldenDir, "/", name));
      ASSERT_TRUE(golden.ok())
          << golden.status()
          << " (make the golden images with RL_UPDATE_GOLDENS=1, see the "
             "top of this file)";
      const Difference difference = Compare(*frame, *golden);
      EXPECT_TRUE(difference.Within()) << GetParam() << " vs golden " << name
                                       << ": " << difference.ToString();
      if (!difference.Within()) SaveForInspection(*frame, name);
    }
  }
}

TEST_P(ConformanceTest, SameFramesAsLlvmpipe) {
  for (const Scene& scene : kScenes) {
    absl::StatusOr<Canvas> canvas = DrawScene(scene);
    ASSERT_TRUE(canvas.ok()) << canvas.status();
    absl::StatusOr<Frame> frame = RenderWith(*canvas, 300, 200);
    ASSERT_TRUE(frame.ok()) << frame.status();
    auto llvmpipe = RenderBackends().Create("llvmpipe");
    ASSERT_TRUE(llvmpipe.ok()) << llvmpipe.status();
    RendererOptions options;
    options.width = 300;
    options.height = 200;
    auto reference = Renderer::Create(*std::move(llvmpipe), options);
    ASSERT_TRUE(reference.ok()) << reference.status();
    Frame want;
    ASSERT_TRUE((*reference)->Render(*canvas, &want).ok());
    const Difference difference = Compare(*frame, want);
    EXPECT_TRUE(difference.Within())
        << scene.env_id << ": " << difference.ToString();
    auto backend = NewBackend();
    ASSERT_TRUE(backend.ok());
    if (IsSoftwareRenderer((*backend)->gl_renderer())) {
      // Both are Mesa's llvmpipe: identical, bit for bit.
      EXPECT_EQ(difference.max, 0) << scene.env_id;
    }
  }
}

// A scene renderer that uses legacy OpenGL (MuJoCo's) asks for the
// compatibility profile; every backend gives it, or fails to create.
TEST_P(ConformanceTest, CompatibilityProfileOnRequest) {
  RenderBackendOptions options;
  options.log = [](absl::string_view) {};
  options.gl_profile = GlProfile::kCompatibility;
  absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
      RenderBackends().Create(GetParam(), options);
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_EQ((*backend)->gl_profile(), GlProfile::kCompatibility);
  EXPECT_THAT((*backend)->gl_version(), Not(HasSubstr("Core Profile")));
  absl::StatusOr<std::unique_ptr<RenderBackend>> core = NewBackend();
  ASSERT_TRUE(core.ok()) << core.status();
  EXPECT_EQ((*core)->gl_profile(), GlProfile::kCore);
}

TEST_P(ConformanceTest, OddAndTinySizes) {
  absl::StatusOr<Canvas> canvas = DrawScene(kScenes[0]);
  ASSERT_TRUE(canvas.ok()) << canvas.status();
  for (PixelFormat format : {PixelFormat::kRgb24, PixelFormat::kYuv420p}) {
    for (auto [width, height] :
         {std::pair{1, 1}, std::pair{2, 1}, std::pair{3, 5}, std::pair{7, 1},
          std::pair{1, 9}, std::pair{601, 401}, std::pair{97, 61}}) {
      SCOPED_TRACE(absl::StrCat(width, "x", height, " format ",
                                static_cast<int>(format)));
      absl::StatusOr<std::unique_ptr<Renderer>> renderer =
          NewRenderer(width, height, format);
      ASSERT_TRUE(renderer.ok()) << renderer.status();
      Frame frame;
      ASSERT_TRUE((*renderer)->Render(*canvas, &frame).ok());
      EXPECT_EQ(frame.width(), width);
      EXPECT_EQ(frame.height(), height);
      EXPECT_EQ(frame.size_bytes(), Frame::ByteSize(width, height, format));
      if (format == PixelFormat::kRgb24 && width * height > 1) {
        // CartPole's white sky fills the top-left corner (a one-row frame
        // also averages in a little of the track and the cart).
        const Rgb corner = frame.at(0, 0);
        EXPECT_GE(std::min({corner.r, corner.g, corner.b}), 240);
        if (height > 4) {
          EXPECT_EQ(corner, (Rgb{255, 255, 255}));
        }
      } else if (format == PixelFormat::kYuv420p) {
        // Limited range: luma within 16..235, chroma within 16..240.
        for (size_t i = 0; i < frame.size_bytes(); ++i) {
          ASSERT_GE(frame.data()[i], 16);
          ASSERT_LE(frame.data()[i], 240);
        }
      }
    }
  }
}

TEST_P(ConformanceTest, TwoRenderersInOneProcess) {
  std::vector<Canvas> canvases;
  std::vector<Frame> want;
  for (const Scene& scene : kScenes) {
    absl::StatusOr<Canvas> canvas = DrawScene(scene);
    ASSERT_TRUE(canvas.ok()) << canvas.status();
    absl::StatusOr<Frame> frame = RenderWith(*canvas, 160, 120);
    ASSERT_TRUE(frame.ok()) << frame.status();
    canvases.push_back(*std::move(canvas));
    want.push_back(*std::move(frame));
  }
  auto first = NewRenderer(160, 120);
  auto second = NewRenderer(160, 120);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  Frame frame;
  for (int i = 0; i < 6; ++i) {
    const int a = i % 3;
    const int b = (i + 1) % 3;
    ASSERT_TRUE((*first)->Render(canvases[a], &frame).ok());
    EXPECT_EQ(Compare(frame, want[a]).max, 0) << i;
    ASSERT_TRUE((*second)->Render(canvases[b], &frame).ok());
    EXPECT_EQ(Compare(frame, want[b]).max, 0) << i;
  }
}

TEST_P(ConformanceTest, TwoRenderersInTwoThreads) {
  std::vector<Canvas> canvases;
  std::vector<Frame> want;
  for (const Scene& scene : kScenes) {
    absl::StatusOr<Canvas> canvas = DrawScene(scene);
    ASSERT_TRUE(canvas.ok()) << canvas.status();
    absl::StatusOr<Frame> frame = RenderWith(*canvas, 160, 120);
    ASSERT_TRUE(frame.ok()) << frame.status();
    canvases.push_back(*std::move(canvas));
    want.push_back(*std::move(frame));
  }
  std::string errors[2];
  std::thread threads[2];
  for (int t = 0; t < 2; ++t) {
    threads[t] = std::thread([&, t] {
      auto renderer = NewRenderer(160, 120);
      if (!renderer.ok()) {
        errors[t] = std::string(renderer.status().message());
        return;
      }
      Frame frame;
      for (int i = 0; i < 20 && errors[t].empty(); ++i) {
        const int k = (i + t) % 3;
        absl::Status status = (*renderer)->Render(canvases[k], &frame);
        if (!status.ok()) {
          errors[t] = std::string(status.message());
        } else if (Compare(frame, want[k]).max != 0) {
          errors[t] = absl::StrCat(
              "frame ", i, " differs: ", Compare(frame, want[k]).ToString());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
}

TEST_P(ConformanceTest, HundredRenderersLeaveNothingBehind) {
  absl::StatusOr<Canvas> canvas = DrawScene(kScenes[0]);
  ASSERT_TRUE(canvas.ok()) << canvas.status();
  {
    // Held across the loop, so glx's Xvfb is started once: the loop tests
    // the renderers and contexts, not Xvfb's start-up time.
    auto keeper = NewBackend();
    ASSERT_TRUE(keeper.ok()) << keeper.status();
    for (int i = 0; i < 100; ++i) {
      auto renderer =
          NewRenderer(64 + i % 7, 48 + i % 5,
                      i % 2 == 0 ? PixelFormat::kRgb24 : PixelFormat::kYuv420p);
      ASSERT_TRUE(renderer.ok())
          << "renderer " << i << ": " << renderer.status();
      Frame frame;
      ASSERT_TRUE((*renderer)->Render(*canvas, &frame).ok()) << i;
    }
  }
  // And a few whose backend is the only one: Xvfb starts and stops each
  // time.
  for (int i = 0; i < 3; ++i) {
    auto renderer = NewRenderer(32, 32);
    ASSERT_TRUE(renderer.ok()) << renderer.status();
    Frame frame;
    ASSERT_TRUE((*renderer)->Render(*canvas, &frame).ok());
  }
  EXPECT_EQ(ChildXvfbCount(), 0);
}

// Evaluated when the tests are listed, after every backend registered. The
// project's backends left out of this build (--config=no_glx) are listed
// too, and skipped saying so.
INSTANTIATE_TEST_SUITE_P(Backends, ConformanceTest,
                         ::testing::ValuesIn(RenderBackends().KnownNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// The suite above runs on every backend the registry knows: every one
// built in (the test double this test links too) and the project's others.
TEST(ConformanceSuiteTest, CoversEveryRegisteredBackend) {
  const std::vector<std::string> known = RenderBackends().KnownNames();
  for (const std::string& backend : RenderBackends().Names()) {
    EXPECT_NE(std::find(known.begin(), known.end(), backend), known.end())
        << backend;
  }
  for (const char* backend :
       {"auto", "egl", "glx", "llvmpipe", "surfaceless"}) {
    EXPECT_NE(std::find(known.begin(), known.end(), backend), known.end())
        << backend;
  }
  EXPECT_TRUE(RenderBackends().Contains("surfaceless"));
}

}  // namespace
}  // namespace rl
