#include "exit_codes.hpp"

#include <fmt/format.h>

#include "followup/text/text.hpp"

namespace followup::cli {

int exit_code(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::usage: return usage;
  case ErrorKind::data: return data;
  case ErrorKind::not_found: return not_found;
  case ErrorKind::cant_write: return cant_create;
  case ErrorKind::io: return io_error;
  case ErrorKind::locked: return temp_fail;
  }
  return usage;
}

std::string one_line(std::string_view text) { return printable(text); }

int report(const Error& e) {
  if (e.where().empty()) fmt::print(stderr, "followup: {}\n", one_line(e.what()));
  else fmt::print(stderr, "followup: {} ({})\n", one_line(e.what()), one_line(e.where()));
  if (!e.hint().empty()) fmt::print(stderr, "hint: {}\n", one_line(e.hint()));
  return exit_code(e.kind());
}

} // namespace followup::cli
