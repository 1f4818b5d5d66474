// When each contact is due, its status, and the `due` list and its order.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "followup/rules/cadence.hpp"
#include "followup/model/date.hpp"
#include "followup/rules/drivers.hpp"
#include "followup/rules/expr.hpp"
#include "followup/model/model.hpp"

namespace followup {

struct DueInfo {
  Cadence cadence;
  std::optional<Date> last;              // latest reaching check-in (kind counts, not an attempt)
  const std::string* last_kind = nullptr; // its kind, in the contact; null when none
  int last_index = -1;                   // that interaction's index, or -1
  Date base;                             // last, else added, else today
  enum class Base { interaction, added, none } base_from = Base::none;
  std::optional<Date> cadence_on;        // the cadence driver's own date (nullopt: every never)
  bool snoozed = false;                  // snoozed_until moved cadence_on
  int attempt_index = -1;                // the latest attempt, when later than every reaching check-in
  // The driver shown (SPEC §7): for `due`, the earliest listed today; else
  // the earliest active one. Its date (after the retry raise) is due_on.
  std::optional<Date> due_on;            // nullopt: no driver has a date
  int overdue = 0;                       // today - due_on (0 when never due)
  Reason reason = Reason::cadence;
  const CallPlan* plan = nullptr;            // the plan shown, when a plan (or a raised one)
  const Occasion* occasion = nullptr;    // likewise
  int years = -1;                        // the occasion's years reached, -1 unknown
  bool listed = true;                    // `due` only: some driver is listed today

  std::string about(const Contact& c) const; // the record's `about`
  Clock clock(const Contact& c) const;
};

// `list`, `show`, `export`: due_on is the earliest active driver's date.
DueInfo compute_due(const Contact& c, const Cadence& cadence, Date today);
// `due`: due_on is the earliest driver listed today (within: --within, else
// each driver's window); `listed` false when there is none.
DueInfo compute_due(const Contact& c, const Cadence& cadence, Date today, const std::optional<Duration>& within);

// How the due date came about, for `due --explain` and `show`: several lines,
// each ending in '\n' (rule and why, the interaction that set the clock, the
// arithmetic, the snooze, then every driver with its date, active or not,
// and why, the retry, and the one shown).
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
