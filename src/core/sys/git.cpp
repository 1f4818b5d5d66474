#include "followup/sys/git.hpp"

#include <array>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "followup/model/error.hpp"

extern char** environ;

namespace followup {
namespace {

std::string trim_end(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string line = trim_end(text.substr(start, nl - start));
    if (!line.empty()) out.push_back(std::move(line));
    start = nl + 1;
  }
  return out;
}

struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (::pipe2(fd, O_CLOEXEC) != 0)
      throw Error(ErrorKind::io, fmt::format("cannot run git: {}", std::strerror(errno)));
  }
  ~Pipe() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
  void close_end(int i) {
    ::close(fd[i]);
    fd[i] = -1;
  }
};

// Reads both pipes to their end (git may fill one while we wait on the other).
void drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  std::array<pollfd, 2> fds{{{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&out, &err};
  int open_fds = 2;
  char buf[16384];
  while (open_fds > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else {
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
}

} // namespace

std::string GitRun::message() const {
  std::vector<std::string> lines = split_lines(err);
  for (auto& l : split_lines(out)) lines.push_back(std::move(l));
  std::string picked;
  for (const auto& l : lines) {
    if (l.starts_with("fatal:") || l.starts_with("error:") || l.starts_with("CONFLICT") ||
        l.starts_with(" ! [rejected]") || l.starts_with("! [rejected]")) {
      if (!picked.empty()) picked += "; ";
      picked += l;
    }
  }
  if (!picked.empty()) return picked;
  if (const auto err_lines = split_lines(err); !err_lines.empty()) return err_lines.back();
  if (!lines.empty()) return lines.back();
  return fmt::format("git exited with status {}", status);
}

Git::Git(std::filesystem::path folder, std::string program) : folder_(std::move(folder)), program_(std::move(program)) {}

GitRun Git::run(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{program_, "-C", folder_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> argp;
  for (auto& a : argv) argp.push_back(a.data());
  argp.push_back(nullptr);

  Pipe out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], STDERR_FILENO);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, program_.c_str(), &actions, nullptr, argp.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw Error(ErrorKind::io, fmt::format("cannot run git: {}", std::strerror(rc)), program_,
                "install git, or put it on PATH");
  out.close_end(1);
  err.close_end(1);

  GitRun r;
  drain(out.fd[0], err.fd[0], r.out, r.err);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string Git::must(const std::vector<std::string>& args) const {
  GitRun r = run(args);
  if (!r.ok())
    throw Error(ErrorKind::io, fmt::format("git {} failed: {}", args.empty() ? "" : args.front(), r.message()),
                folder_.string());
  return trim_end(r.out);
}

} // namespace followup
