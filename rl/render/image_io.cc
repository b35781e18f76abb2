#include "rl/render/image_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rl/core/frame.h"

namespace rl {

absl::Status WritePpm(const Frame& frame, absl::string_view path) {
  const std::string file_name(path);
  std::FILE* file = std::fopen(file_name.c_str(), "wb");
  if (file == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "cannot open ", path, " for writing: ", std::strerror(errno)));
  }
  const std::string header =
      absl::StrCat("P6\n", frame.width(), " ", frame.height(), "\n255\n");
  bool ok = std::fwrite(header.data(), 1, header.size(), file) == header.size();
  if (ok && frame.size_bytes() > 0) {
    ok = std::fwrite(frame.data(), 1, frame.size_bytes(), file) ==
         frame.size_bytes();
  }
  // Close even after a failed write; a failed close loses buffered data too.
  ok = (std::fclose(file) == 0) && ok;
  if (!ok) {
    return absl::UnavailableError(
        absl::StrCat("writing ", path, " failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace rl
