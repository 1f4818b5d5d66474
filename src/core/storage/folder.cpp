#include "followup/storage/folder.hpp"

#include <cerrno>
#include <cstring>
#include <random>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "followup/model/error.hpp"

namespace followup {

Folder::Folder(const std::filesystem::path& path) : path_(path.empty() ? std::filesystem::path(".") : path) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0)
    throw Error(ErrorKind::cant_write, fmt::format("cannot open the book's folder: {}", std::strerror(errno)),
                path_.string());
}

Folder::~Folder() {
  if (fd_ >= 0) ::close(fd_);
}

bool Folder::plain_file(std::string_view name, std::string_view what) const {
  struct stat st {};
  const std::string n(name);
  if (::fstatat(fd_, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return false;
  if (S_ISREG(st.st_mode)) return true;
  const char* is = S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISDIR(st.st_mode) ? "a folder" : "not a plain file";
  throw Error(ErrorKind::cant_write, fmt::format("the {} is {}; followup will not write through it", what, is),
              (path_ / n).string(), "remove it if you did not make it, then try again");
}

int Folder::create_temp(std::string_view prefix, mode_t mode, std::string& name) const {
  static constexpr char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 random{std::random_device{}() ^ static_cast<unsigned long>(::getpid())};
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string candidate(prefix);
    for (int i = 0; i < 6; ++i) candidate += letters[random() % (sizeof letters - 1)];
    // O_EXCL never follows a link: a planted one makes this fail, not write elsewhere.
    int fd = ::openat(fd_, candidate.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd >= 0) {
      name = std::move(candidate);
      return fd;
    }
    if (errno != EEXIST) return -1;
  }
  errno = EEXIST;
  return -1;
}

void Folder::remove_stale(std::string_view prefix, std::string_view exact) const {
  int dup = ::dup(fd_);
  if (dup < 0) return;
  DIR* dir = ::fdopendir(dup);
  if (!dir) {
    ::close(dup);
    return;
  }
  while (const dirent* e = ::readdir(dir)) {
    const std::string_view n = e->d_name;
    const bool temp = n.size() == prefix.size() + 6 && n.substr(0, prefix.size()) == prefix;
    // unlinkat removes a link itself, never what it points at.
    if (temp || (!exact.empty() && n == exact)) ::unlinkat(fd_, e->d_name, 0);
  }
  ::closedir(dir);
}

void Folder::sync() const { ::fsync(fd_); }

std::string temp_prefix(std::string_view book_name) { return fmt::format(".{}.tmp.", book_name); }

} // namespace followup
