#include "followup/text.hpp"

#include <algorithm>

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

// PLACEHOLDER (helper A replaces): is_valid_utf8, fold, slugify, display_width.
bool is_valid_utf8(std::string_view) { return true; }
std::string fold(std::string_view s) { return lower(s); }
std::string slugify(std::string_view s) { return lower(s); }
std::size_t display_width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

} // namespace followup
