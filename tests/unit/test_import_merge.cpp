// Merging imported records into a book: matching, update vs skip,
// idempotent re-import, new ids, and --spread.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "followup/exchange/import.hpp"
#include "followup/book/json_io.hpp"

using namespace followup;

namespace {

using Strings = std::vector<std::string>;
const Date kToday = from_ymd(2026, 11, 23);

Date day(const char* iso) { return *parse_iso_date(iso); }

ImportRecord record(std::string name, std::vector<Field> fields = {}) {
  ImportRecord r;
  r.name = std::move(name);
  r.fields = std::move(fields);
  return r;
}

Contact contact(std::string id, std::string name, std::vector<Field> fields = {}) {
  Contact c;
  c.id = std::move(id);
  c.name = std::move(name);
  c.fields = std::move(fields);
  c.added = day("2025-01-01");
  return c;
}

MergeOptions options(bool skip = false, std::optional<int> spread = std::nullopt, bool backlog = true) {
  return MergeOptions{kToday, "visit", skip, spread, backlog};
}

Strings ids(const Book& b) {
  Strings out;
  for (const auto& c : b.contacts) out.push_back(c.id);
  return out;
}

} // namespace

TEST_CASE("a new contact gets a slug id, added = today, its fields, tags, notes and a past check-in") {
  Book book;
  ImportRecord r = record("Ana López", {{"email", "ana@example.org"}});
  r.tags = {"friend"};
  r.notes = "Met at work";
  r.last = day("2026-10-01");
  MergeReport rep = merge_records(book, {r}, MergeOptions{kToday, "call", false, std::nullopt});
  REQUIRE(rep.outcomes.size() == 1);
  CHECK(rep.outcomes[0].action == MergeAction::add);
  CHECK(rep.outcomes[0].id == "ana-lopez");
  REQUIRE(book.contacts.size() == 1);
  const Contact& c = book.contacts[0];
  CHECK(c.id == "ana-lopez");
  CHECK(c.name == "Ana López");
  CHECK(c.added == kToday);
  CHECK(c.tags == Strings{"friend"});
  CHECK(c.notes == "Met at work");
  REQUIRE(c.interactions.size() == 1);
  CHECK(c.interactions[0].date == day("2026-10-01"));
  CHECK(c.interactions[0].kind == "call");
}

TEST_CASE("matching: by uid, by e-mail (any case), by phone digits, by id") {
  Book book;
  book.contacts = {contact("a", "A", {{"uid", "U-1"}}), contact("b", "B", {{"email_work", "Bee@Example.org"}}),
                   contact("c", "C", {{"phone", "+1 (555) 010-0001"}}), contact("dora-diaz", "Dora Díaz")};
  std::vector<ImportRecord> recs{record("Someone Else", {{"uid", "U-1"}}),
                                 record("Bea", {{"email", "bee@example.org"}}),
                                 record("Cee", {{"phone_cell", "1 555 0100001"}}), record("Dora Diaz")};
  MergeReport rep = merge_records(book, recs, options());
  REQUIRE(rep.outcomes.size() == 4);
  CHECK(rep.outcomes[0].id == "a");
  CHECK(rep.outcomes[0].matched_by == "uid");
  CHECK(rep.outcomes[1].id == "b");
  CHECK(rep.outcomes[1].matched_by == "email");
  CHECK(rep.outcomes[2].id == "c");
  CHECK(rep.outcomes[2].matched_by == "phone");
  CHECK(rep.outcomes[3].id == "dora-diaz");
  CHECK(rep.outcomes[3].matched_by == "id");
  CHECK(rep.outcomes[3].action == MergeAction::unchanged);
  CHECK(book.contacts.size() == 4);
  CHECK(book.contacts[0].name == "A"); // the name is kept
}

TEST_CASE("a uid match wins over an e-mail match with another contact") {
  Book book;
  book.contacts = {contact("x", "X", {{"email", "shared@example.org"}}), contact("y", "Y", {{"uid", "U-9"}})};
  MergeReport rep = merge_records(book, {record("Y", {{"uid", "U-9"}, {"email", "shared@example.org"}})}, options());
  CHECK(rep.outcomes[0].id == "y");
  CHECK(rep.outcomes[0].matched_by == "uid");
}

TEST_CASE("the name wins over an e-mail another contact shares") {
  Book book;
  book.contacts = {contact("family", "The Does", {{"email", "family@example.org"}}), contact("jane-doe", "Jane Doe")};
  MergeReport rep = merge_records(book, {record("Jane Doe", {{"email", "family@example.org"}})}, options());
  CHECK(rep.outcomes[0].id == "jane-doe");
  CHECK(rep.outcomes[0].matched_by == "name");
}

TEST_CASE("a name with no slug (no letters) finds itself on re-import") {
  Book book;
  std::vector<ImportRecord> recs{record("🌻"), record("★ ★"), record("🎸")};
  merge_records(book, recs, options());
  CHECK(ids(book) == Strings{"contact", "contact-2", "contact-3"});
  MergeReport again = merge_records(book, recs, options());
  CHECK(again.count(MergeAction::unchanged) == 3);
  CHECK(again.outcomes[1].id == "contact-2");
  CHECK(again.outcomes[1].matched_by == "name");
  CHECK(book.contacts.size() == 3);
}

TEST_CASE("two names that fold alike in one file are two people, again on re-import") {
  Book book;
  std::vector<ImportRecord> recs{record("Zoë Ng", {{"email", "zoe1@example.org"}}),
                                 record("Zoe Ng", {{"email", "zoe2@example.org"}})};
  MergeReport rep = merge_records(book, recs, options());
  CHECK(rep.count(MergeAction::add) == 2);
  REQUIRE(ids(book) == Strings{"zoe-ng", "zoe-ng-2"});
  CHECK(book.contacts[0].field("email")->value == "zoe1@example.org");
  CHECK(book.contacts[1].name == "Zoe Ng");
  CHECK(book.contacts[1].field("email")->value == "zoe2@example.org");
  MergeReport again = merge_records(book, recs, options());
  CHECK(again.count(MergeAction::unchanged) == 2);
  CHECK(again.outcomes[1].id == "zoe-ng-2");
  CHECK(book.contacts.size() == 2);

  // A book that had only one of them: the other is still someone else.
  Book one;
  one.contacts = {contact("zoe-ng", "Zoë Ng", {{"email", "zoe1@example.org"}})};
  merge_records(one, recs, options());
  CHECK(ids(one) == Strings{"zoe-ng", "zoe-ng-2"});
  CHECK(one.contacts[0].field("email")->value == "zoe1@example.org");
}

TEST_CASE("within one import a shared phone or e-mail is a household, not one person") {
  Book book;
  book.contacts = {contact("old", "Old", {{"phone", "+1 555 0100"}})};
  MergeReport rep = merge_records(book,
                                  {record("Ann Lee", {{"phone", "+1 555 0199"}, {"email", "lees@example.org"}}),
                                   record("Bob Lee", {{"phone", "+1 555 0199"}, {"email", "lees@example.org"}}),
                                   record("Cy Lee", {{"phone", "+1 (555) 0100"}})},
                                  options());
  CHECK(rep.outcomes[0].action == MergeAction::add);
  CHECK(rep.outcomes[1].action == MergeAction::add);
  CHECK(rep.outcomes[2].id == "old"); // the book's contacts are matched by number
  CHECK(rep.outcomes[2].matched_by == "phone");
  CHECK(ids(book) == Strings{"old", "ann-lee", "bob-lee"});
}

TEST_CASE("short numbers and different numbers do not match") {
  Book book;
  book.contacts = {contact("x", "X", {{"phone", "112"}}), contact("y", "Y", {{"phone", "+1 555 0100"}})};
  MergeReport rep = merge_records(book, {record("Z", {{"phone", "112"}}), record("W", {{"phone", "+1 555 0101"}})},
                                  options());
  CHECK(rep.count(MergeAction::add) == 2);
  CHECK(ids(book) == Strings{"x", "y", "z", "w"});
}

TEST_CASE("update: fields filled or overwritten, tags added, notes and cadence only filled, the check-in once") {
  Book book;
  Contact c = contact("ana", "Ana", {{"email", "ana@example.org"}, {"phone", "111 1111"}});
  c.tags = {"Friend"};
  c.notes = "mine";
  c.interactions = {Interaction{day("2026-10-01"), "visit", std::nullopt, std::nullopt, {}}};
  book.contacts = {c};
  ImportRecord r = record("Ana Other", {{"email", "ana@example.org"}, {"phone", "222 2222"}, {"org", "Acme"}});
  r.tags = {"friend", "vip"};
  r.notes = "theirs";
  r.every = parse_duration("2w");
  r.last = day("2026-10-01");
  MergeReport rep = merge_records(book, {r}, options());
  CHECK(rep.outcomes[0].action == MergeAction::update);
  CHECK(rep.outcomes[0].changes == Strings{"phone, org", "tags +vip", "every 2w"});
  const Contact& u = book.contacts[0];
  CHECK(u.name == "Ana");
  CHECK(u.added == day("2025-01-01"));
  CHECK(u.field("phone")->value == "222 2222");
  CHECK(u.field("org")->value == "Acme");
  CHECK(u.tags == Strings{"Friend", "vip"});
  CHECK(u.notes == "mine");
  REQUIRE(u.every.has_value());
  CHECK(u.every->text == "2w");
  CHECK(u.interactions.size() == 1); // same date and kind: already there

  // Another kind on that date is a different check-in.
  MergeReport again = merge_records(book, {r}, MergeOptions{kToday, "call", false, std::nullopt});
  CHECK(again.outcomes[0].changes == Strings{"call on 2026-10-01"});
  CHECK(book.contacts[0].interactions.size() == 2);
}

TEST_CASE("--on-conflict skip leaves a matching contact alone") {
  Book book;
  book.contacts = {contact("ana", "Ana", {{"email", "ana@example.org"}})};
  ImportRecord r = record("Ana L.", {{"email", "ana@example.org"}, {"phone", "555 0100"}});
  r.tags = {"vip"};
  std::string before = serialize_book(book);
  MergeReport rep = merge_records(book, {r, record("Ben")}, options(true));
  CHECK(rep.outcomes[0].action == MergeAction::skip);
  CHECK(rep.outcomes[0].matched_by == "email");
  CHECK(rep.outcomes[1].action == MergeAction::add);
  CHECK(rep.count(MergeAction::skip) == 1);
  book.contacts.pop_back();
  CHECK(serialize_book(book) == before);
}

TEST_CASE("re-importing the same records changes nothing") {
  ImportRecord a = record("Ana", {{"email", "ana@example.org"}, {"uid", "u-ana"}});
  a.tags = {"friend"};
  a.last = day("2026-09-09");
  ImportRecord b = record("Bo", {{"phone", "+46 8 000 00"}});
  b.notes = "n";
  Book book;
  merge_records(book, {a, b}, options(false, 30));
  std::string first = serialize_book(book);
  MergeReport rep = merge_records(book, {a, b}, options(false, 30));
  CHECK(rep.count(MergeAction::unchanged) == 2);
  CHECK(rep.count(MergeAction::add) == 0);
  CHECK(rep.count(MergeAction::update) == 0);
  CHECK(serialize_book(book) == first);
}

TEST_CASE("a person listed twice in one file (same name) is added once") {
  Book book;
  MergeReport rep = merge_records(
      book, {record("Petra Novak", {{"email", "p@example.cz"}}), record("Petra Novak", {{"email", "p@example.cz"}, {"phone", "555 0100"}})},
      options());
  CHECK(rep.count(MergeAction::add) == 1);
  CHECK(rep.outcomes[1].action == MergeAction::update);
  CHECK(ids(book) == Strings{"petra-novak"});
  CHECK(book.contacts[0].field("phone")->value == "555 0100");
}

TEST_CASE("ids: the id column when given; names without a slug get contact, contact-2, never matched by it") {
  Book book;
  ImportRecord with_id = record("Carl");
  with_id.id = "carl-the-customer";
  merge_records(book, {with_id, record("🌻"), record("🎸")}, options());
  CHECK(ids(book) == Strings{"carl-the-customer", "contact", "contact-2"});
}

// ICU is required here (the README installs it): without it these would be
// contact, contact-2, contact-3, which is what the test guards against.
TEST_CASE("ids: names in other scripts are transliterated, and find themselves on re-import") {
  Book book;
  std::vector<ImportRecord> recs{record("王小明"), record("Ольга"), record("李华")};
  merge_records(book, recs, options());
  CHECK(ids(book) == Strings{"wang-xiao-ming", "ol-ga", "li-hua"});
  MergeReport again = merge_records(book, recs, options());
  CHECK(again.count(MergeAction::unchanged) == 3);
  CHECK(again.outcomes[1].id == "ol-ga");
  CHECK(again.outcomes[1].matched_by == "name");
  CHECK(book.contacts.size() == 3);
}

// The plan a spread gave, "" when none.
std::string first_call(const Contact& c) {
  if (c.plans.empty()) return "";
  CHECK(c.plans.size() == 1);
  CHECK(c.plans[0].note == "first call");
  return to_iso(c.plans[0].date);
}

TEST_CASE("--spread staggers new contacts over the next D days: a first-call plan, or a snooze for a backlog") {
  Book book;
  book.rules = {Rule{"clients", "tag:client", *parse_duration("3m"), std::nullopt, std::nullopt, {}, {}, {}}};
  ImportRecord a = record("A"), b = record("B"), c = record("C"), d = record("D"), e = record("E"), f = record("F");
  b.every = parse_duration("2w");
  c.tags = {"client"};
  d.every = parse_duration("never");
  e.last = day("2026-11-01");
  f.last = day("2023-05-01"); // a customer last seen years ago: overdue
  merge_records(book, {a, b, c, d, e, f}, options(false, 8));
  // Four candidates (A-C never contacted, F overdue; D is never due, E is
  // due 2026-12-01 on its own) over 8 days: offsets 1, 3, 5, 7.
  CHECK(first_call(*book.find_id("a")) == "2026-11-24"); // before its cadence's 12-23
  CHECK(first_call(*book.find_id("b")) == "2026-11-26"); // before 12-07 (2w)
  CHECK(first_call(*book.find_id("c")) == "2026-11-28"); // before 2027-02-23 (3m, rule clients)
  CHECK(first_call(*book.find_id("d")).empty());
  CHECK(first_call(*book.find_id("e")).empty());
  CHECK(first_call(*book.find_id("f")).empty());
  CHECK(to_iso(*book.find_id("f")->snoozed_until) == "2026-11-30"); // the backlog: snoozed to its day
  for (const char* id : {"a", "b", "c", "d", "e", "f"}) {
    CAPTURE(id);
    CHECK(to_iso(*book.find_id(id)->added) == "2026-11-23"); // added today, as it was
  }
  for (const char* id : {"a", "b", "c", "d", "e"}) CHECK_FALSE(book.find_id(id)->snoozed_until.has_value());

  // Without --spread-backlog the overdue one stays due today; three over 8 days: 1, 3, 6.
  Book plain;
  plain.rules = book.rules;
  merge_records(plain, {a, b, c, d, e, f}, options(false, 8, false));
  CHECK(first_call(*plain.find_id("a")) == "2026-11-24");
  CHECK(first_call(*plain.find_id("b")) == "2026-11-26");
  CHECK(first_call(*plain.find_id("c")) == "2026-11-29");
  CHECK_FALSE(plain.find_id("f")->snoozed_until.has_value());
  CHECK(first_call(*plain.find_id("f")).empty());
}

TEST_CASE("--spread longer than a cadence snoozes to the day instead of planning") {
  Book book;
  ImportRecord a = record("A"), b = record("B");
  a.every = b.every = parse_duration("1w");
  merge_records(book, {a, b}, options(false, 20)); // offsets 1 and 11; their cadence: 11-30
  CHECK(first_call(*book.find_id("a")) == "2026-11-24");
  CHECK_FALSE(book.find_id("a")->snoozed_until.has_value());
  CHECK(first_call(*book.find_id("b")).empty());
  CHECK(to_iso(*book.find_id("b")->snoozed_until) == "2026-12-04");
}

TEST_CASE("--spread leaves contacts that were already in the book alone") {
  Book book;
  book.contacts = {contact("old", "Old")};
  merge_records(book, {record("Old"), record("New")}, options(false, 10));
  CHECK(to_iso(*book.find_id("old")->added) == "2025-01-01");
  CHECK(book.find_id("old")->plans.empty());
  CHECK(first_call(*book.find_id("new")) == "2026-11-24"); // the only candidate: offset 1
}

TEST_CASE("shared helpers: numbered fields, type keys, birthdays, tags") {
  std::vector<Field> f;
  add_numbered_field(f, "phone", "cell", "1");
  add_numbered_field(f, "phone", "cell", "2");
  add_numbered_field(f, "phone", "cell", "3");
  add_numbered_field(f, "phone", "", "4");
  add_numbered_field(f, "phone", "work", "2"); // already there
  REQUIRE(f.size() == 4);
  CHECK(f[0].key == "phone");
  CHECK(f[1].key == "phone_cell");
  CHECK(f[2].key == "phone_2");
  CHECK(f[3].key == "phone_3");
  // A fax or a pager, even the only number, is not `phone`.
  std::vector<Field> g;
  add_numbered_field(g, "phone", "work_fax", "5");
  add_numbered_field(g, "phone", "pager", "6");
  add_numbered_field(g, "phone", "cell", "7");
  REQUIRE(g.size() == 3);
  CHECK(g[0].key == "phone_work_fax");
  CHECK(g[1].key == "phone_pager");
  CHECK(g[2].key == "phone");
  CHECK(type_key("_$!<HomeFax>!$_") == "homefax");
  CHECK(type_key("Mobile") == "cell");
  CHECK(type_key("* Home Fax") == "home_fax");
  CHECK(normalise_birthday("--0315") == "--03-15");
  CHECK(normalise_birthday("--1332") == "--1332");
  CHECK(import_tag("  Book   Club, ") == "book-club");
  CHECK(clean_line(" a\tb\n\nc ") == "a b c");
}
