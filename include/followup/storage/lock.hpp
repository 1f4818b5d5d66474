// An exclusive flock on `<file>.lock`, waited for with a bound.
#pragma once

#include <string_view>

#include "followup/storage/folder.hpp"

namespace followup {

class FileLock {
public:
  // Creates the lock file `name` in `folder` if needed (never through a
  // link: a planted one is refused) and takes the lock, retrying until
  // timeout_seconds. Throws Error{cant_write} when the lock file cannot be
  // created or is a link or not a plain file, Error{locked} on timeout. flock is released by the kernel when
  // the process dies, so a killed writer never leaves the book locked.
  FileLock(const Folder& folder, std::string_view name, double timeout_seconds);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

private:
  int fd_ = -1;
};

} // namespace followup
