// The line of each value of a book's text, for `check` (check_lines.hpp).
#include "book/check_lines.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "followup/model/model.hpp"
#include "book/json_errors.hpp"

namespace followup::check_lines {
namespace {

constexpr int kMaxDepth = kMaxJsonDepth;

class Scanner {
public:
  explicit Scanner(std::string_view text) : t_(text) {}

  Spot value(int depth) {
    space();
    Spot s{line_, {}, {}};
    if (at('{') || at('[')) {
      if (depth + 1 > kMaxDepth) {
        too_deep_line = line_;
        pos_ = t_.size(); // stop: the file is refused as a whole
        return s;
      }
      at('{') ? object(s, depth + 1) : array(s, depth + 1);
    } else if (at('"')) {
      string();
    } else {
      while (pos_ < t_.size() && !is_end(t_[pos_])) ++pos_;
    }
    return s;
  }

  int too_deep_line = 0;

private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
  static bool is_end(char c) { return c == ',' || c == ']' || c == '}' || is_space(c); }
  bool at(char c) const { return pos_ < t_.size() && t_[pos_] == c; }

  void space() {
    for (; pos_ < t_.size() && is_space(t_[pos_]); ++pos_)
      if (t_[pos_] == '\n') ++line_;
  }

  // Skips a string literal; returns its text, decoded when it has escapes.
  std::string string() {
    std::size_t start = ++pos_;
    while (pos_ < t_.size() && t_[pos_] != '"') pos_ += t_[pos_] == '\\' ? 2 : 1;
    std::string_view raw = t_.substr(start, std::min(pos_, t_.size()) - start);
    ++pos_;
    if (raw.find('\\') == std::string_view::npos) return std::string(raw);
    try {
      return Json::parse(fmt::format("\"{}\"", raw)).get<std::string>();
    } catch (const Json::exception&) {
      return std::string(raw);
    }
  }

  // Each round consumes a ',' or ends the loop, so bad text cannot spin.
  void object(Spot& s, int depth) {
    ++pos_;
    while (true) {
      space();
      if (!at('"')) break;
      int key_line = line_;
      std::string key = string();
      space();
      if (at(':')) ++pos_;
      Spot v = value(depth);
      v.line = key_line;
      s.members.push_back(Member{std::move(key), std::move(v)});
      space();
      if (!at(',')) break;
      ++pos_;
    }
    if (at('}')) ++pos_;
  }

  void array(Spot& s, int depth) {
    ++pos_;
    space();
    while (pos_ < t_.size() && !at(']')) {
      s.items.push_back(value(depth));
      space();
      if (!at(',')) break;
      ++pos_;
    }
    if (at(']')) ++pos_;
  }

  std::string_view t_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

} // namespace

const Spot* member(const Spot* s, std::string_view key) {
  if (!s) return nullptr;
  for (auto it = s->members.rbegin(); it != s->members.rend(); ++it)
    if (it->key == key) return &it->value;
  return nullptr;
}

const Spot* item(const Spot* s, std::size_t i) { return s && i < s->items.size() ? &s->items[i] : nullptr; }

Lines scan(std::string_view text) {
  Scanner scanner(text);
  Lines lines;
  lines.root = scanner.value(0);
  lines.too_deep_line = scanner.too_deep_line;
  return lines;
}

} // namespace followup::check_lines
