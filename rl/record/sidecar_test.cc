#include "rl/record/sidecar.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "rl/record/gallery.h"

namespace rl {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

VideoRecord Example() {
  VideoRecord record;
  record.file = "CartPole-v1-episode-8-steps-180-203.mp4";
  record.env_id = "CartPole-v1";
  record.episode = 8;
  record.last_episode = 8;
  record.first_step = 180;
  record.last_step = 203;
  record.frames = 24;
  record.steps = 23;
  record.video_return = 23;
  record.ended = "terminated";
  record.seed = 7;
  record.agent = "random";
  record.render_backend = "llvmpipe";
  record.gl_renderer = "llvmpipe (LLVM 15.0.6, 256 bits)";
  record.recorder = "mp4";
  record.encoder.codec = "h264";
  record.encoder.profile = "High";
  record.encoder.container = "mp4";
  record.encoder.coded_width = 600;
  record.encoder.coded_height = 400;
  record.encoder.settings = {{"crf", "23"}, {"preset", "medium"}};
  record.width = 600;
  record.height = 400;
  record.fps = 50;
  record.trigger = "capped_cubic";
  return record;
}

TEST(SidecarTest, JsonHasEveryFact) {
  EXPECT_EQ(SidecarJson(Example()),
            R"json({
  "file": "CartPole-v1-episode-8-steps-180-203.mp4",
  "env_id": "CartPole-v1",
  "env_kwargs": "",
  "episode": 8,
  "last_episode": 8,
  "first_step": 180,
  "last_step": 203,
  "frames": 24,
  "steps": 23,
  "return": 23.0,
  "ended": "terminated",
  "seed": 7,
  "agent": "random",
  "render_backend": "llvmpipe",
  "gl_renderer": "llvmpipe (LLVM 15.0.6, 256 bits)",
  "recorder": "mp4",
  "codec": "h264",
  "profile": "High",
  "container": "mp4",
  "pixel_format": "yuv420p",
  "color": "bt709, limited range",
  "width": 600,
  "height": 400,
  "coded_width": 600,
  "coded_height": 400,
  "fps": 50,
  "trigger": "capped_cubic",
  "settings": {
    "crf": "23",
    "preset": "medium"
  }
}
)json");
}

TEST(SidecarTest, EscapesStringsAndNumbersRoundTrip) {
  EXPECT_EQ(ShortestNumber(23), "23");
  EXPECT_EQ(ShortestNumber(500), "500");  // Not "5e+02".
  EXPECT_EQ(ShortestNumber(-20), "-20");
  EXPECT_EQ(ShortestNumber(1e100), "1e+100");
  EXPECT_EQ(ShortestNumber(0.1), "0.1");
  EXPECT_EQ(ShortestNumber(-1.5e-7), "-1.5e-07");
  EXPECT_EQ(ShortestNumber(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(ShortestNumber(std::numeric_limits<double>::infinity()), "null");
  VideoRecord record = Example();
  record.agent = "my \"best\" agent";
  EXPECT_THAT(SidecarJson(record),
              HasSubstr(R"("agent": "my \"best\" agent")"));
  // Quotes, backslashes and control characters are escaped, and the file
  // reads back to the same values.
  record.agent = "a\"b\\c\nd\x01";
  record.video_return = 0.1;
  const std::string json = SidecarJson(record);
  EXPECT_THAT(json, HasSubstr(R"("agent": "a\"b\\c\nd\u0001")"));
  const nlohmann::json parsed = nlohmann::json::parse(json);
  EXPECT_EQ(parsed["agent"], record.agent);
  EXPECT_EQ(parsed["return"].get<double>(), 0.1);
  EXPECT_EQ(parsed["settings"]["preset"], "medium");
  record.video_return = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(SidecarJson(record), HasSubstr(R"("return": null,)"));
}

TEST(SidecarTest, IsWrittenAtomically) {
  const std::string path =
      std::string(std::getenv("TEST_TMPDIR")) + "/video.json";
  ASSERT_TRUE(WriteSidecar(path, Example()).ok());
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, SidecarJson(Example()));
  std::ifstream temp(path + ".tmp");
  EXPECT_FALSE(temp.good());
  const absl::Status status = WriteSidecar("/no/such/dir/v.json", Example());
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("/no/such/dir/v.json"));
}

TEST(SidecarTest, GalleryEntryShowsTheFactsAndLinksTheSidecar) {
  VideoRecord record = Example();
  record.ended = "truncated";
  const GalleryVideo video = ToGalleryVideo(record, "x.json");
  EXPECT_EQ(video.file, record.file);
  EXPECT_EQ(video.title, "Episode 8");
  EXPECT_EQ(video.details_file, "x.json");
  EXPECT_THAT(video.facts, Contains(Pair("return", "23")));
  EXPECT_THAT(video.facts, Contains(Pair("steps", "23 (run steps 180-203)")));
  EXPECT_THAT(video.facts, Contains(Pair("ended", "truncated (time limit)")));
  EXPECT_THAT(video.facts, Contains(Pair("seed", "7")));
  EXPECT_THAT(video.facts, Contains(Pair("size", "600x400 @ 50 fps")));
  EXPECT_THAT(
      video.facts,
      Contains(Pair("renderer", "llvmpipe: llvmpipe (LLVM 15.0.6, 256 bits)")));
  EXPECT_THAT(
      video.facts,
      Contains(Pair("recorder", "mp4: h264 High, crf 23, preset medium")));
  record.last_episode = 9;
  EXPECT_EQ(ToGalleryVideo(record, "x.json").title, "Episodes 8-9");
  // The env's kwargs are a fact only when there are some.
  for (const auto& [key, value] : video.facts) EXPECT_NE(key, "env kwargs");
  record.env_kwargs = "is_slippery=False,map_name=8x8";
  EXPECT_THAT(ToGalleryVideo(record, "x.json").facts,
              Contains(Pair("env kwargs", "is_slippery=False,map_name=8x8")));
}

TEST(SidecarTest, EnvKwargsAreWrittenAsGiven) {
  VideoRecord record = Example();
  record.env_id = "FrozenLake-v1";
  record.env_kwargs = "is_slippery=False,map_name=8x8";
  const nlohmann::json parsed = nlohmann::json::parse(SidecarJson(record));
  EXPECT_EQ(parsed["env_kwargs"], "is_slippery=False,map_name=8x8");
}

}  // namespace
}  // namespace rl
