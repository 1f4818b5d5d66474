// The one place where errors become exit codes (SPEC §5).
#pragma once

#include "followup/model/error.hpp"

#include <string>
#include <string_view>

namespace followup::cli {

enum ExitCode : int {
  ok = 0,
  someone_due = 1, // due --exit-code
  usage = 64,
  data = 65,
  not_found = 67,
  cant_create = 73,
  io_error = 74,
  temp_fail = 75,
};

int exit_code(ErrorKind kind);

// Escapes line breaks, other control characters and bytes that are not
// UTF-8 (a value quoted in a message may hold them) so that an error stays
// one line of valid UTF-8 and cannot move the terminal's cursor (printable,
// text.hpp).
std::string one_line(std::string_view text);

// Prints `followup: <what> (<where>)` and the hint line to stderr; returns
// the exit code.
int report(const Error& e);

} // namespace followup::cli
