// Errors the core raises. Each carries a kind; the CLI maps kinds to the exit
// codes of the contract in one place (src/cli/exit_codes.cpp).
#pragma once

#include <stdexcept>
#include <string>

namespace followup {

enum class ErrorKind {
  usage,      // bad option, date, duration, expression; future interaction
  data,       // the data file (or an imported file) is malformed or invalid
  not_found,  // contact unknown or ambiguous
  cant_write, // cannot create or replace the data file, lock, temp or backup
  io,         // other I/O error reading the data file
  locked,     // the lock stayed taken past the timeout
};

class Error : public std::runtime_error {
public:
  // `what` is the one-line message, `where` names the place (file:line:col,
  // contact id and key, option...), `hint` an optional second line.
  Error(ErrorKind kind, std::string what, std::string where = {}, std::string hint = {});

  ErrorKind kind() const { return kind_; }
  const std::string& where() const { return where_; }
  const std::string& hint() const { return hint_; }

private:
  ErrorKind kind_;
  std::string where_;
  std::string hint_;
};

[[noreturn]] void throw_usage(std::string what, std::string where = {}, std::string hint = {});
[[noreturn]] void throw_data(std::string what, std::string where = {}, std::string hint = {});

} // namespace followup
