// followup add NAME: ids, options, the stored contact (SPEC §1, §4), refusals (SPEC §5).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using ordered_json = nlohmann::ordered_json;

namespace {

ordered_json parse(const std::string& text) { return ordered_json::parse(text); }

// The one contact of a book written by a single `add`.
ordered_json only_contact(const Book& b) {
  ordered_json doc = parse(b.text());
  REQUIRE(doc["contacts"].size() == 1);
  return doc["contacts"][0];
}

std::vector<std::string> keys_of(const ordered_json& obj) {
  std::vector<std::string> keys;
  for (auto it = obj.begin(); it != obj.end(); ++it) keys.push_back(it.key());
  return keys;
}

// A book holding one contact, for the refusals that must leave it as it was.
const char* const kOneContact = R"({
  "followup": 1,
  "contacts": [
    {
      "id": "jose-muller",
      "name": "José Müller",
      "added": "2026-01-02"
    }
  ]
}
)";

// Runs a refused `add` twice: on a missing book (which must stay missing)
// and on an existing one (which must keep its bytes, and get no backup).
void check_refused(const std::vector<std::string>& args, const std::string& about) {
  INFO("add args refused: ", about);
  {
    Book b;
    std::vector<std::string> full{"add"};
    full.insert(full.end(), args.begin(), args.end());
    Result r = b(full);
    CHECK(r.code == 64);
    CHECK(r.out == "");
    CHECK(r.err.rfind("followup: ", 0) == 0);
    CHECK(!b.exists());
  }
  {
    Book b;
    b.write(kOneContact);
    std::vector<std::string> full{"add"};
    full.insert(full.end(), args.begin(), args.end());
    Result r = b(full);
    CHECK(r.code == 64);
    CHECK(r.out == "");
    CHECK(r.err.rfind("followup: ", 0) == 0);
    CHECK(b.text() == kOneContact);
    CHECK(!std::filesystem::exists(b.dir / "contacts.json.bak"));
  }
}

} // namespace

TEST_CASE("add: the id is the name lower-cased with accents folded") {
  Book b;
  Result r = b({"add", "José Müller"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Added José Müller (jose-muller); next due 2026-12-23.\n");
  ordered_json doc = parse(b.text());
  CHECK(doc["followup"] == 1);
  ordered_json c = only_contact(b);
  CHECK(keys_of(c) == std::vector<std::string>{"id", "name", "added"});
  CHECK(c["id"] == "jose-muller");
  CHECK(c["name"] == "José Müller");
  CHECK(c["added"] == "2026-11-23");
}

TEST_CASE("add: spaces become dashes and a clash gets -2, -3") {
  Book b;
  CHECK(b({"add", "Ana María López"}).out == "Added Ana María López (ana-maria-lopez); next due 2026-12-23.\n");
  Result upper = b({"add", "ANA MARIA LOPEZ"});
  CHECK(upper.out == "Added ANA MARIA LOPEZ (ana-maria-lopez-2); next due 2026-12-23.\n");
  CHECK(upper.err.rfind("followup: the book already has a contact named ANA MARIA LOPEZ (ana-maria-lopez)\n", 0) == 0);
  Result r = b({"add", "Ana María López"});
  CHECK(r.code == 0);
  CHECK(r.out == "Added Ana María López (ana-maria-lopez-3); next due 2026-12-23.\n");
  // Added all the same, but the same name (case and accents aside) is said.
  CHECK(r.err == "followup: the book already has a contact named Ana María López (ana-maria-lopez)\n"
                 "hint: if it is the same person, 'followup rm ana-maria-lopez-3 --yes' takes the new one out again\n");
  ordered_json doc = parse(b.text());
  REQUIRE(doc["contacts"].size() == 3);
  CHECK(doc["contacts"][0]["id"] == "ana-maria-lopez");
  CHECK(doc["contacts"][1]["id"] == "ana-maria-lopez-2");
  CHECK(doc["contacts"][1]["name"] == "ANA MARIA LOPEZ");
  CHECK(doc["contacts"][2]["id"] == "ana-maria-lopez-3");
}

TEST_CASE("add: a name in another script gets a Latin id; a name of emoji only gets contact") {
  // ICU (libicu72, which the README installs) spells the name; without it
  // the ids would be contact and contact-2.
  Book b;
  CHECK(b({"add", "王小明"}).out == "Added 王小明 (wang-xiao-ming); next due 2026-12-23.\n");
  Result r = b({"add", "Иван Петров"});
  CHECK(r.out == "Added Иван Петров (ivan-petrov); next due 2026-12-23.\n");
  CHECK(r.err == "");
  CHECK(b({"add", "🎸🌻"}).out == "Added 🎸🌻 (contact); next due 2026-12-23.\n");
  CHECK(b({"log", "wang-xiao-ming"}).code == 0);
}

TEST_CASE("add: --id sets the id") {
  Book b;
  Result r = b({"add", "José Müller", "--id", "pepe"});
  CHECK(r.code == 0);
  CHECK(r.out == "Added José Müller (pepe); next due 2026-12-23.\n");
  CHECK(only_contact(b)["id"] == "pepe");
}

TEST_CASE("add: an invalid --id is a usage error") {
  check_refused({"Someone", "--id", "Bad_Id"}, "upper case and underscore");
  check_refused({"Someone", "--id", "-lead"}, "leading dash");
  check_refused({"Someone", "--id", "two words"}, "blank");
  check_refused({"Someone", "--id", ""}, "empty");
}

TEST_CASE("add: a taken --id is a usage error and the book is unchanged") {
  Book b;
  b.write(kOneContact);
  Result r = b({"add", "Other", "--id", "jose-muller"});
  CHECK(r.code == 64);
  CHECK(r.out == "");
  CHECK(r.err.find("jose-muller") != std::string::npos);
  CHECK(r.err.find("(--id)") != std::string::npos);
  CHECK(b.text() == kOneContact);
}

TEST_CASE("add: --tag repeats, --every, --field, --note are stored") {
  Book b;
  Result r = b({"add", "Ana López", "--tag", "friend", "--tag", "soccer", "--every", "6w", "--field",
                "phone=+1 555 0100", "--field", "city=New York", "--note", "Getting married in June"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Added Ana López (ana-lopez); next due 2027-01-04.\n");
  ordered_json c = only_contact(b);
  CHECK(keys_of(c) == std::vector<std::string>{"id", "name", "tags", "every", "fields", "notes", "added"});
  CHECK(c["tags"] == ordered_json::array({"friend", "soccer"}));
  CHECK(c["every"] == "6w");
  CHECK(c["fields"] == ordered_json({{"phone", "+1 555 0100"}, {"city", "New York"}}));
  CHECK(c["notes"] == "Getting married in June");
  CHECK(c["added"] == "2026-11-23");
  CHECK(!c.contains("interactions"));
}

TEST_CASE("add: --every accepts combined durations and never") {
  Book b;
  CHECK(b({"add", "Combo", "--every", "1m2w"}).out == "Added Combo (combo); next due 2027-01-06.\n");
  Result r = b({"add", "Hermit", "--every", "never"});
  CHECK(r.code == 0);
  CHECK(r.out == "Added Hermit (hermit); never due.\n");
  ordered_json doc = parse(b.text());
  CHECK(doc["contacts"][0]["every"] == "1m2w");
  CHECK(doc["contacts"][1]["every"] == "never");
}

TEST_CASE("add: a bad --every is a usage error and leaves the file untouched") {
  check_refused({"Someone", "--every", "2x"}, "unknown unit");
  check_refused({"Someone", "--every", "w"}, "no number");
  check_refused({"Someone", "--every", "12"}, "no unit");
  check_refused({"Someone", "--every", ""}, "empty");
}

TEST_CASE("add: a bad --field is a usage error") {
  check_refused({"Someone", "--field", "novalue"}, "no =");
  check_refused({"Someone", "--field", "=value"}, "no key");
}

TEST_CASE("add: --last records a past visit; --kind changes the kind") {
  Book b;
  Result r = b({"add", "Old Customer", "--last", "2026-10-01"});
  CHECK(r.code == 0);
  CHECK(r.out == "Added Old Customer (old-customer); next due 2026-10-31.\n");
  ordered_json c = only_contact(b);
  CHECK(c["added"] == "2026-11-23");
  REQUIRE(c["interactions"].size() == 1);
  CHECK(c["interactions"][0] == ordered_json({{"date", "2026-10-01"}, {"kind", "visit"}}));

  Book b2;
  r = b2({"add", "Caller", "--last", "3 weeks ago", "--kind", "call"});
  CHECK(r.code == 0);
  CHECK(r.out == "Added Caller (caller); next due 2026-12-02.\n");
  c = only_contact(b2);
  REQUIRE(c["interactions"].size() == 1);
  CHECK(c["interactions"][0] == ordered_json({{"date", "2026-11-02"}, {"kind", "call"}}));
}

TEST_CASE("add: --last in the future, or --kind without --last, is a usage error") {
  check_refused({"Someone", "--last", "2026-11-24"}, "tomorrow's date");
  check_refused({"Someone", "--last", "2027-01-01"}, "next year");
  check_refused({"Someone", "--last", "2026-02-30"}, "impossible date");
  check_refused({"Someone", "--kind", "call"}, "--kind alone");
}

TEST_CASE("add: added is today, and --today changes today") {
  Book b;
  CHECK(b({"add", "First"}).code == 0);
  CHECK(b({"--today", "2026-05-04", "add", "Second"}).code == 0);
  CHECK(b({"add", "Third"}, {{"FOLLOWUP_TODAY", "2026-07-08"}}).code == 0);
  ordered_json doc = parse(b.text());
  REQUIRE(doc["contacts"].size() == 3);
  CHECK(doc["contacts"][0]["added"] == "2026-11-23");
  CHECK(doc["contacts"][1]["added"] == "2026-05-04");
  CHECK(doc["contacts"][2]["added"] == "2026-07-08");
}

TEST_CASE("add: an empty name or a name with control characters is a usage error") {
  check_refused({""}, "empty name");
  check_refused({"   "}, "blank name");
  check_refused({"Ana\tLópez"}, "tab");
  check_refused({"Ana\nLópez"}, "newline");
  check_refused({"Ana\x07"}, "bell");
}

TEST_CASE("add: the first add creates the book, a complete file ending with a newline") {
  Book b;
  REQUIRE(!b.exists());
  CHECK(b({"add", "Ana López", "--tag", "friend"}).code == 0);
  CHECK(b.text() == R"({
  "followup": 1,
  "contacts": [
    {
      "id": "ana-lopez",
      "name": "Ana López",
      "tags": [
        "friend"
      ],
      "added": "2026-11-23"
    }
  ]
}
)");
}

TEST_CASE("add: a contact is appended to an existing book, which keeps its bytes before it") {
  Book b;
  b.write(kOneContact);
  Result r = b({"add", "Bea"});
  CHECK(r.code == 0);
  CHECK(r.out == "Added Bea (bea); next due 2026-12-23.\n");
  CHECK(b.text() == R"({
  "followup": 1,
  "contacts": [
    {
      "id": "jose-muller",
      "name": "José Müller",
      "added": "2026-01-02"
    },
    {
      "id": "bea",
      "name": "Bea",
      "added": "2026-11-23"
    }
  ]
}
)");
  CHECK(read_file(b.dir / "contacts.json.bak") == kOneContact);
}
