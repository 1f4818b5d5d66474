// Plans, occasions, attempts (SPEC §7) from the user's side: plan/unplan,
// log --next and fulfilment, occasions on add/edit, attempts and retry, the
// new record fields, the REASON column, --explain, the match language, ics,
// import, the snooze warning, and bad input. Today is Monday 2026-11-23.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using ordered_json = nlohmann::ordered_json;

namespace {

// Ana: due 2027-01-01 by her 6w; Bo: every never; Cy: due 2026-12-20.
const char* const kBook = R"({
  "followup": 1,
  "contacts": [
    {
      "id": "ana-lopez",
      "name": "Ana López",
      "every": "6w",
      "added": "2026-01-10",
      "interactions": [
        {
          "date": "2026-11-20",
          "kind": "call"
        }
      ]
    },
    {
      "id": "bo",
      "name": "Bo",
      "every": "never",
      "added": "2026-01-01"
    },
    {
      "id": "cy",
      "name": "Cy",
      "added": "2026-11-20"
    }
  ]
}
)";

struct Plans : Book {
  Plans() { write(kBook); }
  ordered_json contact(const std::string& id) const {
    const ordered_json doc = ordered_json::parse(text());
    for (const auto& c : doc["contacts"])
      if (c["id"] == id) return c;
    FAIL("no contact " << id);
    return {};
  }
  ordered_json json(std::vector<std::string> args) const {
    args.push_back("--format");
    args.push_back("json");
    Result r = (*this)(args);
    REQUIRE(r.code == 0);
    return ordered_json::parse(r.out);
  }
  void ok(const std::vector<std::string>& args) const {
    Result r = (*this)(args);
    INFO(args.front(), ": ", r.err);
    REQUIRE(r.code == 0);
  }
};

std::vector<std::string> keys_of(const ordered_json& o) {
  std::vector<std::string> out;
  for (auto it = o.begin(); it != o.end(); ++it) out.push_back(it.key());
  return out;
}

} // namespace

TEST_CASE("plan: a note and a future phrase; due lists it on its day with reason and about") {
  Plans b;
  // Without a row for another reason than the cadence, no REASON column.
  Result plain = b({"due", "--today", "2027-01-05"});
  CHECK(plain.out.find("ana-lopez") != std::string::npos);
  CHECK(plain.out.find("REASON") == std::string::npos);
  Result r = b({"plan", "ana", "in 2w", "--note", "after the wedding"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Planned a call with Ana López (ana-lopez) on 2026-12-07 (after the wedding).\n");
  CHECK(b.contact("ana-lopez")["plans"] == ordered_json::parse(R"([{"date": "2026-12-07", "note": "after the wedding"}])"));
  // Not before its day (no window for plans)...
  CHECK(b({"due", "--today", "2026-12-06", "--format", "{id}"}).out == "");
  // ...then listed, in every format, with the new fields in contract order.
  ordered_json due = b.json({"due", "--today", "2026-12-07"});
  REQUIRE(due.size() == 1);
  CHECK(keys_of(due[0]) == std::vector<std::string>{"id", "name", "due", "overdue", "last", "last_kind", "every", "rule",
                                                    "tags", "reason", "about", "owner"});
  CHECK(due[0]["reason"] == "plan");
  CHECK(due[0]["about"] == "after the wedding");
  CHECK(due[0]["due"] == "2026-12-07");
  CHECK(due[0]["owner"].is_null());
  CHECK(b({"due", "--today", "2026-12-07", "--format", "tsv"}).out ==
        "ana-lopez\tAna López\t2026-12-07\t0\t2026-11-20\tcall\t6w\town\t\tplan\tafter the wedding\t\n");
  CHECK(lines(b({"due", "--today", "2026-12-07", "--format", "csv"}).out)[0] ==
        "id,name,due,overdue,last,last_kind,every,rule,tags,reason,about,owner\r");
  Result table = b({"due", "--today", "2026-12-07"});
  CHECK(table.out.find("REASON") != std::string::npos);
  CHECK(table.out.find("plan: after the wedding") != std::string::npos);
}

TEST_CASE("plan: the date phrases, several contacts in one write") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"2027-06-20", "2027-06-20"}, {"tomorrow", "2026-11-24"}, {"friday", "2026-11-27"}, {"mon", "2026-11-30"},
      {"in 3 days", "2026-11-26"},  {"in 1 month", "2026-12-23"}, {"2w", "2026-12-07"},   {"in 2w", "2026-12-07"}};
  for (const auto& [phrase, iso] : cases) {
    INFO(phrase);
    Plans b;
    Result r = b({"plan", "ana", "bo", phrase});
    CHECK(r.code == 0);
    CHECK(b.contact("ana-lopez")["plans"][0]["date"] == iso);
    CHECK(b.contact("bo")["plans"][0]["date"] == iso);
    CHECK(!b.contact("bo")["plans"][0].contains("note"));
  }
}

TEST_CASE("plan: plans and occasions sit after snoozed_until, before interactions") {
  Plans b;
  b.ok({"edit", "ana", "--owner", "kris", "--occasion", "birthday=1989-06-14"});
  b.ok({"plan", "ana", "2027-01-05"});
  CHECK(keys_of(b.contact("ana-lopez")) ==
        std::vector<std::string>{"id", "name", "every", "added", "owner", "occasions", "plans", "interactions"});
  CHECK(b.text().find("      \"occasions\": {\n        \"birthday\": \"1989-06-14\"\n      },\n") != std::string::npos);
}

TEST_CASE("unplan: one plan by its date, or all; none left drops the key") {
  Plans b;
  b.ok({"plan", "cy", "2026-12-01"});
  b.ok({"plan", "cy", "2027-02-01", "--note", "b"});
  Result r = b({"unplan", "cy", "2026-12-01"});
  CHECK(r.code == 0);
  CHECK(r.out == "Removed the plan with Cy (cy) on 2026-12-01.\n");
  CHECK(b.contact("cy")["plans"].size() == 1);
  const std::string before = b.text();
  r = b({"unplan", "cy", "2026-12-02"});
  CHECK(r.code == 64);
  CHECK(r.out == "");
  CHECK(r.err.rfind("followup: cy has no plan on 2026-12-02", 0) == 0);
  CHECK(b.text() == before);
  b.ok({"unplan", "cy"});
  CHECK(!b.contact("cy").contains("plans"));
  r = b({"unplan", "cy"});
  CHECK(r.code == 0);
  CHECK(r.out == "Cy (cy) has no plans.\n");
}

TEST_CASE("log --next plans the call back in the same write; a reaching check-in fulfils plans") {
  Plans b;
  Result r = b({"log", "bo", "--note", "busy", "--next", "2w", "--next-note", "call back"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  ordered_json bo = b.contact("bo");
  CHECK(bo["interactions"].size() == 1);
  CHECK(bo["plans"] == ordered_json::parse(R"([{"date": "2026-12-07", "note": "call back"}])"));
  // One write: the backup is the book before.
  CHECK(read_file(b.file.string() + ".bak") == kBook);
  // A duration counts from the check-in's date.
  b.ok({"log", "cy", "--date", "2026-11-20", "--next", "in 1 month"});
  CHECK(b.contact("cy")["plans"][0]["date"] == "2026-12-20");
  // A voicemail does not fulfil; a call on the day does.
  b.ok({"log", "bo", "--kind", "voicemail", "--today", "2026-12-07"});
  CHECK(b.contact("bo")["plans"].size() == 1);
  r = b({"log", "bo", "--today", "2026-12-08"});
  CHECK(r.code == 0);
  CHECK(r.out.find("Done: the plan for 2026-12-07 (call back)") != std::string::npos);
  CHECK(!b.contact("bo").contains("plans"));
}

TEST_CASE("log: a check-in before the plan's date leaves it") {
  Plans b;
  b.ok({"plan", "ana", "2026-12-01"});
  b.ok({"log", "ana"});
  CHECK(b.contact("ana-lopez")["plans"].size() == 1);
}

TEST_CASE("occasions: add/edit --occasion, --rm-occasion; due lists a birthday a week ahead with the age") {
  Plans b;
  Result r = b({"add", "Dee", "--occasion", "Birthday=1989-11-28", "--occasion", "anniversary=--12-25", "--every", "never"});
  CHECK(r.code == 0);
  CHECK(b.contact("dee")["occasions"] == ordered_json::parse(R"({"birthday": "1989-11-28", "anniversary": "--12-25"})"));
  ordered_json due = b.json({"due"});
  REQUIRE(due.size() == 1);
  CHECK(due[0]["id"] == "dee");
  CHECK(due[0]["reason"] == "occasion");
  CHECK(due[0]["about"] == "birthday (37)");
  CHECK(due[0]["overdue"] == -5);
  CHECK(b({"due"}).out.find("birthday (37)") != std::string::npos);
  // Only what is due today or before counts for --exit-code.
  CHECK(b({"due", "--exit-code"}).code == 0);
  CHECK(b({"due", "--exit-code", "--today", "2026-11-28"}).code == 1);
  // The day passed without a call: next year's.
  CHECK(b({"due", "--today", "2026-11-29", "--format", "{id}"}).out == "");
  b.ok({"edit", "dee", "--rm-occasion", "anniversary", "--occasion", "birthday=--02-29"});
  CHECK(b.contact("dee")["occasions"] == ordered_json::parse(R"({"birthday": "--02-29"})"));
  // Feb 29 falls on Feb 28 in 2027.
  CHECK(b({"due", "--today", "2027-02-27", "--where", "occasion:birthday", "--format", "{due} {about}"}).out == "2027-02-28 birthday\n");
  CHECK(b({"list", "--format", "{id} {due} {reason}", "--where", "occasion:birthday"}).out == "dee 2027-02-28 occasion\n");
}

TEST_CASE("attempts: a voicemail brings the contact back after the retry, reason retry") {
  Plans b;
  // Cy is due 2026-12-20; on that day a voicemail.
  b.ok({"log", "cy", "--kind", "voicemail", "--today", "2026-12-20"});
  CHECK(b({"due", "--today", "2026-12-22", "--format", "{id}"}).out == "");
  ordered_json due = b.json({"due", "--today", "2026-12-23"});
  REQUIRE(due.size() == 1);
  CHECK(due[0]["reason"] == "retry");
  CHECK(due[0]["about"] == "voicemail on 2026-12-20");
  CHECK(due[0]["last"].is_null()); // an attempt is not `last`
  // A rule's own attempts and retry.
  b.ok({"rules", "add", "all", "--match", "*", "--every", "30d", "--attempts", "left-message", "--retry", "1w"});
  ordered_json doc = ordered_json::parse(b.text());
  CHECK(doc["rules"][0] == ordered_json::parse(
                               R"({"name": "all", "match": "*", "every": "30d", "attempts": ["left-message"], "retry": "1w"})"));
  // voicemail is no attempt there: it reached Cy, due 30 days later.
  CHECK(b({"due", "--today", "2027-01-19", "--format", "{id} {due} {reason}"}).out.find("cy 2027-01-19 cadence\n") !=
        std::string::npos);
  b.ok({"rules", "add", "none", "--match", "tag:x", "--every", "1w", "--attempts", ""});
  CHECK(ordered_json::parse(b.text())["rules"][1]["attempts"] == ordered_json::array());
  // `rules` shows both as they apply: none for `[]`.
  CHECK(b({"rules", "--format", "{name} {attempts} {retry}"}).out == "all left-message 1w\nnone  3d\n");
  // The table's columns, cut where two or more spaces part them.
  auto cells = [](const std::string& line) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < line.size()) {
      std::size_t gap = line.find("  ", i);
      out.push_back(line.substr(i, gap == std::string::npos ? std::string::npos : gap - i));
      if (gap == std::string::npos) break;
      i = line.find_first_not_of(' ', gap);
    }
    return out;
  };
  const std::vector<std::string> table = lines(b({"rules"}).out);
  REQUIRE(table.size() == 5);
  CHECK(cells(table[0]) == std::vector<std::string>{"NAME", "MATCH", "EVERY", "COUNTS", "WARN", "ATTEMPTS", "RETRY", "CONTACTS"});
  INFO(table[1]);
  CHECK(cells(table[1]) == std::vector<std::string>{"all", "*", "30d", "all", "-", "left-message", "1w", "1"});
  CHECK(cells(table[2]) == std::vector<std::string>{"none", "tag:x", "1w", "all", "-", "none", "3d", "0"});
}

TEST_CASE("--explain and show list every driver, active or not, and why") {
  Plans b;
  b.ok({"plan", "ana", "2026-12-10", "--note", "after the wedding"});
  b.ok({"edit", "ana", "--occasion", "birthday=1989-06-14"});
  b.ok({"log", "ana", "--kind", "voicemail", "--today", "2026-12-10"});
  Result r = b({"due", "--explain", "--today", "2026-12-13"});
  CHECK(r.code == 0);
  CHECK(r.out.find("driver cadence 2027-01-01: active") != std::string::npos);
  CHECK(r.out.find("driver plan 2026-12-10 (\"after the wedding\"): active") != std::string::npos);
  CHECK(r.out.find("driver occasion birthday 2027-06-14 (38, 1989-06-14)") != std::string::npos);
  CHECK(r.out.find("raised to 2026-12-13 by the retry") != std::string::npos);
  CHECK(r.out.find("retry: the voicemail on 2026-12-10") != std::string::npos);
  CHECK(r.out.find("(retry: voicemail on 2026-12-10)") != std::string::npos);
  Result show = b({"show", "ana", "--today", "2026-12-13"});
  CHECK(show.out.find("driver plan 2026-12-10") != std::string::npos);
  ordered_json j = b.json({"show", "ana", "--today", "2026-12-13"});
  CHECK(j["reason"] == "retry");
  b.ok({"log", "ana", "--today", "2026-12-13"});
  // The plan was removed by the call; add a hand-written fulfilled one back.
  CHECK(!b.contact("ana-lopez").contains("plans"));
}

TEST_CASE("list: reason and owner after status; the match language's plan and occasion:LABEL") {
  Plans b;
  b.ok({"edit", "cy", "--owner", "kris"});
  b.ok({"plan", "bo", "2026-12-01"});
  ordered_json list = b.json({"list"});
  CHECK(keys_of(list[0]) == std::vector<std::string>{"id", "name", "tags", "every", "rule", "last", "due", "overdue",
                                                     "status", "reason", "owner"});
  CHECK(b({"list", "--format", "{id} {reason} {owner}"}).out == "ana-lopez cadence \nbo plan \ncy cadence kris\n");
  CHECK(b({"list", "--where", "plan", "--format", "{id}"}).out == "bo\n");
  CHECK(b({"list", "--where", "not plan", "--format", "{id}"}).out == "ana-lopez\ncy\n");
  CHECK(b({"rules", "test", "occasion:birthday"}).code == 0);
  // Bo is every: never, yet has a date from his plan; --status never is "no date at all".
  CHECK(b({"list", "--status", "never", "--format", "{id}"}).out == "");
  b.ok({"edit", "cy", "--owner", ""});
  CHECK(!b.contact("cy").contains("owner"));
  CHECK(b({"due", "--today", "2026-12-01", "--format", "{id} {owner}"}).out == "bo \n");
}

TEST_CASE("export --to ics: a yearly event per occasion, an event per plan, stable UIDs") {
  Plans b;
  b.ok({"edit", "bo", "--occasion", "birthday=1988-02-29"});
  b.ok({"plan", "bo", "2026-12-01", "--note", "the quote"});
  Result r = b({"export", "--to", "ics"});
  CHECK(r.code == 0);
  CHECK(r.out.find("UID:bo-birthday@followup\r\n") != std::string::npos);
  CHECK(r.out.find("RRULE:FREQ=YEARLY") != std::string::npos);
  CHECK(r.out.find("UID:bo-plan-20261201@followup\r\n") != std::string::npos);
  CHECK(r.out.find("SUMMARY:Check in with Bo: the quote\r\n") != std::string::npos);
  CHECK(b({"export", "--to", "ics"}).out.find("UID:bo-plan-20261201@followup") != std::string::npos);
}

TEST_CASE("import: vCard BDAY and ANNIVERSARY, CSV --map birthday=COL become occasions") {
  Plans b;
  write_file(b.dir / "in.vcf", "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Eve Stone\r\nBDAY:19850714\r\nANNIVERSARY:--0903\r\n"
                               "END:VCARD\r\n");
  Result r = b({"import", (b.dir / "in.vcf").string()});
  CHECK(r.code == 0);
  ordered_json eve = b.contact("eve-stone");
  CHECK(eve["occasions"] == ordered_json::parse(R"({"birthday": "1985-07-14", "anniversary": "--09-03"})"));
  CHECK(!eve.contains("fields"));
  write_file(b.dir / "in.csv", "who,born\nFay,1970-01-02\n");
  r = b({"import", (b.dir / "in.csv").string(), "--map", "name=who", "--map", "birthday=born"});
  CHECK(r.code == 0);
  CHECK(b.contact("fay")["occasions"]["birthday"] == "1970-01-02");
}

TEST_CASE("check: a birthday kept as a field says how to make it an occasion") {
  Plans b;
  b.ok({"edit", "cy", "--field", "birthday=1980-01-01"});
  Result r = b({"check"});
  CHECK(r.out.find("--occasion birthday=DATE --unset-field birthday") != std::string::npos);
}

TEST_CASE("snooze to a date that postpones nothing says so and points at plan; nothing lost") {
  Plans b;
  Result r = b({"snooze", "cy", "--until", "2026-12-01"});
  CHECK(r.code == 0);
  CHECK(r.out == "Snoozed Cy (cy) until 2026-12-01.\n");
  CHECK(r.err.find("postpones nothing") != std::string::npos);
  CHECK(r.err.find("followup plan cy 2026-12-01") != std::string::npos);
  CHECK(b.contact("cy")["snoozed_until"] == "2026-12-01");
  // A real postponement says nothing.
  r = b({"snooze", "cy", "--until", "2027-01-05"});
  CHECK(r.err == "");
}

TEST_CASE("bad input: one-line error, exit 64, book untouched") {
  Plans b;
  check_refused_untouched(b, {"plan", "ana", "2026-11-01"}, 64, {"not after today"});
  check_refused_untouched(b, {"plan", "ana", "today"}, 64, {"not after today"});
  check_refused_untouched(b, {"plan", "ana", "someday"}, 64, {"someday"});
  check_refused_untouched(b, {"plan", "ana", "in 9000y"}, 64, {"out of range"});
  check_refused_untouched(b, {"plan", "ana"}, 64, {"plan"});
  check_refused_untouched(b, {"plan", "nobody", "tomorrow"}, 67, {"nobody"});
  check_refused_untouched(b, {"add", "Dee", "--occasion", "birthday=2026-02-30"}, 64, {"2026-02-30"});
  check_refused_untouched(b, {"add", "Dee", "--occasion", "birthday=--02-30"}, 64, {"--02-30"});
  check_refused_untouched(b, {"add", "Dee", "--occasion", "my day=--01-01"}, 64, {"my day"});
  check_refused_untouched(b, {"edit", "ana", "--occasion", "1st=--01-01"}, 64, {"1st"});
  check_refused_untouched(b, {"edit", "ana", "--occasion", "birthday"}, 64, {"LABEL=DATE"});
  check_refused_untouched(b, {"edit", "ana", "--rm-occasion", "birthday"}, 64, {"no occasion"});
  check_refused_untouched(b, {"log", "ana", "--next", "yesterday"}, 64, {"--next"});
  check_refused_untouched(b, {"log", "ana", "--next", "whenever"}, 64, {"--next"});
  check_refused_untouched(b, {"log", "ana", "--next-note", "x"}, 64, {"--next"});
  check_refused_untouched(b, {"rules", "add", "r", "--match", "*", "--every", "1w", "--retry", "never"}, 64,
                          {"--retry"});
}

TEST_CASE("bad input in the file: exit 65 naming the contact and key") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"("occasions": {"birthday": "--02-30"})", "occasions.birthday"},
      {R"("occasions": {"my day": "--02-03"})", "occasions.my day"},
      {R"("occasions": ["--02-03"])", "occasions"},
      {R"("plans": [{"date": "2026-13-01"}])", "plans[0]"},
      {R"("plans": [{"note": "x"}])", "plans[0]"},
      {R"("owner": 3)", "owner"},
  };
  for (const auto& [member, where] : cases) {
    INFO(member);
    Book b;
    const std::string text = R"({"followup": 1, "contacts": [{"id": "x", "name": "X", )" + member + "}]}\n";
    b.write(text);
    Result r = b({"due"});
    CHECK(r.code == 65);
    CHECK(r.err.find("contact x") != std::string::npos);
    CHECK(r.err.find(where) != std::string::npos);
    Result c = b({"check"});
    CHECK(c.code == 65);
    CHECK(c.out.find(where) != std::string::npos);
    CHECK(b({"log", "x"}).code == 65);
    CHECK(b.text() == text);
  }
}
