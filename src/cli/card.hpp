// The contact card that `history` and `show` print above the check-ins.
#pragma once

#include <ostream>

#include "followup/rules/due.hpp"

namespace followup::cli {

void print_card(std::ostream& out, const Contact& c, const DueInfo& info, Date today, bool color);

} // namespace followup::cli
