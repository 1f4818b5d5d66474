#include "context.hpp"

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <utility>
#include <vector>

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "followup/sys/cpus.hpp"
#include "followup/model/error.hpp"

namespace followup::cli {
namespace {

std::optional<std::string> getenv_opt(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return std::nullopt;
  return std::string(v);
}

double lock_timeout(const std::optional<std::string>& text) {
  if (!text || text->empty()) return 10.0;
  try {
    std::size_t used = 0;
    double seconds = std::stod(*text, &used);
    if (used == text->size() && seconds >= 0 && seconds <= 86400) return seconds;
  } catch (const std::exception&) {
  }
  throw_usage(fmt::format("FOLLOWUP_LOCK_TIMEOUT is not a number of seconds: \"{}\"", *text), "$FOLLOWUP_LOCK_TIMEOUT");
}

} // namespace

Environment Environment::from_process() {
  Environment e;
  e.followup_file = getenv_opt("FOLLOWUP_FILE");
  e.xdg_data_home = getenv_opt("XDG_DATA_HOME");
  e.home = getenv_opt("HOME");
  e.followup_today = getenv_opt("FOLLOWUP_TODAY");
  e.followup_user = getenv_opt("FOLLOWUP_USER");
  e.lock_timeout = getenv_opt("FOLLOWUP_LOCK_TIMEOUT");
  e.no_color = getenv_opt("NO_COLOR");
  e.visual = getenv_opt("VISUAL");
  e.editor = getenv_opt("EDITOR");
  e.path = getenv_opt("PATH");
  e.tmpdir = getenv_opt("TMPDIR");
  e.assume_tty = getenv_opt("FOLLOWUP_ASSUME_TTY") == "1";
  e.cpus = usable_cpus();
  e.stdout_is_tty = ::isatty(STDOUT_FILENO) == 1;
  e.stdin_is_tty = ::isatty(STDIN_FILENO) == 1;
  e.columns = getenv_opt("COLUMNS");
  struct winsize size {};
  if (e.stdout_is_tty && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) e.terminal_columns = size.ws_col;
  return e;
}

Store Context::store() const {
  Location where{file, env.followup_file, env.xdg_data_home, env.home};
  return Store(locate_data_file(where), StoreOptions{lock_timeout(env.lock_timeout), env.cpus});
}

Date Context::today() const {
  Date system = system_today();
  if (today_option) return parse_date_phrase(*today_option, system, When::past, "--today");
  if (env.followup_today && !env.followup_today->empty())
    return parse_date_phrase(*env.followup_today, system, When::past, "$FOLLOWUP_TODAY");
  return system;
}

std::size_t Context::table_width() const {
  if (!env.stdout_is_tty) return 0;
  if (env.columns) {
    std::size_t n = 0;
    const char* const last = env.columns->data() + env.columns->size();
    const std::from_chars_result read = std::from_chars(env.columns->data(), last, n);
    if (read.ec == std::errc() && read.ptr == last && n > 0) return n;
  }
  return env.terminal_columns;
}

bool Context::use_color() const {
  if (env.no_color && !env.no_color->empty()) return false;
  if (color == "always") return true;
  if (color == "never") return false;
  return env.stdout_is_tty;
}

void keep_until_exit(Book&& book) {
  static auto* kept = new std::vector<Book>;
  kept->push_back(std::move(book));
}

std::optional<std::string> Context::user() const {
  if (env.followup_user && !env.followup_user->empty()) return env.followup_user;
  return std::nullopt;
}

} // namespace followup::cli
