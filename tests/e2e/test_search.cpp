// SPEC §3: `search TEXT` and the substring tests of the match language
// (`field:KEY~TEXT`, `name~TEXT`, `note~TEXT`), case- and accent-insensitive,
// in --where and in rules; `list --limit`.
#include <doctest/doctest.h>

#include "run.hpp"

using namespace e2e;

namespace {

// FOLLOWUP_TODAY is 2026-11-23.
const char* const kBook = R"({
  "followup": 1,
  "contacts": [
    {"id": "ana", "name": "Ana López", "fields": {"car": "Volvo XC90"}, "notes": "Café owner",
     "interactions": [{"date": "2026-11-01", "kind": "call", "note": "Kitchen project in spring"}]},
    {"id": "bo", "name": "Bo Chen", "fields": {"car": "Tesla"},
     "interactions": [{"date": "2026-10-01", "kind": "visit", "note": "brakes done"},
                      {"date": "2026-11-10", "kind": "email"}]},
    {"id": "cy", "name": "Cy Volvovich", "interactions": []}
  ]
}
)";

struct SearchBook : Book {
  SearchBook() { write(kBook); }
  std::string ids(std::vector<std::string> args) const {
    args.insert(args.end(), {"-o", "{id}"});
    Result r = (*this)(args);
    CHECK(r.err == "");
    CHECK(r.code == 0);
    return r.out;
  }
};

} // namespace

TEST_CASE("search: name, notes, field values and check-in notes; case and accents ignored") {
  SearchBook b;
  CHECK(b.ids({"search", "volvo"}) == "ana\ncy\n");       // a field's value, a name
  CHECK(b.ids({"search", "LOPEZ"}) == "ana\n");           // the name, accent folded
  CHECK(b.ids({"search", "cafe"}) == "ana\n");            // the contact's notes
  CHECK(b.ids({"search", "kitchen"}) == "ana\n");         // a check-in's note
  CHECK(b.ids({"search", "brakes"}) == "bo\n");           // an older check-in's note too
  CHECK(b.ids({"search", "car"}) == "");                  // keys are not searched
  CHECK(b.ids({"search", "nobody"}) == "");
  CHECK(b.ids({"search", "o", "--sort", "last", "--limit", "2"}) == "cy\nbo\n");
  // As list: its table and records.
  Result table = b({"search", "tesla"});
  CHECK(table.out.rfind("ID  NAME     STATUS", 0) == 0);
  Result json = b({"search", "tesla", "-o", "jsonl"});
  CHECK(json.out.find("\"id\":\"bo\"") != std::string::npos);
  CHECK(b.text() == kBook);
}

TEST_CASE("search: bad input is a usage error") {
  SearchBook b;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"search"}, {"search", ""}, {"search", "a", "-o", "yaml"}, {"search", "\xff"}}) {
    CAPTURE(args);
    Result r = b(args);
    CHECK(r.code == 64);
    CHECK(r.out == "");
    CHECK(r.err.rfind("followup: ", 0) == 0);
  }
  CHECK(b.text() == kBook);
}

TEST_CASE("search: substring tests in --where, also where a summary load would drop the notes") {
  SearchBook b;
  CHECK(b.ids({"list", "--where", "field:car~volvo"}) == "ana\n");
  CHECK(b.ids({"list", "--where", "name~volvo or field:car~TES"}) == "bo\ncy\n");
  CHECK(b.ids({"list", "--where", "note~brakes"}) == "bo\n");
  CHECK(b.ids({"list", "--where", "note~café"}) == "ana\n");
  CHECK(b.ids({"due", "--within", "1y", "--where", "note~kitchen"}) == "ana\n");
  CHECK(b.ids({"due", "--within", "1y", "--where", "not note~kitchen"}) == "cy\nbo\n");
  Result bad = b({"list", "--where", "field:car~"});
  CHECK(bad.code == 64);
  CHECK(bad.err.rfind("followup: bad expression at column 1: empty text for field car (--where)", 0) == 0);
}

TEST_CASE("search: a rule that tests notes sees them, though due reads a summary") {
  SearchBook b;
  Result add = b({"rules", "add", "kitchen", "--match", "note~kitchen", "--every", "1w"});
  REQUIRE(add.code == 0);
  // Ana's last call (2026-11-01) + 1w: 15 days overdue under the rule.
  CHECK(b.ids({"due", "--where", "name~ana"}) == "ana\n");
  Result r = b({"due", "--format", "{id} {rule} {overdue}"});
  CHECK(r.out.find("ana kitchen 15\n") != std::string::npos);
  Result list = b({"list", "--format", "{id} {rule}"});
  CHECK(list.out.find("ana kitchen\n") != std::string::npos);
  CHECK(list.out.find("bo default\n") != std::string::npos);
}

TEST_CASE("--format names are case-insensitive") {
  SearchBook b;
  CHECK(b({"list", "-o", "JSONL"}).out == b({"list", "-o", "jsonl"}).out);
  CHECK(b({"list", "-o", "Tsv"}).out == b({"list", "-o", "tsv"}).out);
  CHECK(b({"due", "-o", "CSV"}).out == b({"due", "-o", "csv"}).out);
  CHECK(b({"brief", "-o", "MD"}).out == b({"brief", "-o", "md"}).out);
  CHECK(b({"brief", "-o", "md"}).out.rfind("## ", 0) == 0);
}

TEST_CASE("list --limit: at most N, after sorting") {
  SearchBook b;
  CHECK(b.ids({"list", "--limit", "2"}) == "ana\nbo\n");
  CHECK(b.ids({"list", "--sort", "last", "-l", "1"}) == "cy\n");
  CHECK(b.ids({"list", "--limit", "0"}) == "");
  Result bad = b({"list", "--limit", "-1"});
  CHECK(bad.code == 64);
}
