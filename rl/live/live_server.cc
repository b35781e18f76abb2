#include "rl/live/live_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
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

// The most a request's line and headers may take (a 20000-byte URI still
// reaches httplib's parser and gets its 414); past it, 431.
constexpr size_t kMaxRequestHead = 32 * 1024;
// Requests on one keep-alive connection, as httplib's Keep-Alive header says.
constexpr int kMaxRequestsPerConnection = 20;
// Workers of the page's own (see IsPageRequest()).
constexpr int kPageWorkers = 4;

// Set by the logger (which httplib calls on the worker after each answer)
// when the connection must not carry another request: an error answer, or
// one that said "Connection: close" (a refused viewer, a 405 whose body was
// not read).
thread_local bool t_close_after_answer = false;

// Waits up to `timeout` for `events` on `fd`; true when they (or an error
// the next call reports) came.
bool WaitFor(int fd, short events, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    const int64_t ms =
        std::max<int64_t>(0, absl::ToInt64Milliseconds(deadline - absl::Now()));
    pollfd p{fd, events, 0};
    const int ready =
        poll(&p, 1, static_cast<int>(std::min<int64_t>(ms, 60000)));
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return false;
    if (ready == 0 && ms < 60000) return false;
  }
}

// GET or HEAD of / or /status.json: what the page needs, answered from
// memory in a few tens of KB that the socket's buffer takes at once. They
// have workers of their own, so clients that stop reading streams or files
// (who hold a worker up to io_timeout each) never delay the page.
bool IsPageRequest(absl::string_view head) {
  const size_t space = head.find(' ');
  if (space == absl::string_view::npos) return false;
  const absl::string_view method = head.substr(0, space);
  if (method != "GET" && method != "HEAD") return false;
  absl::string_view target = head.substr(space + 1);
  target = target.substr(0, target.find_first_of(" ?\r\n"));
  return target == "/" || target == "/status.json";
}

bool HasWholeHead(const std::string& bytes) {
  return bytes.find("\r\n\r\n") != std::string::npos ||
         bytes.find("\n\n") != std::string::npos;
}

// A short answer from the waiting thread, never blocking it (the socket's
// buffer is empty: nothing was answered on it since).
void SendShortAnswer(int fd, int status, const char* reason,
                     const std::string& text) {
  const std::string answer = absl::StrCat(
      "HTTP/1.1 ", status, " ", reason,
      "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ",
      text.size() + 1, "\r\nConnection: close\r\n\r\n", text, "\n");
  send(fd, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// httplib's accept loop hands each accepted socket to its task queue; this
// one runs the hand-off at once (GatedHttpServer passes the socket to
// LiveConnections), so accepting never waits for a worker or a client.
class InlineQueue : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

// One client connection between the waiting thread and the workers.
struct LiveConnection {
  explicit LiveConnection(int fd) : fd(fd) {}
  ~LiveConnection() {
    shutdown(fd, SHUT_RDWR);
    close(fd);
  }
  const int fd;
  std::string ip;  // The peer's address: the per-client limit's key.
  int port = 0;
  std::string buffer;   // Read from the socket, not parsed yet.
  absl::Time deadline;  // By when the request in progress must be whole.
  int requests = 0;     // Served on it so far.
};

// httplib's server with its sockets handed to LiveConnections on accept,
// and its parser and routes run by a worker on one whole request.
class GatedHttpServer : public httplib::Server {
 public:
  void set_on_accept(std::function<void(int)> on_accept) {
    on_accept_ = std::move(on_accept);
  }
  // httplib 0.11 listens with a backlog of 5: a burst of connections (a
  // page's, among a flood's) would have its SYNs dropped and retried a
  // second later. Linux lets a listening socket's backlog be raised.
  void RaiseBacklog(int backlog) { ::listen(svr_sock_, backlog); }
  bool ServeRequest(httplib::Stream& stream, bool close_connection,
                    bool& connection_closed) {
    return process_request(stream, close_connection, connection_closed,
                           nullptr);
  }

 private:
  // httplib's accept loop calls this for each socket (through InlineQueue).
  bool process_and_close_socket(socket_t sock) override {
    on_accept_(sock);
    return true;
  }
  std::function<void(int)> on_accept_;
};

// The printable address and port of a socket address.
void AddressText(const sockaddr_storage& address, std::string* ip, int* port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
    *port = ntohs(v4->sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    *port = ntohs(v6->sin6_port);
  }
  *ip = text;
}

// What httplib's parser and answers read and write: the request's bytes the
// waiting thread already read first, then the socket.
class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(LiveConnection* connection, absl::Duration io_timeout)
      : connection_(connection), io_timeout_(io_timeout) {}

  bool is_readable() const override {
    return offset_ < connection_->buffer.size() ||
           WaitFor(connection_->fd, POLLIN, absl::ZeroDuration());
  }
  bool is_writable() const override {
    return WaitFor(connection_->fd, POLLOUT, io_timeout_);
  }
  ssize_t read(char* ptr, size_t size) override {
    const std::string& buffer = connection_->buffer;
    if (offset_ < buffer.size()) {
      const size_t n = std::min(size, buffer.size() - offset_);
      memcpy(ptr, buffer.data() + offset_, n);
      offset_ += n;
      return static_cast<ssize_t>(n);
    }
    // Past the head (a body): only within what is left of the request's
    // time, so a worker never waits long on a client.
    if (!WaitFor(connection_->fd, POLLIN,
                 connection_->deadline - absl::Now())) {
      return -1;
    }
    return recv(connection_->fd, ptr, size, MSG_DONTWAIT);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (!WaitFor(connection_->fd, POLLOUT, io_timeout_)) return -1;
    return send(connection_->fd, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = connection_->ip;
    port = connection_->port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    if (getsockname(connection_->fd, reinterpret_cast<sockaddr*>(&address),
                    &length) == 0) {
      AddressText(address, &ip, &port);
    }
  }
  socket_t socket() const override { return connection_->fd; }

  // Drops the bytes the request used; a pipelined next one stays.
  void ConsumeRead() {
    connection_->buffer.erase(0, offset_);
    offset_ = 0;
  }

 private:
  LiveConnection* const connection_;
  const absl::Duration io_timeout_;
  size_t offset_ = 0;
};

}  // namespace

// The waiting thread and the workers (see live_server.h).
class LiveConnections {
 public:
  LiveConnections(const LiveServerOptions& options, GatedHttpServer* http)
      : options_(options), http_(http) {
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0) {
      wake_error_ = errno;
      return;  // Start() reports it; no thread runs.
    }
    waiter_ = std::thread([this] { WaitLoop(); });
    for (int i = 0; i < options_.max_connections + kPageWorkers; ++i) {
      const Lane lane = i < options_.max_connections ? kAnyRequest : kPage;
      workers_.emplace_back([this, lane] { Work(lane); });
    }
  }
  ~LiveConnections() {
    Stop();
    if (wake_fd_ >= 0) close(wake_fd_);
  }

  // 0, or the errno of failing to make the waiting thread's wake-up fd.
  int wake_error() const { return wake_error_; }

  // From the accept loop: a new connection, to wait for its first request.
  void Accept(int fd) {
    auto connection = std::make_unique<LiveConnection>(fd);
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      AddressText(address, &connection->ip, &connection->port);
    }
    connection->deadline = absl::Now() + options_.request_timeout;
    Wait(std::move(connection));
  }

  // Closes every waiting connection, drops the ones not served yet, and
  // joins the workers (each ends its request first).
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    Wake();
    work_.notify_all();
    if (waiter_.joinable()) waiter_.join();
    for (std::thread& worker : workers_) worker.join();
    std::lock_guard<std::mutex> lock(mutex_);
    arrived_.clear();
    for (auto& jobs : jobs_) jobs.clear();
  }

 private:
  enum class Read { kWhole, kMore, kClosed, kTooLarge };
  enum Lane { kAnyRequest = 0, kPage = 1 };

  void Wake() {
    const uint64_t one = 1;
    if (write(wake_fd_, &one, sizeof(one)) < 0) {
      // Already signalled (the counter is full): the waiting thread wakes.
    }
  }

  // Hands a connection to the waiting thread (dropped when stopping).
  void Wait(std::unique_ptr<LiveConnection> connection) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      arrived_.push_back(std::move(connection));
    }
    Wake();
  }

  // The waiting thread: reads requests as their bytes come, hands whole ones
  // to the workers, closes connections past their deadline or limits.
  void WaitLoop() {
    std::vector<std::unique_ptr<LiveConnection>> waiting;  // Oldest first.
    std::vector<pollfd> polls;
    while (true) {
      std::vector<std::unique_ptr<LiveConnection>> arrived;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
        arrived.swap(arrived_);
      }
      for (auto& connection : arrived) Admit(std::move(connection), &waiting);
      const absl::Time now = absl::Now();
      absl::Time next = now + absl::Seconds(1);
      polls.assign(1, pollfd{wake_fd_, POLLIN, 0});
      std::vector<std::unique_ptr<LiveConnection>> kept;
      for (auto& connection : waiting) {
        if (connection->deadline <= now) {
          // A request begun and not finished in time hears why; an idle
          // connection is just closed, as keep-alive ones are.
          if (!connection->buffer.empty()) {
            SendShortAnswer(
                connection->fd, 408, "Request Timeout",
                absl::StrCat("the request did not arrive whole within ",
                             absl::FormatDuration(options_.request_timeout)));
          }
          continue;
        }
        next = std::min(next, connection->deadline);
        polls.push_back(pollfd{connection->fd, POLLIN, 0});
        kept.push_back(std::move(connection));
      }
      waiting.swap(kept);
      const int64_t ms = absl::ToInt64Milliseconds(next - now) + 1;
      if (poll(polls.data(), polls.size(), static_cast<int>(ms)) <= 0) {
        continue;
      }
      if (polls[0].revents != 0) {
        uint64_t count;
        while (read(wake_fd_, &count, sizeof(count)) > 0) {
        }
      }
      kept.clear();
      for (size_t i = 0; i < waiting.size(); ++i) {
        std::unique_ptr<LiveConnection>& connection = waiting[i];
        if (polls[i + 1].revents == 0) {
          kept.push_back(std::move(connection));
          continue;
        }
        if (StillWaiting(connection, ReadSome(*connection))) {
          kept.push_back(std::move(connection));
        }
      }
      waiting.swap(kept);
    }
  }

  // Takes a connection into `waiting`, within the limits: past them, the
  // client's own oldest waiting connection (or anyone's) is closed, so
  // a flood of slow ones never starves a new request.
  void Admit(std::unique_ptr<LiveConnection> connection,
             std::vector<std::unique_ptr<LiveConnection>>* waiting) {
    // A request already here (pipelined, or sent with the connection) goes
    // straight on: the limits are for connections still waiting.
    const Read read =
        HasWholeHead(connection->buffer) ? Read::kWhole : ReadSome(*connection);
    if (!StillWaiting(connection, read)) return;
    int from_client = 0;
    for (const auto& other : *waiting)
      from_client += other->ip == connection->ip;
    if (from_client >= options_.max_waiting_per_client) {
      waiting->erase(std::find_if(
          waiting->begin(), waiting->end(),
          [&](const auto& other) { return other->ip == connection->ip; }));
    } else if (static_cast<int>(waiting->size()) >= options_.max_waiting) {
      waiting->erase(waiting->begin());
    }
    waiting->push_back(std::move(connection));
  }

  // Acts on what ReadSome() found: a whole request goes to the workers, one
  // too large hears so. True (and `connection` kept) while it still comes.
  bool StillWaiting(std::unique_ptr<LiveConnection>& connection, Read read) {
    switch (read) {
      case Read::kMore:
        return true;
      case Read::kWhole:
        Dispatch(std::move(connection));
        return false;
      case Read::kTooLarge:
        SendShortAnswer(connection->fd, 431, "Request Header Fields Too Large",
                        "request line and headers over 32 KB");
        return false;
      case Read::kClosed:
        return false;
    }
    return false;
  }

  Read ReadSome(LiveConnection& connection) {
    char bytes[kMaxRequestHead];
    const size_t room =
        kMaxRequestHead - std::min(kMaxRequestHead, connection.buffer.size());
    if (room == 0) return Read::kTooLarge;
    const ssize_t got = recv(connection.fd, bytes, room, MSG_DONTWAIT);
    if (got == 0) return Read::kClosed;
    if (got < 0) {
      return errno == EAGAIN || errno == EINTR ? Read::kMore : Read::kClosed;
    }
    connection.buffer.append(bytes, static_cast<size_t>(got));
    if (HasWholeHead(connection.buffer)) return Read::kWhole;
    return connection.buffer.size() >= kMaxRequestHead ? Read::kTooLarge
                                                       : Read::kMore;
  }

  // A whole request, to the workers; 503 when max_pending already wait.
  void Dispatch(std::unique_ptr<LiveConnection> connection) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto& jobs =
          jobs_[IsPageRequest(connection->buffer) ? kPage : kAnyRequest];
      if (static_cast<int>(jobs.size()) < options_.max_pending) {
        jobs.push_back(std::move(connection));
        work_.notify_all();  // Workers of either lane wait on it.
        return;
      }
    }
    SendShortAnswer(connection->fd, 503, "Service Unavailable",
                    "the live view is busy; try again in a moment");
  }

  void Work(Lane lane) {
    std::deque<std::unique_ptr<LiveConnection>>& jobs = jobs_[lane];
    while (true) {
      std::unique_ptr<LiveConnection> connection;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_.wait(lock, [&] { return stopping_ || !jobs.empty(); });
        if (stopping_) return;
        connection = std::move(jobs.front());
        jobs.pop_front();
      }
      Serve(std::move(connection));
    }
  }

  // One request with httplib's parser and routes; a connection kept alive
  // goes back to the waiting thread for its next.
  void Serve(std::unique_ptr<LiveConnection> connection) {
    ConnectionStream stream(connection.get(), options_.io_timeout);
    t_close_after_answer = false;
    const bool last = ++connection->requests >= kMaxRequestsPerConnection;
    bool closed = false;
    const bool ok = http_->ServeRequest(stream, last, closed);
    if (!ok || closed || last || t_close_after_answer) return;
    stream.ConsumeRead();
    connection->deadline = absl::Now() + options_.request_timeout;
    Wait(std::move(connection));
  }

  const LiveServerOptions options_;
  GatedHttpServer* const http_;
  int wake_fd_ = -1;
  int wake_error_ = 0;
  std::mutex mutex_;
  std::condition_variable work_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<LiveConnection>> arrived_;  // For the waiter.
  // Whole requests, by lane.
  std::deque<std::unique_ptr<LiveConnection>> jobs_[2];
  std::thread waiter_;
  std::vector<std::thread> workers_;
};

namespace {

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
      {".js", "text/javascript; charset=utf-8"},
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
  if (options.max_waiting < 1 || options.max_waiting_per_client < 1 ||
      options.request_timeout <= absl::ZeroDuration() ||
      options.io_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "live server limits: max_waiting (", options.max_waiting,
        ") and max_waiting_per_client (", options.max_waiting_per_client,
        ") must be >= 1, request_timeout (",
        absl::FormatDuration(options.request_timeout), ") and io_timeout (",
        absl::FormatDuration(options.io_timeout), ") more than 0"));
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
  auto gated = std::make_unique<GatedHttpServer>();
  server->connections_ =
      std::make_unique<LiveConnections>(options, gated.get());
  gated->set_on_accept([connections = server->connections_.get()](int fd) {
    connections->Accept(fd);
  });
  server->server_ = std::move(gated);
  if (const int wake_error = server->connections_->wake_error()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "live view: cannot create an eventfd for its connections: ",
        std::strerror(wake_error),
        "; too many open files? raise the limit (ulimit -n) and retry"));
  }
  httplib::Server& http = *server->server_;
  http.new_task_queue = [] { return new InlineQueue; };
  // Reads and writes are LiveConnections' (request_timeout, io_timeout);
  // these only shape httplib's Keep-Alive header.
  http.set_keep_alive_timeout(
      std::max<int64_t>(1, absl::ToInt64Seconds(options.request_timeout)));
  http.set_keep_alive_max_count(kMaxRequestsPerConnection);
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
  static_cast<GatedHttpServer&>(http).RaiseBacklog(1024);
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
  connections_->Stop();
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
       {"index.html", "page_data.js", "metrics.csv", "evals.csv", "videos.csv",
        "config.json", "videos/index.html", "videos/eval/index.html",
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

  // Called on the worker after each answer: an error (but the routine 404
  // and 416) or an answer saying "Connection: close" ends the connection.
  http.set_logger([](const httplib::Request&, const httplib::Response& res) {
    if ((res.status >= 400 && res.status != 404 && res.status != 416) ||
        res.get_header_value("Connection") == "close") {
      t_close_after_answer = true;
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
    auto opened = std::make_shared<bool>(false);
    res.set_header("Cache-Control", "no-store");
    // Not chunked: the stream ends with the connection, so httplib
    // writes each prebuilt part straight to the socket (no chunk-framing
    // copy per viewer); browsers take MJPEG either way.
    res.set_content_provider(
        absl::StrCat("multipart/x-mixed-replace; boundary=", kMjpegBoundary),
        [this, viewer, last, opened](size_t, httplib::DataSink& sink) {
          if (!*opened) {
            *opened = true;
            if (!sink.write(kMjpegOpening, sizeof(kMjpegOpening) - 1)) {
              return false;
            }
          }
          // The newest picture at once (a viewer who comes after the run
          // gets its last one), then each newer one.
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

  // Data-parallel runs: rank R's latest picture, as it sent it.
  http.Get("/rank_frame.jpg", [this](const httplib::Request& req,
                                     httplib::Response& res) {
    int rank = -1;
    std::shared_ptr<const std::string> jpeg;
    if (absl::SimpleAtoi(req.get_param_value("rank"), &rank)) {
      jpeg = board_->RankPicture(rank);
    }
    if (jpeg == nullptr) {
      SetText(res, 404, "no picture of that rank (rank_frame.jpg?rank=R)");
      return;
    }
    res.set_header("Cache-Control", "no-store");
    res.set_content(*jpeg, "image/jpeg");
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
    // A range that starts past the end, or asks for the last 0 bytes, is
    // unsatisfiable (RFC 9110 14.1.2): such ranges are dropped, and when
    // none is left the answer is 416 with the size, not a 206 with a length
    // the body does not have. httplib 0.11 would apply them as they are;
    // the request object is the server's own (not const), so they are
    // dropped from it.
    if (!req.ranges.empty()) {
      auto& ranges = const_cast<httplib::Request&>(req).ranges;
      const ssize_t size = static_cast<ssize_t>(info.st_size);
      ranges.erase(std::remove_if(ranges.begin(), ranges.end(),
                                  [size](const httplib::Range& range) {
                                    return range.first >= size ||
                                           (range.first < 0 &&
                                            (range.second == 0 || size == 0));
                                  }),
                   ranges.end());
      if (ranges.empty()) {
        close(fd);
        res.set_header("Content-Range", absl::StrCat("bytes */", size));
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
