#include "followup/store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "followup/atomic_file.hpp"
#include "followup/cpus.hpp"
#include "followup/error.hpp"
#include "followup/json_io.hpp"
#include "followup/lock.hpp"

namespace fs = std::filesystem;

namespace followup {
namespace {

bool set(const std::optional<std::string>& s) { return s && !s->empty(); }

// Follows a chain of symlinks, dangling ones too, so that the lock, temp and
// backup files sit beside the real file and links to one book share a lock.
fs::path resolve_links(fs::path p) {
  std::error_code ec;
  for (int hops = 0; hops < 40 && fs::is_symlink(p, ec); ++hops) {
    fs::path next = fs::read_symlink(p, ec);
    if (ec) break;
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  return p.lexically_normal();
}

fs::path sibling(const fs::path& p, std::string_view suffix) {
  return p.parent_path() / (p.filename().string() + std::string(suffix));
}

[[noreturn]] void cant_write(const std::string& what, const fs::path& p, std::string hint = {}) {
  throw Error(ErrorKind::cant_write, what, p.string(), std::move(hint));
}

// Refuses before any work: a read-only book is a choice the user made.
void check_writable(const fs::path& target) {
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) return; // a new file: the folder decides
  if ((st.st_mode & 0222) == 0 || ::access(target.c_str(), W_OK) != 0)
    cant_write("the book is read-only", target, "make it writable (chmod u+w) to change it");
}

void ensure_folder(const fs::path& target) {
  fs::path folder = target.parent_path();
  if (folder.empty()) return;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) cant_write(fmt::format("cannot create the book's folder: {}", ec.message()), folder);
}

void write_book(const fs::path& target, const Book& book, const fs::path& backup) {
  AtomicFile file(target);
  file.write(serialize_book(book));
  file.commit(backup);
}

} // namespace

fs::path locate_data_file(const Location& where) {
  if (set(where.file_option)) return *where.file_option;
  if (set(where.followup_file)) return *where.followup_file;
  if (set(where.xdg_data_home)) return fs::path(*where.xdg_data_home) / "followup" / "contacts.json";
  if (set(where.home)) return fs::path(*where.home) / ".local" / "share" / "followup" / "contacts.json";
  throw_usage("cannot find the book: neither --file, $FOLLOWUP_FILE, $XDG_DATA_HOME nor $HOME is set");
}

Store::Store(fs::path path, StoreOptions options)
    : path_(std::move(path)), target_(resolve_links(path_)), options_(options) {}

fs::path Store::backup_path() const { return sibling(target_, ".bak"); }

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

// A book's text: the file mapped (no copy), else read into memory. Writers
// never change a book in place (they rename a new file over it), so the
// mapped bytes stay as they were.
class BookText {
public:
  // Takes `fd` and closes it.
  BookText(int fd, std::size_t size, const fs::path& p) {
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
        ::madvise(map_, size_, MADV_SEQUENTIAL); // read ahead
        return;
      }
    }
    bytes_ = read_bytes(fd, size, p);
  }
  ~BookText() {
    if (map_) ::munmap(map_, size_);
  }
  BookText(const BookText&) = delete;
  BookText& operator=(const BookText&) = delete;

  std::string_view text() const { return map_ ? std::string_view(map_, size_) : bytes_.text(); }
  // Mapped in one go; letting go of its pages while reading would only cost
  // (a TLB flush on every core the reading runs on, every few MB).
  bool whole() const { return size_ <= kWholeMap; }

  // Drops from the process the mapped pages that lie wholly in [begin, end)
  // (they stay in the page cache; only an error's line and column reads them
  // again): a read-only load of a large book never holds the whole file and
  // its model at once. Called from the reading threads: no state.
  void release(std::size_t begin, std::size_t end) const {
    static const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t from = (begin + page - 1) / page * page, upto = std::min(end, size_) / page * page;
    if (map_ && from < upto) ::madvise(map_ + from, upto - from, MADV_DONTNEED);
  }

private:
  static constexpr std::size_t kWholeMap = std::size_t{64} << 20;
  char* map_ = nullptr;
  std::size_t size_ = 0;
  Bytes bytes_;
};

// Opens the book; -1 when it is missing and that is fine.
int open_book(const fs::path& p, bool missing_ok, std::size_t& size) {
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
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

// `log` into a book followup wrote: the new text of the contact at `span`
// (its "interactions" array replaced by one holding `it` too), or nullopt
// when the array is not laid out exactly as followup writes it.
struct Splice {
  std::size_t at, length;
  std::string text;
};
std::optional<Splice> splice_interaction(std::string_view book, std::pair<std::size_t, std::size_t> span,
                                         const Interaction& it, std::string_view source) {
  if (span.first >= span.second || span.second > book.size()) return std::nullopt;
  const std::string_view text = book.substr(span.first, span.second - span.first);
  Contact c;
  try {
    c = contact_from_text(text, source);
  } catch (const std::exception&) {
    return std::nullopt; // the full path reports whatever is wrong
  }
  const std::string key = "\"interactions\": ";
  const std::string old_array = serialize_interactions(c.interactions);
  const std::string pattern = key + old_array;
  const auto pos = text.find(pattern);
  if (pos == std::string_view::npos || text.find(pattern, pos + 1) != std::string_view::npos) return std::nullopt;
  c.insert_interaction(it);
  return Splice{span.first + pos + key.size(), old_array.size(), serialize_interactions(c.interactions)};
}

} // namespace

Book Store::read_file(const fs::path& p, bool missing_ok, LoadDetail detail) const {
  std::size_t size = 0;
  int fd = open_book(p, missing_ok, size);
  if (fd < 0) return Book{};
  BookText book(fd, size, p);
  ParseOptions options;
  options.threads = usable_cpus();
  options.prepare_heaps = true;
  if (detail == LoadDetail::summary && !book.whole())
    options.done_with = [&book](std::size_t begin, std::size_t end) { book.release(begin, end); };
  return parse_book(book.text(), p.string(), detail, options);
}

void Store::add_interaction(const Interaction& it, const std::function<std::vector<std::size_t>(Book&)>& pick) {
  ensure_folder(target_);
  FileLock lock(sibling(target_, ".lock"), options_.lock_timeout_seconds);
  check_writable(target_);
  std::size_t size = 0;
  int fd = open_book(target_, true, size);
  if (fd < 0) { // no book yet: nobody to log with; let pick() say so
    Book empty;
    pick(empty);
    return;
  }
  const BookText book(fd, size, target_);
  const std::string_view text = book.text();
  const std::string source = target_.string();
  ParseOptions options;
  options.threads = usable_cpus();
  options.prepare_heaps = true;
  Book summary = parse_book(text, source, LoadDetail::summary, options);
  std::vector<std::size_t> targets = pick(summary);
  if (targets.empty()) return;
  const std::vector<std::pair<std::size_t, std::size_t>> spans = std::move(summary.spans);

  std::vector<Splice> splices;
  for (std::size_t i : targets) {
    auto s = i < spans.size() ? splice_interaction(text, spans[i], it, source) : std::nullopt;
    if (!s) {
      splices.clear();
      break;
    }
    splices.push_back(std::move(*s));
  }
  if (splices.size() != targets.size()) {
    // Not in followup's own layout: read it all and rewrite it, as update() does.
    Book whole = parse_book(text, source, LoadDetail::full, options);
    for (std::size_t i : targets) whole.contacts.at(i).insert_interaction(it);
    write_book(target_, whole, backup_path());
    return;
  }
  // The new file: the old bytes around the changed arrays, written as they
  // are from the mapping (no copy of the whole book in memory).
  std::sort(splices.begin(), splices.end(), [](const Splice& a, const Splice& b) { return a.at < b.at; });
  AtomicFile file(target_);
  std::size_t from = 0;
  for (const auto& s : splices) {
    file.write(text.substr(from, s.at - from));
    file.write(s.text);
    from = s.at + s.length;
  }
  file.write(text.substr(from));
  file.commit(backup_path());
}

FileLock Store::lock() const {
  ensure_folder(target_);
  return FileLock(sibling(target_, ".lock"), options_.lock_timeout_seconds);
}

Book Store::load(LoadDetail detail) const { return read_file(target_, true, detail); }

bool Store::update(const std::function<bool(Book&)>& change) {
  ensure_folder(target_);
  FileLock lock(sibling(target_, ".lock"), options_.lock_timeout_seconds);
  check_writable(target_);
  Book book = read_file(target_, true); // re-read under the lock: another writer may have landed
  if (!change(book)) return false;
  write_book(target_, book, backup_path());
  return true;
}

std::pair<Book, Book> Store::swap_with_backup() {
  FileLock lock(sibling(target_, ".lock"), options_.lock_timeout_seconds);
  fs::path backup = backup_path();
  if (::access(backup.c_str(), F_OK) != 0)
    throw_usage("nothing to undo: there is no backup of the book", backup.string());
  check_writable(target_);
  Book before = read_file(target_, true);
  Book after = read_file(backup, false);
  // A copy, then two renames: each name holds a complete book at every
  // instant (a crash between the renames loses only the redo copy).
  fs::path keep = sibling(target_, ".undo.tmp");
  std::error_code ec;
  fs::copy_file(target_, keep, fs::copy_options::overwrite_existing, ec);
  if (ec) cant_write(fmt::format("cannot copy the book: {}", ec.message()), keep);
  if (::rename(backup.c_str(), target_.c_str()) != 0)
    cant_write(fmt::format("cannot restore the backup: {}", std::strerror(errno)), target_);
  if (::rename(keep.c_str(), backup.c_str()) != 0)
    cant_write(fmt::format("cannot keep the undone version: {}", std::strerror(errno)), backup);
  return {std::move(before), std::move(after)};
}

} // namespace followup
