// Where each value of a book's text is, for `check` (check.cpp): nlohmann's
// DOM keeps no positions, so a small scanner reads the text again and builds
// a tree of lines mirroring the DOM.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace followup::check_lines {

// For each object its members (a member's line is the line of its key), for
// each array its items (an item's line is where it starts).
struct Member;
struct Spot {
  int line = 0;
  // Not a std::pair<std::string, Spot>: a pair needs Spot complete, which
  // libstdc++ checks under clang (the fuzz build compiles this file too).
  std::vector<Member> members;
  std::vector<Spot> items;
};
struct Member {
  std::string key;
  Spot value;
};

// The member `key` of the object at `s` (the last of duplicate keys, as
// nlohmann keeps), the item `i` of an array; null when there is none.
const Spot* member(const Spot* s, std::string_view key);
const Spot* item(const Spot* s, std::size_t i);
inline int line_of(const Spot* s) { return s ? s->line : 0; }

// The tree of `text`. Exact for any text nlohmann accepts; on other text it
// still ends, without reading out of bounds. Nesting deeper than
// kMaxJsonDepth stops it: `too_deep_line` is then where.
struct Lines {
  Spot root;
  int too_deep_line = 0;
};
Lines scan(std::string_view text);

} // namespace followup::check_lines
