// Replacing a file so that a crash at any instant leaves the old version or
// the new one: write a temp file in the same folder, fsync it, rename it over
// the target, fsync the folder. The destructor never commits: a half-written
// temp file is removed, never renamed (as ccache's AtomicFile).
#pragma once

#include <filesystem>
#include <string_view>

namespace followup {

class AtomicFile {
public:
  // Creates the temp file beside `target` with the target's permissions
  // (0600 for a new file). Throws Error{cant_write}.
  explicit AtomicFile(const std::filesystem::path& target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view data);
  // fsyncs the temp file; when `backup` is not empty and the target exists,
  // keeps the target's current version there (a hard link, else a copy);
  // renames the temp file over the target and fsyncs the folder.
  void commit(const std::filesystem::path& backup = {});

private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  bool committed_ = false;
};

} // namespace followup
