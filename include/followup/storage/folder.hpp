// The book's folder, opened once. The lock, temp and backup files beside the
// book are reached through its descriptor (openat, renameat, ...) and opened
// without following links, so that a link planted beside a book in a shared
// folder (a sticky /tmp, a group folder) can never make a writer create or
// overwrite a file elsewhere (issue 12).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace followup {

class Folder {
public:
  // Opens `path` (a folder). Throws Error{cant_write} when it cannot.
  explicit Folder(const std::filesystem::path& path);
  ~Folder();
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;

  int fd() const { return fd_; }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

  // Whether `name` exists. Throws Error{cant_write} naming `what` when it is
  // a link, a folder, a FIFO or anything but a plain file.
  bool plain_file(std::string_view name, std::string_view what) const;
  // Creates `<prefix>XXXXXX` (six random characters) with O_EXCL and
  // O_NOFOLLOW; returns its descriptor and sets `name`, or -1 with errno set.
  int create_temp(std::string_view prefix, mode_t mode, std::string& name) const;
  // Removes every entry whose name is `prefix` and six more characters (the
  // temp files of writers killed by SIGKILL), and `exact` if given. Only
  // under the book's lock, where no live writer can own one.
  void remove_stale(std::string_view prefix, std::string_view exact = {}) const;
  // fsync of the folder, so that a rename in it survives a crash.
  void sync() const;

private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// The book's temp files: `.contacts.json.tmp.` + six characters.
std::string temp_prefix(std::string_view book_name);

} // namespace followup
