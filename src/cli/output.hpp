// Printing records in the format the user asked for.
#pragma once

#include <functional>
#include <string>

#include "context.hpp"
#include "followup/rules/due.hpp"
#include "followup/output/format.hpp"

namespace followup::cli {

// Machine formats print `records`; the table format prints what
// `make_table` builds (called only then).
void print_records(const Context& ctx, const Format& format, const Records& records,
                   const std::function<TextTable()>& make_table);
void print_records(const Context& ctx, const Format& format, const Records& records,
                   const std::function<CellTable()>& make_table);
// A machine format (not table).
void print_records(const Context& ctx, const Format& format, const Records& records);

// The DATE, KIND, BY, NOTE table of `history` and `show`. A note's line
// breaks show as ⏎ and its tabs as spaces: a row stays one line.
TextTable check_in_table(const std::vector<const Interaction*>& items);

// On a terminal, an empty book's table says how to fill it (piped, nothing).
void hint_if_empty(const Context& ctx, const Format& format, const Book& book);

// "3 days", "1 day", "today", "in 2 days".
std::string overdue_text(int overdue);

// The table's REASON: "cadence", "plan: after the wedding", "birthday (37)",
// "retry: voicemail on 2026-12-01".
std::string reason_text(const Contact& c, const DueInfo& info);

} // namespace followup::cli
