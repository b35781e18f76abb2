#include "rl/record/gallery.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/record/scoped_css_check.h"

namespace rl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::string TempDir(const std::string& name) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  mkdir(dir.c_str(), 0755);
  return dir;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(GalleryTest, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\x00\x80", 3)), "/wCA");
}

TEST(GalleryTest, ListsVideosByRelativePathWithEscapedFacts) {
  const std::string dir = TempDir("linked");
  std::vector<GalleryVideo> videos = {
      {"a.mp4", "Episode 0", {{"return", "<23>"}}},
      {"b.webm", "Episode 1", {{"steps", "40"}}}};
  ASSERT_TRUE(WriteGallery(dir, videos, {"Cart & Pole", false}).ok());
  const std::string html = Slurp(dir + "/index.html");
  EXPECT_THAT(html, HasSubstr("<title>Cart &amp; Pole</title>"));
  EXPECT_THAT(html, HasSubstr("<source src=\"a.mp4\" type=\"video/mp4\">"));
  EXPECT_THAT(html, HasSubstr("<source src=\"b.webm\" type=\"video/webm\">"));
  EXPECT_THAT(html, HasSubstr("<dt>return</dt><dd>&lt;23&gt;</dd>"));
  EXPECT_LT(html.find("Episode 0"), html.find("Episode 1"));
  EXPECT_THAT(html, Not(HasSubstr("base64")));
}

TEST(GalleryTest, LinksTheDetailsFileWhenThereIsOne) {
  const std::string dir = TempDir("details");
  GalleryVideo with = {"a.mp4", "A", {}};
  with.details_file = "a & b.json";
  ASSERT_TRUE(WriteGallery(dir, {with, {"b.mp4", "B", {}}}, {"t", false}).ok());
  const std::string html = Slurp(dir + "/index.html");
  EXPECT_THAT(html, HasSubstr("<a class=\"details\" href=\"a &amp; b.json\">"));
  EXPECT_EQ(html.find("class=\"details\""),
            html.rfind("class=\"details\""));  // Only A has one.
}

TEST(GalleryTest, EmbedsVideosAsBase64) {
  const std::string dir = TempDir("embedded");
  std::ofstream(dir + "/a.mp4", std::ios::binary) << "foobar";
  ASSERT_TRUE(WriteGallery(dir, {{"a.mp4", "A", {}}}, {"t", true}).ok());
  EXPECT_THAT(Slurp(dir + "/index.html"),
              HasSubstr("src=\"data:video/mp4;base64,Zm9vYmFy\""));
}

TEST(GalleryTest, VideoDataUriSaysTheType) {
  const std::string dir = TempDir("data_uri");
  std::ofstream(dir + "/a.webm", std::ios::binary) << "foo";
  EXPECT_EQ(VideoDataUri(dir + "/a.webm").value_or(""),
            "data:video/webm;base64,Zm9v");
  EXPECT_THAT(VideoDataUri(dir + "/none.mp4").status().message(),
              HasSubstr("none.mp4"));
}

// Inserted into a notebook cell, the page restyles nothing outside it:
// every rule is under the page's root element, which holds the content.
TEST(GalleryTest, CssIsScopedToThePage) {
  const std::string dir = TempDir("scoped");
  ASSERT_TRUE(WriteGallery(dir, {{"a.mp4", "A", {}}}, {"t", false}).ok());
  EXPECT_THAT(ScopingProblems(Slurp(dir + "/index.html"), "rl-gallery"),
              IsEmpty());
}

// The check itself: it finds what would leak.
TEST(ScopedCssCheckTest, FindsRulesOutsideTheRoot) {
  const std::string html =
      "<style>/* body{} */ .r{margin:0} .r h1, body{x:y}\n"
      "@media (max-width:9px){* {a:b} .r p{c:d}} .r-x, html>.r{e:f}"
      "</style><style>video{}</style>";
  EXPECT_THAT(StyleSelectors(html),
              ElementsAre(".r", ".r h1", "body", "*", ".r p", ".r-x", "html>.r",
                          "video"));
  EXPECT_THAT(UnscopedSelectors(html, ".r"),
              ElementsAre("body", "*", ".r-x", "html>.r", "video"));
  const std::string style = "<style>.r{}</style>";
  EXPECT_THAT(ScopingProblems(style + "<body>\n<div class=\"r\"><p>x</p></div>"
                                      "\n<script>f()</script>\n</body>",
                              "r"),
              IsEmpty());
  EXPECT_THAT(
      ScopingProblems(html + "<body><div class=\"r\"></div></body>", "r"),
      ElementsAre("rule outside .r: body", "rule outside .r: *",
                  "rule outside .r: .r-x", "rule outside .r: html>.r",
                  "rule outside .r: video"));
  EXPECT_THAT(ScopingProblems("<body><div class=\"r\"></div></body>", "r"),
              ElementsAre("no CSS rules"));
  EXPECT_THAT(ScopingProblems(style + "<body><h1>x</h1><div class=\"r\">"
                                      "</div></body>",
                              "r"),
              ElementsAre(HasSubstr("does not open with")));
  EXPECT_THAT(ScopingProblems(style + "<body><div class=\"r\"></div><p>x</p>"
                                      "</body>",
                              "r"),
              ElementsAre(HasSubstr("content after the root element")));
}

TEST(GalleryTest, MissingVideoToEmbedIsAClearErrorAndKeepsTheOldPage) {
  const std::string dir = TempDir("missing");
  ASSERT_TRUE(WriteGallery(dir, {}, {"old", false}).ok());
  const absl::Status status =
      WriteGallery(dir, {{"gone.mp4", "A", {}}}, {"new", true});
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("gone.mp4"));
  EXPECT_THAT(Slurp(dir + "/index.html"), HasSubstr("<title>old</title>"));
}

// A "-recording" video that no process is writing was left by a crash: it
// is listed, after the finished ones, marked interrupted. One being written
// (its recorder holds the lock), one already listed, one that is a link or
// not a video are not.
TEST(GalleryTest, ListsLeftoverRecordingsAsInterrupted) {
  const std::string dir = TempDir("leftovers");
  const std::string left = "Pong-episode-3-steps-150-recording.webm";
  const std::string busy = "Pong-episode-4-steps-900-recording.mp4";
  const std::string listed = "Pong-episode-1-steps-20-recording.mp4";
  for (const std::string& file : {left, busy, listed, std::string("x.mp4"),
                                  std::string("notes-recording.txt")}) {
    std::ofstream(dir + "/" + file) << "video";
  }
  ASSERT_EQ(
      symlink((dir + "/x.mp4").c_str(), (dir + "/link-recording.mp4").c_str()),
      0);
  const int fd = open((dir + "/" + busy).c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(flock(fd, LOCK_EX | LOCK_NB), 0);  // As a recorder does.

  ASSERT_TRUE(WriteGallery(dir,
                           {{"x.mp4", "Episode 0", {}}, {listed, "Kept", {}}},
                           {"t", false})
                  .ok());
  close(fd);
  const std::string html = Slurp(dir + "/index.html");
  EXPECT_THAT(html,
              HasSubstr("<source src=\"" + left + "\" type=\"video/webm\">"));
  EXPECT_THAT(html, HasSubstr("<figcaption>Episode 3 (interrupted)"));
  EXPECT_THAT(html, HasSubstr("<dt>status</dt><dd>interrupted: "));
  EXPECT_LT(html.find("x.mp4"), html.find(left));
  EXPECT_THAT(html, Not(HasSubstr(busy)));
  EXPECT_EQ(html.find(listed), html.rfind(listed));  // Once.
  EXPECT_THAT(html, Not(HasSubstr("link-recording")));
  EXPECT_THAT(html, Not(HasSubstr("notes-recording")));
}

TEST(GalleryTest, FinishedVideosAreTheVideosWithSidecars) {
  const std::string dir = TempDir("finished");
  EXPECT_TRUE(FinishedVideos(dir).empty());
  EXPECT_TRUE(FinishedVideos(dir + "/missing").empty());
  for (const char* file :
       {"b.webm", "b.json", "a.mp4", "a.json", "lone.mp4", "c-recording.mp4",
        "c-recording.json", "notes.json", "d.mp4.json", "index.html"}) {
    std::ofstream(dir + "/" + file) << "x";
  }
  // Directories are no videos, nor sidecars.
  mkdir((dir + "/dir.mp4").c_str(), 0755);
  std::ofstream(dir + "/dir.json") << "x";
  std::ofstream(dir + "/e.mp4") << "x";
  mkdir((dir + "/e.json").c_str(), 0755);
  EXPECT_EQ(FinishedVideos(dir), (std::vector<std::string>{"a.mp4", "b.webm"}));
}

TEST(GalleryTest, UnwritableDirectoryIsAClearError) {
  const absl::Status status =
      WriteGallery("/nonexistent-dir/videos", {}, {"t", false});
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(),
              HasSubstr("/nonexistent-dir/videos/index.html"));
  EXPECT_THAT(status.message(), HasSubstr("No such file or directory"));
}

}  // namespace
}  // namespace rl
