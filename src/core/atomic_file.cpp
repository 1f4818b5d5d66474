#include "followup/atomic_file.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "followup/error.hpp"

namespace followup {
namespace {

// The temp file to remove if SIGINT or SIGTERM arrives mid-write. A signal
// handler can only reach it through a global; it holds a plain char array so
// that the handler stays async-signal-safe.
char g_temp_path[4096];
volatile std::sig_atomic_t g_temp_active = 0;

extern "C" void remove_temp_and_reraise(int sig) {
  if (g_temp_active) ::unlink(g_temp_path);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& p, int err) {
  throw Error(ErrorKind::cant_write, fmt::format("{}: {}", what, std::strerror(err)), p.string());
}

void fsync_folder(const std::filesystem::path& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return; // the rename happened; a folder we cannot open cannot be synced
  ::fsync(fd);
  ::close(fd);
}

void copy_to_backup(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code ec;
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) fail("cannot write the backup file", to, ec.value());
}

} // namespace

AtomicFile::AtomicFile(const std::filesystem::path& target) : target_(target) {
  std::string pattern = (target.parent_path() / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  if (pattern.size() >= sizeof g_temp_path) fail("path too long", target, ENAMETOOLONG);
  // Signals wait until the handler knows the temp file: one arriving between
  // mkstemp and the handler would kill us and leave the file behind.
  sigset_t block, old;
  sigemptyset(&block);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&block, sig);
  ::sigprocmask(SIG_BLOCK, &block, &old);
  fd_ = ::mkstemp(pattern.data());
  const int mkstemp_errno = errno;
  if (fd_ >= 0) {
    temp_ = pattern;
    std::memcpy(g_temp_path, pattern.c_str(), pattern.size() + 1);
    g_temp_active = 1;
    std::signal(SIGINT, remove_temp_and_reraise);
    std::signal(SIGTERM, remove_temp_and_reraise);
    std::signal(SIGHUP, remove_temp_and_reraise);
  }
  ::sigprocmask(SIG_SETMASK, &old, nullptr); // a signal that came meanwhile is handled here
  if (fd_ < 0) fail("cannot create a temp file beside the book", target, mkstemp_errno);
  // Writes past RLIMIT_FSIZE must fail with EFBIG, not kill us mid-file.
  std::signal(SIGXFSZ, SIG_IGN);

  struct stat st {};
  mode_t mode = (::stat(target.c_str(), &st) == 0) ? (st.st_mode & 07777) : 0600;
  ::fchmod(fd_, mode);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
  g_temp_active = 0;
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGHUP, SIG_DFL);
}

void AtomicFile::write(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write the book", target_, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void AtomicFile::commit(const std::filesystem::path& backup) {
  if (::fsync(fd_) != 0) fail("cannot write the book", target_, errno);
  if (::close(fd_) != 0) {
    fd_ = -1;
    fail("cannot write the book", target_, errno);
  }
  fd_ = -1;
  if (!backup.empty() && ::access(target_.c_str(), F_OK) == 0) {
    // A hard link keeps the old version at no cost; the rename below then
    // gives the book's name to the new file and leaves the link to the old.
    ::unlink(backup.c_str());
    if (::link(target_.c_str(), backup.c_str()) != 0) copy_to_backup(target_, backup);
  }
  if (::rename(temp_.c_str(), target_.c_str()) != 0) fail("cannot replace the book", target_, errno);
  committed_ = true;
  g_temp_active = 0;
  fsync_folder(target_.parent_path());
}

} // namespace followup
