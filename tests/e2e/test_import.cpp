#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using Json = nlohmann::ordered_json;

namespace {

std::string fixture(const std::string& name) { return source_dir() + "/tests/fixtures/import/" + name; }

Json book_json(const Book& b) { return Json::parse(b.text()); }

const Json* find(const Json& book, const std::string& id) {
  for (const auto& c : book["contacts"])
    if (c["id"] == id) return &c;
  return nullptr;
}

const std::vector<std::string> kCrmMaps{"--map", "name=Customer", "--map", "last=Last Visit",
                                        "--map", "tags=Segment",  "--map", "every=Cadence"};

std::vector<std::string> import_args(const std::string& file, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"import", file};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

} // namespace

TEST_CASE("import: a vCard into a new book") {
  Book b;
  auto r = b(import_args(fixture("vcard/categories-note-uid.vcf")));
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Imported 1 contact: 1 added, 0 updated, 0 skipped.\n");
  Json book = book_json(b);
  REQUIRE(book["contacts"].size() == 1);
  CHECK(book["contacts"][0] == Json::parse(R"({
    "id": "grace-hopper", "name": "Grace Hopper", "tags": ["book-club", "vip"],
    "fields": {"uid": "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1", "org": "Navy, Computing"},
    "notes": "First note\nSecond note", "added": "2026-11-23"})"));
}

TEST_CASE("import: a CSV with --map records past check-ins of --kind") {
  Book b;
  auto args = import_args(fixture("csv/crm.csv"), kCrmMaps);
  args.insert(args.end(), {"--kind", "call"});
  auto r = b(args);
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Imported 3 contacts: 3 added, 0 updated, 0 skipped.\n");
  Json book = book_json(b);
  REQUIRE(find(book, "alice-martin"));
  CHECK(*find(book, "alice-martin") == Json::parse(R"({
    "id": "alice-martin", "name": "Alice Martin", "tags": ["retail"], "every": "2w",
    "fields": {"email": "alice@example.com"}, "added": "2026-11-23",
    "interactions": [{"date": "2026-10-01", "kind": "call"}]})"));
  REQUIRE(find(book, "bob-stone"));
  CHECK((*find(book, "bob-stone"))["interactions"][0]["date"] == "2026-10-25");
  REQUIRE(find(book, "carla-diaz"));
  CHECK_FALSE(find(book, "carla-diaz")->contains("interactions"));
  // The CSV's own cadence and check-ins drive `due`: Alice's 2w ran out on 10-15.
  r = b({"due", "--format", "{id} {due}"});
  CHECK(r.out == "alice-martin 2026-10-15\n");
}

TEST_CASE("import: --dry-run prints what would happen and writes nothing") {
  Book b;
  b({"add", "Bob Stone", "--field", "email=bob@example.com"});
  std::string before = b.text();
  auto r = b(import_args(fixture("csv/crm.csv"), {"--map", "name=Customer", "--dry-run"}));
  CHECK(r.code == 0);
  CHECK(r.err == "");
  // Which column feeds what, and which are left unread, first.
  CHECK(r.out == "Columns:\n"
                 "  Customer \u2192 name\n"
                 "  Email \u2192 email\n"
                 "  ignored: Last Visit, Segment, Cadence\n"
                 "add alice-martin (Alice Martin)\n"
                 "unchanged bob-stone (Bob Stone)\n"
                 "add carla-diaz (Carla Diaz)\n"
                 "Dry run: would add 2, update 0, skip 0, 1 unchanged; nothing written.\n");
  CHECK(b.text() == before);
  CHECK_FALSE(std::filesystem::exists(b.dir / "contacts.json.bak"));
}

TEST_CASE("import: a bad record fails the whole import with 65 and the book unchanged") {
  Book b;
  b({"add", "Keep Me"});
  std::string before = b.text();
  std::string file = fixture("csv/crm.csv");
  std::string bad = (b.dir / "bad.csv").string();
  write_file(bad, "Customer,Last Visit\nGood,2026-11-01\nLater,2027-01-05\nWorse,5/6/2026\n");
  auto r = b(import_args(bad, {"--map", "name=Customer", "--map", "last=Last Visit"}));
  CHECK(r.code == 65);
  CHECK(r.out == "");
  CHECK(r.err == "followup: the last check-in 2027-01-05 is in the future (" + bad + ":3)\n" +
                     "followup: \"5/6/2026\" is not a date (YYYY-MM-DD; D.M.YYYY; M/D/YYYY only when unambiguous; --date-format says the order) (" +
                     bad + ":4)\n" + "hint: nothing was imported; fix the file, or --skip-bad imports the other 1 contact\n");
  CHECK(b.text() == before);
}

TEST_CASE("import: --date-format reads US and two-digit dates; a bad date under --skip-bad keeps the customer") {
  Book b;
  std::string file = (b.dir / "us.csv").string();
  write_file(file, "Customer,Last Visit\nAnn,3/4/2026\nBen,11/20/26\nCal,13/45/2026\n");
  const std::vector<std::string> maps{"--map", "name=Customer", "--map", "last=Last Visit", "--date-format", "mdy"};
  auto args = import_args(file, maps);
  auto r = b(args);
  CHECK(r.code == 65); // without --skip-bad one bad date stops it all
  CHECK(r.err.find("\"13/45/2026\" is not a date in the order mdy") != std::string::npos);
  CHECK_FALSE(b.exists());
  args.push_back("--skip-bad");
  r = b(args);
  CHECK(r.code == 0);
  CHECK(r.out == "Imported 3 contacts: 3 added, 0 updated, 0 skipped.\n");
  CHECK(r.err == "followup: imported without its check-in: \"13/45/2026\" is not a date in the order mdy (" + file + ":4)\n");
  Json book = book_json(b);
  CHECK((*find(book, "ann"))["interactions"][0]["date"] == "2026-03-04");
  CHECK((*find(book, "ben"))["interactions"][0]["date"] == "2026-11-20");
  CHECK_FALSE(find(book, "cal")->contains("interactions"));
  // dmy reads the same file the other way round.
  Book eu;
  write_file((eu.dir / "eu.csv").string(), "Customer,Last Visit\nAnn,3/4/2026\n");
  CHECK(eu(import_args((eu.dir / "eu.csv").string(), {"--map", "name=Customer", "--map", "last=Last Visit", "--date-format", "DMY"})).code == 0);
  CHECK((*find(book_json(eu), "ann"))["interactions"][0]["date"] == "2026-04-03");
  // A bad order is a usage error.
  Book none;
  r = none(import_args(file, {"--map", "name=Customer", "--date-format", "ydm"}));
  CHECK(r.code == 64);
  CHECK_FALSE(none.exists());
}

TEST_CASE("import: a fax or pager column is never the phone") {
  Book b;
  std::string file = (b.dir / "fax.csv").string();
  write_file(file, "Name,Business Fax,Pager,Mobile Phone\nAnn,555-0001,555-0002,\nBen,555-0003,,555-0004\n");
  auto r = b(import_args(file));
  CHECK(r.code == 0);
  Json book = book_json(b);
  CHECK((*find(book, "ann"))["fields"] == Json::parse(R"({"phone_work_fax": "555-0001", "phone_pager": "555-0002"})"));
  CHECK((*find(book, "ben"))["fields"]["phone"] == "555-0004");
  CHECK((*find(book, "ben"))["fields"]["phone_work_fax"] == "555-0003");
}

TEST_CASE("import: --skip-bad imports the good records and reports the bad ones on stderr") {
  Book b;
  std::string bad = (b.dir / "cards.vcf").string();
  write_file(bad, "BEGIN:VCARD\nFN:Good Card\nEND:VCARD\nBEGIN:VCARD\nTEL:+1 555 0100\nEND:VCARD\n"
                  "BEGIN:VCARD\nFN:Cut Short\n");
  auto r = b(import_args(bad, {"--skip-bad"}));
  CHECK(r.code == 0);
  CHECK(r.out == "Imported 1 contact: 1 added, 0 updated, 0 skipped.\n");
  CHECK(r.err == "followup: skipped a bad record: the card has no name (no FN, N, ORG or EMAIL) (" + bad + ":4)\n" +
                     "followup: skipped a bad record: the card has no END:VCARD (" + bad + ":7)\n");
  Json book = book_json(b);
  REQUIRE(book["contacts"].size() == 1);
  CHECK(book["contacts"][0]["id"] == "good-card");
  // Without --skip-bad the same file imports nothing.
  Book fresh;
  r = fresh(import_args(bad));
  CHECK(r.code == 65);
  CHECK_FALSE(fresh.exists());
}

TEST_CASE("import: re-importing adds nothing and does not rewrite the book") {
  Book b;
  auto args = import_args(fixture("vcard/multiple-versions.vcf"));
  auto r = b(args);
  CHECK(r.out == "Imported 3 contacts: 1 added, 1 updated, 0 skipped, 1 unchanged.\n");
  std::string first = b.text();
  REQUIRE(std::filesystem::exists(b.dir / "contacts.json.bak") == false); // the first write had nothing to keep
  r = b(args);
  CHECK(r.code == 0);
  CHECK(r.out == "Imported 3 contacts: 0 added, 0 updated, 0 skipped, 3 unchanged.\n");
  CHECK(b.text() == first);
  CHECK_FALSE(std::filesystem::exists(b.dir / "contacts.json.bak"));
  Json book = book_json(b);
  REQUIRE(book["contacts"].size() == 1);
  CHECK(book["contacts"][0]["fields"] == Json::parse(R"({"phone": "+420-555-111-222",
    "address": "Dlouha 5, Praha, 110 00, Czechia", "email": "petra@example.cz"})"));
  CHECK(book["contacts"][0]["tags"] == Json::parse(R"(["climbing"])"));
}

TEST_CASE("import: --on-conflict skip leaves matching contacts alone") {
  Book b;
  b({"add", "Alice M.", "--field", "email=ALICE@example.com"});
  std::string alice = book_json(b)["contacts"][0].dump();
  auto r = b(import_args(fixture("csv/crm.csv"), {"--map", "name=Customer", "--map", "tags=Segment", "--on-conflict",
                                                  "skip", "--dry-run"}));
  CHECK(r.out == "Columns:\n"
                 "  Customer \u2192 name\n"
                 "  Segment \u2192 tags\n"
                 "  Email \u2192 email\n"
                 "  ignored: Last Visit, Cadence\n"
                 "skip alice-m (Alice M.): already in the book (same email)\n"
                 "add bob-stone (Bob Stone)\n"
                 "add carla-diaz (Carla Diaz)\n"
                 "Dry run: would add 2, update 0, skip 1; nothing written.\n");
  r = b(import_args(fixture("csv/crm.csv"), {"--map", "name=Customer", "--map", "tags=Segment", "--on-conflict", "skip"}));
  CHECK(r.out == "Imported 3 contacts: 2 added, 0 updated, 1 skipped.\n");
  CHECK(book_json(b)["contacts"][0].dump() == alice);
}

TEST_CASE("import: FILE may come after --map") {
  Book b;
  auto r = b({"import", "--map", "name=Customer", "--map", "tags=Segment", fixture("csv/crm.csv"), "--dry-run"});
  CHECK(r.code == 0);
  CHECK(r.out.find("add alice-martin (Alice Martin)\nadd bob-stone (Bob Stone)\nadd carla-diaz (Carla Diaz)\n"
                   "Dry run: would add 3, update 0, skip 0; nothing written.\n") != std::string::npos);
  CHECK(r.out.rfind("Columns:\n  Customer \u2192 name\n  Segment \u2192 tags\n", 0) == 0);
}

TEST_CASE("import: from stdin, the format sniffed from the content") {
  Book b;
  auto r = b({"import", "-"}, {}, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:From Stdin\r\nEND:VCARD\r\n");
  CHECK(r.code == 0);
  CHECK(r.out == "Imported 1 contact: 1 added, 0 updated, 0 skipped.\n");
  CHECK(book_json(b)["contacts"][0]["name"] == "From Stdin");
  r = b({"import", "-"}, {}, "Name,Email\nFrom Csv,csv@example.org\n");
  CHECK(r.out == "Imported 1 contact: 1 added, 0 updated, 0 skipped.\n");
  CHECK(book_json(b)["contacts"][1]["fields"]["email"] == "csv@example.org");
}

TEST_CASE("import: --spread staggers the first due dates") {
  Book b;
  std::string file = (b.dir / "four.csv").string();
  write_file(file, "Name\nA\nB\nC\nD\n");
  auto r = b(import_args(file, {"--spread", "2w"}));
  CHECK(r.code == 0);
  r = b({"list", "--format", "{id} {due}"});
  CHECK(r.out == "a 2026-11-24\nb 2026-11-27\nc 2026-12-01\nd 2026-12-04\n");
  // By a first-call plan each, not by a made-up `added`.
  Json book = book_json(b);
  for (const auto& c : book["contacts"]) {
    CHECK(c["added"] == "2026-11-23");
    CHECK(c["plans"].size() == 1);
    CHECK(c["plans"][0]["note"] == "first call");
  }
  r = b({"due", "--within", "1d", "--format", "{id} {reason} {about}"});
  CHECK(r.out == "a plan first call\n");
}

TEST_CASE("import: --spread-backlog staggers the overdue customers too, by snoozing them to their day") {
  Book b;
  std::string file = (b.dir / "old.csv").string();
  write_file(file, "Name,Last\nA,2023-01-05\nB,2022-06-01\nC,\nD,2024-02-02\n");
  auto r = b(import_args(file, {"--map", "last=Last", "--spread", "4w", "--spread-backlog"}));
  CHECK(r.code == 0);
  // Four over 28 days: days 1, 8, 15, 22. The three overdue are snoozed to
  // theirs, the one never seen gets a first-call plan; none is due today.
  r = b({"list", "--format", "{id} {due} {status}"});
  CHECK(r.out == "a 2026-11-24 snoozed\nb 2026-12-01 snoozed\nc 2026-12-08 ok\nd 2026-12-15 snoozed\n");
  CHECK(b({"due", "-o", "{id}"}).out == "");
  Json book = book_json(b);
  CHECK((*find(book, "a"))["snoozed_until"] == "2026-11-24");
  CHECK((*find(book, "a"))["interactions"][0]["date"] == "2023-01-05"); // the check-ins as imported
  // Without --spread-backlog they stay due today.
  Book plain;
  write_file((plain.dir / "old.csv").string(), "Name,Last\nA,2023-01-05\nB,2022-06-01\nC,\nD,2024-02-02\n");
  CHECK(plain(import_args((plain.dir / "old.csv").string(), {"--map", "last=Last", "--spread", "4w"})).code == 0);
  CHECK(plain({"due", "-o", "{id}"}).out == "b\na\nd\n");
  // --spread-backlog alone is a usage error.
  Book alone;
  r = alone(import_args(file, {"--map", "last=Last", "--spread-backlog"}));
  CHECK(r.code == 64);
  CHECK(r.err.rfind("followup: --spread-backlog goes with --spread D (--spread-backlog)", 0) == 0);
  CHECK_FALSE(alone.exists());
}

TEST_CASE("import: file and option errors") {
  Book b;
  auto r = b({"import", (b.dir / "missing.vcf").string()});
  CHECK(r.code == 74);
  CHECK(r.err == "followup: cannot read " + (b.dir / "missing.vcf").string() + ": No such file or directory\n");
  r = b({"import", b.dir.path().string()});
  CHECK(r.code == 74);

  std::string csv = fixture("csv/crm.csv");
  for (std::vector<std::string> bad : {
           std::vector<std::string>{"--from", "xml"},
           {"--on-conflict", "merge"},
           {"--spread", "0d"},
           {"--spread", "soon"},
           {"--kind", "two words"},
           {"--map", "name"},
           {"--map", "name=Nope"},
           {"--charset", "no-such-charset"},
       }) {
    CAPTURE(bad[0]);
    CAPTURE(bad[1]);
    r = b(import_args(csv, bad));
    CHECK(r.code == 64);
    CHECK(r.out == "");
  }
  r = b(import_args(fixture("vcard/nested.vcf"), {"--map", "name=FN"}));
  CHECK(r.code == 64);
  CHECK(r.err == "followup: --map applies to CSV files only (--map)\nhint: vCard properties are mapped by themselves\n");

  r = b(import_args(fixture("csv/unclosed-quote.csv")));
  CHECK(r.code == 65);
  CHECK(r.err == "followup: a quoted cell is never closed (" + fixture("csv/unclosed-quote.csv") + ":3)\n");
  r = b(import_args(fixture("csv/crm.csv"), {"--from", "vcard"}));
  CHECK(r.code == 65);
  CHECK_FALSE(b.exists());
}

TEST_CASE("import: --tag tags every contact of the file, new or already there, once") {
  Book b;
  auto args = import_args(fixture("csv/crm.csv"), kCrmMaps);
  args.insert(args.end(), {"--tag", "customer", "-t", "RETAIL"});
  auto r = b(args);
  CHECK(r.code == 0);
  Json book = book_json(b);
  // alice-martin's own Segment is retail: not twice, whatever the case.
  CHECK((*find(book, "alice-martin"))["tags"] == Json::parse(R"(["retail", "customer"])"));
  CHECK((*find(book, "carla-diaz"))["tags"].size() >= 2);
  for (const auto& c : book["contacts"]) CHECK(c["tags"].dump().find("customer") != std::string::npos);
  // A re-import with a new tag reaches the contacts already in the book.
  args = import_args(fixture("csv/crm.csv"), kCrmMaps);
  args.insert(args.end(), {"--tag", "winter-list"});
  r = b(args);
  CHECK(r.code == 0);
  const Json again = book_json(b); // held: a range-for over a temporary's member reads freed memory
  for (const auto& c : again["contacts"]) CHECK(c["tags"].dump().find("winter-list") != std::string::npos);
  CHECK(b({"list", "--tag", "winter-list", "-o", "{id}"}).out == "alice-martin\nbob-stone\ncarla-diaz\n");
  // A bad tag is a usage error; nothing is written.
  const std::string before = b.text();
  args = import_args(fixture("csv/crm.csv"), kCrmMaps);
  args.insert(args.end(), {"--tag", "two words"});
  r = b(args);
  CHECK(r.code == 64);
  CHECK(b.text() == before);
}
