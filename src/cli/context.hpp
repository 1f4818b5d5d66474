// What every command gets: where the book is, what "today" is, who logs,
// whether to colour, and where to print. Built once in main from argv and
// the environment; commands never read either themselves.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>

#include "followup/model/date.hpp"
#include "followup/output/format.hpp"
#include "followup/storage/store.hpp"

namespace followup::cli {

struct Environment {
  std::optional<std::string> followup_file, xdg_data_home, home, followup_today, followup_user, lock_timeout,
      no_color, visual, editor, path, tmpdir;
  bool assume_tty = false; // FOLLOWUP_ASSUME_TTY=1: the e2e tests drive the editor without a terminal
  unsigned cpus = 1;       // the CPUs this process may run on (usable_cpus)
  bool stdout_is_tty = false;
  bool stdin_is_tty = false;
  std::optional<std::string> columns; // $COLUMNS
  std::size_t terminal_columns = 0;   // the terminal's width (ioctl), 0 when not a terminal

  static Environment from_process();
};

struct Context {
  Environment env;
  // Global options, filled by CLI11.
  std::optional<std::string> file;
  std::optional<std::string> today_option;
  std::string color = "auto";

  std::ostream* out = nullptr;
  std::ostream* err = nullptr; // warnings that do not stop the command (one line each)
  int exit_status = 0; // set by commands that signal through it (due --exit-code)

  Store store() const;
  Date today() const;
  bool use_color() const;
  // How wide a table may be: on a terminal, $COLUMNS, else the terminal's
  // own width; 0 (no limit) off a terminal.
  std::size_t table_width() const;
  std::optional<std::string> user() const;
};

// Read-only commands hand their book here when done: it is freed with the
// process, not allocation by allocation (a large book's million of them
// cost more than reading a small book). It stays reachable, so
// LeakSanitizer does not count it.
void keep_until_exit(Book&& book);

} // namespace followup::cli
