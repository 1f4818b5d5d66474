// Code points of UTF-8 text, for the text helpers (text.cpp, text_width.cpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string_view>

namespace followup {

// One decoded code point: `length` bytes of input, or `valid == false` for a
// byte that does not start a well-formed sequence (then length is 1).
struct CodePoint {
  char32_t value = 0;
  std::size_t length = 1;
  bool valid = false;
};

inline unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

// Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing past U+10FFFF.
inline CodePoint decode(std::string_view s, std::size_t pos) {
  const unsigned char lead = byte_at(s, pos);
  if (lead < 0x80) return {lead, 1, true};
  std::size_t length = 0;
  char32_t value = 0;
  char32_t min_value = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, value = lead & 0x1Fu, min_value = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, value = lead & 0x0Fu, min_value = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, value = lead & 0x07u, min_value = 0x10000;
  } else {
    return {};
  }
  if (pos + length > s.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char next = byte_at(s, pos + k);
    if ((next & 0xC0u) != 0x80u) return {};
    value = (value << 6) | (next & 0x3Fu);
  }
  if (value < min_value || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return {};
  return {value, length, true};
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
