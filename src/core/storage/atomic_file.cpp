#include "followup/storage/atomic_file.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "followup/model/error.hpp"

namespace followup {
namespace {

// The temp file to remove if SIGINT or SIGTERM arrives mid-write. A signal
// handler can only reach it through globals; a folder descriptor and a
// plain char array keep the handler async-signal-safe.
char g_temp_name[512];
volatile std::sig_atomic_t g_temp_dir = -1;

extern "C" void remove_temp_and_reraise(int sig) {
  if (g_temp_dir >= 0) ::unlinkat(g_temp_dir, g_temp_name, 0);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& p, int err) {
  throw Error(ErrorKind::cant_write, fmt::format("{}: {}", what, std::strerror(err)), p.string());
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Holds SIGINT, SIGTERM and SIGHUP back for its lifetime; one that arrives
// meanwhile is handled when it ends.
class SignalsHeld {
public:
  SignalsHeld() {
    sigset_t block;
    sigemptyset(&block);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&block, sig);
    ::sigprocmask(SIG_BLOCK, &block, &old_);
  }
  ~SignalsHeld() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

private:
  sigset_t old_;
};

// Whether a hard link failed because the file system has none (rather than
// for a reason a copy would meet too).
bool no_hard_links(int err) { return err == EPERM || err == EXDEV || err == EMLINK || err == ENOTSUP || err == ENOSYS; }

} // namespace

AtomicFile::AtomicFile(const std::filesystem::path& target)
    : own_folder_(std::make_unique<Folder>(target.parent_path())), folder_(own_folder_.get()),
      name_(target.filename().string()) {
  open_temp();
}

AtomicFile::AtomicFile(const Folder& folder, std::string name) : folder_(&folder), name_(std::move(name)) {
  open_temp();
}

void AtomicFile::open_temp() {
  const std::string prefix = temp_prefix(name_);
  if (prefix.size() + 7 > sizeof g_temp_name) fail("the file name is too long", *folder_ / name_, ENAMETOOLONG);
  struct stat st {};
  const mode_t mode = ::fstatat(folder_->fd(), name_.c_str(), &st, 0) == 0 ? (st.st_mode & 07777) : 0600;
  int create_errno = 0;
  {
    // Signals wait until the handler knows the temp file: one arriving between
    // its creation and the handler would kill us and leave the file behind.
    SignalsHeld held;
    fd_ = folder_->create_temp(prefix, 0600, temp_);
    create_errno = errno;
    if (fd_ >= 0) {
      std::memcpy(g_temp_name, temp_.c_str(), temp_.size() + 1);
      g_temp_dir = folder_->fd();
      std::signal(SIGINT, remove_temp_and_reraise);
      std::signal(SIGTERM, remove_temp_and_reraise);
      std::signal(SIGHUP, remove_temp_and_reraise);
    }
  }
  if (fd_ < 0) fail("cannot create a temp file beside the book", *folder_ / name_, create_errno);
  // Writes past RLIMIT_FSIZE must fail with EFBIG, not kill us mid-file.
  std::signal(SIGXFSZ, SIG_IGN);
  ::fchmod(fd_, mode);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlinkat(folder_->fd(), temp_.c_str(), 0);
  g_temp_dir = -1;
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGHUP, SIG_DFL);
}

void AtomicFile::write(std::string_view data) {
  if (!write_all(fd_, data)) fail("cannot write the book", *folder_ / name_, errno);
}

std::string copy_to_temp(const Folder& folder, std::string_view from, std::string_view prefix) {
  const std::string source(from);
  int in = ::openat(folder.fd(), source.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (in < 0) fail("cannot read the book to keep a copy", folder / source, errno);
  struct stat st {};
  ::fstat(in, &st);
  std::string name;
  int out = folder.create_temp(prefix, st.st_mode & 07777, name);
  if (out < 0) {
    const int err = errno;
    ::close(in);
    fail("cannot create a copy of the book", folder / source, err);
  }
  std::signal(SIGXFSZ, SIG_IGN);
  char buffer[1 << 16];
  int err = 0;
  while (true) {
    ssize_t n = ::read(in, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) err = errno;
    if (n <= 0) break;
    if (!write_all(out, std::string_view(buffer, static_cast<std::size_t>(n)))) {
      err = errno;
      break;
    }
  }
  if (err == 0 && ::fsync(out) != 0) err = errno;
  ::close(in);
  if (::close(out) != 0 && err == 0) err = errno;
  if (err != 0) {
    // A partial copy must never stand in for the book (a truncated backup).
    ::unlinkat(folder.fd(), name.c_str(), 0);
    fail("cannot keep a copy of the book", folder / name, err);
  }
  return name;
}

// The target's current version under a temp name (a hard link, else a
// full copy), to become the backup once the new version is in place.
std::string AtomicFile::keep_current(std::string_view backup) {
  if (!folder_->plain_file(name_, "book")) return {};
  folder_->plain_file(backup, "backup file"); // refuses a planted link before anything changes
  const std::string prefix = temp_prefix(name_);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string keep;
    int fd = folder_->create_temp(prefix, 0600, keep); // reserves a unique name
    if (fd < 0) fail("cannot create a temp file beside the book", *folder_ / name_, errno);
    ::close(fd);
    ::unlinkat(folder_->fd(), keep.c_str(), 0);
    if (::linkat(folder_->fd(), name_.c_str(), folder_->fd(), keep.c_str(), 0) == 0) return keep;
    const int err = errno;
    if (err == EEXIST) continue; // taken meanwhile
    if (no_hard_links(err)) return copy_to_temp(*folder_, name_, prefix);
    fail("cannot keep the previous version of the book", *folder_ / backup, err);
  }
  fail("cannot keep the previous version of the book", *folder_ / backup, EEXIST);
}

void AtomicFile::commit(std::string_view backup) {
  // From here the write finishes (or fails) before a signal is handled: the
  // previous version lives under a second temp name until it becomes the
  // backup, and the handler knows only the first. A signal that arrives
  // meanwhile kills us right after, with the new book in place.
  SignalsHeld held;
  if (::fsync(fd_) != 0) fail("cannot write the book", *folder_ / name_, errno);
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0) fail("cannot write the book", *folder_ / name_, errno);
  const std::string keep = backup.empty() ? std::string() : keep_current(backup);
  const int dir = folder_->fd();
  if (::renameat(dir, temp_.c_str(), dir, name_.c_str()) != 0) {
    const int err = errno;
    if (!keep.empty()) ::unlinkat(dir, keep.c_str(), 0); // the previous backup stays
    fail("cannot replace the book", *folder_ / name_, err);
  }
  committed_ = true;
  g_temp_dir = -1;
  if (!keep.empty() && ::renameat(dir, keep.c_str(), dir, std::string(backup).c_str()) != 0)
    ::unlinkat(dir, keep.c_str(), 0); // the book is written; the older backup stays
  folder_->sync();
}

} // namespace followup
