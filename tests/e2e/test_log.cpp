// followup log CONTACT...: kinds, dates, --by, several contacts in one write,
// contact lookup (SPEC §4) and the order of interactions (SPEC §1).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using ordered_json = nlohmann::ordered_json;

namespace {

const char* const kPeople = R"({
  "followup": 1,
  "contacts": [
    {
      "id": "ana-lopez",
      "name": "Ana López",
      "added": "2026-01-10"
    },
    {
      "id": "the-hendersons",
      "name": "The Hendersons",
      "added": "2026-01-10"
    },
    {
      "id": "anabel-smith",
      "name": "Anabel Smith",
      "added": "2026-01-10"
    },
    {
      "id": "bob",
      "name": "Bob Anders",
      "added": "2026-01-10"
    }
  ]
}
)";

struct People : Book {
  People() { write(kPeople); }
  ordered_json doc() const { return ordered_json::parse(text()); }
  // The interactions of the contact with this id (null when it has none).
  ordered_json interactions(const std::string& id) const {
    const ordered_json d = doc();
    for (const auto& c : d["contacts"])
      if (c["id"] == id) return c.contains("interactions") ? c["interactions"] : ordered_json();
    FAIL("no contact " << id);
    return {};
  }
  bool has_backup() const { return std::filesystem::exists(dir / "contacts.json.bak"); }
};

ordered_json call_on(const std::string& date) { return ordered_json({{"date", date}, {"kind", "call"}}); }

} // namespace

TEST_CASE("log: kind defaults to call and date to today") {
  People b;
  Result r = b({"log", "ana-lopez"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Logged a call with Ana López (ana-lopez) on 2026-11-23; next due 2026-12-23.\n");
  CHECK(b.interactions("ana-lopez") == ordered_json::array({call_on("2026-11-23")}));
  CHECK(b.interactions("the-hendersons").is_null());
}

TEST_CASE("log: the message takes the kind's article: an email, a call, a user-group") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"email", "an email"}, {"Office-visit", "an Office-visit"}, {"call", "a call"},
      {"unit-check", "a unit-check"}, {"update", "an update"}, {"no-answer", "a no-answer"}};
  for (const auto& [kind, said] : cases) {
    CAPTURE(kind);
    People b;
    Result r = b({"log", "ana-lopez", "--kind", kind});
    CHECK(r.code == 0);
    CHECK(r.out.rfind("Logged " + said + " with Ana López (ana-lopez) on 2026-11-23;", 0) == 0);
  }
}

TEST_CASE("log: --kind and --note are stored") {
  People b;
  Result r = b({"log", "ana-lopez", "--kind", "visit", "--note", "Wedding planning; venue fell through."});
  CHECK(r.code == 0);
  CHECK(r.out == "Logged a visit with Ana López (ana-lopez) on 2026-11-23; next due 2026-12-23.\n");
  CHECK(b.interactions("ana-lopez") ==
        ordered_json::parse(R"([{"date": "2026-11-23", "kind": "visit", "note": "Wedding planning; venue fell through."}])"));
}

TEST_CASE("log: --date takes ISO dates and phrases (today is Monday 2026-11-23)") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"2026-01-15", "2026-01-15"},  {"today", "2026-11-23"},      {"yesterday", "2026-11-22"},
      {"3 days ago", "2026-11-20"},  {"3d ago", "2026-11-20"},     {"1 day ago", "2026-11-22"},
      {"2 weeks ago", "2026-11-09"}, {"friday", "2026-11-20"},     {"fri", "2026-11-20"},
      {"Friday", "2026-11-20"},      {"monday", "2026-11-16"},     {"sunday", "2026-11-22"},
  };
  for (const auto& [phrase, iso] : cases) {
    INFO("--date ", phrase);
    People b;
    Result r = b({"log", "ana-lopez", "--date", phrase});
    CHECK(r.code == 0);
    CHECK(r.err == "");
    CHECK(b.interactions("ana-lopez") == ordered_json::array({call_on(iso)}));
  }
}

TEST_CASE("log: a future or impossible --date is a usage error and nothing is written") {
  for (std::string bad : {"2026-11-24", "2027-01-01", "tomorrow", "2026-02-30", "2026-13-01", "someday", "3 days"}) {
    INFO("--date ", bad);
    People b;
    Result r = b({"log", "ana-lopez", "--date", bad});
    CHECK(r.code == 64);
    CHECK(r.out == "");
    CHECK(r.err.rfind("followup: ", 0) == 0);
    CHECK(r.err.find("--date") != std::string::npos);
    CHECK(b.text() == kPeople);
    CHECK(!b.has_backup());
  }
}

TEST_CASE("log: --by, else $FOLLOWUP_USER, else no by") {
  People b;
  CHECK(b({"log", "ana-lopez", "--date", "2026-11-01", "--by", "kris"}).code == 0);
  CHECK(b({"log", "ana-lopez", "--date", "2026-11-02"}, {{"FOLLOWUP_USER", "sam"}}).code == 0);
  CHECK(b({"log", "ana-lopez", "--date", "2026-11-03", "--by", "kris"}, {{"FOLLOWUP_USER", "sam"}}).code == 0);
  CHECK(b({"log", "ana-lopez", "--date", "2026-11-04"}).code == 0);
  CHECK(b.interactions("ana-lopez") == ordered_json::parse(R"([
    {"date": "2026-11-01", "kind": "call", "by": "kris"},
    {"date": "2026-11-02", "kind": "call", "by": "sam"},
    {"date": "2026-11-03", "kind": "call", "by": "kris"},
    {"date": "2026-11-04", "kind": "call"}
  ])"));
}

TEST_CASE("log: several contacts at once, in one write") {
  People b;
  Result r = b({"log", "ana-lopez", "the-hendersons", "--kind", "meeting", "--note", "Dinner"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Logged a meeting with Ana López (ana-lopez) on 2026-11-23; next due 2026-12-23.\n"
                 "Logged a meeting with The Hendersons (the-hendersons) on 2026-11-23; next due 2026-12-23.\n");
  const ordered_json dinner = ordered_json::parse(R"([{"date": "2026-11-23", "kind": "meeting", "note": "Dinner"}])");
  CHECK(b.interactions("ana-lopez") == dinner);
  CHECK(b.interactions("the-hendersons") == dinner);
  CHECK(b.interactions("anabel-smith").is_null());
  // One write: the backup is the book from before both check-ins.
  CHECK(read_file(b.dir / "contacts.json.bak") == kPeople);
}

TEST_CASE("log: an unknown contact is exit 67 and nothing is written") {
  People b;
  Result r = b({"log", "nobody"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(r.err.rfind("followup: ", 0) == 0);
  CHECK(r.err.find("nobody") != std::string::npos);
  CHECK(b.text() == kPeople);

  // One unknown among several: none is logged.
  r = b({"log", "ana-lopez", "nobody", "the-hendersons"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(r.err.find("nobody") != std::string::npos);
  CHECK(b.text() == kPeople);
  CHECK(!b.has_backup());
}

TEST_CASE("log: an ambiguous prefix is exit 67 listing the candidates' ids") {
  People b;
  Result r = b({"log", "an"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(r.err.rfind("followup: ", 0) == 0);
  CHECK(r.err.find("ana-lopez") != std::string::npos);
  CHECK(r.err.find("anabel-smith") != std::string::npos);
  CHECK(r.err.find("bob") != std::string::npos); // "an" is a prefix of the word Anders
  CHECK(r.err.find("the-hendersons") == std::string::npos);
  CHECK(b.text() == kPeople);
  CHECK(!b.has_backup());
}

TEST_CASE("log: CONTACT by exact id, name prefix, word prefix, any case and accent") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"bob", "bob"},                       // exact id (also a prefix of nothing else)
      {"anabel-smith", "anabel-smith"},     // exact id
      {"The Hend", "the-hendersons"},       // prefix of the whole name
      {"hend", "the-hendersons"},           // prefix of a word
      {"HENDERSONS", "the-hendersons"},     // case-insensitive
      {"lopez", "ana-lopez"},               // accent-insensitive
      {"lóp", "ana-lopez"},                 // accented query
      {"LÓPEZ", "ana-lopez"},               // accented capital
      {"anab", "anabel-smith"},             // unique prefix
      {"smi", "anabel-smith"},              // word prefix
      {"anders", "bob"},                    // a word of the name
  };
  for (const auto& [query, id] : cases) {
    INFO("CONTACT ", query);
    People b;
    Result r = b({"log", query});
    CHECK(r.code == 0);
    CHECK(r.err == "");
    CHECK(r.out.find("(" + id + ")") != std::string::npos);
    CHECK(b.interactions(id) == ordered_json::array({call_on("2026-11-23")}));
    for (std::string other : {"ana-lopez", "the-hendersons", "anabel-smith", "bob"})
      if (other != id) CHECK(b.interactions(other).is_null());
  }
}

TEST_CASE("log: an exact id wins over a prefix of another name") {
  Book b;
  b.write(R"({"followup": 1, "contacts": [
    {"id": "bo", "name": "Robert Smith"},
    {"id": "bob", "name": "Bo Diddley"}
  ]})");
  Result r = b({"log", "bo"});
  CHECK(r.code == 0);
  CHECK(r.out.find("(bo)") != std::string::npos);
  ordered_json doc = ordered_json::parse(b.text());
  CHECK(doc["contacts"][0]["interactions"].size() == 1);
  CHECK(!doc["contacts"][1].contains("interactions"));
}

TEST_CASE("log: interactions stay sorted by date, equal dates in insertion order") {
  People b;
  CHECK(b({"log", "ana-lopez", "--date", "2026-11-20", "--note", "first"}).code == 0);
  CHECK(b({"log", "ana-lopez", "--date", "2026-11-10", "--note", "older"}).code == 0);
  CHECK(b({"log", "ana-lopez", "--date", "2026-11-20", "--note", "second"}).code == 0);
  CHECK(b({"log", "ana-lopez", "--date", "2026-11-01", "--note", "oldest"}).code == 0);
  CHECK(b({"log", "ana-lopez", "--date", "2026-11-20", "--note", "third"}).code == 0);
  CHECK(b({"log", "ana-lopez", "--date", "2026-11-10", "--note", "older too"}).code == 0);
  std::vector<std::string> notes;
  std::vector<std::string> dates;
  for (const auto& it : b.interactions("ana-lopez")) {
    notes.push_back(it["note"]);
    dates.push_back(it["date"]);
  }
  CHECK(notes == std::vector<std::string>{"oldest", "older", "older too", "first", "second", "third"});
  CHECK(dates == std::vector<std::string>{"2026-11-01", "2026-11-10", "2026-11-10", "2026-11-20", "2026-11-20",
                                          "2026-11-20"});
}

TEST_CASE("log: an older check-in does not move the due date back") {
  People b;
  CHECK(b({"log", "ana-lopez", "--date", "2026-11-20"}).code == 0);
  Result r = b({"log", "ana-lopez", "--date", "2026-10-01"});
  CHECK(r.code == 0);
  CHECK(r.out == "Logged a call with Ana López (ana-lopez) on 2026-10-01; next due 2026-12-20.\n");
}

TEST_CASE("log: a missing book has no contacts: exit 67, no file created") {
  Book b;
  Result r = b({"log", "ana"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(!b.exists());
}

TEST_CASE("log: errors are one line `followup: <what> (<where>)`, then at most a hint") {
  People b;
  const std::vector<std::vector<std::string>> refused{
      {"log", "nobody"},                           // unknown contact (67)
      {"log", "an"},                               // ambiguous contact (67)
      {"log", "ana-lopez", "--date", "2026-11-24"}, // future date (64)
  };
  for (const auto& args : refused) {
    INFO("args: ", args[1], " ", args.back());
    Result r = b(args);
    CHECK(r.out == "");
    auto ls = lines(r.err);
    REQUIRE(!ls.empty());
    CHECK(ls.size() <= 2);
    CHECK(ls[0].rfind("followup: ", 0) == 0);
    // The contract's form: a `(<where>)` closes the first line.
    CHECK(ls[0].back() == ')');
    CHECK(ls[0].find(" (") != std::string::npos);
    if (ls.size() == 2) CHECK(ls[1].rfind("hint: ", 0) == 0);
    CHECK(b.text() == kPeople);
  }
}

TEST_CASE("log: several contacts by name prefix, as in the README: one check-in each, one write") {
  Book b;
  const std::string before = R"({
  "followup": 1,
  "rules": [
    {"name": "friends", "match": "tag:friend", "every": "2w"}
  ],
  "contacts": [
    {"id": "ana-lopez", "name": "Ana López", "tags": ["friend"], "every": "6w",
     "interactions": [{"date": "2026-11-20", "kind": "call", "note": "venue"}]},
    {"id": "anabel-ruiz", "name": "Anabel Ruiz"},
    {"id": "tom-smith", "name": "Tom Smith", "tags": ["friend"]}
  ]
}
)";
  b.write(before);
  // "ana" is a whole word of Ana López (it beats the prefix of Anabel);
  // naming Ana twice still logs once.
  Result r = b({"log", "ana", "tom", "ana-lopez", "LÓPEZ", "--kind", "visit", "--note", "dinner"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  // Ana: own 6w from today = 2027-01-04; Tom: rule friends 2w = 2026-12-07.
  CHECK(r.out == "Logged a visit with Ana López (ana-lopez) on 2026-11-23; next due 2027-01-04.\n"
                 "Logged a visit with Tom Smith (tom-smith) on 2026-11-23; next due 2026-12-07.\n");
  CHECK(read_file(b.dir / "contacts.json.bak") == before); // one write
  ordered_json doc = ordered_json::parse(b.text());
  CHECK(doc["contacts"][0]["interactions"] == ordered_json::parse(R"([
    {"date": "2026-11-20", "kind": "call", "note": "venue"},
    {"date": "2026-11-23", "kind": "visit", "note": "dinner"}])"));
  CHECK(!doc["contacts"][1].contains("interactions"));
  CHECK(doc["contacts"][2]["interactions"] ==
        ordered_json::parse(R"([{"date": "2026-11-23", "kind": "visit", "note": "dinner"}])"));
  // Everything else as it was.
  ordered_json want = ordered_json::parse(before);
  want["contacts"][0]["interactions"] = doc["contacts"][0]["interactions"];
  want["contacts"][2]["interactions"] = doc["contacts"][2]["interactions"];
  CHECK(doc == want);
}

TEST_CASE("log: a kind the rule does not count is logged, with a warning and the nearest kind it counts") {
  Book b;
  b.write(R"({"followup": 1,
    "rules": [{"name": "clients", "match": "tag:client", "every": "30d", "counts": ["call", "visit"]}],
    "contacts": [{"id": "ana", "name": "Ana", "tags": ["client"]}, {"id": "bo", "name": "Bo"}]})");
  Result r = b({"log", "ana", "--kind", "cal"});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("Logged a cal with Ana (ana)", 0) == 0);
  CHECK(r.err == "followup: a cal check-in does not reset the clock of Ana (ana): rule clients counts call, visit only\n"
                 "hint: did you mean 'call'?\n");
  CHECK(ordered_json::parse(b.text())["contacts"][0]["interactions"][0]["kind"] == "cal");
  // A counted kind, or an attempt: nothing said.
  r = b({"log", "ana", "--kind", "visit"});
  CHECK(r.err == "");
  r = b({"log", "ana", "--kind", "voicemail"});
  CHECK(r.err == "");
  // A kind far from any counted one: the warning without a hint.
  r = b({"log", "ana", "--kind", "newsletter"});
  CHECK(r.err == "followup: a newsletter check-in does not reset the clock of Ana (ana): rule clients counts call, visit only\n");
  // Where every kind counts, a new kind near a known one is likely a typo.
  r = b({"log", "bo", "--kind", "meting"});
  CHECK(r.code == 0);
  CHECK(r.err == "followup: 'meting' is a kind this book has not seen before\nhint: did you mean 'meeting'?\n");
  // Once seen, it is the book's own: nothing said.
  r = b({"log", "bo", "--kind", "meting"});
  CHECK(r.err == "");
  r = b({"log", "bo", "--kind", "coffee"});
  CHECK(r.err == "");
}

TEST_CASE("log: --kind \"no answer\" is the attempt no-answer") {
  People b;
  for (const char* spelled : {"no answer", "No_Answer", "voice mail"}) {
    CAPTURE(spelled);
    Result r = b({"log", "ana-lopez", "--kind", spelled});
    CHECK(r.code == 0);
    CHECK(r.err == "");
  }
  const ordered_json its = b.interactions("ana-lopez");
  REQUIRE(its.size() == 3);
  CHECK(its[0]["kind"] == "no-answer");
  CHECK(its[1]["kind"] == "no-answer");
  CHECK(its[2]["kind"] == "voicemail");
  Result bad = b({"log", "ana-lopez", "--kind", "left a message"});
  CHECK(bad.code == 64);
}
