// Text helpers: ASCII case, ids, UTF-8, folding for lookups, typos. What a
// terminal shows (controls, widths) is in text_width.cpp.
#include "followup/text/text.hpp"
#include "text/text_decode.hpp"

#include <algorithm>
#include <array>

namespace followup {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool has_control_chars(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    auto u = static_cast<unsigned char>(ch);
    return u < 0x20 || u == 0x7f;
  });
}

bool is_valid_id(std::string_view id) {
  if (id.empty()) return false;
  auto ok = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); };
  if (!ok(id[0])) return false;
  return std::all_of(id.begin(), id.end(), [&](char ch) { return ok(ch) || ch == '-'; });
}

namespace {

// Base letters of U+00C0..U+00FF; nullptr where there is none (× and ÷).
constexpr auto latin1_folds = std::to_array<const char*>({
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",      // C0
    "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "ss", // D0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",      // E0
    "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "y",  // F0
});
static_assert(latin1_folds.size() == 0x40);

// Base letters of U+0100..U+017F (Latin Extended-A): every one is a letter.
constexpr auto latin_ext_a_folds = std::to_array<const char*>({
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",     // 100
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",     // 110
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",     // 120
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",   // 130
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",     // 140
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",   // 150
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",     // 160
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",     // 170
});
static_assert(latin_ext_a_folds.size() == 0x80);

struct RangeFold {
  char32_t first;
  char32_t last;
  const char* base;
};

// Latin Extended-B and Latin Extended Additional letters in common use
// (Romanian, Vietnamese, pinyin tones, Croatian/Serbian digraphs...).
constexpr RangeFold other_latin_folds[] = {
    {0x0180, 0x0180, "b"},  {0x0189, 0x0189, "d"},  {0x0191, 0x0192, "f"},
    {0x0197, 0x0197, "i"},  {0x01A0, 0x01A1, "o"},  {0x01AF, 0x01B0, "u"},
    {0x01B5, 0x01B6, "z"},  {0x01C4, 0x01C6, "dz"}, {0x01C7, 0x01C9, "lj"},
    {0x01CA, 0x01CC, "nj"}, {0x01CD, 0x01CE, "a"},  {0x01CF, 0x01D0, "i"},
    {0x01D1, 0x01D2, "o"},  {0x01D3, 0x01DC, "u"},  {0x01DE, 0x01E1, "a"},
    {0x01E2, 0x01E3, "ae"}, {0x01E6, 0x01E7, "g"},  {0x01E8, 0x01E9, "k"},
    {0x01EA, 0x01ED, "o"},  {0x01F0, 0x01F0, "j"},  {0x01F1, 0x01F3, "dz"},
    {0x01F4, 0x01F5, "g"},  {0x01F8, 0x01F9, "n"},  {0x01FA, 0x01FB, "a"},
    {0x01FC, 0x01FD, "ae"}, {0x01FE, 0x01FF, "o"},  {0x0200, 0x0203, "a"},
    {0x0204, 0x0207, "e"},  {0x0208, 0x020B, "i"},  {0x020C, 0x020F, "o"},
    {0x0210, 0x0213, "r"},  {0x0214, 0x0217, "u"},  {0x0218, 0x0219, "s"},
    {0x021A, 0x021B, "t"},  {0x021E, 0x021F, "h"},  {0x0226, 0x0227, "a"},
    {0x0228, 0x0229, "e"},  {0x022A, 0x0231, "o"},  {0x0232, 0x0233, "y"},
    {0x1E9E, 0x1E9E, "ss"}, {0x1EA0, 0x1EB7, "a"},  {0x1EB8, 0x1EC7, "e"},
    {0x1EC8, 0x1ECB, "i"},  {0x1ECC, 0x1EE3, "o"},  {0x1EE4, 0x1EF1, "u"},
    {0x1EF2, 0x1EF9, "y"},
};

// The ASCII letters an accented Latin letter folds to, or nullptr.
const char* latin_fold(char32_t cp) {
  if (cp >= 0xC0 && cp <= 0xFF) return latin1_folds[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) return latin_ext_a_folds[cp - 0x100];
  for (const RangeFold& r : other_latin_folds)
    if (cp >= r.first && cp <= r.last) return r.base;
  return nullptr;
}

// Lower case of Greek and Cyrillic capitals (basic blocks), else cp itself.
char32_t lower_greek_cyrillic(char32_t cp) {
  if (cp >= 0x0391 && cp <= 0x03AB && cp != 0x03A2) return cp + 0x20;
  if (cp == 0x0386) return 0x03AC;
  if (cp >= 0x0388 && cp <= 0x038A) return cp + 0x25;
  if (cp == 0x038C) return 0x03CC;
  if (cp >= 0x038E && cp <= 0x038F) return cp + 0x3F;
  if (cp >= 0x0400 && cp <= 0x040F) return cp + 0x50;
  if (cp >= 0x0410 && cp <= 0x042F) return cp + 0x20;
  return cp;
}
} // namespace

void append_utf8(std::string& out, char32_t cp) {
  auto put = [&](char32_t bits) { out.push_back(static_cast<char>(bits)); };
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0 | (cp >> 6));
    put(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    put(0xE0 | (cp >> 12));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  } else {
    put(0xF0 | (cp >> 18));
    put(0x80 | ((cp >> 12) & 0x3F));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  }
}

std::size_t utf8_length_at(std::string_view s, std::size_t pos) {
  const CodePoint cp = decode(s, pos);
  return cp.valid ? cp.length : 0;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const CodePoint cp = decode(s, i);
    if (!cp.valid) return false;
    i += cp.length;
  }
  return true;
}

std::string printable(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  auto escape = [&](unsigned char b) {
    out += "\\x";
    out += kHex[b >> 4];
    out += kHex[b & 0xFu];
  };
  for (std::size_t i = 0; i < s.size();) {
    const CodePoint cp = decode(s, i);
    if (!cp.valid) {
      escape(byte_at(s, i++));
    } else if (cp.value == '\n') {
      out += "\\n", ++i;
    } else if (cp.value == '\r') {
      out += "\\r", ++i;
    } else if (cp.value == '\t') {
      out += "\\t", ++i;
    } else if (cp.value < 0x20 || (cp.value >= 0x7F && cp.value <= 0x9F)) {
      for (std::size_t k = 0; k < cp.length; ++k) escape(byte_at(s, i + k));
      i += cp.length;
    } else {
      out.append(s.substr(i, cp.length));
      i += cp.length;
    }
  }
  return out;
}

std::string fold(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const CodePoint cp = decode(utf8, i);
    if (!cp.valid || cp.value < 0x80) {
      out += lower(utf8.substr(i, 1));
    } else if (in_ranges(cp.value, combining_marks)) {
      // dropped, so that "e" + U+0301 folds like "é"
    } else if (const char* base = latin_fold(cp.value)) {
      out += base;
    } else if (const char32_t lowered = lower_greek_cyrillic(cp.value); lowered != cp.value) {
      append_utf8(out, lowered);
    } else {
      out += utf8.substr(i, cp.length);
    }
    i += cp.length;
  }
  return out;
}

std::string slugify(std::string_view name) {
  const std::string folded = fold(name);
  std::string slug;
  bool pending_dash = false;
  for (const char ch : folded) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
      if (pending_dash && !slug.empty()) slug += '-';
      pending_dash = false;
      slug += ch;
    } else {
      pending_dash = true;
    }
  }
  return slug;
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance over bytes, three rows.
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

} // namespace

std::optional<std::string> nearest_word(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string w = lower(word);
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(w, lower(c));
    if (!best || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  // Near enough to be a typo: at most 2 edits, and fewer than half the word.
  if (!best || best_distance > 2 || best_distance * 2 > w.size()) return std::nullopt;
  return best;
}

} // namespace followup
