// The call sheet `brief` prints (SPEC §8): for each contact `due` lists, in
// its order, what a caller who has never met them needs before dialling.
#pragma once

#include <string>
#include <vector>

#include "followup/model/date.hpp"
#include "followup/rules/due.hpp"

namespace followup {

enum class SheetStyle { text, markdown };

// One block a contact, blocks apart by a blank line; empty when `entries` is.
// Text from the book is shown visibly (no terminal escapes get through).
std::string call_sheet(const std::vector<DueEntry>& entries, Date today, SheetStyle style);

// Whether a field is a way to reach someone (phone, mobile, e-mail, ...):
// those come first on the sheet.
bool is_contact_field(std::string_view key);

} // namespace followup
