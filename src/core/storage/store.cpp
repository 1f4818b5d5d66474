#include "followup/storage/store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <csignal>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "storage/book_file.hpp"
#include "followup/storage/atomic_file.hpp"
#include "followup/model/error.hpp"
#include "followup/rules/expr.hpp"
#include "followup/storage/folder.hpp"
#include "followup/book/json_io.hpp"
#include "followup/storage/lock.hpp"

namespace fs = std::filesystem;

namespace followup {
namespace {

bool set(const std::optional<std::string>& s) { return s && !s->empty(); }

// Follows a chain of symlinks, dangling ones too, so that the lock, temp and
// backup files sit beside the real file and links to one book share a lock.
// The folder is then resolved by the kernel (realpath), never as text:
// `sub/../x` where `sub` is a link is not `x`.
fs::path resolve_links(fs::path p) {
  std::error_code ec;
  for (int hops = 0; hops < 40 && fs::is_symlink(p, ec); ++hops) {
    fs::path next = fs::read_symlink(p, ec);
    if (ec) break;
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  const fs::path folder = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (char* real = ::realpath(folder.c_str(), nullptr)) {
    p = fs::path(real) / p.filename();
    std::free(real);
  }
  return p;
}

// The name of a file beside the book (`contacts.json.bak`), and its path.
std::string side_name(const fs::path& target, std::string_view suffix) {
  return target.filename().string() + std::string(suffix);
}
fs::path sibling(const fs::path& p, std::string_view suffix) { return p.parent_path() / side_name(p, suffix); }

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

// Creates the book's folder and any missing parent, 0700 like the book
// itself (0600): the names in it are nobody else's business.
void ensure_folder(const fs::path& target) {
  const fs::path folder = target.parent_path();
  if (folder.empty()) return;
  std::vector<fs::path> missing;
  std::error_code ec;
  for (fs::path p = folder; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it)
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST)
      cant_write(fmt::format("cannot create the book's folder: {}", std::strerror(errno)), *it);
}

void write_book(const Locked& locked, const fs::path& target, const Book& book) {
  AtomicFile file(locked.folder, target.filename().string());
  file.write(serialize_book(book));
  file.commit(side_name(target, ".bak"));
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

// How many objects and arrays are open at `pos` in `text` (strings skipped).
int depth_at(std::string_view text, std::size_t pos) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') in_string = true;
    else if (ch == '{' || ch == '[') ++depth;
    else if (ch == '}' || ch == ']') --depth;
  }
  return depth;
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
  // Only the contact's own member: an unknown member may hold an object with
  // an "interactions" key of its own (issue 12).
  if (depth_at(text, pos) != 1) return std::nullopt;
  c.insert_interaction(it);
  return Splice{span.first + pos + key.size(), old_array.size(), serialize_interactions(c.interactions)};
}

} // namespace

Book Store::read_file(const fs::path& p, bool missing_ok, LoadDetail detail) const {
  std::size_t size = 0;
  int fd = open_book(p, missing_ok, size);
  if (fd < 0) return Book{};
  const BookText book(fd, size, p);
  return load_book(book, detail, options_.threads);
}

void Store::add_interaction(const Interaction& it, const std::function<std::vector<std::size_t>(Book&)>& pick) {
  ensure_folder(target_);
  const Locked locked(target_, options_.lock_timeout_seconds);
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
  Book summary = load_book(book, LoadDetail::summary, options_.threads, true);
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
    Book whole = load_book(book, LoadDetail::full, options_.threads);
    for (std::size_t i : targets) whole.contacts.at(i).insert_interaction(it);
    write_book(locked, target_, whole);
    return;
  }
  // The new file: the old bytes around the changed arrays, written as they
  // are from the mapping (no copy of the whole book in memory).
  std::sort(splices.begin(), splices.end(), [](const Splice& a, const Splice& b) { return a.at < b.at; });
  AtomicFile file(locked.folder, target_.filename().string());
  std::size_t from = 0;
  for (const auto& s : splices) {
    file.write(text.substr(from, s.at - from));
    file.write(s.text);
    from = s.at + s.length;
  }
  file.write(text.substr(from));
  book.require_whole(); // zeros in place of a truncated tail are not the book
  file.commit(side_name(target_, ".bak"));
}

Locked::Locked(const fs::path& target, double timeout)
    : folder(target.parent_path()), lock(folder, side_name(target, ".lock"), timeout) {
  folder.remove_stale(temp_prefix(target.filename().string()), side_name(target, ".undo.tmp"));
}

std::unique_ptr<Locked> Store::lock() const {
  ensure_folder(target_);
  return std::make_unique<Locked>(target_, options_.lock_timeout_seconds);
}

Book Store::load(LoadDetail detail) const {
  Book book = read_file(target_, true, detail);
  // A rule that tests notes (`note~`) needs them, and a summary has none.
  if (is_summary(detail) &&
      std::any_of(book.rules.begin(), book.rules.end(), [](const Rule& r) { return parse_expr(r.match).reads_notes(); }))
    return read_file(target_, true, LoadDetail::full);
  return book;
}

bool Store::update(const std::function<bool(Book&)>& change) {
  ensure_folder(target_);
  const Locked locked(target_, options_.lock_timeout_seconds);
  check_writable(target_);
  Book book = read_file(target_, true); // re-read under the lock: another writer may have landed
  if (!change(book)) return false;
  write_book(locked, target_, book);
  return true;
}

Undo Store::swap_with_backup() {
  const fs::path folder_path = target_.parent_path();
  if (!fs::is_directory(folder_path))
    throw_usage("nothing to undo: there is no backup of the book", backup_path().string());
  const Locked locked(target_, options_.lock_timeout_seconds);
  const Folder& folder = locked.folder;
  const std::string name = target_.filename().string(), backup = side_name(target_, ".bak");
  if (!folder.plain_file(backup, "backup file"))
    throw_usage("nothing to undo: there is no backup of the book", backup_path().string());
  const bool book_exists = folder.plain_file(name, "book");
  check_writable(target_);
  Undo undo;
  undo.after = read_file(backup_path(), false); // a backup that does not parse is never restored
  try {
    undo.before = read_file(target_, true);
  } catch (const Error& e) {
    // Undo is the way back from a book that does not parse: swap it out all
    // the same (it stays as the backup, so nothing is lost).
    if (e.kind() != ErrorKind::data) throw;
    undo.before_error = e.what();
  }
  const int dir = folder.fd();
  if (!book_exists) { // the book was removed: bring the backup back
    if (::renameat(dir, backup.c_str(), dir, name.c_str()) != 0)
      cant_write(fmt::format("cannot restore the backup: {}", std::strerror(errno)), target_);
    undo.redo_kept = false;
    folder.sync();
    return undo;
  }
  // One atomic exchange of the two names: no byte written, so no full disk,
  // file-size limit or crash can leave either name without a whole book.
  if (::renameat2(dir, backup.c_str(), dir, name.c_str(), RENAME_EXCHANGE) == 0) {
    folder.sync();
    return undo;
  }
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    cant_write(fmt::format("cannot swap the book with its backup: {}", std::strerror(errno)), target_);
  // A file system without the exchange: a full copy of the book first
  // (fsynced; on failure nothing has changed), then two renames.
  const std::string keep = copy_to_temp(folder, name, temp_prefix(name));
  if (::renameat(dir, backup.c_str(), dir, name.c_str()) != 0) {
    const int err = errno;
    ::unlinkat(dir, keep.c_str(), 0);
    cant_write(fmt::format("cannot restore the backup: {}", std::strerror(err)), target_);
  }
  if (::renameat(dir, keep.c_str(), dir, backup.c_str()) != 0) {
    ::unlinkat(dir, keep.c_str(), 0); // the undo is done; only the redo copy is lost
    undo.redo_kept = false;
  }
  folder.sync();
  return undo;
}

} // namespace followup
