// followup history CONTACT: newest first, --limit, --kind, --since, the card
// in the table, records only in machine formats (SPEC §4).
#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;

namespace {

const char* const kBook = R"({
  "followup": 1,
  "contacts": [
    {
      "id": "ana-lopez",
      "name": "Ana López",
      "tags": ["friend", "soccer"],
      "every": "6w",
      "fields": {"phone": "+1 555 0100", "email": "ana@example.org"},
      "notes": "Getting married in June; fiancé is Tom.",
      "added": "2026-01-10",
      "interactions": [
        {"date": "2026-09-15", "kind": "visit", "note": "Housewarming", "by": "kris"},
        {"date": "2026-10-01", "kind": "Email", "note": "Sent photos"},
        {"date": "2026-10-26", "kind": "call", "note": "Birthday call"},
        {"date": "2026-11-01", "kind": "email", "note": "Invitation"},
        {"date": "2026-11-20", "kind": "call", "note": "Wedding planning; venue fell through.", "by": "kris"}
      ]
    },
    {"id": "bo", "name": "Bo Berg"}
  ]
}
)";

struct Cards : Book {
  Cards() { write(kBook); }
  std::string ok(std::vector<std::string> args) const {
    Result r = (*this)(std::move(args));
    CHECK(r.code == 0);
    CHECK(r.err == "");
    return r.out;
  }
  // The dates of `history ana --format {date}` with more options.
  std::vector<std::string> dates(std::vector<std::string> more = {}) const {
    std::vector<std::string> args{"history", "ana", "--format", "{date}"};
    args.insert(args.end(), more.begin(), more.end());
    return lines(ok(args));
  }
};

using Dates = std::vector<std::string>;

bool has_line(const std::string& text, const std::string& line) {
  for (const auto& l : lines(text))
    if (l == line) return true;
  return false;
}

} // namespace

TEST_CASE("history: newest first") {
  Cards b;
  CHECK(b.dates() == Dates{"2026-11-20", "2026-11-01", "2026-10-26", "2026-10-01", "2026-09-15"});
  CHECK(b.ok({"history", "ana-lopez", "--format", "tsv"}) ==
        "2026-11-20\tcall\tWedding planning; venue fell through.\tkris\tana-lopez\tAna López\n"
        "2026-11-01\temail\tInvitation\t\tana-lopez\tAna López\n"
        "2026-10-26\tcall\tBirthday call\t\tana-lopez\tAna López\n"
        "2026-10-01\tEmail\tSent photos\t\tana-lopez\tAna López\n"
        "2026-09-15\tvisit\tHousewarming\tkris\tana-lopez\tAna López\n");
}

TEST_CASE("history: newest first also for check-ins logged out of order") {
  Book b;
  CHECK(b({"add", "Cleo"}).code == 0);
  CHECK(b({"log", "cleo", "--date", "2026-11-10", "--note", "b"}).code == 0);
  CHECK(b({"log", "cleo", "--date", "2026-10-01", "--note", "a"}).code == 0);
  CHECK(b({"log", "cleo", "--date", "2026-11-10", "--note", "c"}).code == 0);
  CHECK(b({"log", "cleo", "--date", "2026-11-20", "--note", "d"}).code == 0);
  Result r = b({"history", "cleo", "--format", "{date} {note}"});
  CHECK(r.code == 0);
  // Equal dates: the later logged one is the newer.
  CHECK(r.out == "2026-11-20 d\n2026-11-10 c\n2026-11-10 b\n2026-10-01 a\n");
}

TEST_CASE("history: --limit keeps the newest N") {
  Cards b;
  CHECK(b.dates({"--limit", "2"}) == Dates{"2026-11-20", "2026-11-01"});
  CHECK(b.dates({"--limit", "1"}) == Dates{"2026-11-20"});
  CHECK(b.dates({"--limit", "10"}).size() == 5);
  Result r = b({"history", "ana", "--limit", "two"});
  CHECK(r.code == 64);
  CHECK(r.out == "");
}

TEST_CASE("history: --kind filters, case-insensitively") {
  Cards b;
  CHECK(b.dates({"--kind", "email"}) == Dates{"2026-11-01", "2026-10-01"});
  CHECK(b.dates({"--kind", "CALL"}) == Dates{"2026-11-20", "2026-10-26"});
  CHECK(b.dates({"--kind", "email", "--limit", "1"}) == Dates{"2026-11-01"});
  CHECK(b.dates({"--kind", "meeting"}) == Dates{});
}

TEST_CASE("history: --since takes dates and phrases, inclusive") {
  Cards b;
  CHECK(b.dates({"--since", "2026-10-26"}) == Dates{"2026-11-20", "2026-11-01", "2026-10-26"});
  CHECK(b.dates({"--since", "4 weeks ago"}) == Dates{"2026-11-20", "2026-11-01", "2026-10-26"});
  CHECK(b.dates({"--since", "27 days ago"}) == Dates{"2026-11-20", "2026-11-01"});
  CHECK(b.dates({"--since", "friday"}) == Dates{"2026-11-20"});
  CHECK(b.dates({"--since", "today"}) == Dates{});
  CHECK(b.dates({"--since", "2026-10-01", "--kind", "email"}) == Dates{"2026-11-01", "2026-10-01"});
  for (std::string bad : {"2026-02-30", "whenever"}) {
    Result r = b({"history", "ana", "--since", bad});
    CHECK(r.code == 64);
    CHECK(r.out == "");
    CHECK(r.err.find("--since") != std::string::npos);
  }
}

TEST_CASE("history: the table shows the card, then the check-ins") {
  Cards b;
  std::string out = b.ok({"history", "ana"});
  auto ls = lines(out);
  REQUIRE(!ls.empty());
  CHECK(ls[0].find("Ana López") != std::string::npos);
  CHECK(ls[0].find("ana-lopez") != std::string::npos);
  CHECK(out.find("friend") != std::string::npos);
  CHECK(out.find("soccer") != std::string::npos);
  CHECK(out.find("+1 555 0100") != std::string::npos);
  CHECK(out.find("ana@example.org") != std::string::npos);
  CHECK(out.find("phone") != std::string::npos);
  CHECK(out.find("Getting married in June; fiancé is Tom.") != std::string::npos);
  // The check-ins, newest first, with their notes.
  auto wedding = out.find("Wedding planning; venue fell through.");
  auto invitation = out.find("Invitation");
  auto birthday = out.find("Birthday call");
  auto photos = out.find("Sent photos");
  auto house = out.find("Housewarming");
  REQUIRE(house != std::string::npos);
  CHECK(wedding < invitation);
  CHECK(invitation < birthday);
  CHECK(birthday < photos);
  CHECK(photos < house);
  // The card comes before the check-ins.
  CHECK(out.find("Getting married") < wedding);
  CHECK(out.find("+1 555 0100") < wedding);
  // Each check-in on one line with its date.
  CHECK(std::any_of(ls.begin(), ls.end(), [](const std::string& l) {
    return l.find("2026-11-20") != std::string::npos && l.find("Wedding planning") != std::string::npos &&
           l.find("call") != std::string::npos && l.find("kris") != std::string::npos;
  }));
  CHECK(out.find('\x1b') == std::string::npos);
}

TEST_CASE("history: filters shorten the table, not the card") {
  Cards b;
  std::string out = b.ok({"history", "ana", "--kind", "visit"});
  CHECK(out.find("Getting married in June") != std::string::npos);
  CHECK(out.find("Housewarming") != std::string::npos);
  CHECK(out.find("Wedding planning") == std::string::npos);
  CHECK(out.find("Invitation") == std::string::npos);
}

TEST_CASE("history: machine formats print the records only") {
  Cards b;
  std::string tsv = b.ok({"history", "ana", "--format", "tsv"});
  CHECK(lines(tsv).size() == 5);
  CHECK(tsv.find("Getting married") == std::string::npos);
  CHECK(tsv.find("+1 555 0100") == std::string::npos);
  std::string csv = b.ok({"history", "ana", "--format", "csv", "--limit", "1"});
  CHECK(csv == "date,kind,note,by,id,name\r\n"
               "2026-11-20,call,Wedding planning; venue fell through.,kris,ana-lopez,Ana López\r\n");
  auto json = nlohmann::json::parse(b.ok({"history", "ana", "--format", "json"}));
  CHECK(json.is_array());
  CHECK(json.size() == 5);
  std::string jsonl = b.ok({"history", "ana", "--format", "jsonl", "--kind", "visit"});
  CHECK(jsonl == "{\"date\":\"2026-09-15\",\"kind\":\"visit\",\"note\":\"Housewarming\",\"by\":\"kris\","
                 "\"id\":\"ana-lopez\",\"name\":\"Ana López\"}\n");
  // A contact without check-ins: nothing at all in tsv and template formats.
  CHECK(b.ok({"history", "bo", "--format", "tsv"}) == "");
  CHECK(b.ok({"history", "bo", "--format", "{date}"}) == "");
  CHECK(b.ok({"history", "bo", "--format", "csv"}) == "date,kind,note,by,id,name\r\n");
}

TEST_CASE("history: a card without check-ins still shows the contact") {
  Cards b;
  std::string out = b.ok({"history", "bo"});
  REQUIRE(!out.empty());
  CHECK(lines(out)[0].find("Bo Berg") != std::string::npos);
  CHECK(out.find("Wedding") == std::string::npos);
}

TEST_CASE("history: the contact is looked up like log does; unknown is 67") {
  Cards b;
  CHECK(b.ok({"history", "lopez", "--format", "{id}", "--limit", "1"}) == "ana-lopez\n");
  CHECK(b.ok({"history", "BERG", "--format", "{id}"}) == "");
  Result r = b({"history", "zed"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(r.err.find("zed") != std::string::npos);
  r = b({"history", "b"}); // Bo Berg only: a unique prefix
  CHECK(r.code == 0);
  Book empty;
  r = empty({"history", "ana"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(!empty.exists());
  CHECK(has_line(b.ok({"history", "ana", "--format", "{kind}"}), "Email"));
}

// Issue 16: a note with line breaks and tabs keeps its row one line in the
// tables of history and show (⏎ for a break), and whole in machine formats.
TEST_CASE("history: a multi-line note stays on its row in the table") {
  Book b;
  b.write(R"({"followup": 1, "contacts": [{"id": "ana", "name": "Ana", "interactions": [
    {"date": "2026-11-01", "kind": "call", "note": "first line\nsecond\tline\r\nthird"},
    {"date": "2026-11-02", "kind": "visit", "note": "short"}]}]})");
  const std::string row = "2026-11-01  call       first line ⏎ second line ⏎ third";
  Result history = b({"history", "ana"});
  CHECK(history.code == 0);
  CHECK(has_line(history.out, row));
  CHECK(has_line(history.out, "2026-11-02  visit      short"));
  Result show = b({"show", "ana"});
  CHECK(has_line(show.out, row));
  // No line of either starts a note's continuation at column 0.
  for (const std::string& out : {history.out, show.out}) {
    CHECK(out.find("\nsecond") == std::string::npos);
    CHECK(out.find("\nthird") == std::string::npos);
  }
  // Machine formats keep the note as written.
  Result tsv = b({"history", "ana", "-o", "tsv"});
  CHECK(tsv.out.find("first line\\nsecond\\tline\\r\\nthird") != std::string::npos);
}
