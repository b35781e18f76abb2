// Loading MuJoCo models: MuJoCo's own messages passed on, NotFound for a
// path that is not there.
#include "rl/core/mujoco_model.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

constexpr char kHumanoid[] = "/usr/share/mujoco/model/humanoid/humanoid.xml";

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(MujocoModelTest, LoadsTheHumanoid) {
  absl::StatusOr<MjModelPtr> model = LoadMjcfFile(kHumanoid);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ((*model)->nu, 21);
  absl::StatusOr<MjDataPtr> data = MakeMujocoData(model->get());
  ASSERT_TRUE(data.ok()) << data.status();
}

TEST(MujocoModelTest, MissingFileIsNotFound) {
  absl::StatusOr<MjModelPtr> model = LoadMjcfFile("/no/such/model.xml");
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(model.status().message(), HasSubstr("/no/such/model.xml"));
}

TEST(MujocoModelTest, MalformedXmlCarriesMujocosMessage) {
  const std::string path =
      WriteTempFile("broken.xml", "<mujoco><worldbody><geom type=\"sphere\"");
  absl::StatusOr<MjModelPtr> model = LoadMjcfFile(path);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(model.status().message(), HasSubstr("XML"));
  EXPECT_THAT(model.status().message(), HasSubstr(path));
}

TEST(MujocoModelTest, UnknownElementCarriesMujocosMessage) {
  const std::string path = WriteTempFile(
      "unknown.xml", "<mujoco><worldbody><gizmo/></worldbody></mujoco>");
  absl::StatusOr<MjModelPtr> model = LoadMjcfFile(path);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  // MuJoCo names the offending element and the line.
  EXPECT_THAT(model.status().message(), HasSubstr("gizmo"));
}

TEST(MujocoModelTest, MalformedXmlGivesMujocosMessage) {
  auto model = LoadMjcfString("<mujoco><worldbody><body></mujoco>", "bad.xml");
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(model.status().message(), HasSubstr("'bad.xml'"));
  // MuJoCo's own parser message (tinyxml's, through MuJoCo).
  EXPECT_THAT(model.status().message(), HasSubstr("XML parse error"));
}

TEST(MujocoModelTest, UncompilableModelGivesMujocosMessage) {
  auto model = LoadMjcfString(
      "<mujoco><worldbody><geom type=\"sphere\" size=\"-1\"/></worldbody>"
      "</mujoco>",
      "negative.xml");
  ASSERT_FALSE(model.ok());
  EXPECT_THAT(model.status().message(), HasSubstr("negative.xml"));
  EXPECT_THAT(model.status().message(), HasSubstr("size"));
}

}  // namespace
}  // namespace rl
