#include <doctest/doctest.h>

#include "followup/storage/book_diff.hpp"
#include "followup/book/json_io.hpp"

using namespace followup;
using Lines = std::vector<std::string>;

namespace {

// A book from the JSON text of its contacts (and optionally its rules).
Book book(const std::string& contacts, const std::string& rules = "[]") {
  return parse_book(R"({"followup": 1, "rules": )" + rules + R"(, "contacts": )" + contacts + "}", "test");
}

const std::string kAna = R"({"id": "ana-lopez", "name": "Ana López", "interactions": [
  {"date": "2026-11-20", "kind": "call", "note": "wedding"}]})";
const std::string kTom = R"({"id": "tom-smith", "name": "Tom Smith"})";

} // namespace

TEST_CASE("the same book gives no lines") {
  Book b = book("[" + kAna + "," + kTom + "]");
  CHECK(describe_changes(b, b).empty());
  CHECK(describe_changes(Book{}, Book{}).empty());
}

TEST_CASE("added and removed contacts") {
  Book one = book("[" + kAna + "]");
  Book two = book("[" + kAna + "," + kTom + "]");
  CHECK(describe_changes(one, two) == Lines{"added the contact Tom Smith (tom-smith)"});
  CHECK(describe_changes(two, one) == Lines{"removed the contact Tom Smith (tom-smith)"});
}

TEST_CASE("added and removed interactions, a missing kind is a check-in") {
  Book before = book("[" + kAna + "]");
  Book after = book(R"([{"id": "ana-lopez", "name": "Ana López", "interactions": [
    {"date": "2026-11-20", "kind": "call", "note": "wedding"},
    {"date": "2026-11-22"}]}])");
  CHECK(describe_changes(before, after) == Lines{"added the check-in with Ana López on 2026-11-22"});
  CHECK(describe_changes(after, before) == Lines{"removed the check-in with Ana López on 2026-11-22"});
}

TEST_CASE("interactions compare as multisets of date, kind, note and by") {
  const std::string call = R"({"date": "2026-11-20", "kind": "call"})";
  Book once = book(R"([{"id": "ana", "name": "Ana", "interactions": [)" + call + "]}]");
  Book twice = book(R"([{"id": "ana", "name": "Ana", "interactions": [)" + call + "," + call + "]}]");
  // A second identical call is one more call, not "no change".
  CHECK(describe_changes(once, twice) == Lines{"added the call with Ana on 2026-11-20"});
  CHECK(describe_changes(twice, once) == Lines{"removed the call with Ana on 2026-11-20"});

  // Changing who logged it is a removal and an addition.
  Book by_kris = book(R"([{"id": "ana", "name": "Ana", "interactions": [
    {"date": "2026-11-20", "kind": "call", "by": "kris"}]}])");
  CHECK(describe_changes(once, by_kris) ==
        Lines{"removed the call with Ana on 2026-11-20", "added the call with Ana on 2026-11-20"});
}

TEST_CASE("other changed keys are listed in the contact's key order") {
  Book before = book(R"([{"id": "ana-lopez", "name": "Ana", "tags": ["a"], "notes": "x"}])");
  Book after = book(R"([{"id": "ana-lopez", "name": "Ana López", "tags": ["a", "b"], "notes": "x",
    "snoozed_until": "2026-12-01"}])");
  CHECK(describe_changes(before, after) == Lines{"changed Ana López (ana-lopez): name, tags, snoozed_until"});
  // A key only the older version had is a change too.
  CHECK(describe_changes(after, before) == Lines{"changed Ana (ana-lopez): name, tags, snoozed_until"});
}

TEST_CASE("unknown keys of a contact are changes too") {
  Book before = book(R"([{"id": "ana", "name": "Ana", "birthday": "05-01"}])");
  Book after = book(R"([{"id": "ana", "name": "Ana", "birthday": "05-02"}])");
  CHECK(describe_changes(before, after) == Lines{"changed Ana (ana): birthday"});
}

TEST_CASE("interactions changed only in their unknown members") {
  Book before = book(R"([{"id": "ana", "name": "Ana", "interactions": [{"date": "2026-11-20", "mood": 1}]}])");
  Book after = book(R"([{"id": "ana", "name": "Ana", "interactions": [{"date": "2026-11-20", "mood": 2}]}])");
  CHECK(describe_changes(before, after) == Lines{"changed Ana (ana): interactions"});
}

TEST_CASE("interaction lines and key changes together") {
  Book before = book(R"([{"id": "ana", "name": "Ana", "interactions": [{"date": "2026-11-01", "kind": "visit"}]}])");
  Book after = book(R"([{"id": "ana", "name": "Ana", "every": "2w", "interactions": [
    {"date": "2026-11-20", "kind": "call"}]}])");
  CHECK(describe_changes(before, after) == Lines{"removed the visit with Ana on 2026-11-01",
                                                 "added the call with Ana on 2026-11-20", "changed Ana (ana): every"});
}

TEST_CASE("a changed id with the same history is a rename") {
  Book before = book("[" + kAna + "," + kTom + "]");
  Book after = book(R"([{"id": "ana-l", "name": "Ana López", "interactions": [
    {"date": "2026-11-20", "kind": "call", "note": "wedding"}]},)" + kTom + "]");
  CHECK(describe_changes(before, after) == Lines{"renamed the id ana-lopez to ana-l"});
  CHECK(describe_changes(after, before) == Lines{"renamed the id ana-l to ana-lopez"});

  // A rename that also changed the name says both.
  Book renamed = book(R"([{"id": "ana-l", "name": "Ana L", "interactions": [
    {"date": "2026-11-20", "kind": "call", "note": "wedding"}]},)" + kTom + "]");
  CHECK(describe_changes(before, renamed) ==
        Lines{"renamed the id ana-lopez to ana-l", "changed Ana L (ana-l): name"});
}

TEST_CASE("a changed id with a different history is a removal and an addition") {
  Book before = book("[" + kAna + "]");
  Book after = book(R"([{"id": "ana-l", "name": "Ana López", "interactions": [
    {"date": "2026-11-21", "kind": "call", "note": "wedding"}]}])");
  CHECK(describe_changes(before, after) ==
        Lines{"removed the contact Ana López (ana-lopez)", "added the contact Ana López (ana-l)"});
}

TEST_CASE("two contacts gone and two new are not guessed as renames") {
  Book before = book(R"([{"id": "a", "name": "A"}, {"id": "b", "name": "B"}])");
  Book after = book(R"([{"id": "c", "name": "A"}, {"id": "d", "name": "B"}])");
  CHECK(describe_changes(before, after) == Lines{"removed the contact A (a)", "removed the contact B (b)",
                                                 "added the contact A (c)", "added the contact B (d)"});
}

TEST_CASE("without history, a rename needs the same name or added date") {
  Book before = book(R"([{"id": "tom", "name": "Tom", "added": "2026-01-01"}])");
  CHECK(describe_changes(before, book(R"([{"id": "thomas", "name": "Tom"}])")) ==
        Lines{"renamed the id tom to thomas", "changed Tom (thomas): added"});
  CHECK(describe_changes(before, book(R"([{"id": "thomas", "name": "Thomas", "added": "2026-01-01"}])")) ==
        Lines{"renamed the id tom to thomas", "changed Thomas (thomas): name"});
  CHECK(describe_changes(before, book(R"([{"id": "eve", "name": "Eve"}])")) ==
        Lines{"removed the contact Tom (tom)", "added the contact Eve (eve)"});
}

TEST_CASE("rules added, removed and changed, by name") {
  const std::string family = R"({"name": "family", "match": "tag:family", "every": "2w"})";
  const std::string vip = R"({"name": "vip", "match": "tag:vip", "every": "1m"})";
  Book before = book("[]", "[" + family + "]");
  CHECK(describe_changes(before, book("[]", "[" + family + "," + vip + "]")) == Lines{"added the rule vip"});
  CHECK(describe_changes(before, book("[]", "[]")) == Lines{"removed the rule family"});
  Book changed = book("[]", R"([{"name": "family", "match": "tag:fam", "every": "2w", "counts": ["call"],
    "warn": "3d"}])");
  CHECK(describe_changes(before, changed) == Lines{"changed the rule family: match, counts, warn"});
  CHECK(describe_changes(book("[]", "[" + family + "," + vip + "]"), book("[]", "[" + vip + "," + family + "]")) ==
        Lines{"reordered the rules"});
}

TEST_CASE("contacts in another order") {
  CHECK(describe_changes(book("[" + kAna + "," + kTom + "]"), book("[" + kTom + "," + kAna + "]")) ==
        Lines{"reordered the contacts"});
}

TEST_CASE("unknown keys of the book") {
  Book before = book("[]");
  Book after = parse_book(R"({"followup": 1, "owner": "kris", "contacts": []})", "test");
  CHECK(describe_changes(before, after) == Lines{"changed the book's other keys: owner"});
  CHECK(describe_changes(after, before) == Lines{"changed the book's other keys: owner"});
}

TEST_CASE("lines follow book order: book, rules, removed contacts, then the new book's contacts") {
  Book before = book(R"([{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}])",
                     R"([{"name": "r", "match": "*", "every": "1w"}])");
  Book after = book(R"([{"id": "c", "name": "C2"}, {"id": "d", "name": "D"}, {"id": "a", "name": "A",
    "interactions": [{"date": "2026-01-02", "kind": "visit"}]}])");
  CHECK(describe_changes(before, after) ==
        Lines{"removed the rule r", "removed the contact B (b)", "changed C2 (c): name", "added the contact D (d)",
              "added the visit with A on 2026-01-02", "reordered the contacts"});
}
