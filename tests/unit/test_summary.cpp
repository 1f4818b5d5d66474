// LoadDetail::summary (json_io.hpp): the read-only load that `due` and `list`
// use on large books. It must check exactly what a full load checks, and give
// the same due dates, `last`, `last_kind` and `kind:` answers.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "followup/rules/cadence.hpp"
#include "followup/rules/due.hpp"
#include "followup/model/error.hpp"
#include "followup/rules/expr.hpp"
#include "followup/book/json_io.hpp"

using namespace followup;

namespace {

// Check-ins out of date order, several kinds, two kinds on one date (the
// later in the file wins the tie), kinds in different case, one without a
// kind, an unknown member, and a rule whose counts leave the latest check-in out.
const char* const kBook = R"({
  "followup": 1,
  "rules": [
    {"name": "clients", "match": "tag:client", "every": "3m", "counts": ["call", "visit"]}
  ],
  "contacts": [
    {"id": "ana", "name": "Ana", "tags": ["client"], "notes": "long notes",
     "interactions": [
       {"date": "2026-05-01", "kind": "visit", "note": "first"},
       {"date": "2026-09-10", "kind": "email", "note": "newsletter"},
       {"date": "2026-03-01", "kind": "call", "by": "kris"},
       {"date": "2026-06-02", "kind": "Call", "note": "upper case"},
       {"date": "2026-06-02", "kind": "visit", "note": "same day, later in the file", "mood": "good"}
     ]},
    {"id": "bo", "name": "Bo", "added": "2026-01-01",
     "interactions": [
       {"date": "2026-02-01", "kind": "text"},
       {"date": "2026-02-01"},
       {"date": "2026-01-15", "kind": "text"}
     ]},
    {"id": "cy", "name": "Cy", "added": "2026-08-01"}
  ]
}
)";

const Date kToday = from_ymd(2026, 11, 23);

std::vector<std::string> due_lines(const Book& book, const std::optional<Expr>& where = std::nullopt) {
  RuleSet rules(book);
  DueQuery q;
  q.where = where;
  std::vector<std::string> out;
  for (const auto& e : due_list(book, rules, kToday, q))
    out.push_back(e.contact->id + " " + to_iso(*e.info.due_on) + " " + std::to_string(e.info.overdue) + " " +
                  (e.info.last ? to_iso(*e.info.last) : "-") + " " + (e.info.last_kind ? *e.info.last_kind : std::string("-")));
  return out;
}

} // namespace

TEST_CASE("summary: same due list, last and last_kind as a full load") {
  const Book full = parse_book(kBook, "book.json");
  const Book summary = parse_book(kBook, "book.json", LoadDetail::summary);
  // By hand: Ana counts call/visit; latest is 2026-06-02, visit (after Call
  // in the file), + 3m = 2026-09-02, 82 days before 2026-11-23. Bo: default
  // 30d from 2026-02-01 (the kind-less one is last) = 2026-03-03, 265 days.
  // Cy: added 2026-08-01 + 30d = 2026-08-31, 84 days.
  const std::vector<std::string> expected{"bo 2026-03-03 265 2026-02-01 -", "cy 2026-08-31 84 - -",
                                          "ana 2026-09-02 82 2026-06-02 visit"};
  CHECK(due_lines(full) == expected);
  CHECK(due_lines(summary) == expected);
}

TEST_CASE("summary: keeps the latest check-in of each kind, sorted, without notes") {
  const Book summary = parse_book(kBook, "book.json", LoadDetail::summary);
  const Contact& ana = summary.contacts.at(0);
  REQUIRE(ana.interactions.size() == 4); // visit, email, call, Call
  CHECK(to_iso(ana.interactions[0].date) == "2026-03-01");
  CHECK(ana.interactions[0].kind == "call");
  CHECK(ana.interactions[1].kind == "Call");
  CHECK(ana.interactions[2].kind == "visit");
  CHECK(to_iso(ana.interactions[2].date) == "2026-06-02");
  CHECK(ana.interactions[3].kind == "email");
  for (const auto& it : ana.interactions) {
    CHECK_FALSE(it.note.has_value());
    CHECK_FALSE(it.by.has_value());
  }
  // summary_last_note keeps the latest check-in's note, and only it: due and
  // list records show it (last_note).
  const Book with_note = parse_book(kBook, "book.json", LoadDetail::summary_last_note);
  const Contact& ana2 = with_note.contacts.at(0);
  REQUIRE(ana2.interactions.size() == 4);
  for (std::size_t i = 0; i + 1 < ana2.interactions.size(); ++i) CHECK_FALSE(ana2.interactions[i].note.has_value());
  CHECK(ana2.interactions.back().note == "newsletter");
  CHECK_FALSE(ana.notes.has_value());
  const Contact& bo = summary.contacts.at(1);
  REQUIRE(bo.interactions.size() == 2); // text (2026-02-01) and the kind-less one
  CHECK(to_iso(bo.interactions[0].date) == "2026-02-01");
  CHECK(bo.interactions[0].kind == "text");
  CHECK_FALSE(bo.interactions[1].kind.has_value());
}

TEST_CASE("summary: kind: answers as on a full load") {
  for (const char* text : {"kind:email", "kind:call", "kind:text", "not kind:visit", "kind:meeting"}) {
    INFO(text);
    const Expr e = parse_expr(text);
    CHECK(due_lines(parse_book(kBook, "b", LoadDetail::summary), e) == due_lines(parse_book(kBook, "b"), e));
  }
}

TEST_CASE("summary: rejects what a full load rejects, in notes and dropped check-ins too") {
  const std::string base = kBook;
  struct Case {
    std::string from, to;
  };
  for (const Case& c : std::vector<Case>{
           {R"("note": "first")", R"("note": 3)"},                 // a note of the wrong type
           {R"("note": "first")", R"("note": "bad \x escape")"},   // a bad escape in a dropped note
           {R"("note": "first")", R"("note": "\ud800 alone")"},    // a lone surrogate
           {R"("by": "kris")", R"("by": null)"},                    // `by` of the wrong type
           {R"("mood": "good")", R"("mood": 1e400)"},              // an unknown member out of range
           {R"("notes": "long notes")", R"("notes": ["a"])"},      // contact notes of the wrong type
           {R"({"date": "2026-05-01", "kind": "visit", "note": "first"})",
            R"({"date": "2026-02-30", "kind": "visit", "note": "first"})"}, // an impossible date
       }) {
    std::string text = base;
    const auto at = text.find(c.from);
    REQUIRE(at != std::string::npos);
    text.replace(at, c.from.size(), c.to);
    INFO(c.to);
    std::string full_message, summary_message;
    try {
      parse_book(text, "book.json");
    } catch (const Error& e) {
      full_message = std::string(e.what()) + " (" + e.where() + ")";
    }
    try {
      parse_book(text, "book.json", LoadDetail::summary);
    } catch (const Error& e) {
      summary_message = std::string(e.what()) + " (" + e.where() + ")";
    }
    CHECK_FALSE(full_message.empty());
    CHECK(summary_message == full_message);
  }
}

TEST_CASE("summary: a summary book cannot be saved") {
  const Book summary = parse_book(kBook, "book.json", LoadDetail::summary);
  CHECK(summary.summary);
  CHECK_THROWS_AS(serialize_book(summary), std::logic_error);
  CHECK_FALSE(parse_book(kBook, "book.json").summary);
}

TEST_CASE("summary_last_note: the latest check-in's note, as a full load's last check-in has it") {
  // The last of the latest date wins; an escaped note is unescaped; a latest
  // check-in without a note leaves none, even where an earlier one had one.
  const char* const book = R"({"followup": 1, "contacts": [
    {"id": "a", "name": "A", "interactions": [
      {"date": "2026-05-01", "kind": "call", "note": "first\nline"},
      {"date": "2026-05-01", "kind": "visit", "note": "same day, \"later\""},
      {"date": "2026-04-01", "kind": "email", "note": "older"}]},
    {"id": "b", "name": "B", "interactions": [
      {"date": "2026-05-01", "kind": "call", "note": "had one"},
      {"date": "2026-06-01", "kind": "call"}]},
    {"id": "c", "name": "C", "interactions": [{"date": "2026-06-01", "note": "tab\there"}]}
  ]})";
  const Book full = parse_book(book, "book.json");
  const Book summary = parse_book(book, "book.json", LoadDetail::summary_last_note);
  for (std::size_t i = 0; i < full.contacts.size(); ++i) {
    CAPTURE(i);
    const Interaction& f = full.contacts[i].interactions.back();
    const Interaction& s = summary.contacts[i].interactions.back();
    CHECK(f.date == s.date);
    CHECK(f.note == s.note);
  }
  CHECK(summary.contacts[0].interactions.back().note == "same day, \"later\"");
  CHECK_FALSE(summary.contacts[1].interactions.back().note.has_value());
  CHECK(summary.contacts[2].interactions.back().note == "tab\there");
}
