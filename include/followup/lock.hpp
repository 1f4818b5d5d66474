// An exclusive flock on `<file>.lock`, waited for with a bound.
#pragma once

#include <filesystem>

namespace followup {

class FileLock {
public:
  // Creates the lock file if needed and takes the lock, retrying until
  // timeout_seconds. Throws Error{cant_write} when the lock file cannot be
  // created, Error{locked} on timeout. flock is released by the kernel when
  // the process dies, so a killed writer never leaves the book locked.
  FileLock(const std::filesystem::path& lock_path, double timeout_seconds);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

private:
  int fd_ = -1;
};

} // namespace followup
