#include "followup/book/check.hpp"
#include "followup/model/error.hpp"
#include "followup/rules/expr.hpp"
#include "followup/book/json_io.hpp"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>
#include <vector>

using namespace followup;

namespace {

using Severity = Problem::Severity;

// One problem as a line, so a whole result compares at once and a failure
// shows everything: "E 12 "2x" is not a duration ... | contact ana, key every".
std::string show(const Problem& p) {
  return fmt::format("{} {} {} | {}", p.severity == Severity::error ? "E" : "W", p.line, p.message, p.where);
}

std::vector<std::string> check(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& p : check_book(text, "book.json")) out.push_back(show(p));
  return out;
}

// Whether parse_book accepts the text: check must agree with it on errors.
bool loads(std::string_view text) {
  try {
    parse_book(text, "book.json");
    return true;
  } catch (const Error&) {
    return false;
  }
}

bool has_errors(std::string_view text) {
  for (const auto& p : check_book(text, "book.json"))
    if (p.severity == Severity::error) return true;
  return false;
}

// Line numbers matter here: each value sits on its own line.
constexpr std::string_view kBroken = R"x({
  "followup": 1,
  "rules": [
    {"name": "family", "match": "tag:family", "every": "2w"},
    {
      "name": "clients",
      "match": "tag:client and",
      "every": "3m",
      "counts": ["call", 7]
    },
    {"name": "family", "match": "tag:FAMILY", "every": "1w", "warn": "never"},
    {"match": "*"},
    "oops"
  ],
  "contacts": [
    {
      "id": "ana-lopez",
      "name": "Ana",
      "every": "2x",
      "tags": "friend",
      "fields": {"phone": 5, "email": "a@b.c"},
      "interactions": [
        {"date": "2026-02-30", "kind": "call"},
        {"kind": 3},
        "x"
      ]
    },
    {"id": "Bad Id", "name": "", "added": "yesterday"},
    {"id": "ana-lopez", "name": "Ana 2", "notes": 4, "snoozed_until": "2026-13-01"},
    {"name": "No Id", "counts": "call", "interactions": {}},
    {"id": "bob", "name": "Bob", "every": "never", "fields": [], "interactions": [{"date": "2026-01-01", "note": null, "by": false}]}
  ]
}
)x";

} // namespace

TEST_CASE("check reports every error of a book, in file order, with lines and wheres") {
  std::vector<std::string> expected{
      R"x(E 7 bad match expression at column 15: expected a term after "and", got the end | rule clients, key match)x",
      "E 9 expected a string, got a number | rule clients, key counts",
      R"x(E 11 two rules are named "family" | rule family, key name)x",
      R"x(E 11 "never" is not a duration (3d, 2w, 6m, 1y) | rule family, key warn)x",
      R"x(E 12 missing key "name" | rules[3])x",
      R"x(E 12 missing key "every" | rules[3])x",
      "E 13 expected an object, got a string | rules[4]",
      R"x(E 19 "2x" is not a duration (3d, 2w, 6m, 1y, never) | contact ana-lopez, key every)x",
      "E 20 expected an array of strings, got a string | contact ana-lopez, key tags",
      "E 21 expected a string, got a number | contact ana-lopez, key fields.phone",
      R"x(E 23 "2026-02-30" is not a date (YYYY-MM-DD) | contact ana-lopez, interactions[0], key date)x",
      R"x(E 24 missing key "date" | contact ana-lopez, interactions[1])x",
      "E 24 expected a string, got a number | contact ana-lopez, interactions[1], key kind",
      "E 25 expected an object, got a string | contact ana-lopez, interactions[2]",
      R"x(E 28 "Bad Id" is not a valid id (lower-case letters, digits and '-') | contacts[1], key id)x",
      "E 28 the name is empty | contacts[1], key name",
      R"x(E 28 "yesterday" is not a date (YYYY-MM-DD) | contacts[1], key added)x",
      R"x(E 29 the id "ana-lopez" is used twice | contact ana-lopez, key id)x",
      "E 29 expected a string, got a number | contact ana-lopez, key notes",
      R"x(E 29 "2026-13-01" is not a date (YYYY-MM-DD) | contact ana-lopez, key snoozed_until)x",
      R"x(E 30 missing key "id" | contacts[3])x",
      "E 30 expected an array of strings, got a string | contacts[3], key counts",
      "E 30 expected an array, got an object | contacts[3], key interactions",
      "E 31 expected an object, got an array | contact bob, key fields",
      "E 31 expected a string, got null | contact bob, interactions[0], key note",
      "E 31 expected a string, got a boolean | contact bob, interactions[0], key by",
      // Warnings that do not depend on the broken parts still come, after the errors.
      "W 11 shadowed by rule family: it never applies | rule family, key match",
      "W 31 never due: every is never | contact bob, key every",
  };
  // The exact message of the expression parser is its own; take it from there.
  try {
    parse_expr("tag:client and");
    FAIL("the expression should not parse");
  } catch (const ExprError& e) {
    expected[0] = fmt::format("E 7 bad match expression at column {}: {} | rule clients, key match", e.column, e.message);
  }
  CHECK(check(kBroken) == expected);
  CHECK_FALSE(loads(kBroken));
}

TEST_CASE("check: a JSON syntax error is one problem with its line") {
  std::string text = "{\n  \"followup\": 1,\n  \"contacts\": [\n    {\"id\": \"a\" \"name\": \"A\"}\n  ]\n}\n";
  auto problems = check_book(text, "book.json");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].severity == Severity::error);
  CHECK(problems[0].line == 4);
  CHECK(problems[0].where == "column 21");
  CHECK(problems[0].message == "malformed JSON: unexpected string literal; expected '}'");
  // The same place and words as the loader's error.
  try {
    parse_book(text, "book.json");
    FAIL("parse_book should refuse the text");
  } catch (const Error& e) {
    CHECK(e.where() == "book.json:4:21");
    CHECK(problems[0].message == e.what());
  }
  CHECK(check("") ==
        std::vector<std::string>{"E 1 malformed JSON: unexpected end of input; expected '[', '{', or a literal | column 1"});
  CHECK(check("{\"a\":\n tru}") ==
        std::vector<std::string>{"E 2 malformed JSON: invalid literal; last read: '\"a\":<U+000A> tru}' | column 5"});
  CHECK(check("\xEF\xBB\xBF{\"followup\": 1}") ==
        std::vector<std::string>{"E 1 the file starts with a byte order mark; save it as UTF-8 without a BOM | "});
  std::string deep = "{\"followup\": 1, \"x\":\n" + std::string(300, '[') + std::string(300, ']') + "}";
  CHECK(check(deep) == std::vector<std::string>{"E 2 JSON nested deeper than 256 levels | "});
  CHECK_FALSE(loads(deep));
}

TEST_CASE("check: the top level and the format version") {
  CHECK(check("[1]") == std::vector<std::string>{"E 1 expected a JSON object at the top, got an array | "});
  CHECK(check("{}") == std::vector<std::string>{R"x(E 1 missing key "followup" (the format version) | )x"});
  CHECK(check("{\n\"followup\": 0,\n\"rules\": {},\n\"contacts\": 3}") ==
        std::vector<std::string>{
            R"x(E 2 "followup" must be a positive whole number | key followup)x",
            "E 3 expected an array, got an object | key rules",
            "E 4 expected an array, got a number | key contacts",
        });
  CHECK(check(R"x({"followup": "1"})x") ==
        std::vector<std::string>{R"x(E 1 "followup" must be a positive whole number | key followup)x"});
  CHECK(check(R"x({"followup": -3})x") ==
        std::vector<std::string>{R"x(E 1 "followup" must be a positive whole number | key followup)x"});
  // A newer format may mean anything: that is the only thing said about it.
  CHECK(check("{\"followup\": 2,\n\"contacts\": [{\"id\": \"Bad\"}]}") ==
        std::vector<std::string>{
            "E 1 the file is format version 2; this followup reads version 1 at most | key followup"});
}

TEST_CASE("check: a clean book has no problem, and parse_book agrees") {
  constexpr std::string_view text = R"x({
  "followup": 1,
  "rules": [
    {"name": "family", "match": "tag:family", "every": "2w"},
    {"name": "clients", "match": "tag:client and not tag:vip", "every": "3m", "counts": ["call", "Visit"], "warn": "1w"}
  ],
  "contacts": [
    {"id": "ana", "name": "Ana", "tags": ["family"], "every": "6w", "fields": {"phone": "1"}, "notes": "n",
     "added": "2026-01-10", "snoozed_until": "2026-12-01", "counts": ["coffee", "Call", "visit"], "x-unknown": {"deep": [1, 2]},
     "interactions": [{"date": "2026-11-20", "kind": "CALL", "note": "hi", "by": "kris"},
                      {"date": "2026-11-21", "kind": "visit"}, {"date": "2026-11-22", "kind": "coffee"},
                      {"date": "2026-11-22"}]}
  ]
}
)x";
  CHECK(check(text).empty());
  CHECK(loads(text));
  CHECK(check(R"x({"followup": 1})x").empty());
}

TEST_CASE("check: lines follow escaped keys, duplicate keys and values split over lines") {
  // "na\u006de" is "name"; the later of two "every" keys is the one that counts.
  constexpr std::string_view text = "{\"followup\": 1, \"contacts\": [\n"
                                    "{\"id\": \"a\",\n"
                                    "\"na\\u006de\":\n"
                                    "\"\",\n"
                                    "\"every\": \"1d\",\n"
                                    "\"every\": \"bad\"}\n"
                                    "]}";
  CHECK(check(text) == std::vector<std::string>{
                           "E 3 the name is empty | contact a, key name",
                           R"x(E 6 "bad" is not a duration (3d, 2w, 6m, 1y, never) | contact a, key every)x",
                       });
}

TEST_CASE("check: problems come in file order, errors before warnings, whatever the order of the keys") {
  constexpr std::string_view text = R"x({"contacts": [
  {"id": "a", "name": "A", "every": "never"},
  {"id": "b", "name": "B", "every": "soon"}],
"rules": [
  {"name": "r", "match": "tag:x", "every": "1d", "warn": "2"}],
"followup": 1}
)x";
  CHECK(check(text) == std::vector<std::string>{
                           R"x(E 3 "soon" is not a duration (3d, 2w, 6m, 1y, never) | contact b, key every)x",
                           R"x(E 5 "2" is not a duration (3d, 2w, 6m, 1y) | rule r, key warn)x",
                           "W 2 never due: every is never | contact a, key every",
                       });
}

TEST_CASE("check: never-due contacts") {
  CHECK(check("{\"followup\": 1, \"contacts\": [\n{\"id\": \"a\", \"name\": \"A\", \"every\": \"never\"}]}") ==
        std::vector<std::string>{"W 2 never due: every is never | contact a, key every"});
  CHECK(check(R"x({"followup": 1, "contacts": [{"id": "a", "name": "A", "every": "1y"}]})x").empty());
}

TEST_CASE("check: rules that can never match") {
  CHECK(check("{\"followup\": 1, \"rules\": [\n{\"name\": \"r\", \"match\": \"tag:a and not tag:A\", \"every\": \"1d\"}]}") ==
        std::vector<std::string>{"W 2 can never match | rule r, key match"});
  CHECK(check(R"x({"followup": 1, "rules": [{"name": "r", "match": "tag:a and not tag:b", "every": "1d"}]})x").empty());
}

TEST_CASE("check: rules shadowed by an earlier one") {
  constexpr std::string_view same = R"x({"followup": 1, "rules": [
    {"name": "a", "match": "tag:x  or (tag:y)", "every": "1d"},
    {"name": "b", "match": "tag:z", "every": "1d"},
    {"name": "c", "match": "TAG:X or tag:Y", "every": "2d"}]})x";
  CHECK(check(same) == std::vector<std::string>{"W 4 shadowed by rule a: it never applies | rule c, key match"});

  constexpr std::string_view star = R"x({"followup": 1, "rules": [
    {"name": "first", "match": "tag:x", "every": "1d"},
    {"name": "all", "match": "*", "every": "1d"},
    {"name": "later", "match": "tag:y", "every": "2d"}]})x";
  CHECK(check(star) == std::vector<std::string>{"W 4 shadowed by rule all: it never applies | rule later, key match"});

  // Overlap is not shadowing: `tag:x` still applies to contacts with x but not y.
  CHECK(check(R"x({"followup": 1, "rules": [
    {"name": "a", "match": "tag:x and tag:y", "every": "1d"},
    {"name": "b", "match": "tag:x", "every": "1d"}]})x")
            .empty());
}

TEST_CASE("check: kinds that reset no clock") {
  // a: rule clients (call, visit). b: the default, every kind counts.
  // c: its own counts. d: its own every, so no rule applies and every kind counts.
  constexpr std::string_view text = R"x({"followup": 1,
  "rules": [{"name": "clients", "match": "tag:client", "every": "3m", "counts": ["call", "Visit"]}],
  "contacts": [
    {"id": "a", "name": "A", "tags": ["client"], "interactions": [
      {"date": "2026-01-01", "kind": "Cal"},
      {"date": "2026-01-02", "kind": "email"},
      {"date": "2026-01-03", "kind": "VISIT"},
      {"date": "2026-01-04"},
      {"date": "2026-01-05", "kind": "cal"}
    ]},
    {"id": "b", "name": "B", "interactions": [{"date": "2026-01-01", "kind": "EMAIL"}]},
    {"id": "c", "name": "C", "counts": ["coffee"], "interactions": [
      {"date": "2026-01-01", "kind": "Coffee"},
      {"date": "2026-01-02", "kind": "sms"}
    ]},
    {"id": "d", "name": "D", "tags": ["client"], "every": "1w", "interactions": [{"date": "2026-01-01", "kind": "meeting"}]}
  ]})x";
  CHECK(check(text) ==
        std::vector<std::string>{
            R"x(W 5 kind "Cal" never resets a clock: counts leave it out wherever it is used (used 2 times) | contact a, interactions[0], key kind)x",
            R"x(W 14 kind "sms" never resets a clock: counts leave it out wherever it is used (used 1 time) | contact c, interactions[1], key kind)x",
        });

  // No counts anywhere: every kind counts.
  CHECK(check(R"x({"followup": 1, "contacts": [{"id": "a", "name": "A", "interactions": [
      {"date": "2026-01-01", "kind": "email"}]}]})x")
            .empty());
  // Any error, even elsewhere, may change who gets which cadence: say nothing.
  CHECK(check(R"x({"followup": 1, "contacts": [{"id": "a", "name": "A", "counts": ["call"], "interactions": [
      {"date": "2026-01-01", "kind": "email"}]}, {"id": "b", "name": "B", "added": "x"}]})x") ==
        std::vector<std::string>{R"x(E 2 "x" is not a date (YYYY-MM-DD) | contact b, key added)x"});
}

TEST_CASE("check: no errors exactly when parse_book loads the book") {
  const std::vector<std::string> texts{
      R"x({"followup": 1, "rules": [{"name": "r", "match": "(", "every": "1d"}]})x",
      R"x({"followup": 1, "rules": [{"name": "r", "match": "*", "every": "1d", "counts": "call"}]})x",
      R"x({"followup": 1, "rules": [{"name": "r", "match": "*"}]})x",
      R"x({"followup": 1, "contacts": [{"id": "a", "name": "A", "fields": {"k": ["v"]}}]})x",
      R"x({"followup": 1, "contacts": [{"id": "a"}]})x",
      R"x({"followup": 1, "contacts": [{"id": "a", "name": "A", "interactions": [{"date": "2026-1-1"}]}]})x",
      R"x({"followup": 1, "contacts": [{"id": "a", "name": "A", "every": "never", "unknown": null}]})x",
      R"x({"followup": 1.0})x",
  };
  for (const auto& t : texts) {
    CAPTURE(t);
    CHECK(has_errors(t) != loads(t));
  }
}

TEST_CASE("check: a number too large for a double is one error with its line, as the loader says") {
  // nlohmann throws out_of_range, not parse_error, for it: check ended the
  // process (exit 134) rather than reporting it.
  CHECK(check("{\n  \"followup\": 1,\n  \"size\": 1e400,\n  \"contacts\": []\n}\n") ==
        std::vector<std::string>{"E 3 a number too large to read: 1e400 | column 11"});
  CHECK(check("{\"followup\": 1, \"contacts\": [{\"id\": \"a\", \"name\": \"A\", \"x\": [-1e999]}]}") ==
        std::vector<std::string>{"E 1 a number too large to read: -1e999 | column 61"});
}

TEST_CASE("check: a book in UTF-16 or UTF-32 is named as such") {
  const std::string book = "{\"followup\": 1}";
  std::string le, be;
  for (char ch : book) {
    le += ch, le += '\0';
    be += '\0', be += ch;
  }
  const std::vector<std::string> le_named{"E 1 the book is UTF-16 (little-endian); save it as UTF-8 | "};
  CHECK(check(le) == le_named);
  CHECK(check("\xFF\xFE" + le) == le_named);
  CHECK(check(be) == std::vector<std::string>{"E 1 the book is UTF-16 (big-endian); save it as UTF-8 | "});
  CHECK(check(std::string("\0\0\xFE\xFF", 4)) == std::vector<std::string>{"E 1 the book is UTF-32 (big-endian); save it as UTF-8 | "});
  CHECK_FALSE(loads(le));
}

TEST_CASE("check: long runs of blanks, before the book or before an error") {
  const std::string lines(1'000'000, '\n'), spaces(1'000'000, ' ');
  CHECK(check(spaces + "{\"followup\": 1," + lines + "\"contacts\": [{\"id\": \"a\", \"name\": \"A\"}]}").empty());
  CHECK(check(lines + "{\"followup\": 1, \"contacts\": [" + spaces + "x]}") ==
        std::vector<std::string>{"E 1000001 malformed JSON: invalid literal; last read: '\"contacts\": [ x' | column 1000030"});
  auto end = check(lines);
  REQUIRE(end.size() == 1);
  CHECK(end[0] == "E 1000001 malformed JSON: unexpected end of input; expected '[', '{', or a literal | column 1");
}
