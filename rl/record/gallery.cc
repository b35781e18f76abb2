#include "rl/record/gallery.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rl/record/file_util.h"

namespace rl {
namespace {

std::string MimeType(absl::string_view file) {
  if (absl::EndsWithIgnoreCase(file, ".webm")) return "video/webm";
  return "video/mp4";
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(
        "cannot read video ", path, " to embed it: ", std::strerror(errno)));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

std::string Base64Encode(absl::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = (uint8_t(bytes[i]) << 16) |
                       (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (rest == 2) n |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

absl::Status WriteGallery(const std::string& dir,
                          const std::vector<GalleryVideo>& videos,
                          const GalleryOptions& options) {
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>",
      HtmlEscape(options.title),
      "</title>\n<style>\n"
      "body{font-family:sans-serif;margin:1.5em;background:#fafafa;color:#222}"
      "\n"
      ".videos{display:flex;flex-wrap:wrap;gap:1.5em}\n"
      "figure{margin:0;background:#fff;padding:.8em;border:1px solid #ddd;"
      "border-radius:6px}\n"
      "video{display:block;max-width:100%;height:auto}\n"
      "figcaption{font-weight:bold;margin-bottom:.4em}\n"
      "a.details{font-size:85%}\n"
      "dl{display:grid;grid-template-columns:auto auto;gap:.1em 1em;"
      "margin:.5em 0 0;font-size:90%}\ndt{color:#666}\ndd{margin:0}\n"
      "</style>\n</head>\n<body>\n<h1>",
      HtmlEscape(options.title), "</h1>\n<div class=\"videos\">\n");
  for (const GalleryVideo& video : videos) {
    std::string source;
    if (options.embed) {
      auto bytes = ReadFile(absl::StrCat(dir, "/", video.file));
      if (!bytes.ok()) return bytes.status();
      source = absl::StrCat("data:", MimeType(video.file), ";base64,",
                            Base64Encode(*bytes));
    } else {
      source = HtmlEscape(video.file);
    }
    absl::StrAppend(&html, "<figure>\n<figcaption>", HtmlEscape(video.title),
                    "</figcaption>\n<video controls loop muted playsinline "
                    "preload=\"metadata\">\n<source src=\"",
                    source, "\" type=\"", MimeType(video.file),
                    "\">\n</video>\n<dl>\n");
    for (const auto& [label, value] : video.facts) {
      absl::StrAppend(&html, "<dt>", HtmlEscape(label), "</dt><dd>",
                      HtmlEscape(value), "</dd>\n");
    }
    absl::StrAppend(&html, "</dl>\n");
    if (!video.details_file.empty()) {
      absl::StrAppend(&html, "<a class=\"details\" href=\"",
                      HtmlEscape(video.details_file), "\">details</a>\n");
    }
    absl::StrAppend(&html, "</figure>\n");
  }
  absl::StrAppend(&html, "</div>\n</body>\n</html>\n");

  // Write then rename, so a browser reloading mid-run never sees half a
  // page and a failed write leaves the previous page intact.
  return WriteFileAtomically(absl::StrCat(dir, "/index.html"), html);
}

}  // namespace rl
