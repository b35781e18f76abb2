#include "rl/live/live_server.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "httplib.h"
#include "rl/live/live_page.h"
#include "rl/record/gallery.h"

namespace rl {
namespace {

namespace fs = std::filesystem;

// httplib's own ThreadPool queues without bound; this one holds at most
// `pending` connections and then blocks the accept loop, so a flood waits in
// the kernel's backlog instead of in our memory.
class BoundedPool : public httplib::TaskQueue {
 public:
  BoundedPool(int threads, int pending) : pending_(pending) {
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this] { Work(); });
    }
  }
  ~BoundedPool() override = default;

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mutex_);
    space_.wait(lock, [this] {
      return shutdown_ || jobs_.size() < static_cast<size_t>(pending_);
    });
    jobs_.push_back(std::move(fn));
    work_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      shutdown_ = true;
    }
    work_.notify_all();
    space_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }

 private:
  void Work() {
    while (true) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_.wait(lock, [this] { return shutdown_ || !jobs_.empty(); });
        // Jobs still queued at shutdown are served (each closes its socket).
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      space_.notify_one();
      job();
    }
  }

  const int pending_;
  std::mutex mutex_;
  std::condition_variable work_, space_;
  std::deque<std::function<void()>> jobs_;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

// An open file shared by the calls of a content provider.
struct OpenFile {
  explicit OpenFile(int fd) : fd(fd) {}
  ~OpenFile() { close(fd); }
  const int fd;
};

// Percent-encodes a path segment for a link.
std::string UrlEncodeSegment(absl::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out += static_cast<char>(c);
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

void SetText(httplib::Response& res, int status, const std::string& text) {
  res.status = status;
  res.set_content(text + "\n", "text/plain; charset=utf-8");
}

}  // namespace

std::string ContentTypeOf(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".mp4", "video/mp4"},
      {".webm", "video/webm"},
      {".html", "text/html; charset=utf-8"},
      {".json", "application/json"},
      {".csv", "text/csv; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".log", "text/plain; charset=utf-8"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".svg", "image/svg+xml"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (absl::EndsWithIgnoreCase(path, extension)) return type;
  }
  return "application/octet-stream";
}

absl::StatusOr<std::string> ResolveServedPath(const std::string& root,
                                              const std::string& relative) {
  if (relative.find('\0') != std::string::npos ||
      relative.find('\\') != std::string::npos) {
    return absl::PermissionDeniedError("path holds a NUL or a backslash");
  }
  for (absl::string_view segment : absl::StrSplit(relative, '/')) {
    if (segment == "..") {
      return absl::PermissionDeniedError("path leaves the run directory");
    }
  }
  std::error_code error;
  const fs::path real = fs::canonical(fs::path(root) / relative, error);
  if (error) return absl::NotFoundError("no such file");
  // Symlinks are resolved by canonical(): what matters is where they lead.
  const std::string text = real.string();
  if (text != root && !absl::StartsWith(text, root + "/")) {
    return absl::PermissionDeniedError("path leads out of the run directory");
  }
  return text;
}

LiveServer::LiveServer(const LiveServerOptions& options, LiveFeed* feed,
                       LiveBoard* board)
    : options_(options), feed_(feed), board_(board) {}

LiveServer::~LiveServer() { Stop(); }

absl::StatusOr<std::unique_ptr<LiveServer>> LiveServer::Start(
    const LiveServerOptions& options, LiveFeed* feed, LiveBoard* board) {
  if (options.port < 0 || options.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("live port must be 0..65535, got ", options.port));
  }
  if (options.max_connections < 2 || options.max_viewers < 1 ||
      options.max_viewers >= options.max_connections ||
      options.max_pending < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "live server limits: need 1 <= max_viewers (", options.max_viewers,
        ") < max_connections (", options.max_connections,
        ") and max_pending >= 1 (", options.max_pending, ")"));
  }
  std::error_code error;
  const fs::path root = fs::canonical(options.root_dir, error);
  if (error || !fs::is_directory(root)) {
    return absl::NotFoundError(absl::StrCat(
        "live view: cannot serve '", options.root_dir, "': not a directory (",
        error ? error.message() : "a file", ")"));
  }
  std::unique_ptr<LiveServer> server(new LiveServer(options, feed, board));
  server->root_ = root.string();
  server->server_ = std::make_unique<httplib::Server>();
  httplib::Server& http = *server->server_;
  const int threads = options.max_connections, pending = options.max_pending;
  http.new_task_queue = [threads, pending] {
    return new BoundedPool(threads, pending);
  };
  const int64_t timeout_us = absl::ToInt64Microseconds(options.io_timeout);
  const int64_t read_us =
      absl::ToInt64Microseconds(options.request_read_timeout);
  http.set_read_timeout(read_us / 1000000, read_us % 1000000);
  http.set_write_timeout(timeout_us / 1000000, timeout_us % 1000000);
  http.set_keep_alive_timeout(2);
  http.set_keep_alive_max_count(20);
  http.set_payload_max_length(0);
  // Accepted sockets inherit these from the listening one. No SO_REUSEPORT
  // (httplib's default): a second run on the same port must fail, not share.
  const int send_buffer = options.send_buffer_bytes;
  http.set_socket_options([send_buffer](int sock) {
    const int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    setsockopt(sock, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof(send_buffer));
  });
  server->Route();

  int port = options.port;
  errno = 0;
  if (port == 0) {
    port = http.bind_to_any_port(options.host);
  } else if (!http.bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port <= 0 && (errno == EACCES || errno == EPERM)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "live view: cannot listen on ", options.host, ":", options.port,
        ": permission denied (ports below 1024 need privileges); pick a "
        "port above 1023, e.g. --live=127.0.0.1:8080, or 0 for any free "
        "port"));
  }
  if (port <= 0) {
    return absl::UnavailableError(absl::StrCat(
        "live view: cannot listen on ", options.host, ":", options.port,
        " (the port is in use, or the host is not an address of this "
        "machine); pick another, e.g. --live=127.0.0.1:0 for any free port"));
  }
  server->port_ = port;
  auto exited = std::make_shared<std::atomic<bool>>(false);
  server->thread_ = std::thread([s = server.get(), exited] {
    s->server_->listen_after_bind();
    *exited = true;
  });
  // httplib's stop() does nothing until the loop runs: wait for it, so that
  // a Stop() right after Start() cannot leave the thread listening forever.
  while (!server->server_->is_running() && !*exited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return server;
}

void LiveServer::Stop() {
  // Nothing to stop (and the caller's feed stays open) if Start() failed
  // before serving.
  if (stopped_ || !thread_.joinable()) return;
  stopped_ = true;
  feed_->Close();  // Ends the streams' waits.
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string LiveServer::url() const {
  const bool v6 = options_.host.find(':') != std::string::npos;
  return absl::StrCat("http://", v6 ? "[" : "", options_.host, v6 ? "]" : "",
                      ":", port_, "/");
}

bool LiveServer::IsRunFile(const std::string& relative) const {
  // Directories of the run's layout (listed with only the run's files).
  for (const char* directory : {"", "videos/", "videos/eval/", "checkpoints/",
                                "videos", "videos/eval", "checkpoints"}) {
    if (relative == directory) return true;
  }
  for (absl::string_view segment : absl::StrSplit(relative, '/')) {
    if (absl::StartsWith(segment, ".")) return false;  // Hidden, "..".
  }
  for (const char* name :
       {"index.html", "metrics.csv", "evals.csv", "videos.csv", "config.json",
        "videos/index.html", "videos/eval/index.html",
        "checkpoints/latest.ckpt", "checkpoints/best.ckpt"}) {
    if (relative == name) return true;
  }
  return board_->HasVideoFile(relative);
}

void LiveServer::Route() {
  httplib::Server& http = *server_;
  http.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("X-Content-Type-Options", "nosniff");
        if (req.method == "GET" || req.method == "HEAD") {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        // The body, if any, is not read: close rather than misparse it.
        res.set_header("Allow", "GET, HEAD");
        res.set_header("Connection", "close");
        SetText(res, 405, "the live view is read-only: GET and HEAD only");
        return httplib::Server::HandlerResponse::Handled;
      });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    switch (res.status) {
      case 400:
        SetText(res, 400, "bad request");
        break;
      case 404:
        SetText(res, 404, "not found: see / for the live page");
        break;
      case 413:
        SetText(res, 413, "request too large");
        break;
      case 414:
        SetText(res, 414, "request URI too long");
        break;
      case 416:
        SetText(res, 416, "range not satisfiable");
        break;
      default:
        SetText(res, res.status, absl::StrCat("error ", res.status));
    }
  });

  http.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content(LivePageHtml(), "text/html; charset=utf-8");
  });

  http.Get("/status.json", [this](const httplib::Request& req,
                                  httplib::Response& res) {
    int64_t since = 0;
    if (req.has_param("since") &&
        (!absl::SimpleAtoi(req.get_param_value("since"), &since) ||
         since < 0)) {
      SetText(res, 400, "since must be a count of points, >= 0");
      return;
    }
    res.set_header("Cache-Control", "no-store");
    res.set_content(board_->StatusJson(since, streams_.load(), feed_->error()),
                    "application/json");
  });

  http.Get("/stream.mjpg", [this](const httplib::Request&,
                                  httplib::Response& res) {
    if (++streams_ > options_.max_viewers) {
      --streams_;
      // Close at once: a refused client that never reads must not hold a
      // worker for the keep-alive time (200 of them blocked the page).
      res.set_header("Connection", "close");
      SetText(res, 503,
              absl::StrCat("too many live viewers (", options_.max_viewers,
                           "); close another page, or raise "
                           "--live_max_viewers"));
      return;
    }
    auto viewer = std::make_shared<LiveFeed::Viewer>(feed_);
    auto last = std::make_shared<int64_t>(0);
    res.set_header("Cache-Control", "no-store");
    // Not chunked: the stream ends with the connection, so httplib
    // writes each prebuilt part straight to the socket (no chunk-framing
    // copy per viewer); browsers take MJPEG either way.
    res.set_content_provider(
        absl::StrCat("multipart/x-mixed-replace; boundary=", kMjpegBoundary),
        [this, viewer, last](size_t, httplib::DataSink& sink) {
          LiveFeed::Picture picture;
          if (!feed_->WaitForPicture(*last, absl::Seconds(1), &picture)) {
            if (feed_->closed()) {
              sink.done();
              return true;
            }
            return sink.is_writable();  // Keep waiting while the client is.
          }
          *last = picture.sequence;
          // A client that stops reading fails a write within io_timeout
          // and is dropped; until then it simply misses pictures.
          return sink.write(picture.mjpeg_part->data(),
                            picture.mjpeg_part->size());
        },
        [this, viewer](bool) { --streams_; });
  });

  http.Get(
      "/frame.jpg", [this](const httplib::Request&, httplib::Response& res) {
        LiveFeed::Picture picture = feed_->Latest();
        {
          // A fresh one: pictures are made only while someone waits for one.
          LiveFeed::Viewer viewer(feed_);
          feed_->WaitForPicture(picture.sequence, absl::Seconds(3), &picture);
        }
        if (picture.jpeg == nullptr) {
          const std::string why = feed_->error();
          SetText(res, 503,
                  why.empty() ? "no picture yet: the run has not stepped since "
                                "you asked; try again"
                              : absl::StrCat("no picture: ", why));
          return;
        }
        res.set_header("Cache-Control", "no-store");
        res.set_content(*picture.jpeg, "image/jpeg");
      });

  http.Get("/files", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("files/");
  });
  http.Get(R"(/files/(.*))", [this](const httplib::Request& req,
                                    httplib::Response& res) {
    const std::string relative = req.matches[1];
    absl::StatusOr<std::string> path = ResolveServedPath(root_, relative);
    if (!path.ok()) {
      SetText(res, absl::IsNotFound(path.status()) ? 404 : 403,
              absl::StrCat("/files/", relative, ": ", path.status().message()));
      return;
    }
    if (!IsRunFile(relative)) {
      // The served directory may be someone's home (--video_dir=$HOME):
      // only what the run writes is served, whatever else sits there.
      SetText(res, 404,
              absl::StrCat("/files/", relative,
                           ": not a file of this run (only the run's pages, "
                           "CSVs, config, checkpoints and videos are served)"));
      return;
    }
    std::error_code error;
    if (fs::is_directory(*path, error)) {
      if (!relative.empty() && relative.back() != '/') {
        const size_t slash = relative.rfind('/');
        res.set_redirect(
            absl::StrCat(UrlEncodeSegment(relative.substr(slash + 1)), "/"));
        return;
      }
      std::vector<std::pair<std::string, bool>> entries;
      for (const fs::directory_entry& entry :
           fs::directory_iterator(*path, error)) {
        const std::string name = entry.path().filename().string();
        const bool is_directory = entry.is_directory(error);
        const std::string listed = absl::StrCat(relative, name);
        if (!IsRunFile(is_directory ? listed + "/" : listed)) continue;
        entries.emplace_back(name, is_directory);
      }
      std::sort(entries.begin(), entries.end());
      std::string html =
          absl::StrCat("<!DOCTYPE html><meta charset=utf-8><title>/files/",
                       HtmlEscape(relative), "</title><h1>/files/",
                       HtmlEscape(relative), "</h1><ul>");
      if (!relative.empty())
        absl::StrAppend(&html, "<li><a href=\"../\">../</a>");
      for (const auto& [name, is_directory] : entries) {
        const std::string suffix = is_directory ? "/" : "";
        absl::StrAppend(&html, "<li><a href=\"", UrlEncodeSegment(name), suffix,
                        "\">", HtmlEscape(name), suffix, "</a>");
      }
      absl::StrAppend(&html, "</ul>");
      res.set_content(html, "text/html; charset=utf-8");
      return;
    }
    const int fd = open(path->c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
      if (fd >= 0) close(fd);
      SetText(res, 404, absl::StrCat("/files/", relative, ": not a file"));
      return;
    }
    // A range that starts past the end is unsatisfiable (RFC 9110 14.1.2):
    // 416 with the size, not a 206 with a length the body does not have.
    for (const auto& [first, last] : req.ranges) {
      if (first >= 0 && first >= static_cast<ssize_t>(info.st_size)) {
        close(fd);
        // httplib 0.11 would apply the range to this answer too and write
        // its own bogus Content-Range; the request object is the server's
        // own (not const), so its ranges are dropped here.
        const_cast<httplib::Request&>(req).ranges.clear();
        res.set_header("Content-Range", absl::StrCat("bytes */", info.st_size));
        SetText(res, 416, "range not satisfiable");
        return;
      }
    }
    auto file = std::make_shared<OpenFile>(fd);
    // The size when asked: a growing file (a CSV, a video being recorded)
    // is served as it was then.
    res.set_content_provider(
        static_cast<size_t>(info.st_size), ContentTypeOf(*path),
        [file](size_t offset, size_t length, httplib::DataSink& sink) {
          char buffer[64 * 1024];
          const ssize_t got =
              pread(file->fd, buffer, std::min(length, sizeof(buffer)), offset);
          if (got <= 0) return false;  // Truncated under us: end it.
          return sink.write(buffer, static_cast<size_t>(got));
        });
  });
}

}  // namespace rl
