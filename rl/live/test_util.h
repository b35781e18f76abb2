// Test helpers for the live view: a raw-socket HTTP client that sends any
// bytes (malformed requests included) and a JPEG decoder.
#ifndef RL_LIVE_TEST_UTIL_H_
#define RL_LIVE_TEST_UTIL_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rl/core/frame.h"

namespace rl {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // Names in lower case.
  std::string body;                            // De-chunked.
};

// A connected TCP socket to 127.0.0.1:port, or -1 (also when the connection
// is not accepted within 5 s).
int ConnectToPort(int port);
// Reads what arrives within `timeout` (at most `limit` bytes, until close).
std::string ReadFor(int fd, absl::Duration timeout, size_t limit = 1 << 24);

// Sends `request` as is, reads until the server closes (or `timeout`) and
// parses the reply.
absl::StatusOr<HttpReply> RawHttp(int port, const std::string& request,
                                  absl::Duration timeout = absl::Seconds(10));
// GET `target` with Connection: close; `extra_headers` are "Name: value\r\n"
// lines.
absl::StatusOr<HttpReply> HttpGet(int port, const std::string& target,
                                  const std::string& extra_headers = "");
// Parses a whole reply (status line, headers, body; chunked or not).
absl::StatusOr<HttpReply> ParseHttpReply(const std::string& raw);

// Decodes a JPEG into an RGB frame.
absl::StatusOr<Frame> DecodeJpeg(const std::string& jpeg);

}  // namespace rl

#endif  // RL_LIVE_TEST_UTIL_H_
