// followup snooze / unsnooze (SPEC §2, §3, §4). Today is Monday 2026-11-23.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using ordered_json = nlohmann::ordered_json;

namespace {

// Ana is 53 days overdue, Bo 23; Cy is not due (and never snoozed).
const char* const kBook = R"({
  "followup": 1,
  "contacts": [
    {
      "id": "ana-lopez",
      "name": "Ana López",
      "interactions": [
        {
          "date": "2026-09-01",
          "kind": "call"
        }
      ]
    },
    {
      "id": "bo",
      "name": "Bo",
      "added": "2026-10-01"
    },
    {
      "id": "cy",
      "name": "Cy",
      "added": "2026-11-20"
    }
  ]
}
)";

struct Snoozy : Book {
  Snoozy() { write(kBook); }
  ordered_json contact(const std::string& id) const {
    const ordered_json doc = ordered_json::parse(text());
    for (const auto& c : doc["contacts"])
      if (c["id"] == id) return c;
    FAIL("no contact " << id);
    return {};
  }
  std::string due_ids(std::vector<std::string> more = {}) const {
    std::vector<std::string> args{"due", "--format", "{id}"};
    args.insert(args.end(), more.begin(), more.end());
    Result r = (*this)(args);
    CHECK(r.code == 0);
    return r.out;
  }
};

// A refused snooze: exit 64, nothing on stdout, the book as it was.
void check_refused(const std::vector<std::string>& args, const std::string& about) {
  INFO("snooze refused: ", about);
  Snoozy b;
  std::vector<std::string> full{"snooze", "ana-lopez"};
  full.insert(full.end(), args.begin(), args.end());
  Result r = b(full);
  CHECK(r.code == 64);
  CHECK(r.out == "");
  CHECK(r.err.rfind("followup: ", 0) == 0);
  CHECK(b.text() == kBook);
  CHECK(!std::filesystem::exists(b.dir / "contacts.json.bak"));
}

} // namespace

TEST_CASE("snooze: --until friday is the next Friday") {
  Snoozy b;
  Result r = b({"snooze", "ana", "--until", "friday"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Snoozed Ana López (ana-lopez) until 2026-11-27.\n");
  CHECK(b.contact("ana-lopez")["snoozed_until"] == "2026-11-27");
  CHECK(!b.contact("bo").contains("snoozed_until"));
}

TEST_CASE("snooze: --until takes ISO dates, tomorrow and weekday names") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"2026-12-01", "2026-12-01"}, {"tomorrow", "2026-11-24"}, {"mon", "2026-11-30"},
      {"Monday", "2026-11-30"},     {"sunday", "2026-11-29"},   {"tue", "2026-11-24"},
  };
  for (const auto& [phrase, iso] : cases) {
    INFO("--until ", phrase);
    Snoozy b;
    Result r = b({"snooze", "ana-lopez", "--until", phrase});
    CHECK(r.code == 0);
    CHECK(r.out == "Snoozed Ana López (ana-lopez) until " + iso + ".\n");
    CHECK(b.contact("ana-lopez")["snoozed_until"] == iso);
  }
}

TEST_CASE("snooze: --for adds a duration to today") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"2w", "2026-12-07"}, {"3d", "2026-11-26"}, {"1m", "2026-12-23"}, {"1y", "2027-11-23"}, {"1m1w", "2026-12-30"},
  };
  for (const auto& [dur, iso] : cases) {
    INFO("--for ", dur);
    Snoozy b;
    Result r = b({"snooze", "bo", "--for", dur});
    CHECK(r.code == 0);
    CHECK(r.out == "Snoozed Bo (bo) until " + iso + ".\n");
    CHECK(b.contact("bo")["snoozed_until"] == iso);
  }
}

TEST_CASE("snooze: neither or both of --until and --for is a usage error") {
  check_refused({}, "neither");
  check_refused({"--until", "friday", "--for", "2w"}, "both");
}

TEST_CASE("snooze: a date that is not after today is a usage error") {
  check_refused({"--until", "today"}, "today");
  check_refused({"--until", "2026-11-23"}, "today, ISO");
  check_refused({"--until", "2026-11-01"}, "past date");
  check_refused({"--until", "yesterday"}, "yesterday");
  check_refused({"--until", "2026-02-30"}, "impossible date");
  check_refused({"--until", "later"}, "not a date");
  check_refused({"--for", "0d"}, "zero duration");
  check_refused({"--for", "2x"}, "bad duration");
  check_refused({"--for", "never"}, "never is not a length");
}

TEST_CASE("snooze: an unknown contact is exit 67 and nothing is written") {
  Snoozy b;
  Result r = b({"snooze", "zed", "--for", "2w"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(b.text() == kBook);
}

TEST_CASE("snooze: a snoozed contact leaves the due list until the date") {
  Snoozy b;
  CHECK(b.due_ids() == "ana-lopez\nbo\n");
  CHECK(b({"snooze", "ana", "--until", "friday"}).code == 0);
  CHECK(b.due_ids() == "bo\n");
  CHECK(b.due_ids({"--today", "2026-11-26"}) == "bo\n");
  // On the date itself it is due again, as due that day.
  Result r = b({"--today", "2026-11-27", "due", "--format", "{id} {due} {overdue}"});
  CHECK(r.code == 0);
  CHECK(r.out == "bo 2026-10-31 27\nana-lopez 2026-11-27 0\n");
  // --within shows it as upcoming.
  r = b({"due", "--within", "1w", "--format", "{id} {due} {overdue}", "--where", "kind:call"});
  CHECK(r.code == 0);
  CHECK(r.out == "ana-lopez 2026-11-27 -4\n");
}

TEST_CASE("snooze: unsnooze restores the contact to the due list") {
  Snoozy b;
  CHECK(b({"snooze", "ana", "--for", "2w"}).code == 0);
  CHECK(b.due_ids() == "bo\n");
  std::string snoozed = b.text();
  Result r = b({"unsnooze", "ana"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out.find("ana-lopez") != std::string::npos);
  CHECK(!b.contact("ana-lopez").contains("snoozed_until"));
  CHECK(b.due_ids() == "ana-lopez\nbo\n");
  CHECK(b.text() == kBook);
  CHECK(read_file(b.dir / "contacts.json.bak") == snoozed);
}

TEST_CASE("snooze: snoozing again replaces the date") {
  Snoozy b;
  CHECK(b({"snooze", "ana", "--for", "2w"}).code == 0);
  CHECK(b({"snooze", "ana", "--until", "tomorrow"}).code == 0);
  CHECK(b.contact("ana-lopez")["snoozed_until"] == "2026-11-24");
}

TEST_CASE("snooze: unsnooze of a contact that is not snoozed exits 0 and changes nothing") {
  Snoozy b;
  Result r = b({"unsnooze", "cy"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out.find("Cy") != std::string::npos);
  CHECK(b.text() == kBook);
  r = b({"unsnooze", "zed"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(b.text() == kBook);
}

TEST_CASE("snooze: the book keeps its layout, only the snoozed_until line is new") {
  Snoozy b;
  CHECK(b({"snooze", "bo", "--until", "2026-12-24"}).code == 0);
  std::string expected = kBook;
  const std::string at = "      \"added\": \"2026-10-01\"\n";
  auto pos = expected.find(at);
  REQUIRE(pos != std::string::npos);
  expected.replace(pos, at.size(), "      \"added\": \"2026-10-01\",\n      \"snoozed_until\": \"2026-12-24\"\n");
  CHECK(b.text() == expected);
}
