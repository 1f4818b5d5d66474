// A preload library for fault tests (LD_PRELOAD=libfault_inject.so): makes
// chosen system calls fail, or another program's action happen at a chosen
// instant, so that each failure path of a write can be tested for real.
// Every fault is off unless its variable is set:
//   FAULT_RENAME_TO=SUFFIX   rename/renameat to a name ending in SUFFIX fails (EIO)
//   FAULT_NO_EXCHANGE=1      renameat2(RENAME_EXCHANGE) fails with EINVAL
//   FAULT_NO_LINK=1          link/linkat fail with EPERM (a file system without hard links)
//   FAULT_TRUNCATE_MAPPED=1  a file mapped for reading is cut to 100 bytes at once
//                            (another program truncating the book mid-read)
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

namespace {

template <class F>
F real(const char* name) {
  return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

bool ends_with(const char* s, const char* suffix) {
  const std::size_t n = std::strlen(s), m = std::strlen(suffix);
  return n >= m && std::strcmp(s + n - m, suffix) == 0;
}

bool rename_fails(const char* to) {
  const char* suffix = std::getenv("FAULT_RENAME_TO");
  if (suffix && *suffix && ends_with(to, suffix)) {
    errno = EIO;
    return true;
  }
  return false;
}

} // namespace

extern "C" {

int rename(const char* from, const char* to) {
  if (rename_fails(to)) return -1;
  return real<int (*)(const char*, const char*)>("rename")(from, to);
}

int renameat(int fromdir, const char* from, int todir, const char* to) {
  if (rename_fails(to)) return -1;
  return real<int (*)(int, const char*, int, const char*)>("renameat")(fromdir, from, todir, to);
}

int renameat2(int fromdir, const char* from, int todir, const char* to, unsigned flags) {
  if ((flags & RENAME_EXCHANGE) && std::getenv("FAULT_NO_EXCHANGE")) {
    errno = EINVAL;
    return -1;
  }
  if (rename_fails(to)) return -1;
  return real<int (*)(int, const char*, int, const char*, unsigned)>("renameat2")(fromdir, from, todir, to, flags);
}

int link(const char* from, const char* to) {
  if (std::getenv("FAULT_NO_LINK")) {
    errno = EPERM;
    return -1;
  }
  return real<int (*)(const char*, const char*)>("link")(from, to);
}

int linkat(int fromdir, const char* from, int todir, const char* to, int flags) {
  if (std::getenv("FAULT_NO_LINK")) {
    errno = EPERM;
    return -1;
  }
  return real<int (*)(int, const char*, int, const char*, int)>("linkat")(fromdir, from, todir, to, flags);
}

void* mmap(void* addr, size_t length, int prot, int flags, int fd, off_t offset) {
  void* map = real<void* (*)(void*, size_t, int, int, int, off_t)>("mmap")(addr, length, prot, flags, fd, offset);
  if (map != MAP_FAILED && fd >= 0 && length > 8192 && std::getenv("FAULT_TRUNCATE_MAPPED")) {
    // The descriptor is read-only: truncate through the file's name.
    const std::string proc = "/proc/self/fd/" + std::to_string(fd);
    int w = ::open(proc.c_str(), O_WRONLY | O_CLOEXEC);
    if (w >= 0) {
      if (::ftruncate(w, 100) == 0) { /* done */ }
      ::close(w);
    }
  }
  return map;
}

} // extern "C"
