#include "followup/storage/lock.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "followup/model/error.hpp"

namespace followup {

FileLock::FileLock(const Folder& folder, std::string_view name, double timeout_seconds) {
  const std::filesystem::path lock_path = folder / name;
  folder.plain_file(name, "lock file"); // a link, FIFO or folder: refused with its own message
  // O_NONBLOCK: a FIFO put there after that look must not hang us.
  fd_ = ::openat(folder.fd(), std::string(name).c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw Error(ErrorKind::cant_write, fmt::format("cannot create the lock file: {}", std::strerror(errno)),
                lock_path.string());
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw Error(ErrorKind::cant_write, "the lock file is not a plain file", lock_path.string(),
                "remove it if you did not make it, then try again");
  }
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
