// Why a contact falls due (SPEC §7): its drivers — the cadence, each plan,
// each occasion — each with a date, active or not, and the retry raise.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "followup/rules/cadence.hpp"
#include "followup/model/date.hpp"
#include "followup/model/duration.hpp"
#include "followup/model/model.hpp"

namespace followup {

// A record's `reason`: what gave its date. `retry` is a raised driver.
enum class Reason : unsigned char { cadence, plan, occasion, retry };
const char* to_string(Reason r);

// The occurrence of an occasion on or after `from` (Feb 29 falls on Feb 28 in
// common years), never before the occasion's own date when it has a year.
Date next_occurrence(const Occasion& o, Date from);
// The years reached on `occurrence` (37 for a birthday), -1 when year-less.
int years_on(const Occasion& o, Date occurrence);
// d - dur, calendar-wise: months and years first, clamped to the month's end.
Date subtract(Date d, const Duration& dur);

// What the drivers need of the check-ins (due.cpp finds them).
struct Clock {
  std::optional<Date> cadence_on;  // the cadence's own date (nullopt: every never)
  std::optional<Date> reached;     // the latest reaching check-in's date
  int reached_index = -1;          // its index in the contact's interactions
  std::optional<Date> attempt;     // the latest attempt, when later than every reaching check-in
  int attempt_index = -1;
};

struct Driver {
  Reason kind = Reason::cadence;      // cadence, plan or occasion
  std::optional<Date> own;            // its own date; nullopt: none (every: never)
  std::optional<Date> date;           // after the retry raise
  bool active = true;                 // inactive: a plan fulfilled by the reaching check-in
  const CallPlan* plan = nullptr;
  const Occasion* occasion = nullptr;
  int years = -1;                     // an occasion's years on `own`, -1 unknown
  std::optional<Date> reached_on;     // an occasion whose occurrence was reached: that one

  bool raised() const { return date && own && *date > *own; }
  Reason reason() const { return raised() ? Reason::retry : kind; }
};

// Every driver: the cadence, then the plans as written, then the occasions.
std::vector<Driver> drivers_of(const Contact& c, const Cadence& cad, const Clock& clock, Date today);

// The last date on which a driver's date gets it listed by `due`: today plus
// --within, else the rule's warn, else 0 days (7 for occasions).
Date listed_until(Reason kind, const Cadence& cad, Date today, const std::optional<Duration>& within);

// `due`: the earliest active driver listed today (nullptr: none). `list`,
// `show`, `export` (within == nullptr): the earliest active driver with a date.
const Driver* choose(const std::vector<Driver>& drivers, const Cadence& cad, Date today,
                     const std::optional<Duration>* within);

// A record's `about`: the plan's note, the occasion's label with its years
// (`birthday (37)`), `voicemail on 2026-12-01` for a retry (`attempt` is the
// attempt); empty for cadence.
std::string about_text(Reason reason, const CallPlan* plan, const Occasion* occasion, int years,
                       const Interaction* attempt);

} // namespace followup
