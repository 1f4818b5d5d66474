// How a book that is not JSON is reported: the wording and the line and
// column. Shared by the loader (json_read.cpp) and `check` (check.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "followup/json_cursor.hpp"

namespace followup {

// Books nest no deeper than this: the writer recurses.
inline constexpr int kMaxJsonDepth = 256;

// Line and column (1-based, columns in bytes) of a byte offset in `text`.
std::pair<int, int> line_column(std::string_view text, std::size_t byte);

// "source:line:column" of a byte offset.
std::string json_place(std::string_view source, std::string_view text, std::size_t byte);

// `text` is not JSON: throws Error{data} worded by nlohmann and placed at the
// fault. `fallback` at `offset` is what the cursor found, used should
// nlohmann see nothing wrong.
[[noreturn]] void throw_json_syntax(std::string_view text, std::string_view source, std::string_view fallback,
                                    std::size_t offset);
// The same for a SyntaxError from json::Cursor.
[[noreturn]] void throw_json_syntax(std::string_view text, std::string_view source, const json::SyntaxError& e);

} // namespace followup
