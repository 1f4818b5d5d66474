#include "followup/lock.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include "followup/error.hpp"

namespace followup {

FileLock::FileLock(const std::filesystem::path& lock_path, double timeout_seconds) {
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw Error(ErrorKind::cant_write, fmt::format("cannot create the lock file: {}", std::strerror(errno)),
                lock_path.string());
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::duration<double>(timeout_seconds);
  auto pause = std::chrono::milliseconds(1);
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int err = errno;
      ::close(fd_);
      throw Error(ErrorKind::cant_write, fmt::format("cannot lock the book: {}", std::strerror(err)),
                  lock_path.string());
    }
    if (clock::now() >= deadline) {
      ::close(fd_);
      throw Error(ErrorKind::locked,
                  fmt::format("the book is locked by another followup process (waited {:g}s)", timeout_seconds),
                  lock_path.string(), "try again; $FOLLOWUP_LOCK_TIMEOUT sets the wait in seconds");
    }
    // Short pauses first: most writers hold the lock for milliseconds.
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_); // closing releases the flock
}

} // namespace followup
