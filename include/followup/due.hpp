// When each contact is due, its status, and the `due` list and its order.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "followup/cadence.hpp"
#include "followup/date.hpp"
#include "followup/expr.hpp"
#include "followup/model.hpp"

namespace followup {

struct DueInfo {
  Cadence cadence;
  std::optional<Date> last;              // latest interaction whose kind counts
  const std::string* last_kind = nullptr; // its kind, in the contact; null when none
  int last_index = -1;                   // that interaction's index, or -1
  Date base;                             // last, else added, else today
  enum class Base { interaction, added, none } base_from = Base::none;
  std::optional<Date> due_on;            // nullopt: never due (`every: never`)
  bool snoozed = false;                  // snoozed_until moved due_on
  int overdue = 0;                       // today - due_on (0 when never due)
};

DueInfo compute_due(const Contact& c, const Cadence& cadence, Date today);

// How the due date came about, for `due --explain` and `show`: several lines,
// each ending in '\n' (rule and why, the interaction that set the clock, the
// arithmetic, the snooze).
std::string explain_due(const Contact& c, const DueInfo& info, Date today);

enum class Status { due, soon, ok, snoozed, never };
const char* to_string(Status s);
// due: due_on <= today; snoozed: snoozed_until > today and not due;
// never: never due; soon: due within `soon_window` (the rule's warn, else 7d);
// ok otherwise.
Status status_of(const Contact& c, const DueInfo& info, Date today);

struct DueQuery {
  std::optional<Duration> within;        // overrides every rule's warn
  std::optional<Expr> where;
  std::vector<std::string> tags;         // all must be present
  std::optional<std::size_t> limit;
  unsigned threads = 1; // a large book's contacts may be gone through on this many
};

struct DueEntry {
  const Contact* contact;
  DueInfo info;
};

// Contacts due (overdue >= 0) or, within the window (--within, else the rule's
// warn), upcoming; most overdue first, ties by name (byte order), then by
// their order in the book.
std::vector<DueEntry> due_list(const Book& book, const RuleSet& rules, Date today, const DueQuery& query);

// True when the contact passes --where and every --tag.
bool passes_filter(const Contact& c, const std::optional<Expr>& where, const std::vector<std::string>& tags);

} // namespace followup
