// Code points of UTF-8 text, for the text helpers (text.cpp, text_width.cpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string_view>

#include "followup/text/text.hpp"

namespace followup {

// One decoded code point: `length` bytes of input, or `valid == false` for a
// byte that does not start a well-formed sequence (then length is 1).
struct CodePoint {
  char32_t value = 0;
  std::size_t length = 1;
  bool valid = false;
};

inline unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

// Strict UTF-8, as utf8_run decides it.
inline CodePoint decode(std::string_view s, std::size_t pos) {
  const unsigned char lead = byte_at(s, pos);
  if (lead < 0x80) return {lead, 1, true};
  const Utf8Run run = utf8_run(s.substr(pos));
  if (!run.valid) return {};
  char32_t value = lead & (run.length == 2 ? 0x1Fu : run.length == 3 ? 0x0Fu : 0x07u);
  for (std::size_t k = 1; k < run.length; ++k) value = (value << 6) | (byte_at(s, pos + k) & 0x3Fu);
  return {value, run.length, true};
}

struct Range {
  char32_t first;
  char32_t last;
};

inline bool in_ranges(char32_t cp, const auto& ranges) {
  return std::any_of(std::begin(ranges), std::end(ranges),
                     [&](const Range& r) { return cp >= r.first && cp <= r.last; });
}

// The Combining Diacritical Marks blocks; what accents decompose into (NFD).
inline constexpr Range combining_marks[] = {
    {0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x20D0, 0x20FF}, {0xFE20, 0xFE2F},
};

} // namespace followup
