// LiveServer: the live view's HTTP server, inside the training (or play)
// process. It serves
//
//   /                 the live page (live_page.h): picture, curve, videos
//   /stream.mjpg      the live picture as MJPEG (multipart/x-mixed-replace),
//                     which a plain <img> plays; at most the feed's rate
//   /frame.jpg        one fresh picture (for scripts and notebooks)
//   /status.json      the LiveBoard as JSON; ?since=N: curve points from N
//   /files/PATH       the run's files, read-only (with Range support;
//                     directories as a listing): index.html, the CSVs,
//                     config.json, the checkpoints, the galleries and the
//                     videos (and sidecars) added to the board. Nothing else
//                     in the directory is served, so --video_dir=$HOME does
//                     not serve ~/.ssh.
//
// Built on cpp-httplib 0.11 (Debian's libcpp-httplib-dev): a small,
// well-kept HTTP/1.1 server whose parser answers malformed requests with 4xx
// itself, and whose streaming responses and Range handling we need; it is
// the library the live-view issue names. Its sockets are ours, though:
//
//   accept (httplib's loop, never blocks on a client)
//     -> one waiting thread: poll()s every connection until its request
//        line and headers have arrived whole (request_timeout from the
//        connection opening or the previous answer)
//     -> a bounded pool of max_connections workers, each serving one whole
//        request with httplib's parser and routes, then handing a keep-alive
//        connection back to the waiting thread; and 4 more workers for the
//        page alone (GET / and /status.json, small answers from memory).
//
// So no worker ever waits for a client to send (slow headers, idle
// keep-alive); workers wait only on clients that stop reading, for at most
// io_timeout a write, and those never delay the page: its answers fit in a
// socket's buffer. No worker holds a lock the learner needs.
//
// Safety, by default and not optional:
//   - the address is the caller's; the train binary defaults to loopback and
//     warns when told otherwise (live_view.h);
//   - /files/ serves only regular files and directories whose real path
//     (symlinks resolved) lies inside the root: "..", "%2e%2e" (decoded
//     before the check) and symlinks leading out get 403;
//   - a request (line and headers) must arrive whole within request_timeout,
//     however its bytes trickle in (408 and closed otherwise; 431 past
//     16 KB); idle keep-alive connections are closed after it too;
//   - at most max_waiting connections wait for their request, at most
//     max_waiting_per_client of them from one address; past that, that
//     address's (or anyone's) oldest waiting connection is closed, so a
//     flood of slow clients costs bounded memory and cannot starve a new
//     request;
//   - at most max_connections requests are served at once and max_pending
//     more wait for a worker (beyond: 503, closed). At most max_viewers of
//     them may be streams (more get 503 and are closed at once), so the page
//     and files always have workers; a stream or file that cannot be
//     written for io_timeout is dropped;
//   - only GET and HEAD: other methods get 405, request bodies are not read.
//
// Example:
//   LiveServerOptions options;
//   options.root_dir = "runs/cartpole";
//   RL_ASSIGN_OR_RETURN(auto server,
//                       LiveServer::Start(options, feed.get(), &board));
//   std::cout << "live view: " << server->url() << "\n";
#ifndef RL_LIVE_LIVE_SERVER_H_
#define RL_LIVE_LIVE_SERVER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rl/live/live_board.h"
#include "rl/live/live_feed.h"

namespace httplib {
class Server;
}

namespace rl {

class LiveConnections;  // live_server.cc: the waiting thread and workers.

struct LiveServerOptions {
  std::string host = "127.0.0.1";   // An address of this machine, or a name.
  int port = 0;                     // 0: any free port (see port()).
  std::string root_dir;             // Served read-only under /files/.
  int max_connections = 32;         // Requests served at once (workers).
  int max_pending = 64;             // Whole requests waiting for a worker.
  int max_viewers = 16;             // Of the workers, live picture streams.
  int max_waiting = 512;            // Connections waiting for their request.
  int max_waiting_per_client = 64;  // Of them, from one address.
  // A client that stops reading is dropped after this long a write.
  absl::Duration io_timeout = absl::Seconds(5);
  // A request's line and headers must arrive whole within this of the
  // connection opening (or of the previous answer, for keep-alive): a
  // deadline for the whole request, not per read, so trickling a byte at a
  // time holds nothing for longer.
  absl::Duration request_timeout = absl::Seconds(3);
  // Kernel send buffer of each connection: bounds what a client that stops
  // reading can have queued (and so the latency a slow one sees) before its
  // writes block and, after io_timeout, it is dropped.
  int send_buffer_bytes = 256 * 1024;
};

class LiveServer {
 public:
  // Binds the address (an error says why it cannot and what to do) and
  // starts serving on a thread of its own. `feed` and `board` must outlive
  // the server.
  static absl::StatusOr<std::unique_ptr<LiveServer>> Start(
      const LiveServerOptions& options, LiveFeed* feed, LiveBoard* board);
  ~LiveServer();  // Stop()s.

  // Closes the feed's streams, the listening socket and the connections
  // waiting for a request, and waits for the workers (at most about
  // io_timeout, for a client that stopped reading mid-answer).
  void Stop();

  int port() const { return port_; }
  // "http://HOST:PORT/" (IPv6 hosts in brackets).
  std::string url() const;
  // Live picture streams open now.
  int streams() const { return streams_.load(); }

 private:
  LiveServer(const LiveServerOptions& options, LiveFeed* feed,
             LiveBoard* board);
  void Route();
  // Whether /files/`relative` is one of the run's files (or directories).
  bool IsRunFile(const std::string& relative) const;

  const LiveServerOptions options_;
  std::string root_;  // root_dir's real path.
  LiveFeed* const feed_;
  LiveBoard* const board_;
  std::unique_ptr<httplib::Server> server_;
  std::unique_ptr<LiveConnections> connections_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> streams_{0};
  bool stopped_ = false;
};

// The content type served for a file name ("video/mp4" for x.mp4, ...;
// application/octet-stream when unknown).
std::string ContentTypeOf(const std::string& path);

// Resolves a /files/ path (already percent-decoded) inside `root` (a real
// path): the real path of the file or directory, or PermissionDenied when a
// segment is "..", the path holds a NUL or backslash, or the real path
// leaves the root; NotFound when it does not exist.
absl::StatusOr<std::string> ResolveServedPath(const std::string& root,
                                              const std::string& relative);

}  // namespace rl

#endif  // RL_LIVE_LIVE_SERVER_H_
