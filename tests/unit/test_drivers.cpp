// The driver arithmetic of SPEC §7 (drivers.hpp, due.hpp): plans, occasions,
// attempts and the retry raise, around month ends, Feb 29, year boundaries
// and windows. Every expected date is worked out by hand from the SPEC.
#include <doctest/doctest.h>

#include <string>

#include "followup/rules/due.hpp"
#include "followup/model/error.hpp"
#include "followup/book/json_io.hpp"

using namespace followup;

namespace {

Date iso(const char* text) {
  const auto date = parse_iso_date(text);
  REQUIRE(date.has_value());
  return *date;
}

Occasion occ(const char* text) {
  auto o = parse_occasion_date(text);
  REQUIRE(o.has_value());
  o->label = "birthday";
  return *o;
}

// A book of one contact (the JSON members given) and the rules given.
struct One {
  Book book;
  RuleSet rules;
  One(const std::string& members, const std::string& rules_json = "[]")
      : book(parse_book(R"({"followup": 1, "rules": )" + rules_json + R"(, "contacts": [{"id": "x", "name": "X", )" +
                            members + "}]}",
                        "test")),
        rules(book) {}
  const Contact& c() const { return book.contacts[0]; }
  DueInfo list(const char* today) const { return compute_due(c(), rules.cadence_for(c()), iso(today)); }
  DueInfo due(const char* today, std::optional<Duration> within = std::nullopt) const {
    return compute_due(c(), rules.cadence_for(c()), iso(today), within);
  }
};

} // namespace

TEST_CASE("occasion dates: YYYY-MM-DD or --MM-DD, Feb 29 only where it exists") {
  CHECK(parse_occasion_date("1989-06-14").has_value());
  CHECK(parse_occasion_date("--06-14").has_value());
  CHECK(parse_occasion_date("--02-29").has_value());
  CHECK(parse_occasion_date("2000-02-29").has_value());
  CHECK_FALSE(parse_occasion_date("2001-02-29").has_value());
  CHECK_FALSE(parse_occasion_date("--02-30").has_value());
  CHECK_FALSE(parse_occasion_date("--13-01").has_value());
  CHECK_FALSE(parse_occasion_date("06-14").has_value());
  CHECK_FALSE(parse_occasion_date("--6-14").has_value());
  CHECK_FALSE(parse_occasion_date("").has_value());
  CHECK(parse_occasion_date("--06-14")->date_text() == "--06-14");
  CHECK(parse_occasion_date("0999-01-01") == std::nullopt);
  CHECK(is_valid_label("birthday"));
  CHECK(is_valid_label("name-day"));
  CHECK_FALSE(is_valid_label("1st"));
  CHECK_FALSE(is_valid_label("my birthday"));
  CHECK_FALSE(is_valid_label(""));
  CHECK_FALSE(is_valid_label("-x"));
}

TEST_CASE("next occurrence: on or after the day, next year once passed, across the year's end") {
  CHECK(next_occurrence(occ("1989-06-14"), iso("2026-06-14")) == iso("2026-06-14"));
  CHECK(next_occurrence(occ("1989-06-14"), iso("2026-06-15")) == iso("2027-06-14"));
  CHECK(next_occurrence(occ("--01-02"), iso("2026-12-30")) == iso("2027-01-02"));
  CHECK(next_occurrence(occ("--12-31"), iso("2026-12-31")) == iso("2026-12-31"));
  CHECK(next_occurrence(occ("--12-31"), iso("2027-01-01")) == iso("2027-12-31"));
  // Never before the occasion's own date.
  CHECK(next_occurrence(occ("2030-05-01"), iso("2026-12-03")) == iso("2030-05-01"));
  CHECK(years_on(occ("1989-06-14"), iso("2026-06-14")) == 37);
  CHECK(years_on(occ("--06-14"), iso("2026-06-14")) == -1);
}

TEST_CASE("Feb 29 falls on Feb 28 in common years, on the 29th in leap years") {
  CHECK(next_occurrence(occ("2000-02-29"), iso("2026-01-01")) == iso("2026-02-28"));
  CHECK(next_occurrence(occ("2000-02-29"), iso("2028-01-01")) == iso("2028-02-29"));
  CHECK(next_occurrence(occ("--02-29"), iso("2027-03-01")) == iso("2028-02-29"));
  CHECK(next_occurrence(occ("--02-29"), iso("2027-02-28")) == iso("2027-02-28"));
  // 2100 is not a leap year.
  CHECK(next_occurrence(occ("--02-29"), iso("2100-01-01")) == iso("2100-02-28"));
  CHECK(years_on(occ("2000-02-29"), iso("2026-02-28")) == 26);
}

TEST_CASE("subtract: calendar months clamp to the month's end, days cross years") {
  CHECK(subtract(iso("2026-03-31"), *parse_duration("1m")) == iso("2026-02-28"));
  CHECK(subtract(iso("2028-03-31"), *parse_duration("1m")) == iso("2028-02-29"));
  CHECK(subtract(iso("2027-01-03"), *parse_duration("7d")) == iso("2026-12-27"));
  CHECK(subtract(iso("2027-01-03"), *parse_duration("1y1w")) == iso("2025-12-27"));
}

TEST_CASE("a plan is due on its date and listed from then, with its note as about") {
  One b(R"("every": "never", "plans": [{"date": "2026-12-10", "note": "after the wedding"}])");
  CHECK_FALSE(b.due("2026-12-09").listed);
  DueInfo d = b.due("2026-12-10");
  CHECK(d.listed);
  CHECK(d.reason == Reason::plan);
  CHECK(d.due_on == iso("2026-12-10"));
  CHECK(d.overdue == 0);
  CHECK(d.about(b.c()) == "after the wedding");
  // Before its day, list shows it as the next date; --within lists it early.
  CHECK(b.list("2026-12-03").due_on == iso("2026-12-10"));
  CHECK(b.due("2026-12-03", parse_duration("1w")).listed);
  CHECK(b.due("2026-12-03", parse_duration("1w")).overdue == -7);
  // Still due after its day until someone reaches them.
  CHECK(b.due("2026-12-20").overdue == 10);
}

TEST_CASE("a plan is fulfilled by a reaching check-in on or after its date, not before, not by an attempt") {
  One before(R"("every": "never", "plans": [{"date": "2026-12-10"}], "interactions": [{"date": "2026-12-09", "kind": "call"}])");
  CHECK(before.due("2026-12-12").listed);
  One on(R"("every": "never", "plans": [{"date": "2026-12-10"}], "interactions": [{"date": "2026-12-10", "kind": "call"}])");
  CHECK_FALSE(on.due("2026-12-12").listed);
  CHECK_FALSE(on.list("2026-12-12").due_on.has_value());
  One voicemail(R"("every": "never", "plans": [{"date": "2026-12-10"}], "interactions": [{"date": "2026-12-11", "kind": "voicemail"}])");
  DueInfo v = voicemail.due("2026-12-15");
  CHECK(v.listed);
  CHECK(v.reason == Reason::retry); // raised to 12-11 + 3d = 12-14
  CHECK(v.due_on == iso("2026-12-14"));
  // An email does not count where the rule counts only calls.
  One email(R"("plans": [{"date": "2026-12-10"}], "tags": ["c"], "interactions": [{"date": "2026-12-11", "kind": "email"}])",
            R"([{"name": "c", "match": "tag:c", "every": "never", "counts": ["call"]}])");
  CHECK(email.due("2026-12-12").reason == Reason::plan);
}

TEST_CASE("occasions: listed from 7 days before (or the rule's warn) through the day, then next year's") {
  One b(R"("every": "never", "occasions": {"birthday": "1989-12-10"})");
  CHECK_FALSE(b.due("2026-12-02").listed);
  DueInfo d = b.due("2026-12-03");
  CHECK(d.listed);
  CHECK(d.reason == Reason::occasion);
  CHECK(d.due_on == iso("2026-12-10"));
  CHECK(d.overdue == -7);
  CHECK(d.about(b.c()) == "birthday (37)");
  CHECK(b.due("2026-12-10").overdue == 0);
  // The day has passed without a call: simply next year's.
  CHECK_FALSE(b.due("2026-12-11").listed);
  CHECK(b.list("2026-12-11").due_on == iso("2027-12-10"));
  CHECK(b.list("2026-12-11").years == 38);
  // --within overrides the window.
  CHECK_FALSE(b.due("2026-12-03", parse_duration("2d")).listed);
  CHECK(b.due("2026-12-08", parse_duration("2d")).listed);
  // The rule's warn sets the window.
  One w(R"("tags": ["f"], "occasions": {"anniversary": "--12-20"})",
        R"([{"name": "f", "match": "tag:f", "every": "never", "warn": "2w"}])");
  CHECK(w.due("2026-12-06").listed);
  CHECK_FALSE(w.due("2026-12-05").listed);
  CHECK(w.due("2026-12-06").about(w.c()) == "anniversary");
}

TEST_CASE("occasions are fulfilled by a reaching check-in from the window's start through the day") {
  One early(R"("every": "never", "occasions": {"birthday": "--12-10"}, "interactions": [{"date": "2026-12-02", "kind": "call"}])");
  CHECK(early.due("2026-12-05").listed); // 12-02 is before 12-03, the window's start
  One in(R"("every": "never", "occasions": {"birthday": "--12-10"}, "interactions": [{"date": "2026-12-03", "kind": "call"}])");
  CHECK_FALSE(in.due("2026-12-05").listed);
  CHECK_FALSE(in.due("2026-12-10").listed);
  // Reached this year: list's next date is next year's.
  CHECK(in.list("2026-12-05").due_on == iso("2027-12-10"));
  // Across the year's end: a Jan 2 birthday reached on Dec 28.
  One jan(R"("every": "never", "occasions": {"birthday": "--01-02"}, "interactions": [{"date": "2026-12-28", "kind": "visit"}])");
  CHECK_FALSE(jan.due("2026-12-30").listed);
  One jan_late(R"("every": "never", "occasions": {"birthday": "--01-02"}, "interactions": [{"date": "2026-12-25", "kind": "visit"}])");
  CHECK(jan_late.due("2026-12-30").listed);
  CHECK(jan_late.due("2026-12-30").due_on == iso("2027-01-02"));
}

TEST_CASE("the earliest listed driver is shown; list shows the earliest active one") {
  One b(R"("every": "30d", "interactions": [{"date": "2026-11-01", "kind": "call"}],
        "plans": [{"date": "2026-12-20", "note": "later"}, {"date": "2026-12-05", "note": "sooner"}],
        "occasions": {"birthday": "--12-08"})");
  // Cadence: 11-01 + 30d = 12-01, overdue on 12-03.
  DueInfo d = b.due("2026-12-03");
  CHECK(d.reason == Reason::cadence);
  CHECK(d.due_on == iso("2026-12-01"));
  CHECK(d.about(b.c()).empty());
  // Once the cadence is met by a call on 12-03, the birthday (in its window) is next.
  One c(R"("every": "30d", "interactions": [{"date": "2026-11-01", "kind": "call"}],
        "plans": [{"date": "2026-12-20", "note": "later"}, {"date": "2026-12-05", "note": "sooner"}],
        "occasions": {"birthday": "--12-08"})");
  CHECK(c.due("2026-12-06").due_on == iso("2026-12-01"));
  One quiet(R"("every": "1y", "interactions": [{"date": "2026-11-01", "kind": "call"}],
        "plans": [{"date": "2026-12-20", "note": "later"}, {"date": "2026-12-05", "note": "sooner"}],
        "occasions": {"birthday": "--12-08"})");
  DueInfo q = quiet.due("2026-12-03");
  CHECK(q.reason == Reason::occasion); // the plan on 12-05 has no window: not yet listed
  CHECK(q.due_on == iso("2026-12-08"));
  CHECK(quiet.due("2026-12-05").reason == Reason::plan);
  CHECK(quiet.due("2026-12-05").about(quiet.c()) == "sooner");
  CHECK(quiet.list("2026-12-03").due_on == iso("2026-12-05"));
  CHECK(quiet.list("2026-12-03").reason == Reason::plan);
}

TEST_CASE("attempts: voicemail and no-answer by default; never last, never reset the clock") {
  One b(R"("every": "2w", "interactions": [{"date": "2026-11-01", "kind": "call"}, {"date": "2026-11-20", "kind": "voicemail"}])");
  DueInfo d = b.due("2026-12-03");
  CHECK(d.last == iso("2026-11-01"));
  CHECK(d.cadence_on == iso("2026-11-15"));
  // Raised to 11-20 + 3d = 11-23: overdue all the same, shown as a retry.
  CHECK(d.due_on == iso("2026-11-23"));
  CHECK(d.reason == Reason::retry);
  CHECK(d.about(b.c()) == "voicemail on 2026-11-20");
  // A call after the voicemail reached them: no retry.
  One r(R"("every": "2w", "interactions": [{"date": "2026-11-20", "kind": "no-answer"}, {"date": "2026-11-21", "kind": "call"}])");
  CHECK(r.due("2026-12-10").reason == Reason::cadence);
  CHECK(r.due("2026-12-10").due_on == iso("2026-12-05"));
  // Same day: the attempt is not later than the call.
  One same(R"("every": "2w", "interactions": [{"date": "2026-11-21", "kind": "call"}, {"date": "2026-11-21", "kind": "voicemail"}])");
  CHECK(same.due("2026-12-10").reason == Reason::cadence);
}

TEST_CASE("retry raises every driver to at least the attempt plus retry, and not before its own date") {
  // Due today by the cadence; the voicemail this morning puts it off 3 days.
  One b(R"("every": "1m", "interactions": [{"date": "2026-11-03", "kind": "call"}, {"date": "2026-12-03", "kind": "voicemail"}])");
  CHECK_FALSE(b.due("2026-12-03").listed);
  CHECK(b.list("2026-12-03").due_on == iso("2026-12-06"));
  CHECK(b.due("2026-12-06").listed);
  CHECK(b.due("2026-12-06").reason == Reason::retry);
  // A driver later than the retry keeps its own date and reason.
  One later(R"("every": "1m", "interactions": [{"date": "2026-11-30", "kind": "call"}, {"date": "2026-12-01", "kind": "voicemail"}])");
  CHECK(later.list("2026-12-03").due_on == iso("2026-12-30"));
  CHECK(later.list("2026-12-03").reason == Reason::cadence);
  // The rule's attempts and retry; a month-end retry clamps.
  const char* rules = R"([{"name": "c", "match": "tag:c", "every": "1w", "attempts": ["email-bounced"], "retry": "1m"}])";
  One custom(R"("tags": ["c"], "interactions": [{"date": "2026-01-01", "kind": "call"}, {"date": "2026-01-31", "kind": "email-bounced"}])", rules);
  CHECK(custom.list("2026-02-01").due_on == iso("2026-02-28"));
  // voicemail is no attempt under that rule: it reached them.
  One vm(R"("tags": ["c"], "interactions": [{"date": "2026-01-01", "kind": "call"}, {"date": "2026-01-31", "kind": "voicemail"}])", rules);
  CHECK(vm.list("2026-02-01").due_on == iso("2026-02-07"));
  CHECK(vm.list("2026-02-01").last == iso("2026-01-31"));
  // attempts: [] turns them off.
  One off(R"("tags": ["c"], "interactions": [{"date": "2026-01-01", "kind": "call"}, {"date": "2026-01-31", "kind": "voicemail"}])",
          R"([{"name": "c", "match": "tag:c", "every": "1w", "attempts": []}])");
  CHECK(off.list("2026-02-01").due_on == iso("2026-02-07"));
  CHECK(off.list("2026-02-01").reason == Reason::cadence);
}

TEST_CASE("every: never contacts still have plans and occasions; none at all is never due") {
  One none(R"("every": "never")");
  CHECK_FALSE(none.list("2026-12-03").due_on.has_value());
  CHECK(status_of(none.c(), none.list("2026-12-03"), iso("2026-12-03")) == Status::never);
  One plan(R"("every": "never", "plans": [{"date": "2027-01-05"}])");
  CHECK(plan.list("2026-12-03").due_on == iso("2027-01-05"));
  CHECK(status_of(plan.c(), plan.list("2026-12-03"), iso("2026-12-03")) == Status::ok);
}

TEST_CASE("snooze moves the cadence only") {
  One b(R"("every": "1w", "snoozed_until": "2027-01-10", "interactions": [{"date": "2026-11-01", "kind": "call"}],
        "plans": [{"date": "2026-12-03"}])");
  DueInfo d = b.due("2026-12-03");
  CHECK(d.listed);
  CHECK(d.reason == Reason::plan);
  CHECK(d.cadence_on == iso("2027-01-10"));
}

TEST_CASE("future phrases for plan and log --next") {
  const Date today = iso("2026-12-03"); // a Thursday
  CHECK(parse_future_phrase("2027-06-20", today, today) == iso("2027-06-20"));
  CHECK(parse_future_phrase("tomorrow", today, today) == iso("2026-12-04"));
  CHECK(parse_future_phrase("friday", today, today) == iso("2026-12-04"));
  CHECK(parse_future_phrase("thu", today, today) == iso("2026-12-10"));
  CHECK(parse_future_phrase("in 2w", today, today) == iso("2026-12-17"));
  CHECK(parse_future_phrase("in 3 days", today, today) == iso("2026-12-06"));
  CHECK(parse_future_phrase("In 1 Month", today, today) == iso("2027-01-03"));
  CHECK(parse_future_phrase("in 1 year", today, today) == iso("2027-12-03"));
  CHECK(parse_future_phrase("2w", today, today) == iso("2026-12-17"));
  CHECK(parse_future_phrase("1m2w", iso("2026-01-31"), today) == iso("2026-03-14"));
  CHECK(parse_future_phrase("today", today, today) == today); // the caller refuses it
  CHECK_THROWS_AS(parse_future_phrase("in", today, today), Error);
  CHECK_THROWS_AS(parse_future_phrase("in 2 fortnights", today, today), Error);
  CHECK_THROWS_AS(parse_future_phrase("soon", today, today), Error);
  CHECK_THROWS_AS(parse_future_phrase("2026-02-30", today, today), Error);
  CHECK_THROWS_AS(parse_future_phrase("9000y", today, today), Error);
  CHECK_THROWS_AS(parse_future_phrase("in 100000 years", today, today), Error);
}
