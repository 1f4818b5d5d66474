// What changed between two versions of a book, in words, for `undo`.
#pragma once

#include <string>
#include <vector>

#include "followup/model/model.hpp"

namespace followup {

// One line per change, as seen going from `from` to `to`, e.g.
//   "removed the call with Ana López on 2026-11-20"
//   "added the contact Tom Smith (tom-smith)"
//   "changed Ana López (ana-lopez): tags, notes"
//   "added the rule vip"
// Empty when the books hold the same data.
std::vector<std::string> describe_changes(const Book& from, const Book& to);

} // namespace followup
