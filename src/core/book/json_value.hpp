// Unknown members as values (internal to src/core): a json::Cursor's value
// into a Json, each number kept as written (written_number, model.hpp).
#pragma once

#include <cstddef>
#include <string>

#include "followup/book/json_cursor.hpp"
#include "followup/model/model.hpp"

namespace followup::loader {

// A number a double cannot hold (1e400), at byte `offset` of the text.
// nlohmann refuses it (it is the fuzz target's oracle, and `check` reads
// the file with it), so the loader does too, though its text could be kept.
struct NumberTooLarge {
  std::size_t offset;
};

// The value at the cursor, read through. Syntax errors are the cursor's
// (json::SyntaxError); nesting is not bounded here: the loader skips the
// value with its bound first, then reads it again with this.
Json value_as_written(json::Cursor& c);

} // namespace followup::loader
