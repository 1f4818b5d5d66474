// The data file on disk (SPEC §1, §6): where it is, reading it, and writing
// it safely (lock, re-read, temp file, fsync, `.bak`, rename, fsync folder).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "followup/book/json_io.hpp"
#include "followup/storage/lock.hpp"
#include "followup/model/model.hpp"

namespace followup {

// What decides where the book is; filled from argv and the environment by
// the CLI, so the core reads neither.
struct Location {
  std::optional<std::string> file_option; // --file
  std::optional<std::string> followup_file; // $FOLLOWUP_FILE
  std::optional<std::string> xdg_data_home;
  std::optional<std::string> home;
};

// --file, $FOLLOWUP_FILE, $XDG_DATA_HOME/followup/contacts.json,
// ~/.local/share/followup/contacts.json: the first that is set and not empty.
// Throws Error{usage} when none is (no HOME).
std::filesystem::path locate_data_file(const Location& where);

struct StoreOptions {
  double lock_timeout_seconds = 10.0;
  // A large book is read on up to this many threads (the CLI passes the
  // CPUs it may use): the book is the same either way.
  unsigned threads = 1;
};

// What `undo` did: the book before (none when it did not parse; then
// `before_error` says why) and after the swap, and whether the undone
// version was kept as the backup (the redo).
struct Undo {
  std::optional<Book> before;
  std::string before_error;
  Book after;
  bool redo_kept = true;
};

// The book's folder, opened once, and the book's lock, held while it lives.
// Temp files of writers killed by SIGKILL are removed when it is taken: under
// the lock no live writer can own one.
struct Locked {
  Folder folder;
  FileLock lock;
  Locked(const std::filesystem::path& target, double timeout);
};

class Store {
public:
  explicit Store(std::filesystem::path path, StoreOptions options = {});

  // The path as given, and the file it leads to (symlinks resolved), beside
  // which the lock, temp and backup files live.
  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& target() const { return target_; }
  std::filesystem::path backup_path() const;

  // Reads the book without the lock (writes are atomic renames, so a reader
  // sees the old file or the new one). A missing file is an empty book.
  Book load(LoadDetail detail = LoadDetail::full) const;

  // Takes the lock, re-reads the book, and calls `change`; when it returns
  // true, writes the book once and keeps the previous file as `.bak`.
  // Returns whether it wrote.
  bool update(const std::function<bool(Book&)>& change);

  // `log`: under the lock, reads a summary of the book (LoadDetail::summary)
  // and gives it to `pick`, which adds `it` to the contacts it chooses (for
  // their new due dates) and returns their indexes. Only those contacts'
  // "interactions" arrays change in the file when they are laid out as
  // followup writes them (a small, fast write that keeps the rest of the
  // file byte for byte); otherwise the whole book is read and rewritten as
  // update() does. Nothing is written when `pick` returns no index or throws.
  void add_interaction(const Interaction& it, const std::function<std::vector<std::size_t>(Book&)>& pick);

  // Takes the book's lock (as update() does) and holds it until the result
  // goes: for `sync`, so that nothing writes the book while git does.
  std::unique_ptr<Locked> lock() const;

  // `undo`: under the lock, swaps the file with its `.bak` (one atomic
  // exchange where the file system has it). The backup must parse; the book
  // need not (undo is the way back from a broken book). Throws Error{usage}
  // when there is no `.bak`, Error{cant_write} when a side file is a link.
  Undo swap_with_backup();

private:
  Book read_file(const std::filesystem::path& p, bool missing_ok, LoadDetail detail = LoadDetail::full) const;

  std::filesystem::path path_;
  std::filesystem::path target_;
  StoreOptions options_;
};

} // namespace followup
