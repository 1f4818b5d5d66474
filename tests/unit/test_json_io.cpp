// Reading and writing the data file's JSON (SPEC §1): the exact layout of
// Python's json.dump(indent=2, ensure_ascii=False) plus a newline, unknown
// keys kept in place, and each validation error naming where it is.
// The two books below were produced by Python's json.dump, not by followup.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "followup/model/error.hpp"
#include "followup/book/json_io.hpp"

using namespace followup;

namespace {

// Unknown keys at every level, before, between and after known ones; known
// keys out of canonical order in bob; empty arrays and objects; escapes.
const std::string kUnknown = R"json({
  "x-origin": {
    "app": "hand",
    "n": [
      1,
      2.5,
      -3,
      true,
      null
    ]
  },
  "followup": 1,
  "rules": [
    {
      "name": "clients",
      "comment": "B2B only",
      "match": "tag:client and not tag:vip",
      "every": "3m",
      "counts": [
        "call",
        "visit"
      ],
      "warn": "1w",
      "x-color": "red"
    }
  ],
  "contacts": [
    {
      "id": "ana-lopez",
      "name": "Ana López",
      "pronouns": "she/her",
      "tags": [
        "friend",
        "soccer"
      ],
      "every": "6w",
      "counts": [
        "call"
      ],
      "fields": {
        "phone": "+1 555 0100",
        "email": "ana@example.org"
      },
      "notes": "Said \"hi\"\nfiancé is Tom\t\u0001 \\ / 日本",
      "added": "2026-01-10",
      "snoozed_until": "2026-12-01",
      "interactions": [
        {
          "date": "2026-11-20",
          "mood": "happy",
          "kind": "call",
          "note": "Wedding planning",
          "by": "kris",
          "extra": {
            "nested": [],
            "empty": {}
          }
        },
        {
          "date": "2026-11-21"
        }
      ],
      "x-last": null
    },
    {
      "name": "Bob",
      "id": "bob",
      "tags": [],
      "interactions": []
    }
  ],
  "x-trailer": []
}
)json";

const std::string kPlain = R"json({
  "followup": 1,
  "rules": [
    {
      "name": "family",
      "match": "tag:family",
      "every": "2w"
    }
  ],
  "contacts": [
    {
      "id": "kenji",
      "name": "Kenji Kim",
      "tags": [
        "family"
      ],
      "added": "2026-11-20",
      "interactions": [
        {
          "date": "2026-11-21",
          "kind": "call",
          "note": "ok",
          "by": "kris"
        }
      ]
    }
  ]
}
)json";

// Replaces the one occurrence of `from` in `text`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  REQUIRE(text.find(from, pos + 1) == std::string::npos);
  return text.replace(pos, from.size(), to);
}

Error error_for(const std::string& text) {
  try {
    parse_book(text, "book.json");
  } catch (const Error& e) {
    return e;
  }
  FAIL("no error for: " << text);
  return Error(ErrorKind::io, "unreachable");
}

// A book with one contact `ana` whose other members are `members`.
std::string with_ana(const std::string& members) {
  return R"({"followup": 1, "contacts": [{"id": "ana", "name": "Ana")" + members + "}]}";
}

// A book with one rule `clients` whose other members are `members`.
std::string with_rule(const std::string& members) {
  return R"({"followup": 1, "rules": [{"name": "clients")" + members + R"(}], "contacts": []})";
}

void check_data_error(const std::string& text, const std::vector<std::string>& where_has) {
  CAPTURE(text);
  Error e = error_for(text);
  CHECK(e.kind() == ErrorKind::data);
  CHECK(e.where().find("book.json") != std::string::npos);
  for (const auto& part : where_has) {
    CAPTURE(part);
    CHECK(e.where().find(part) != std::string::npos);
  }
}

} // namespace

TEST_CASE("read then write is byte-identical for a canonical file") {
  CHECK(serialize_book(parse_book(kPlain, "plain.json")) == kPlain);
  CHECK(serialize_book(parse_book(kUnknown, "unknown.json")) == kUnknown);
  // An empty book is written complete.
  CHECK(serialize_book(Book{}) == "{\n  \"followup\": 1,\n  \"contacts\": []\n}\n");
}

TEST_CASE("the model holds what it knows and keeps the rest") {
  Book b = parse_book(kUnknown, "unknown.json");
  REQUIRE(b.contacts.size() == 2);
  const Contact& ana = b.contacts[0];
  CHECK(ana.name == "Ana López");
  CHECK(ana.notes == "Said \"hi\"\nfiancé is Tom\t\x01 \\ / 日本");
  CHECK(ana.every->text == "6w");
  CHECK(ana.snoozed_until == from_ymd(2026, 12, 1));
  REQUIRE(ana.fields.size() == 2);
  CHECK(ana.fields[1].key == "email");
  CHECK(ana.unknown.members().contains("pronouns"));
  CHECK(ana.unknown.members().at("x-last").is_null());
  CHECK_FALSE(ana.unknown.members().contains("notes")); // known keys live in the model
  REQUIRE(ana.interactions.size() == 2);
  CHECK(ana.interactions[0].by == "kris");
  CHECK(ana.interactions[0].unknown.members().at("mood") == "happy");
  CHECK(b.rules[0].unknown.members()["comment"] == "B2B only");
  CHECK(b.rules[0].warn->text == "1w");
  CHECK(number_text(b.unknown.members()["x-origin"]["n"][1]) == "2.5");
}

TEST_CASE("a change is a small diff: unknown keys stay in place, new known keys go to their canonical spot") {
  Book b = parse_book(kUnknown, "unknown.json");
  b.contacts[0].insert_interaction(Interaction{from_ymd(2026, 11, 22), "visit", std::nullopt, std::nullopt, {}});
  b.contacts[1].snoozed_until = from_ymd(2027, 1, 5);
  b.rules[0].warn.reset();

  std::string want = replaced(kUnknown, R"(          "date": "2026-11-21"
        }
)",
                              R"(          "date": "2026-11-21"
        },
        {
          "date": "2026-11-22",
          "kind": "visit"
        }
)");
  want = replaced(want, R"(      "tags": [],
      "interactions": [])",
                  R"(      "tags": [],
      "snoozed_until": "2027-01-05",
      "interactions": [])");
  want = replaced(want, "      \"warn\": \"1w\",\n", "");
  CHECK(serialize_book(b) == want);
}

TEST_CASE("interactions are kept sorted by date, stable for equal dates") {
  Book b = parse_book(with_ana(R"(, "interactions": [
    {"date": "2026-03-01", "note": "b"}, {"date": "2026-01-01", "note": "a"}, {"date": "2026-03-01", "note": "c"}])"),
                      "book.json");
  const auto& its = b.contacts[0].interactions;
  REQUIRE(its.size() == 3);
  CHECK(its[0].note == "a");
  CHECK(its[1].note == "b");
  CHECK(its[2].note == "c");
}

TEST_CASE("wrong types name the contact id and key") {
  check_data_error(with_ana(R"(, "tags": "friend")"), {"contact ana", "key tags"});
  check_data_error(with_ana(R"(, "tags": ["a", 1])"), {"contact ana", "key tags"});
  check_data_error(with_ana(R"(, "fields": {"phone": 5})"), {"contact ana", "key fields.phone"});
  check_data_error(with_ana(R"(, "notes": {"a": 1})"), {"contact ana", "key notes"});
  check_data_error(with_ana(R"(, "interactions": {})"), {"contact ana", "key interactions"});
  check_data_error(with_ana(R"(, "interactions": [{"date": "2026-01-01", "kind": 3}])"),
                   {"contact ana", "interactions[0]", "key kind"});
  check_data_error(R"({"followup": 1, "contacts": [{"id": "ana", "name": 5}]})", {"contact ana", "key name"});
  check_data_error(R"({"followup": 1, "contacts": {}})", {"contacts"});
  check_data_error(R"({"followup": 1, "rules": [{"name": "clients", "match": "*", "every": "1w", "counts": "call"}]})",
                   {"rule clients", "key counts"});
  check_data_error("[]", {});
}

TEST_CASE("missing or duplicate ids and names") {
  check_data_error(R"({"followup": 1, "contacts": [{"name": "Ana"}]})", {"contacts[0]"});
  check_data_error(R"({"followup": 1, "contacts": [{"id": "a", "name": "A"}, {"name": "B"}]})", {"contacts[1]"});
  check_data_error(R"({"followup": 1, "contacts": [{"id": "ana"}]})", {"contact ana"});
  check_data_error(R"({"followup": 1, "contacts": [{"id": "Ana Lopez", "name": "Ana"}]})", {"contacts[0]", "key id"});
  check_data_error(R"({"followup": 1, "contacts": [{"id": "ana", "name": "A"}, {"id": "ana", "name": "B"}]})",
                   {"contact ana"});
  check_data_error(with_ana(R"(, "interactions": [{"kind": "call"}])"), {"contact ana", "interactions[0]"});
  check_data_error(R"({"followup": 1, "rules": [{"name": "x", "match": "*", "every": "1w"},
                                                {"name": "x", "match": "*", "every": "2w"}]})",
                   {"rule x"});
  check_data_error(with_rule(R"(, "every": "1w")"), {"rule clients"}); // no match
  check_data_error(with_rule(R"(, "match": "*")"), {"rule clients"});  // no every
}

TEST_CASE("impossible dates and bad durations") {
  check_data_error(with_ana(R"(, "added": "2026-02-30")"), {"contact ana", "key added"});
  check_data_error(with_ana(R"(, "added": "2026-2-3")"), {"contact ana", "key added"});
  check_data_error(with_ana(R"(, "snoozed_until": "tomorrow")"), {"contact ana", "key snoozed_until"});
  check_data_error(with_ana(R"(, "interactions": [{"date": "2026-13-01"}])"),
                   {"contact ana", "interactions[0]", "key date"});
  check_data_error(with_ana(R"(, "every": "2x")"), {"contact ana", "key every"});
  check_data_error(with_ana(R"(, "every": "1w1m")"), {"contact ana", "key every"});
  check_data_error(with_ana(R"(, "every": 14)"), {"contact ana", "key every"});
  check_data_error(with_rule(R"(, "match": "*", "every": "3q")"), {"rule clients", "key every"});
  check_data_error(with_rule(R"(, "match": "*", "every": "1w", "warn": "never")"), {"rule clients", "key warn"});
  // Good ones pass: a leap day, `never` as a cadence.
  CHECK_NOTHROW(parse_book(with_ana(R"(, "every": "never", "added": "2028-02-29")"), "book.json"));
}

TEST_CASE("a bad rule expression names the rule, the key and the column") {
  Error e = error_for(with_rule(R"x(, "match": "tag:a )", "every": "1w")x"));
  CHECK(e.kind() == ErrorKind::data);
  CHECK(e.where().find("rule clients") != std::string::npos);
  CHECK(e.where().find("key match") != std::string::npos);
  CHECK(std::string(e.what()).find("column 7") != std::string::npos); // the ')'
  check_data_error(with_rule(R"(, "match": "tag:a and", "every": "1w")"), {"rule clients", "key match"});
  check_data_error(with_rule(R"(, "match": "color:red", "every": "1w")"), {"rule clients", "key match"});
}

TEST_CASE("the format version: required, a positive integer, not newer than this program") {
  Error newer = error_for(R"({"followup": 2, "contacts": []})");
  CHECK(newer.kind() == ErrorKind::data);
  CHECK(newer.where().find("followup") != std::string::npos);
  CHECK(std::string(newer.what()).find('2') != std::string::npos);
  check_data_error(R"({"contacts": []})", {});
  check_data_error(R"({"followup": "1", "contacts": []})", {"key followup"});
  check_data_error(R"({"followup": 1.5, "contacts": []})", {"key followup"});
  check_data_error(R"({"followup": 0, "contacts": []})", {"key followup"});
}

TEST_CASE("syntax errors name the line and column") {
  Error e = error_for("{\n  \"followup\": 1,\n  \"contacts\": [,]\n}\n");
  CHECK(e.kind() == ErrorKind::data);
  CHECK(e.where() == "book.json:3:16"); // the stray ','
  Error trailing = error_for("{\"followup\": 1}\n{");
  CHECK(trailing.kind() == ErrorKind::data);
  check_data_error("", {});
  check_data_error("{\"followup\": 1,}", {});
}

TEST_CASE("contact_to_json and contact_from_json") {
  Book b = parse_book(kUnknown, "unknown.json");
  Json j = contact_to_json(b.contacts[0]);
  CHECK(j["pronouns"] == "she/her");
  CHECK(j.begin().key() == "id");
  Contact back = contact_from_json(j, "edit");
  CHECK(back.name == "Ana López");
  CHECK(back.interactions.size() == 2);
  CHECK(contact_to_json(back) == j);

  j["every"] = "soon";
  try {
    contact_from_json(j, "edit");
    FAIL("no error for a bad every");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
    CHECK(e.where().find("edit") != std::string::npos);
    CHECK(e.where().find("key every") != std::string::npos);
  }
}

TEST_CASE("contact_from_text reads one contact's text as stored, and refuses what follows it") {
  const std::string text = R"({
      "id": "ana",
      "name": "Ana",
      "interactions": [
        {"date": "2026-10-01", "kind": "call", "note": "the wedding", "mood": "happy"}
      ]
    })";
  Contact c = contact_from_text(text, "book.json");
  CHECK(c.id == "ana");
  REQUIRE(c.interactions.size() == 1);
  CHECK(*c.interactions[0].note == "the wedding");
  CHECK(c.interactions[0].unknown.members().at("mood") == "happy");

  for (const std::string& bad : {text + " {}", text.substr(0, text.size() - 1), std::string(R"({"id": "ana"})")}) {
    CAPTURE(bad);
    try {
      contact_from_text(bad, "book.json");
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::data);
      CHECK(e.where().rfind("book.json", 0) == 0);
    }
  }
}

// ---- numbers under unknown keys: kept as written (SPEC §1) ----

namespace {

// Spellings a double would print otherwise, at every level: the top, a
// rule, a contact, a check-in, nested objects and arrays.
const std::string kNumbers = R"json({
  "x-big": 98765432109876543210,
  "followup": 1,
  "rules": [
    {
      "name": "r",
      "match": "*",
      "every": "2w",
      "x-ratio": 1.10
    }
  ],
  "contacts": [
    {
      "id": "ana",
      "name": "Ana",
      "interactions": [
        {
          "date": "2026-11-20",
          "x-score": 1E+2
        }
      ],
      "x-zero": -0,
      "x-deep": {
        "list": [
          0.1e-7,
          [
            -0.0,
            1e-400,
            -12
          ],
          {
            "n": 123456789012345678901234567890
          }
        ],
        "f": 0.1000000000000000055511151231257827
      }
    }
  ]
}
)json";

} // namespace

TEST_CASE("numbers under unknown keys are written back as written, at any depth") {
  CHECK(serialize_book(parse_book(kNumbers, "numbers.json")) == kNumbers);
  // Written compactly: the layout becomes the writer's, the spelling stays.
  const Book compact = parse_book(R"({"followup":1,"x":[1.10,-0,{"y":1E+2}],"contacts":[]})", "compact.json");
  CHECK(serialize_book(compact) ==
        "{\n  \"followup\": 1,\n  \"x\": [\n    1.10,\n    -0,\n    {\n      \"y\": 1E+2\n    }\n  ],\n  \"contacts\": []\n}\n");
}

TEST_CASE("an unknown number is its text: in the model, contact_to_json and back, and when compared") {
  const Book b = parse_book(kNumbers, "numbers.json");
  const Contact& ana = b.contacts[0];
  CHECK(number_text(ana.unknown.members().at("x-zero")) == "-0");
  CHECK(number_text(b.unknown.members().at("x-big")) == "98765432109876543210");
  CHECK(number_text(b.rules[0].unknown.members().at("x-ratio")) == "1.10");
  CHECK(number_text(ana.interactions[0].unknown.members().at("x-score")) == "1E+2");
  CHECK_FALSE(number_text(Json(1.5)));
  CHECK_FALSE(number_text(Json("1.5")));

  const Json j = contact_to_json(ana);
  CHECK(number_text(j.at("x-deep").at("list").at(2).at("n")) == "123456789012345678901234567890");
  const std::string text = json_text(j);
  CHECK(text.find("\"x-zero\": -0,\n") != std::string::npos);
  CHECK(text.find("\n      0.1e-7,\n") != std::string::npos);
  Contact back = contact_from_json(j, "edit");
  CHECK(contact_to_json(back) == j);
  CHECK(contact_from_text(text, "edit").unknown.members() == ana.unknown.members());

  // Equal when spelt the same; -0 and 0 are one double but two texts.
  CHECK(parse_book(kNumbers, "again.json").contacts[0].unknown.members() == ana.unknown.members());
  const Book zero = parse_book(replaced(kNumbers, "\"x-zero\": -0,", "\"x-zero\": 0,"), "zero.json");
  CHECK(zero.contacts[0].unknown.members() != ana.unknown.members());
}

TEST_CASE("a number a double cannot hold is refused where it is, even deep in an unknown member") {
  Error e = error_for("{\"followup\": 1,\n \"x\": [1, {\"y\": -2e400}]}");
  CHECK(std::string(e.what()) == "a number too large to keep");
  CHECK(e.where() == "book.json:2:17");
  // Too small to tell from 0 is kept, as written.
  CHECK(number_text(parse_book(R"({"followup": 1, "x": 1e-400})", "book.json").unknown.members().at("x")) == "1e-400");
}

TEST_CASE("strings under unknown keys: decoded, then written with the writer's escapes") {
  // What a rewrite normalises (docs/reliability.md): \u00e9 and \/ are é and /.
  const Book b = parse_book(R"({"followup": 1, "x": "caf\u00e9 a\/b \u0041 \t"})", "book.json");
  CHECK(b.unknown.members().at("x") == "café a/b A \t");
  CHECK(serialize_book(b) == "{\n  \"followup\": 1,\n  \"x\": \"café a/b A \\t\",\n  \"contacts\": []\n}\n");
}

namespace {

// ASCII text as UTF-16 or UTF-32, little- or big-endian, each character in
// `width` bytes.
std::string encode_ascii(std::string_view text, int width, bool little) {
  std::string out;
  for (char ch : text) {
    std::string unit(static_cast<std::size_t>(width), '\0');
    unit[little ? 0 : unit.size() - 1] = ch;
    out += unit;
  }
  return out;
}

} // namespace

TEST_CASE("a book in UTF-16 or UTF-32 is named as such, with or without a byte order mark") {
  const std::string book = "{\"followup\": 1, \"contacts\": []}\n";
  struct Case {
    std::string bytes, named;
  };
  const Case cases[] = {
      {"\xFF\xFE" + encode_ascii(book, 2, true), "UTF-16 (little-endian)"},
      {encode_ascii(book, 2, true), "UTF-16 (little-endian)"},
      {"\xFE\xFF" + encode_ascii(book, 2, false), "UTF-16 (big-endian)"},
      {encode_ascii(book, 2, false), "UTF-16 (big-endian)"},
      {std::string("\xFF\xFE\0\0", 4) + encode_ascii(book, 4, true), "UTF-32 (little-endian)"},
      {encode_ascii(book, 4, true), "UTF-32 (little-endian)"},
      {std::string("\0\0\xFE\xFF", 4) + encode_ascii(book, 4, false), "UTF-32 (big-endian)"},
      {encode_ascii("\n\n" + book, 4, false), "UTF-32 (big-endian)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.named);
    Error e = error_for(c.bytes);
    CHECK(e.kind() == ErrorKind::data);
    CHECK(std::string(e.what()) == "the book is " + c.named);
    CHECK(e.where() == "book.json:1:1");
    CHECK(e.hint() == "save it as UTF-8");
  }
  // A UTF-8 byte order mark is refused as before; a NUL after the first
  // bytes is a NUL, not UTF-16.
  Error bom = error_for("\xEF\xBB\xBF" + book);
  CHECK(std::string(bom.what()) == "the file starts with a byte order mark");
  CHECK(bom.hint() == "save it as UTF-8 without a BOM");
  Error nul = error_for(std::string("{\"followup\": 1,\0 \"contacts\": []}", 33));
  CHECK(std::string(nul.what()) == "malformed JSON: a NUL byte");
  CHECK(nul.where() == "book.json:1:16");
}

TEST_CASE("long runs of blanks before a syntax error: the right place, a short message") {
  // nlohmann quoted every blank before the bad token, each as "<U+000A>".
  const std::string lines(1'000'000, '\n');
  Error before = error_for(lines + "x");
  CHECK(before.where() == "book.json:1000001:1");
  CHECK(std::string(before.what()).size() < 200);
  Error inside = error_for("{\"followup\": 1, \"contacts\": [" + lines + std::string(300, ' ') + "tru]}");
  CHECK(inside.where() == "book.json:1000001:304");
  CHECK(std::string(inside.what()).size() < 200);
  // A long token is quoted by its end.
  Error string = error_for("{\"followup\": 1, \"x\": \"" + std::string(100'000, 'a') + "\x01\"}");
  CHECK(std::string(string.what()) ==
        "malformed JSON: invalid string: control character U+0001 (SOH) must be escaped to \\u0001; last read: "
        "'...aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa<U+0001>'");
  Error end = error_for(lines);
  CHECK(end.where() == "book.json:1000001:1");
  CHECK(std::string(end.what()) == "malformed JSON: unexpected end of input; expected '[', '{', or a literal");
  Error number = error_for("{\"followup\": 1, \"x\":" + lines + "1e400}");
  CHECK(number.where() == "book.json:1000001:1");
  // A string of blanks is a value, kept whole.
  const std::string spaces(100'000, ' ');
  Book b = parse_book("{\"followup\": 1, \"x\": \"" + spaces + "\"," + lines + "\"contacts\": []}", "book.json");
  CHECK(b.unknown.members().at("x") == spaces);
}

// SPEC §7, §8: owner, occasions and plans after snoozed_until, before
// interactions; rule attempts and retry after warn; unknown keys in a plan kept.
TEST_CASE("plans, occasions, owner, attempts and retry: read, kept, written back byte for byte") {
  const std::string text = R"json({
  "followup": 1,
  "rules": [
    {
      "name": "all",
      "match": "*",
      "every": "30d",
      "warn": "1w",
      "attempts": [],
      "retry": "2d"
    }
  ],
  "contacts": [
    {
      "id": "ana",
      "name": "Ana",
      "snoozed_until": "2026-12-01",
      "owner": "kris",
      "occasions": {
        "birthday": "1989-06-14",
        "name-day": "--02-29"
      },
      "plans": [
        {
          "date": "2027-06-20",
          "note": "after the wedding",
          "x-by": "kris"
        },
        {
          "date": "2026-12-10"
        }
      ],
      "interactions": [
        {
          "date": "2026-11-20",
          "kind": "call"
        }
      ]
    }
  ]
}
)json";
  Book b = parse_book(text, "test");
  CHECK(serialize_book(b) == text);
  const Contact& c = b.contacts[0];
  CHECK(c.owner == "kris");
  REQUIRE(c.occasions.size() == 2);
  CHECK(c.occasions[1].label == "name-day");
  CHECK(c.occasions[1].year == 0);
  CHECK(c.occasions[1].month == 2);
  CHECK(c.occasions[1].day == 29);
  REQUIRE(c.plans.size() == 2);
  CHECK(c.plans[0].note == "after the wedding");
  CHECK(c.plans[0].unknown.members().contains("x-by"));
  REQUIRE(b.rules[0].attempts.has_value());
  CHECK(b.rules[0].attempts->empty());
  CHECK(b.rules[0].retry->text == "2d");
  // A summary load keeps them too: due needs them.
  Book s = parse_book(text, "test", LoadDetail::summary);
  CHECK(s.contacts[0].plans.size() == 2);
  CHECK(s.contacts[0].plans[0].note == "after the wedding");
  CHECK(s.contacts[0].occasions.size() == 2);
  CHECK(s.contacts[0].owner == "kris");
  // New members go to their canonical place in a contact that had none.
  Book fresh = parse_book(R"({"followup": 1, "contacts": [{"id": "x", "name": "X", "interactions": [{"date": "2026-01-01"}]}]})", "t");
  fresh.contacts[0].plans.push_back(CallPlan{*parse_iso_date("2027-01-01"), std::nullopt, {}});
  fresh.contacts[0].owner = "kris";
  CHECK(serialize_book(fresh).find("\"owner\": \"kris\",\n      \"plans\": [\n        {\n          \"date\": \"2027-01-01\"\n        }\n      ],\n      \"interactions\"") != std::string::npos);
}

TEST_CASE("bad plans and occasions name the contact and the key") {
  auto error_of = [](const std::string& member) {
    try {
      parse_book(R"({"followup": 1, "contacts": [{"id": "x", "name": "X", )" + member + "}]}", "f");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::data);
      return std::string(e.what()) + " | " + e.where();
    }
    FAIL("no error for " << member);
    return std::string();
  };
  CHECK(error_of(R"("occasions": {"birthday": "2026-02-29"})").find("contact x, key occasions.birthday") != std::string::npos);
  CHECK(error_of(R"("occasions": {"my day": "--01-01"})").find("not an occasion label") != std::string::npos);
  CHECK(error_of(R"("occasions": {"a": "--01-01", "A": "--01-02"})").find("appears twice") != std::string::npos);
  CHECK(error_of(R"("plans": [{"date": "2026-02-30"}])").find("contact x, plans[0], key date") != std::string::npos);
  CHECK(error_of(R"("plans": [{"note": "x"}])").find("missing key \"date\"") != std::string::npos);
  CHECK(error_of(R"("plans": {})").find("expected an array") != std::string::npos);
  CHECK(error_of(R"("owner": ["k"])").find("key owner") != std::string::npos);
}
