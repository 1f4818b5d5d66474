// followup due: the order, the rules engine (SPEC §3), filters, --exit-code,
// --explain and empty results (SPEC §4). Today is Monday 2026-11-23.
#include <doctest/doctest.h>

#include "run.hpp"

using namespace e2e;

namespace {

// Runs `due --format tsv ARGS...` on a book and returns stdout (exit 0 required).
std::string due_tsv(const Book& b, std::vector<std::string> args = {}) {
  std::vector<std::string> full{"due", "--format", "tsv"};
  full.insert(full.end(), args.begin(), args.end());
  Result r = b(full);
  CHECK(r.code == 0);
  CHECK(r.err == "");
  return r.out;
}

// A book holding `text` from the start.
struct Seeded : Book {
  explicit Seeded(const std::string& text) { write(text); }
};

// Rules: family (2w) before friends (1w); clients count only calls and visits
// and warn 2w ahead.
const char* const kRules = R"({
  "followup": 1,
  "rules": [
    {"name": "family", "match": "tag:family", "every": "2w"},
    {"name": "clients", "match": "tag:client and not tag:vip", "every": "3m", "counts": ["call", "visit"], "warn": "2w"},
    {"name": "friends", "match": "tag:friend or tag:family", "every": "1w"}
  ],
  "contacts": [
    {"id": "mum", "name": "Mum", "tags": ["family", "friend"], "interactions": [{"date": "2026-11-01", "kind": "call"}]},
    {"id": "pal", "name": "Pal", "tags": ["friend"], "interactions": [{"date": "2026-11-10", "kind": "call"}]},
    {"id": "own", "name": "Own Cadence", "tags": ["family"], "every": "3d", "interactions": [{"date": "2026-11-10", "kind": "call"}]},
    {"id": "acme", "name": "Acme Corp", "tags": ["client"], "interactions": [
      {"date": "2026-08-01", "kind": "visit", "note": "signed"},
      {"date": "2026-11-01", "kind": "email", "note": "newsletter"}
    ]},
    {"id": "soon", "name": "Soon Client", "tags": ["client"], "interactions": [{"date": "2026-08-30", "kind": "call"}]},
    {"id": "later", "name": "Later Client", "tags": ["client"], "interactions": [{"date": "2026-09-20", "kind": "call"}]},
    {"id": "plain", "name": "Plain", "interactions": [{"date": "2026-10-01", "kind": "call"}]},
    {"id": "hermit", "name": "Hermit", "every": "never", "added": "2020-01-01"},
    {"id": "added", "name": "Added Only", "added": "2026-10-20"},
    {"id": "bare", "name": "Bare"},
    {"id": "snoozed", "name": "Snoozed", "snoozed_until": "2026-11-30", "interactions": [{"date": "2026-09-01", "kind": "call"}]},
    {"id": "woke", "name": "Woke", "snoozed_until": "2026-10-15", "interactions": [{"date": "2026-10-01", "kind": "call"}]}
  ]
}
)";

} // namespace

TEST_CASE("due: most overdue first, ties by name") {
  Seeded b(R"({"followup": 1, "contacts": [
    {"id": "zed", "name": "Zed", "interactions": [{"date": "2026-10-01", "kind": "call"}]},
    {"id": "carl", "name": "Carl", "interactions": [{"date": "2026-11-20", "kind": "call"}]},
    {"id": "alice", "name": "Alice", "interactions": [{"date": "2026-10-01", "kind": "call"}]},
    {"id": "bob", "name": "Bob", "interactions": [{"date": "2026-09-01", "kind": "visit"}]},
    {"id": "dora", "name": "Dora", "interactions": [{"date": "2026-10-24", "kind": "call"}]}
  ]})");
  CHECK(due_tsv(b) == "bob\tBob\t2026-10-01\t53\t2026-09-01\tvisit\t30d\tdefault\t\tcadence\t\t\n"
                      "alice\tAlice\t2026-10-31\t23\t2026-10-01\tcall\t30d\tdefault\t\tcadence\t\t\n"
                      "zed\tZed\t2026-10-31\t23\t2026-10-01\tcall\t30d\tdefault\t\tcadence\t\t\n"
                      "dora\tDora\t2026-11-23\t0\t2026-10-24\tcall\t30d\tdefault\t\tcadence\t\t\n");
}

TEST_CASE("due: the rules engine decides every contact's cadence") {
  Seeded b(kRules);
  CHECK(due_tsv(b) ==
        // default 30d: no rule matches
        "plain\tPlain\t2026-10-31\t23\t2026-10-01\tcall\t30d\tdefault\t\tcadence\t\t\n"
        // snoozed_until earlier than the due date changes nothing
        "woke\tWoke\t2026-10-31\t23\t2026-10-01\tcall\t30d\tdefault\t\tcadence\t\t\n"
        // counts: the later email does not reset the clock
        "acme\tAcme Corp\t2026-11-01\t22\t2026-08-01\tvisit\t3m\tclients\tclient\tcadence\t\t\n"
        // the contact's own every beats the family rule
        "own\tOwn Cadence\t2026-11-13\t10\t2026-11-10\tcall\t3d\town\tfamily\tcadence\t\t\n"
        // first matching rule: family (2w), not friends (1w)
        "mum\tMum\t2026-11-15\t8\t2026-11-01\tcall\t2w\tfamily\tfamily,friend\tcadence\t\t\n"
        // the third rule for a friend without family
        "pal\tPal\t2026-11-17\t6\t2026-11-10\tcall\t1w\tfriends\tfriend\tcadence\t\t\n"
        // no interactions: the added date; last stays empty
        "added\tAdded Only\t2026-11-19\t4\t\t\t30d\tdefault\t\tcadence\t\t\n"
        // neither interactions nor added: due today
        "bare\tBare\t2026-11-23\t0\t\t\t30d\tdefault\t\tcadence\t\t\n"
        // warn 2w: an upcoming client shows
        "soon\tSoon Client\t2026-11-30\t-7\t2026-08-30\tcall\t3m\tclients\tclient\tcadence\t\t\n");
}

TEST_CASE("due: the default cadence is 30 days, every kind counting") {
  Seeded b(R"({"followup": 1, "contacts": [
    {"id": "e", "name": "Emailed", "interactions": [{"date": "2026-10-01", "kind": "call"}, {"date": "2026-10-20", "kind": "email"}]}
  ]})");
  CHECK(due_tsv(b) == "e\tEmailed\t2026-11-19\t4\t2026-10-20\temail\t30d\tdefault\t\tcadence\t\t\n");
}

TEST_CASE("due: a contact's own counts narrows what resets the clock") {
  Seeded b(R"({"followup": 1, "contacts": [
    {"id": "e", "name": "Emailed", "every": "1m", "counts": ["visit"], "interactions": [
      {"date": "2026-09-10", "kind": "visit"}, {"date": "2026-11-20", "kind": "call"}]}
  ]})");
  CHECK(due_tsv(b) == "e\tEmailed\t2026-10-10\t44\t2026-09-10\tvisit\t1m\town\t\tcadence\t\t\n");
}

TEST_CASE("due: --within overrides the rules' warn") {
  Seeded b(kRules);
  // 3d: the client due in 7 days no longer shows.
  std::string out = due_tsv(b, {"--within", "3d"});
  CHECK(out.find("soon\t") == std::string::npos);
  CHECK(out.find("plain\t") != std::string::npos);
  // 4w: the later client shows too.
  CHECK(due_tsv(b, {"--within", "4w", "--tag", "client"}) ==
        "acme\tAcme Corp\t2026-11-01\t22\t2026-08-01\tvisit\t3m\tclients\tclient\tcadence\t\t\n"
        "soon\tSoon Client\t2026-11-30\t-7\t2026-08-30\tcall\t3m\tclients\tclient\tcadence\t\t\n"
        "later\tLater Client\t2026-12-20\t-27\t2026-09-20\tcall\t3m\tclients\tclient\tcadence\t\t\n");
}

TEST_CASE("due: a later snoozed_until moves the due date") {
  Seeded b(kRules);
  CHECK(due_tsv(b).find("snoozed\t") == std::string::npos);
  CHECK(due_tsv(b, {"--within", "1w", "--where", "not tag:client"}).find(
            "snoozed\tSnoozed\t2026-11-30\t-7\t2026-09-01\tcall\t30d\tdefault\t\tcadence\t\t\n") != std::string::npos);
  // On the snooze date it is due again, overdue 0.
  Result r = b({"--today", "2026-11-30", "due", "--format", "tsv", "--where", "never or not tag:client"});
  CHECK(r.code == 0);
  CHECK(r.out.find("snoozed\tSnoozed\t2026-11-30\t0\t2026-09-01\tcall\t30d\tdefault\t\tcadence\t\t\n") != std::string::npos);
}

TEST_CASE("due: every never is never due") {
  Seeded b(kRules);
  CHECK(due_tsv(b, {"--within", "5y"}).find("hermit") == std::string::npos);
  Seeded b2(R"({"followup": 1, "rules": [{"name": "quiet", "match": "*", "every": "never"}],
    "contacts": [{"id": "x", "name": "X", "interactions": [{"date": "2000-01-01", "kind": "call"}]}]})");
  CHECK(due_tsv(b2, {"--within", "5y"}) == "");
}

TEST_CASE("due: calendar months clamp to the end of the month") {
  Seeded b(R"({"followup": 1, "contacts": [
    {"id": "m", "name": "Monthly", "every": "1m", "interactions": [{"date": "2026-01-31", "kind": "call"}]}
  ]})");
  Result r = b({"--today", "2026-03-01", "due", "--format", "tsv"});
  CHECK(r.code == 0);
  CHECK(r.out == "m\tMonthly\t2026-02-28\t1\t2026-01-31\tcall\t1m\town\t\tcadence\t\t\n");
  Seeded leap(R"({"followup": 1, "contacts": [
    {"id": "m", "name": "Monthly", "every": "1m", "interactions": [{"date": "2028-01-31", "kind": "call"}]}
  ]})");
  r = leap({"--today", "2028-02-29", "due", "--format", "tsv"});
  CHECK(r.code == 0);
  CHECK(r.out == "m\tMonthly\t2028-02-29\t0\t2028-01-31\tcall\t1m\town\t\tcadence\t\t\n");
  Seeded year(R"({"followup": 1, "contacts": [
    {"id": "y", "name": "Yearly", "every": "1y", "interactions": [{"date": "2024-02-29", "kind": "call"}]}
  ]})");
  r = year({"--today", "2025-03-01", "due", "--format", "tsv"});
  CHECK(r.code == 0);
  CHECK(r.out == "y\tYearly\t2025-02-28\t1\t2024-02-29\tcall\t1y\town\t\tcadence\t\t\n");
}

TEST_CASE("due: --where, --tag and --limit filter the list") {
  Seeded b(kRules);
  CHECK(due_tsv(b, {"--where", "tag:family and not tag:friend"}) ==
        "own\tOwn Cadence\t2026-11-13\t10\t2026-11-10\tcall\t3d\town\tfamily\tcadence\t\t\n");
  CHECK(due_tsv(b, {"--where", "kind:EMAIL"}) ==
        "acme\tAcme Corp\t2026-11-01\t22\t2026-08-01\tvisit\t3m\tclients\tclient\tcadence\t\t\n");
  CHECK(due_tsv(b, {"--where", "never and not field:x"}) ==
        "added\tAdded Only\t2026-11-19\t4\t\t\t30d\tdefault\t\tcadence\t\t\n"
        "bare\tBare\t2026-11-23\t0\t\t\t30d\tdefault\t\tcadence\t\t\n");
  CHECK(due_tsv(b, {"--tag", "family", "--tag", "FRIEND"}) ==
        "mum\tMum\t2026-11-15\t8\t2026-11-01\tcall\t2w\tfamily\tfamily,friend\tcadence\t\t\n");
  CHECK(due_tsv(b, {"--limit", "2"}) == "plain\tPlain\t2026-10-31\t23\t2026-10-01\tcall\t30d\tdefault\t\tcadence\t\t\n"
                                        "woke\tWoke\t2026-10-31\t23\t2026-10-01\tcall\t30d\tdefault\t\tcadence\t\t\n");
  Result r = b({"due", "--where", "tag:family and ("});
  CHECK(r.code == 64);
  CHECK(r.out == "");
  CHECK(r.err.find("(--where)") != std::string::npos);
  r = b({"due", "--within", "soon"});
  CHECK(r.code == 64);
  CHECK(r.out == "");
}

TEST_CASE("due: --exit-code is 1 only when someone is due") {
  Seeded b(kRules);
  Result r = b({"due", "--exit-code", "--format", "tsv", "--tag", "family"});
  CHECK(r.code == 1);
  CHECK(r.out == "own\tOwn Cadence\t2026-11-13\t10\t2026-11-10\tcall\t3d\town\tfamily\tcadence\t\t\n"
                 "mum\tMum\t2026-11-15\t8\t2026-11-01\tcall\t2w\tfamily\tfamily,friend\tcadence\t\t\n");
  CHECK(r.err == "");
  // Due today (overdue 0) counts as due.
  r = b({"due", "--exit-code", "--format", "tsv", "--where", "never"});
  CHECK(r.code == 1);
  // Only upcoming contacts, shown through --within: 0.
  r = b({"due", "--exit-code", "--format", "tsv", "--within", "2w", "--where", "tag:client and not kind:email"});
  CHECK(r.code == 0);
  CHECK(r.out == "soon\tSoon Client\t2026-11-30\t-7\t2026-08-30\tcall\t3m\tclients\tclient\tcadence\t\t\n");
  // Nobody: 0 and nothing printed.
  r = b({"due", "--exit-code", "--tag", "nobody-has-this"});
  CHECK(r.code == 0);
  CHECK(r.out == "");
  // Without --exit-code a due list exits 0.
  CHECK(b({"due", "--tag", "family"}).code == 0);
}

TEST_CASE("due: --explain names the rule, the interaction and the arithmetic") {
  Seeded b(kRules);
  Result r = b({"due", "--explain", "--where", "tag:client and kind:email"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out.find("Acme Corp") != std::string::npos);
  CHECK(r.out.find("clients") != std::string::npos);
  CHECK(r.out.find("2026-08-01") != std::string::npos);
  CHECK(r.out.find("2026-08-01 + 3m = 2026-11-01") != std::string::npos);
  CHECK(r.out.find("22 days") != std::string::npos);

  r = b({"due", "--explain", "--tag", "family", "--where", "tag:friend"});
  CHECK(r.code == 0);
  CHECK(r.out.find("family") != std::string::npos);
  CHECK(r.out.find("2026-11-01 + 2w = 2026-11-15") != std::string::npos);

  r = b({"due", "--explain", "--where", "not tag:client and not tag:family and not tag:friend and kind:call"});
  CHECK(r.code == 0);
  CHECK(r.out.find("default") != std::string::npos);
  CHECK(r.out.find("2026-10-01 + 30d = 2026-10-31") != std::string::npos);

  r = b({"due", "--explain", "--where", "never and field:nothing"});
  CHECK(r.code == 0);
  CHECK(r.out == "");
}

TEST_CASE("due: nobody due prints nothing, [] in json, the header in csv") {
  Seeded b(R"({"followup": 1, "contacts": [
    {"id": "ok", "name": "Fine", "interactions": [{"date": "2026-11-20", "kind": "call"}]}
  ]})");
  for (std::string f : {"table", "tsv", "jsonl", "{name}\\t{overdue}"}) {
    INFO("format ", f);
    Result r = b({"due", "--format", f});
    CHECK(r.code == 0);
    CHECK(r.out == "");
    CHECK(r.err == "");
  }
  Result r = b({"due", "--format", "json"});
  CHECK(r.code == 0);
  CHECK(r.out == "[]\n");
  r = b({"due", "--format", "csv"});
  CHECK(r.code == 0);
  CHECK(r.out == "id,name,due,overdue,last,last_kind,every,rule,tags,reason,about,owner\r\n");
}

TEST_CASE("due: a missing book is empty, and due does not create it") {
  Book b;
  for (std::string f : {"table", "tsv", "jsonl"}) {
    Result r = b({"due", "--format", f});
    CHECK(r.code == 0);
    CHECK(r.out == "");
    CHECK(r.err == "");
  }
  Result r = b({"due", "--format", "json", "--exit-code"});
  CHECK(r.code == 0);
  CHECK(r.out == "[]\n");
  CHECK(!b.exists());
  CHECK(!std::filesystem::exists(b.dir / "contacts.json.bak"));
}

TEST_CASE("due: the table lines up ids, names by display width, and days overdue to the right") {
  Seeded b(R"({"followup": 1, "contacts": [
    {"id": "ana", "name": "Ana", "every": "10d", "interactions": [{"date": "2026-11-12", "kind": "call"}]},
    {"id": "bo", "name": "Bo Berg", "every": "10d", "interactions": [{"date": "2026-11-10", "kind": "visit"}]},
    {"id": "cy", "name": "Cy", "every": "10d", "interactions": [{"date": "2026-11-13", "kind": "email"}]},
    {"id": "dee", "name": "Dee", "every": "10d", "interactions": [{"date": "2026-11-14", "kind": "call"}]},
    {"id": "eve", "name": "\u00c9ve \u00dcrs", "every": "10d", "added": "2026-11-18"},
    {"id": "fay", "name": "Fay", "every": "10d", "added": "2026-11-20"}]})");
  Result r = b({"due", "--within", "1w"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "ID   NAME     DUE           OVERDUE  LAST        KIND   RULE\n"
                 "bo   Bo Berg  2026-11-20     3 days  2026-11-10  visit  own\n"
                 "ana  Ana      2026-11-22      1 day  2026-11-12  call   own\n"
                 "cy   Cy       2026-11-23      today  2026-11-13  email  own\n"
                 "dee  Dee      2026-11-24   in 1 day  2026-11-14  call   own\n"
                 "eve  \u00c9ve \u00dcrs  2026-11-28  in 5 days  -           -      own\n"
                 "fay  Fay      2026-11-30  in 7 days  -           -      own\n");
  // Coloured on request: overdue red, due today yellow, upcoming dim, the header bold.
  Result c = b({"due", "--within", "1w", "--color", "always"});
  CHECK(c.code == 0);
  CHECK(c.out.find("\x1b[1mID\x1b[0m") == 0);
  CHECK(c.out.find("\x1b[31mbo\x1b[0m   \x1b[31mBo Berg\x1b[0m") != std::string::npos); // the padding outside
  CHECK(c.out.find("\x1b[33mcy\x1b[0m") != std::string::npos);
  CHECK(c.out.find("\x1b[2mdee\x1b[0m") != std::string::npos);
}
