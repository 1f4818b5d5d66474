// Text as a terminal shows it: what it would act on instead of showing
// (control characters), and the columns it takes.
#include "followup/text/text.hpp"
#include "text/text_decode.hpp"

#include <cstdint>
#include <cstring>

namespace followup {

bool has_terminal_controls(std::string_view s) {
  // Any byte below 0x20, 0x7F, or 0xC2 (the lead byte of U+0080 to U+00BF:
  // rare enough to look closer at); the borrow trick of format.cpp.
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto below = [](std::uint64_t w, std::uint64_t n) { return (w - ones * n) & ~w & highs; };
  auto suspect = [&](std::uint64_t w) {
    return (below(w, 0x20) | below(w ^ (ones * 0x7F), 1) | below(w ^ (ones * 0xC2), 1)) != 0;
  };
  // Clean words are skipped; from the first that may hold one (or the
  // last few bytes), byte by byte.
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, sizeof word);
    if (suspect(word)) break;
  }
  for (; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u < 0x20 || u == 0x7F) return true;
    if (u == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0 &&
        static_cast<unsigned char>(s[i + 1]) >= 0x80)
      return true;
  }
  return false;
}

void append_visible(std::string& out, std::string_view s, bool keep_newlines) {
  if (!has_terminal_controls(s)) {
    out += s;
    return;
  }
  constexpr char hex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if ((u < 0x20 && !(keep_newlines && u == '\n')) || u == 0x7F) {
      out += '^';
      out += u == 0x7F ? '?' : static_cast<char>(u + 0x40);
    } else if (u == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      const auto c1 = static_cast<unsigned char>(s[++i]);
      out += "<U+00";
      out += hex[c1 >> 4];
      out += hex[c1 & 0xF];
      out += '>';
    } else {
      out += s[i];
    }
  }
}

std::string visible(std::string_view s, bool keep_newlines) {
  std::string out;
  append_visible(out, s, keep_newlines);
  return out;
}

namespace {

// Invisible in a terminal though not combining marks: zero-width space,
// joiners, direction marks and variation selectors (emoji sequences).
constexpr Range zero_width_others[] = {
    {0x200B, 0x200F},
    {0xFE00, 0xFE0F},
};

// East Asian Wide and Fullwidth, the ranges terminals draw in two columns.
constexpr Range wide_ranges[] = {
    {0x1100, 0x115F},   {0x2E80, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F},   {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x1FAFF},
    {0x20000, 0x3FFFD},
};

// The columns a code point takes; an invalid byte is shown as one.
std::size_t columns(const CodePoint& cp) {
  if (!cp.valid) return 1;
  if (in_ranges(cp.value, combining_marks) || in_ranges(cp.value, zero_width_others)) return 0;
  return in_ranges(cp.value, wide_ranges) ? 2 : 1;
}

// Eight bytes at a time, no early exit: table cells are short.
bool is_ascii(std::string_view s) {
  std::uint64_t seen = 0;
  std::size_t i = 0;
  for (; i + sizeof seen <= s.size(); i += sizeof seen) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, sizeof word);
    seen |= word;
  }
  for (; i < s.size(); ++i) seen |= static_cast<unsigned char>(s[i]);
  return (seen & 0x8080808080808080ULL) == 0;
}

} // namespace

std::size_t display_width(std::string_view utf8) {
  // ASCII takes a column a byte (control characters too, as below): most
  // cells of a table are ids, ASCII names and dates.
  if (is_ascii(utf8)) return utf8.size();
  std::size_t width = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const CodePoint cp = decode(utf8, i);
    width += columns(cp);
    i += cp.length;
  }
  return width;
}

std::string fit_width(std::string_view utf8, std::size_t width) {
  if (display_width(utf8) <= width) return std::string(utf8);
  if (width == 0) return {};
  // Whole code points (and the marks that follow them) up to width - 1
  // columns, then the ellipsis.
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const CodePoint cp = decode(utf8, i);
    const std::size_t w = columns(cp);
    if (used + w > width - 1) break;
    out.append(utf8.substr(i, cp.length));
    used += w;
    i += cp.length;
  }
  return out + "\u2026";
}

} // namespace followup
