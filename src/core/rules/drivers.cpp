// The driver arithmetic of SPEC §7: each driver's date, whether it is still
// active, the retry raise, and which driver a record shows.
#include "followup/rules/drivers.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace followup {

const char* to_string(Reason r) {
  switch (r) {
  case Reason::cadence: return "cadence";
  case Reason::plan: return "plan";
  case Reason::occasion: return "occasion";
  case Reason::retry: return "retry";
  }
  return "cadence";
}

namespace {

Date in_year(const Occasion& o, int year) {
  return from_ymd(year, o.month, std::min(o.day, days_in_month(year, o.month)));
}

const Duration& seven_days() {
  static const Duration kWeek = *parse_duration("7d");
  return kWeek;
}

} // namespace

Date next_occurrence(const Occasion& o, Date from) {
  int year = std::max(to_ymd(from).year, o.year);
  Date d = in_year(o, year);
  if (d < from) d = in_year(o, year + 1);
  return d;
}

int years_on(const Occasion& o, Date occurrence) { return o.year ? to_ymd(occurrence).year - o.year : -1; }

Date subtract(Date d, const Duration& dur) {
  return add_days(add_months(d, -(dur.years * 12 + dur.months)), -(dur.weeks * 7 + dur.days));
}

std::vector<Driver> drivers_of(const Contact& c, const Cadence& cad, const Clock& clock, Date today) {
  std::vector<Driver> out;
  out.reserve(1 + c.plans.size() + c.occasions.size());
  Driver cadence;
  cadence.own = clock.cadence_on;
  out.push_back(cadence);
  for (const CallPlan& p : c.plans) {
    Driver d;
    d.kind = Reason::plan;
    d.own = p.date;
    d.plan = &p;
    // Fulfilled by a reaching check-in on or after its date.
    d.active = !(clock.reached && *clock.reached >= p.date);
    out.push_back(d);
  }
  const Duration& w = cad.warn ? *cad.warn : seven_days();
  for (const Occasion& o : c.occasions) {
    Driver d;
    d.kind = Reason::occasion;
    d.occasion = &o;
    Date on = next_occurrence(o, today);
    d.own = on;
    d.years = years_on(o, on);
    // Reached from W before the day through the day (check-ins are never
    // after today, and today is on or before the day): this year's is done,
    // and the driver is next year's.
    if (clock.reached && *clock.reached >= subtract(on, w) && *clock.reached <= on) {
      d.reached_on = on;
      on = next_occurrence(o, add_days(on, 1));
      d.own = on;
      d.years = years_on(o, on);
    }
    out.push_back(d);
  }
  // Retry: while an attempt is later than every reaching check-in, nothing
  // comes back before attempt + retry.
  std::optional<Date> floor;
  if (clock.attempt) floor = add(*clock.attempt, cad.retry_after());
  for (Driver& d : out) {
    d.date = d.own;
    if (floor && d.date && *d.date < *floor) d.date = floor;
  }
  return out;
}

Date listed_until(Reason kind, const Cadence& cad, Date today, const std::optional<Duration>& within) {
  if (within) return add(today, *within);
  if (cad.warn) return add(today, *cad.warn);
  return kind == Reason::occasion ? add(today, seven_days()) : today;
}

const Driver* choose(const std::vector<Driver>& drivers, const Cadence& cad, Date today,
                     const std::optional<Duration>* within) {
  const Driver* best = nullptr;
  for (const Driver& d : drivers) {
    if (!d.active || !d.date) continue;
    if (within && *d.date > listed_until(d.kind, cad, today, *within)) continue;
    // On a tie a plan or occasion says more than the cadence.
    if (!best || *d.date < *best->date || (*d.date == *best->date && best->kind == Reason::cadence))
      best = &d;
  }
  return best;
}

std::string about_text(Reason reason, const CallPlan* plan, const Occasion* occasion, int years,
                       const Interaction* attempt) {
  switch (reason) {
  case Reason::cadence: return {};
  case Reason::plan: return plan && plan->note ? *plan->note : std::string();
  case Reason::occasion:
    if (!occasion) return {};
    return years >= 0 ? fmt::format("{} ({})", occasion->label, years) : occasion->label;
  case Reason::retry:
    if (!attempt) return {};
    return fmt::format("{} on {}", attempt->kind.value_or("attempt"), to_iso(attempt->date));
  }
  return {};
}

} // namespace followup
