// `followup check`: every problem of a book at once, with line numbers, plus
// warnings about things that are valid but probably not meant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace followup {

struct Problem {
  enum class Severity { error, warning } severity;
  std::string message; // one line, e.g. "\"2x\" is not a duration (3d, 2w, 6m, 1y, never)"
  std::string where;   // e.g. "contact ana-lopez, key every" or "rule clients, key match"
  int line = 0;        // 1-based line in the file, 0 when unknown
};

// Checks the text of a book. A JSON syntax error is a single problem (with
// its line); otherwise every invalid value is reported, not just the first,
// followed by the warnings. Errors come first, each group in file order.
std::vector<Problem> check_book(std::string_view text, std::string_view source);

} // namespace followup
