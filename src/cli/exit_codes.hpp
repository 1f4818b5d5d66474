// The one place where errors become exit codes (SPEC §5).
#pragma once

#include "followup/error.hpp"

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

// Prints `followup: <what> (<where>)` and the hint line to stderr; returns
// the exit code.
int report(const Error& e);

} // namespace followup::cli
