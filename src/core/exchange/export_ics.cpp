// export --to ics: an iCalendar feed (RFC 5545) with one all-day event per
// contact on its next due date, one per open plan and a yearly one per
// occasion (SPEC §7), to subscribe to from a calendar app.
#include <fmt/format.h>

#include "followup/rules/due.hpp"
#include "followup/exchange/export.hpp"
#include "followup/output/format.hpp"
#include "followup/text/text.hpp"

#include <algorithm>

namespace followup {
namespace {

using content_line::escape_text;
using content_line::fold;

void put(std::string& out, std::string_view name, std::string_view value) {
  out += fold(std::string(name) + ':' + std::string(value));
}

std::string basic_date(Date d) {
  Ymd ymd = to_ymd(d);
  return fmt::format("{:04}{:02}{:02}", ymd.year, ymd.month, ymd.day);
}

std::string days_text(int n) { return n == 1 ? "1 day" : fmt::format("{} days", n); }

std::string cadence_line(const Cadence& cadence) {
  if (cadence.rule == "own") return fmt::format("Every {} (own cadence).", cadence.every->text);
  if (cadence.rule == "default") return fmt::format("Every {} (default).", cadence.every->text);
  return fmt::format("Every {} (rule {}).", cadence.every->text, cadence.rule);
}

// The latest check-in of any kind: what was said last, whether or not it
// reset the clock.
std::string last_line(const Contact& c) {
  if (c.interactions.empty()) return "No check-in yet.";
  const Interaction& it = c.interactions.back();
  std::string head = fmt::format("Last: {} on {}", it.kind.value_or("check-in"), to_iso(it.date));
  if (!it.note || it.note->empty()) return head + '.';
  return fmt::format("{} \u2014 \"{}\"", head, *it.note);
}

std::string description(const Contact& c, const DueInfo& info, Date today) {
  std::vector<std::string> lines{cadence_line(info.cadence)};
  if (info.overdue > 0)
    lines.push_back(fmt::format("Overdue: was due {}, {} ago; shown on {}, the day of the export.",
                                to_iso(*info.due_on), days_text(info.overdue), to_iso(today)));
  else if (info.snoozed)
    lines.push_back(fmt::format("Snoozed until {}.", to_iso(*info.due_on)));
  lines.push_back(last_line(c));
  return join(lines, "\n");
}

void put_event(std::string& out, const Contact& c, const DueInfo& info, const IcsOptions& o) {
  // An overdue contact goes on today: a date in the past would be missed.
  Date day = info.overdue > 0 ? o.today : *info.due_on;
  out += "BEGIN:VEVENT\r\n";
  put(out, "UID", c.id + "@followup");
  put(out, "DTSTAMP", o.dtstamp);
  put(out, "DTSTART;VALUE=DATE", basic_date(day));
  put(out, "DTEND;VALUE=DATE", basic_date(add_days(day, 1)));
  put(out, "SUMMARY", escape_text("Check in with " + c.name));
  put(out, "DESCRIPTION", escape_text(description(c, info, o.today)));
  if (!c.tags.empty()) {
    std::vector<std::string> tags;
    for (const auto& t : c.tags) tags.push_back(escape_text(t));
    put(out, "CATEGORIES", join(tags, ","));
  }
  put(out, "TRANSP", "TRANSPARENT"); // a reminder, not a busy slot
  out += "END:VEVENT\r\n";
}

void put_day_event(std::string& out, const std::string& uid, Date day, const std::string& summary,
                   const std::string& description, const IcsOptions& o, std::string_view rrule = {}) {
  out += "BEGIN:VEVENT\r\n";
  put(out, "UID", uid);
  put(out, "DTSTAMP", o.dtstamp);
  put(out, "DTSTART;VALUE=DATE", basic_date(day));
  put(out, "DTEND;VALUE=DATE", basic_date(add_days(day, 1)));
  if (!rrule.empty()) put(out, "RRULE", rrule);
  put(out, "SUMMARY", escape_text(summary));
  if (!description.empty()) put(out, "DESCRIPTION", escape_text(description));
  put(out, "TRANSP", "TRANSPARENT");
  out += "END:VEVENT\r\n";
}

// Each open plan on its day; UIDs from the id and the date, so a feed
// re-exported tomorrow updates the same events.
void put_plans(std::string& out, const Contact& c, const DueInfo& info, const IcsOptions& o) {
  const std::vector<Driver> drivers = drivers_of(c, info.cadence, info.clock(c), o.today);
  std::vector<Date> seen;
  for (const Driver& d : drivers) {
    if (d.kind != Reason::plan || !d.active) continue;
    const auto n = std::count(seen.begin(), seen.end(), *d.own);
    seen.push_back(*d.own);
    std::string uid = fmt::format("{}-plan-{}{}@followup", c.id, basic_date(*d.own), n ? fmt::format("-{}", n + 1) : "");
    std::string summary = "Check in with " + c.name + (d.plan->note ? ": " + *d.plan->note : std::string());
    put_day_event(out, uid, *d.own, summary, "Planned with followup.", o);
  }
}

// A yearly event per occasion, from its first date (or this year's when
// year-less). Feb 29 recurs on the last day of February, as due counts it.
void put_occasions(std::string& out, const Contact& c, const IcsOptions& o) {
  for (const Occasion& occ : c.occasions) {
    const int year = occ.year ? occ.year : to_ymd(o.today).year;
    const bool leap_day = occ.month == 2 && occ.day == 29;
    Date start = from_ymd(year, occ.month, std::min(occ.day, days_in_month(year, occ.month)));
    std::string rrule = leap_day ? "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1" : "FREQ=YEARLY";
    std::string desc = occ.year ? fmt::format("Since {}.", occ.date_text()) : std::string();
    put_day_event(out, fmt::format("{}-{}@followup", c.id, lower(occ.label)), start, c.name + ": " + occ.label, desc, o,
                  rrule);
  }
}

} // namespace

std::string ics_timestamp(Date utc_date, int seconds_of_day) {
  return fmt::format("{}T{:02}{:02}{:02}Z", basic_date(utc_date), seconds_of_day / 3600, seconds_of_day / 60 % 60,
                     seconds_of_day % 60);
}

std::string export_ics(const Book& book, const RuleSet& rules, const IcsOptions& options) {
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
  put(out, "PRODID", escape_text("-//followup//followup " + options.version + "//EN"));
  out += "CALSCALE:GREGORIAN\r\nX-WR-CALNAME:followup\r\n";
  for (const Contact& c : book.contacts) {
    DueInfo info = compute_due(c, rules.cadence_for(c), options.today);
    if (info.due_on) put_event(out, c, info, options);
    if (!c.plans.empty()) put_plans(out, c, info, options);
    put_occasions(out, c, options);
  }
  out += "END:VCALENDAR\r\n";
  return out;
}

} // namespace followup
