// Which cadence governs a contact (cadence.hpp) and when it is due (due.hpp):
// SPEC §2 (durations, month-end clamping) and §3 (rules engine, due date).
// Every expected date below is worked out by hand from the SPEC.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "followup/rules/cadence.hpp"
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

const Date kToday = from_ymd(2026, 3, 10);

// Rules in order: family before clients, so a client in the family is family.
const char* const kBook = R"({
  "followup": 1,
  "rules": [
    {"name": "family", "match": "tag:family", "every": "2w"},
    {"name": "clients", "match": "tag:client and not tag:vip", "every": "3m", "counts": ["call", "visit", "meeting"]},
    {"name": "vip", "match": "tag:vip", "every": "1m", "warn": "2w"},
    {"name": "archive", "match": "tag:archived", "every": "never"}
  ],
  "contacts": [
    {"id": "ana-lopez", "name": "Ana López", "tags": ["friend", "client"], "every": "6w",
     "interactions": [{"date": "2026-01-20", "kind": "email"}]},
    {"id": "bob", "name": "Bob Stone", "tags": ["client"],
     "interactions": [{"date": "2025-11-05", "kind": "Call", "note": "renewal"},
                      {"date": "2026-01-15", "kind": "email", "note": "newsletter"}]},
    {"id": "kim", "name": "Kim Family", "tags": ["family", "client"],
     "interactions": [{"date": "2026-03-01", "kind": "visit"}]},
    {"id": "vic", "name": "Vic Hale", "tags": ["vip", "client"],
     "interactions": [{"date": "2026-02-20", "kind": "call"}]},
    {"id": "dan", "name": "Dan Park", "added": "2026-02-01"},
    {"id": "old", "name": "Old Friend", "tags": ["archived"], "added": "2020-01-01"},
    {"id": "nox", "name": "Nox"},
    {"id": "zed", "name": "Zed Ward", "tags": ["client"], "added": "2025-12-01",
     "interactions": [{"date": "2026-01-01", "kind": "email"}]},
    {"id": "sue", "name": "Sue Bell", "snoozed_until": "2026-03-20",
     "interactions": [{"date": "2026-01-01", "kind": "call"}]}
  ]
})";

struct Fixture {
  Book book = parse_book(kBook, "test");
  RuleSet rules{book};

  const Contact& contact(const char* id) {
    const Contact* c = book.find_id(id);
    REQUIRE(c != nullptr);
    return *c;
  }
  DueInfo due(const char* id, Date today = kToday) {
    const Contact& c = contact(id);
    return compute_due(c, rules.cadence_for(c), today);
  }
  std::vector<std::string> ids(const DueQuery& q, Date today = kToday) {
    std::vector<std::string> out;
    for (const auto& e : due_list(book, rules, today, q)) out.push_back(e.contact->id);
    return out;
  }
};

// A one-contact book with no rules, for date arithmetic.
DueInfo due_alone(const std::string& every, const std::string& last, Date today) {
  Book b = parse_book(R"({"followup": 1, "contacts": [{"id": "x", "name": "X", "every": ")" + every +
                          R"(", "interactions": [{"date": ")" + last + R"("}]}]})",
                      "test");
  RuleSet rules(b);
  return compute_due(b.contacts[0], rules.cadence_for(b.contacts[0]), today);
}

} // namespace

TEST_CASE_FIXTURE(Fixture, "cadence: own every first, then the first matching rule, then the 30-day default") {
  Cadence own = rules.cadence_for(contact("ana-lopez")); // a client, but with its own every
  CHECK(own.rule == "own");
  CHECK(own.rule_index == -1);
  CHECK(own.every->text == "6w");
  CHECK(own.counts == nullptr); // the clients rule's counts do not leak in

  Cadence kim = rules.cadence_for(contact("kim")); // family and client: family comes first
  CHECK(kim.rule == "family");
  CHECK(kim.rule_index == 0);
  CHECK(kim.every->text == "2w");

  Cadence bob = rules.cadence_for(contact("bob"));
  CHECK(bob.rule == "clients");
  CHECK(bob.rule_index == 1);
  REQUIRE(bob.counts != nullptr);
  CHECK(*bob.counts == std::vector<std::string>{"call", "visit", "meeting"});

  Cadence vic = rules.cadence_for(contact("vic")); // client and vip: `not tag:vip` fails
  CHECK(vic.rule == "vip");
  REQUIRE(vic.warn != nullptr);
  CHECK(vic.warn->text == "2w");

  Cadence dan = rules.cadence_for(contact("dan"));
  CHECK(dan.rule == "default");
  CHECK(dan.rule_index == -1);
  CHECK(*dan.every == Duration{0, 0, 0, 30, false, "30d"});
  CHECK(dan.counts == nullptr);
}

TEST_CASE("cadence: a contact's own counts; a bad rule expression is a data error naming the rule") {
  Book b = parse_book(R"({"followup": 1, "contacts": [
    {"id": "p", "name": "P", "every": "1w", "counts": ["visit"],
     "interactions": [{"date": "2026-03-01", "kind": "visit"}, {"date": "2026-03-05", "kind": "call"}]}]})",
                      "test");
  RuleSet rules(b);
  DueInfo info = compute_due(b.contacts[0], rules.cadence_for(b.contacts[0]), kToday);
  CHECK(info.last == iso("2026-03-01")); // the call does not count
  CHECK(info.due_on == iso("2026-03-08"));

  Book bad;
  bad.rules.push_back(Rule{"ok", "tag:a", *parse_duration("1w"), {}, {}, {}, {}, {}});
  bad.rules.push_back(Rule{"broken", "tag:a and", *parse_duration("1w"), {}, {}, {}, {}, {}});
  try {
    RuleSet r(bad);
    FAIL("no error for a bad match");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
    CHECK(e.where().find("broken") != std::string::npos);
    CHECK(e.where().find("match") != std::string::npos);
    CHECK(std::string(e.what()).find("column") != std::string::npos);
  }
}

TEST_CASE_FIXTURE(Fixture, "due date: last counting interaction + every") {
  DueInfo ana = due("ana-lopez"); // own 6w, all kinds count: 2026-01-20 + 42d
  CHECK(ana.last == iso("2026-01-20"));
  CHECK(ana.base_from == DueInfo::Base::interaction);
  CHECK(ana.due_on == iso("2026-03-03"));
  CHECK(ana.overdue == 7);

  // The bulk email of 2026-01-15 does not reset the clients clock; "Call"
  // counts as "call" (kinds are case-insensitive).
  DueInfo bob = due("bob");
  CHECK(bob.last == iso("2025-11-05"));
  REQUIRE(bob.last_kind != nullptr);
  CHECK(*bob.last_kind == "Call");
  CHECK(bob.last_index == 0);
  CHECK(bob.due_on == iso("2026-02-05"));
  CHECK(bob.overdue == 33);

  DueInfo kim = due("kim"); // 2026-03-01 + 2w
  CHECK(kim.due_on == iso("2026-03-15"));
  CHECK(kim.overdue == -5);
}

TEST_CASE_FIXTURE(Fixture, "due date without a counting interaction: added, else today") {
  DueInfo dan = due("dan"); // 2026-02-01 + 30d
  CHECK_FALSE(dan.last.has_value());
  CHECK(dan.last_index == -1);
  CHECK(dan.base_from == DueInfo::Base::added);
  CHECK(dan.due_on == iso("2026-03-03"));

  DueInfo zed = due("zed"); // only an email, which clients do not count: added 2025-12-01 + 3m
  CHECK_FALSE(zed.last.has_value());
  CHECK(zed.base_from == DueInfo::Base::added);
  CHECK(zed.due_on == iso("2026-03-01"));
  CHECK(zed.overdue == 9);

  DueInfo nox = due("nox"); // neither: due today
  CHECK(nox.base_from == DueInfo::Base::none);
  CHECK(nox.due_on == kToday);
  CHECK(nox.overdue == 0);
  CHECK(status_of(contact("nox"), nox, kToday) == Status::due);
}

TEST_CASE("due date: months clamp to the month's end") {
  CHECK(due_alone("1m", "2026-01-31", kToday).due_on == iso("2026-02-28"));
  CHECK(due_alone("1m", "2028-01-31", kToday).due_on == iso("2028-02-29"));
  CHECK(due_alone("1m", "2026-03-31", kToday).due_on == iso("2026-04-30"));
  CHECK(due_alone("1m2w", "2026-01-31", kToday).due_on == iso("2026-03-14")); // Feb 28 + 14d
  CHECK(due_alone("1y", "2024-02-29", kToday).due_on == iso("2025-02-28"));
  DueInfo feb = due_alone("1m", "2026-01-31", kToday);
  CHECK(feb.overdue == 10); // 2026-02-28 to 2026-03-10
}

TEST_CASE_FIXTURE(Fixture, "never: no due date, status never, never listed") {
  DueInfo old = due("old");
  CHECK(old.cadence.rule == "archive");
  CHECK_FALSE(old.due_on.has_value());
  CHECK(old.overdue == 0);
  CHECK(status_of(contact("old"), old, kToday) == Status::never);
  DueQuery q;
  q.within = *parse_duration("100y");
  auto listed = ids(q);
  CHECK(std::find(listed.begin(), listed.end(), "old") == listed.end());
  CHECK(std::find(listed.begin(), listed.end(), "nox") != listed.end());
}

TEST_CASE_FIXTURE(Fixture, "snoozes: a later snoozed_until moves the due date, an earlier one does not") {
  DueInfo sue = due("sue"); // 2026-01-01 + 30d = 2026-01-31, snoozed to 2026-03-20
  CHECK(sue.snoozed);
  CHECK(sue.due_on == iso("2026-03-20"));
  CHECK(sue.overdue == -10);
  CHECK(status_of(contact("sue"), sue, kToday) == Status::snoozed);
  // Once the snooze has passed, it is due from the snooze date.
  DueInfo later = due("sue", iso("2026-03-25"));
  CHECK(later.overdue == 5);
  CHECK(status_of(contact("sue"), later, iso("2026-03-25")) == Status::due);

  Contact early = contact("sue");
  early.snoozed_until = iso("2026-01-15"); // before 2026-01-31: no effect
  DueInfo e = compute_due(early, rules.cadence_for(early), kToday);
  CHECK_FALSE(e.snoozed);
  CHECK(e.due_on == iso("2026-01-31"));
  CHECK(e.overdue == 38);
  CHECK(status_of(early, e, kToday) == Status::due);
}

TEST_CASE_FIXTURE(Fixture, "status: due, soon within the rule's warn (else 7 days), ok") {
  CHECK(status_of(contact("bob"), due("bob"), kToday) == Status::due);
  // Due on the day itself is due.
  CHECK(status_of(contact("ana-lopez"), due("ana-lopez", iso("2026-03-03")), iso("2026-03-03")) == Status::due);
  CHECK(status_of(contact("kim"), due("kim"), kToday) == Status::soon);                   // in 5 days, window 7
  CHECK(status_of(contact("kim"), due("kim", iso("2026-03-07")), iso("2026-03-07")) == Status::ok); // in 8
  CHECK(status_of(contact("kim"), due("kim", iso("2026-03-08")), iso("2026-03-08")) == Status::soon); // in 7
  CHECK(status_of(contact("vic"), due("vic"), kToday) == Status::soon);                   // in 10, warn 2w
  CHECK(status_of(contact("vic"), due("vic", iso("2026-03-05")), iso("2026-03-05")) == Status::ok); // in 15
  CHECK(std::string(to_string(Status::snoozed)) == "snoozed");
}

TEST_CASE_FIXTURE(Fixture, "due_list: most overdue first, ties by name; a rule's warn adds upcoming ones") {
  // bob 33, zed 9, ana 7 and dan 7 (Ana < Dan), nox 0, vic -10 (vip warns 2w).
  // kim (-5, family has no warn) and sue (snoozed) are not listed.
  CHECK(ids({}) == std::vector<std::string>{"bob", "zed", "ana-lopez", "dan", "nox", "vic"});
  auto entries = due_list(book, rules, kToday, {});
  REQUIRE(entries.size() == 6);
  CHECK(entries[0].info.overdue == 33);
  CHECK(entries[5].info.overdue == -10);
}

TEST_CASE_FIXTURE(Fixture, "due_list: --within overrides warn; tags, where and limit filter") {
  DueQuery week;
  week.within = *parse_duration("1w"); // up to 2026-03-17: kim yes, vic (03-20) no
  CHECK(ids(week) == std::vector<std::string>{"bob", "zed", "ana-lopez", "dan", "nox", "kim"});

  DueQuery three_weeks;
  three_weeks.within = *parse_duration("3w"); // sue and vic both at -10: Sue < Vic
  CHECK(ids(three_weeks) == std::vector<std::string>{"bob", "zed", "ana-lopez", "dan", "nox", "kim", "sue", "vic"});

  DueQuery none;
  none.within = *parse_duration("0d"); // only those actually due
  CHECK(ids(none) == std::vector<std::string>{"bob", "zed", "ana-lopez", "dan", "nox"});

  DueQuery tag;
  tag.tags = {"CLIENT"};
  CHECK(ids(tag) == std::vector<std::string>{"bob", "zed", "ana-lopez", "vic"});

  DueQuery where;
  where.where = parse_expr("not tag:client");
  CHECK(ids(where) == std::vector<std::string>{"dan", "nox"});

  DueQuery limit;
  limit.limit = 2;
  CHECK(ids(limit) == std::vector<std::string>{"bob", "zed"});
}

TEST_CASE("due_list: equal names keep book order") {
  Book b = parse_book(R"({"followup": 1, "contacts": [
    {"id": "sam-2", "name": "Sam", "added": "2026-01-01"},
    {"id": "amy", "name": "Amy", "added": "2026-01-01"},
    {"id": "sam", "name": "Sam", "added": "2026-01-01"}]})",
                      "test");
  RuleSet rules(b);
  std::vector<std::string> out;
  for (const auto& e : due_list(b, rules, kToday, {})) out.push_back(e.contact->id);
  CHECK(out == std::vector<std::string>{"amy", "sam-2", "sam"});
}

TEST_CASE("due_list: ties are in the names' byte order, past their first eight bytes too") {
  // Equally overdue, listed out of order: names that share their first eight
  // bytes, one that is a prefix of another, a NUL, and bytes past ASCII
  // (after every ASCII letter, as in byte order).
  Book b = parse_book(R"({"followup": 1, "contacts": [
    {"id": "e", "name": "\u00c5sa", "added": "2026-01-01"},
    {"id": "d", "name": "Christopher B", "added": "2026-01-01"},
    {"id": "c", "name": "Christopher A", "added": "2026-01-01"},
    {"id": "g", "name": "Chris\u0000", "added": "2026-01-01"},
    {"id": "b", "name": "Chris", "added": "2026-01-01"},
    {"id": "f", "name": "Zed", "added": "2026-01-01"},
    {"id": "a", "name": "Christoph", "added": "2026-01-01"}]})",
                      "test");
  RuleSet rules(b);
  std::vector<std::string> out;
  for (const auto& e : due_list(b, rules, kToday, {})) out.push_back(e.contact->id);
  CHECK(out == std::vector<std::string>{"b", "g", "a", "c", "d", "f", "e"});
}

TEST_CASE("due_list: a large book gone through on several threads gives the list one thread gives") {
  // Many ties (seven names, thirteen added dates): book order decides them,
  // so slices joined out of order would show.
  Book b = parse_book(R"({"followup": 1, "rules": [
    {"name": "clients", "match": "tag:client", "every": "2w", "warn": "1w"}]})",
                      "test");
  const char* const names[] = {"Sam", "Amy", "Bo", "Sam ", "Zoe", "amy", "Al"};
  for (int i = 0; i < 9001; ++i) {
    Contact c;
    c.id = "c-" + std::to_string(i);
    c.name = names[i % 7];
    c.added = add_days(kToday, -(i % 13) * 5);
    if (i % 3 == 0) c.tags = {"client"};
    b.contacts.push_back(std::move(c));
  }
  RuleSet rules(b);
  auto ids = [&](DueQuery q, unsigned threads) {
    q.threads = threads;
    std::vector<std::string> out;
    for (const auto& e : due_list(b, rules, kToday, q))
      out.push_back(e.contact->id + " " + to_iso(*e.info.due_on) + " " + std::to_string(e.info.overdue));
    return out;
  };
  const std::vector<std::string> one = ids({}, 1);
  REQUIRE(one.size() > 4000);
  for (unsigned threads : {2u, 3u, 8u}) {
    CAPTURE(threads);
    CHECK(ids({}, threads) == one);
    DueQuery clients;
    clients.tags = {"client"};
    clients.limit = 700;
    CHECK(ids(clients, threads) == ids(clients, 1));
  }
}

TEST_CASE_FIXTURE(Fixture, "explain names the rule, the interaction that set the clock, and the arithmetic") {
  const std::string bob = explain_due(contact("bob"), due("bob"), kToday);
  CHECK(bob.find("clients") != std::string::npos);
  CHECK(bob.find("tag:client and not tag:vip") != std::string::npos);
  CHECK(bob.find("2025-11-05") != std::string::npos);
  CHECK(bob.find("renewal") != std::string::npos);              // the interaction's note
  CHECK(bob.find("email on 2026-01-15") != std::string::npos);  // the one that did not count
  CHECK(bob.find("2025-11-05 + 3m = 2026-02-05") != std::string::npos);
  CHECK(bob.find("33 days overdue") != std::string::npos);
  CHECK(bob.back() == '\n');

  const std::string dan = explain_due(contact("dan"), due("dan"), kToday);
  CHECK(dan.find("default") != std::string::npos);
  CHECK(dan.find("added") != std::string::npos);
  CHECK(dan.find("2026-02-01 + 30d = 2026-03-03") != std::string::npos);

  const std::string sue = explain_due(contact("sue"), due("sue"), kToday);
  CHECK(sue.find("2026-01-01 + 30d = 2026-01-31") != std::string::npos);
  CHECK(sue.find("snoozed until 2026-03-20") != std::string::npos);
  CHECK(sue.find("in 10 days") != std::string::npos);

  const std::string ana = explain_due(contact("ana-lopez"), due("ana-lopez"), kToday);
  CHECK(ana.find("own") != std::string::npos);
  CHECK(ana.find("2026-01-20 + 6w = 2026-03-03") != std::string::npos);

  const std::string old = explain_due(contact("old"), due("old"), kToday);
  CHECK(old.find("archive") != std::string::npos);
  CHECK(old.find("never") != std::string::npos);
}
