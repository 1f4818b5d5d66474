// How a book that is not JSON is reported: the wording and the line and
// column. Shared by the loader (json_read.cpp) and `check` (check.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "followup/book/json_cursor.hpp"

namespace followup {

// Books nest no deeper than this: the writer recurses.
inline constexpr int kMaxJsonDepth = 256;

// Line and column (1-based, columns in bytes) of a byte offset in `text`.
std::pair<int, int> line_column(std::string_view text, std::size_t byte);

// Why the text of a book is not UTF-8 JSON by its first bytes: a UTF-8 byte
// order mark, or UTF-16 / UTF-32 (by their byte order marks, or by the NUL
// bytes of ASCII text so encoded, RFC 4627 §3): `what` is ("the book is
// UTF-16 (little-endian)"), `hint` what to do ("save it as UTF-8"). Both the
// loader and `check` refuse such a book at 1:1.
struct EncodingFault {
  std::string what, hint;
};
std::optional<EncodingFault> encoding_fault(std::string_view text);

// `text` for nlohmann, with every long run of blanks outside strings cut to
// its first blank: nlohmann keeps the blanks before a token as part of it,
// and a syntax error's message escapes each ("<U+000A>"): 100 MB of
// newlines took 40 s and 1.2 GB to word. Blanks between tokens mean
// nothing to JSON, so nlohmann reads the same values; offsets in the cut
// text map back with original(). No copy when no run is long.
class CompactText {
public:
  explicit CompactText(std::string_view text);
  CompactText(const CompactText&) = delete; // text() may point into copy_
  CompactText& operator=(const CompactText&) = delete;
  std::string_view text() const { return view_; }
  // The offset in the original text of `offset` in text().
  std::size_t original(std::size_t offset) const;

private:
  std::string_view view_;
  std::string copy_;
  // Per cut: the offset in the copy just past the blank kept, and the bytes
  // left out up to there.
  std::vector<std::pair<std::size_t, std::size_t>> cuts_;
};

// Where and why nlohmann refuses `text` ("malformed JSON: ...", "a number too
// large to read: 1e400", "malformed JSON: a NUL byte"), or nullopt when it
// reads it. Linear in time and in memory beyond the text, whatever blanks
// the text holds.
struct JsonFault {
  std::string what;
  std::size_t byte = 0;
};
std::optional<JsonFault> json_fault(std::string_view text);

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
