// Replacing a file so that a crash at any instant leaves the old version or
// the new one: write a temp file in the same folder, fsync it, rename it over
// the target, fsync the folder. The destructor never commits: a half-written
// temp file is removed, never renamed (as ccache's AtomicFile).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "followup/storage/folder.hpp"

namespace followup {

class AtomicFile {
public:
  // Creates the temp file `.<name>.tmp.XXXXXX` in `folder` with the target's
  // permissions (0600 for a new file). Throws Error{cant_write}.
  AtomicFile(const Folder& folder, std::string name);
  // The same in the target's own folder.
  explicit AtomicFile(const std::filesystem::path& target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view data);
  // fsyncs the temp file and renames it over the target, then fsyncs the
  // folder. With a `backup` name and an existing target, the target's
  // current version becomes `backup` (a hard link, else a copy), but only
  // once the new version is in place: a write that fails at any step leaves
  // both the target and the previous backup as they were. A backup that is
  // a link or not a plain file is refused before anything changes.
  void commit(std::string_view backup = {});

private:
  void open_temp();
  std::string keep_current(std::string_view backup);

  std::unique_ptr<Folder> own_folder_; // when made from a path
  const Folder* folder_;
  std::string name_, temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// Copies `from` to a new temp file in `folder` (`prefix` + six characters),
// fsynced; returns its name. Throws Error{cant_write}, leaving no temp file.
std::string copy_to_temp(const Folder& folder, std::string_view from, std::string_view prefix);

} // namespace followup
