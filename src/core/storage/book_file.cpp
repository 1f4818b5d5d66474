// The book file's bytes (mapped, or read) and the door to the fast reader
// (book_file.hpp).
#include "storage/book_file.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "book/fast_read.hpp"
#include "followup/model/error.hpp"

namespace fs = std::filesystem;

namespace followup {
namespace {

// The file's bytes. Not a std::string: resizing one would first zero every
// byte of a large file.
struct Bytes {
  std::unique_ptr<char[]> data;
  std::size_t size = 0, capacity = 0;
  std::string_view text() const { return {data.get(), size}; }
};

Bytes read_bytes(int fd, std::size_t size_hint, const fs::path& p) {
  Bytes b;
  b.capacity = size_hint + 4096;
  b.data = std::make_unique_for_overwrite<char[]>(b.capacity);
  while (true) {
    if (b.size == b.capacity) { // the file grew while being read
      auto bigger = std::make_unique_for_overwrite<char[]>(b.capacity * 2);
      std::memcpy(bigger.get(), b.data.get(), b.size);
      b.data = std::move(bigger);
      b.capacity *= 2;
    }
    ssize_t n = ::read(fd, b.data.get() + b.size, b.capacity - b.size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(ErrorKind::io, fmt::format("cannot read the book: {}", std::strerror(errno)), p.string());
    if (n == 0) break;
    b.size += static_cast<std::size_t>(n);
  }
  return b;
}

// Another program may truncate the book while it is mapped; touching a page
// past the new end raises SIGBUS. The handler puts a page of zeros there
// (the reader then stops at a NUL) and notes it, so that the read ends with
// an I/O error rather than the process being killed (issue 12). One mapping
// is watched at a time: books are read one after the other.
std::atomic<char*> g_map_begin{nullptr};
std::atomic<std::size_t> g_map_size{0};
volatile std::sig_atomic_t g_truncated = 0;

extern "C" void on_sigbus(int sig, siginfo_t* info, void*) {
  char* at = static_cast<char*>(info->si_addr);
  char* begin = g_map_begin.load();
  if (begin && at >= begin && at < begin + g_map_size.load()) {
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    void* base = reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(at) & ~(page - 1));
    if (::mmap(base, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
      g_truncated = 1;
      return;
    }
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void watch_mapping(char* begin, std::size_t size) {
  static const bool installed = [] {
    struct sigaction action {};
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    return ::sigaction(SIGBUS, &action, nullptr) == 0;
  }();
  if (!installed) return;
  g_truncated = 0;
  g_map_size = size;
  g_map_begin = begin;
}

} // namespace

BookText::BookText(int fd, std::size_t size, fs::path path) : path_(std::move(path)) {
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } close{fd};
  if (size > 0) {
    // Up to 64 MB the pages are mapped in one call rather than a fault
    // each 64 KB; a larger book is mapped as it is read, and let go of
    // behind (release), so that its model and its text are never all
    // resident at once.
    const int populate = size <= kWholeMap ? MAP_POPULATE : 0;
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | populate, fd, 0);
    if (map != MAP_FAILED) {
      map_ = static_cast<char*>(map);
      size_ = size;
      watch_mapping(map_, size_);
      ::madvise(map_, size_, MADV_SEQUENTIAL); // read ahead
      return;
    }
  }
  Bytes b = read_bytes(fd, size, path_);
  bytes_ = std::move(b.data);
  size_ = b.size;
}

BookText::~BookText() {
  if (!map_) return;
  if (g_map_begin.load() == map_) g_map_begin = nullptr;
  ::munmap(map_, size_);
}

void BookText::require_whole() const {
  if (map_ && g_truncated)
    throw Error(ErrorKind::io, "the book was truncated by another program while being read", path_.string(),
                "try again once the other program is done");
}

void BookText::release(std::size_t begin, std::size_t end) const {
  static const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t from = (begin + page - 1) / page * page, upto = std::min(end, size_) / page * page;
  if (map_ && from < upto) ::madvise(map_ + from, upto - from, MADV_DONTNEED);
}

// Opens the book; -1 when it is missing and that is fine.
int open_book(const fs::path& p, bool missing_ok, std::size_t& size) {
  // O_NONBLOCK: a FIFO in the book's place must not hang us (it is refused
  // below); for a plain file it changes nothing.
  int fd = ::open(p.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT && missing_ok) return -1;
    throw Error(ErrorKind::io, fmt::format("cannot read the book: {}", std::strerror(errno)), p.string());
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(ErrorKind::io, "cannot read the book: not a regular file", p.string());
  }
  size = static_cast<std::size_t>(st.st_size);
  return fd;
}

Book load_book(const BookText& text, LoadDetail detail, unsigned threads, bool keep_pages) {
  ParseOptions options;
  options.threads = threads;
  options.prepare_heaps = true;
  if (is_summary(detail) && !text.whole() && !keep_pages)
    options.done_with = [&text](std::size_t begin, std::size_t end) { text.release(begin, end); };
  try {
    Book book = parse_book(text.text(), text.path().string(), detail, options);
    text.require_whole();
    return book;
  } catch (const Error&) {
    text.require_whole();
    throw;
  }
}

} // namespace followup
