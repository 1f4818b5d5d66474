// followup list: every contact with its status (SPEC §4, README "Output
// formats"): the fields and their order in every format, the filters
// (--where, --tag, --status) and the sorts (--sort name|due|last|added).
// Today is Monday 2026-11-23 (the harness sets FOLLOWUP_TODAY).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using ordered_json = nlohmann::ordered_json;

namespace {

// Due dates, worked out by hand from SPEC §3 (today 2026-11-23, default
// "soon" window 7 days = up to 2026-11-30, the clients' warn 2w = up to
// 2026-12-07):
//   acme     clients 3m, counts call/visit: the visit 2026-08-01 (the later
//            email does not count) + 3m = 2026-11-01, 22 days overdue: due
//   added    default 30d from added 2026-10-31 = 2026-11-30, -7: soon (the
//            last day of the 7-day window); `last` stays null
//   ana      own 6w: 2026-10-20 + 42d = 2026-12-01, -8: ok (one day past the
//            7-day window)
//   bare     no check-in, no added date: due today, 0: due
//   emile    default: 2026-11-20 + 30d = 2026-12-20, -27: ok
//   hermit   own `never`: never due, due and overdue null: never
//   later    clients: 2026-09-20 + 3m = 2026-12-20, -27: ok (past the 2w warn)
//   mum      family 2w: 2026-11-01 + 14d = 2026-11-15, 8 overdue: due
//   snoozed  default: 2026-10-10 + 30d = 2026-11-09, snoozed until
//            2026-12-10, so 2026-12-10, -17: snoozed
//   soon     clients: 2026-08-30 + 3m = 2026-11-30, -7: soon (within the 2w warn)
//   woke     default: 2026-10-01 + 30d = 2026-10-31, 23 overdue; its
//            snooze (2026-10-15) is over and earlier: due
const std::string kBook = R"({
  "followup": 1,
  "rules": [
    {"name": "family", "match": "tag:family", "every": "2w"},
    {"name": "clients", "match": "tag:client and not tag:vip", "every": "3m", "counts": ["call", "visit"], "warn": "2w"}
  ],
  "contacts": [
    {"id": "mum", "name": "Mum", "tags": ["family"], "added": "2025-05-01",
     "interactions": [{"date": "2026-11-01", "kind": "call"}]},
    {"id": "acme", "name": "Acme, Inc.", "tags": ["client"], "interactions": [
      {"date": "2026-08-01", "kind": "visit", "note": "signed"},
      {"date": "2026-11-01", "kind": "email", "note": "newsletter"}]},
    {"id": "ana-lopez", "name": "Ana López", "tags": ["friend", "soccer"], "every": "6w",
     "fields": {"phone": "+1 555 0100", "city": "Lima"}, "added": "2026-01-10",
     "interactions": [{"date": "2026-10-20", "kind": "call", "note": "wedding"}]},
    {"id": "soon", "name": "Soon Client", "tags": ["client"], "interactions": [{"date": "2026-08-30", "kind": "call"}]},
    {"id": "later", "name": "Later Client", "tags": ["client"], "interactions": [{"date": "2026-09-20", "kind": "call"}]},
    {"id": "hermit", "name": "Hermit", "every": "never", "added": "2020-01-01"},
    {"id": "snoozed", "name": "Snoozed", "snoozed_until": "2026-12-10",
     "interactions": [{"date": "2026-10-10", "kind": "call"}]},
    {"id": "bare", "name": "Bare"},
    {"id": "emile", "name": "Émile Zola", "tags": ["friend"], "fields": {"city": "New York"},
     "interactions": [{"date": "2026-11-20", "kind": "visit", "note": "coffee", "by": "kris"}]},
    {"id": "added", "name": "Added Only", "added": "2026-10-31"},
    {"id": "woke", "name": "Woke", "snoozed_until": "2026-10-15", "interactions": [{"date": "2026-10-01", "kind": "call"}]}
  ]
}
)";

// The tsv record of each contact: id, name, tags, every, rule, last, due,
// overdue, status.
const std::string kAcme = "acme\tAcme, Inc.\tclient\t3m\tclients\t2026-08-01\t2026-11-01\t22\tdue\tcadence\t\n";
const std::string kAdded = "added\tAdded Only\t\t30d\tdefault\t\t2026-11-30\t-7\tsoon\tcadence\t\n";
const std::string kAna = "ana-lopez\tAna López\tfriend,soccer\t6w\town\t2026-10-20\t2026-12-01\t-8\tok\tcadence\t\n";
const std::string kBare = "bare\tBare\t\t30d\tdefault\t\t2026-11-23\t0\tdue\tcadence\t\n";
const std::string kEmile = "emile\tÉmile Zola\tfriend\t30d\tdefault\t2026-11-20\t2026-12-20\t-27\tok\tcadence\t\n";
const std::string kHermit = "hermit\tHermit\t\tnever\town\t\t\t\tnever\tcadence\t\n";
const std::string kLater = "later\tLater Client\tclient\t3m\tclients\t2026-09-20\t2026-12-20\t-27\tok\tcadence\t\n";
const std::string kMum = "mum\tMum\tfamily\t2w\tfamily\t2026-11-01\t2026-11-15\t8\tdue\tcadence\t\n";
const std::string kSnoozed = "snoozed\tSnoozed\t\t30d\tdefault\t2026-10-10\t2026-12-10\t-17\tsnoozed\tcadence\t\n";
const std::string kSoon = "soon\tSoon Client\tclient\t3m\tclients\t2026-08-30\t2026-11-30\t-7\tsoon\tcadence\t\n";
const std::string kWoke = "woke\tWoke\t\t30d\tdefault\t2026-10-01\t2026-10-31\t23\tdue\tcadence\t\n";

struct ListBook : Book {
  ListBook() { write(kBook); }
  bool has_bak() const { return std::filesystem::exists(file.string() + ".bak"); }
  // `list ARGS... --format tsv`, which must succeed quietly.
  std::string tsv(std::vector<std::string> args = {}) const {
    std::vector<std::string> full{"list"};
    full.insert(full.end(), args.begin(), args.end());
    full.insert(full.end(), {"--format", "tsv"});
    Result r = (*this)(full);
    CHECK(r.code == 0);
    CHECK(r.err == "");
    CHECK(text() == kBook); // list never writes
    return r.out;
  }
};

// The first column of each tsv line.
std::vector<std::string> ids(const std::string& tsv) {
  std::vector<std::string> out;
  for (const auto& l : lines(tsv)) out.push_back(l.substr(0, l.find('\t')));
  return out;
}

using Ids = std::vector<std::string>;

} // namespace

TEST_CASE("list: tsv has every contact, by name, with the nine fields of the contract") {
  ListBook b;
  // By name: accents folded (Émile between Bare and Hermit), case ignored.
  CHECK(b.tsv() == kAcme + kAdded + kAna + kBare + kEmile + kHermit + kLater + kMum + kSnoozed + kSoon + kWoke);
  CHECK_FALSE(b.has_bak());
}

TEST_CASE("list: --sort name is the default") {
  ListBook b;
  CHECK(b.tsv({"--sort", "name"}) == b.tsv());
}

TEST_CASE("list: --sort due is soonest first, never-due last, ties by name") {
  ListBook b;
  CHECK(ids(b.tsv({"--sort", "due"})) ==
        Ids{"woke",    // 2026-10-31
            "acme",    // 2026-11-01
            "mum",     // 2026-11-15
            "bare",    // 2026-11-23
            "added",   // 2026-11-30, tie: Added Only < Soon Client
            "soon",    // 2026-11-30
            "ana-lopez", // 2026-12-01
            "snoozed", // 2026-12-10
            "emile",   // 2026-12-20, tie: Émile Zola < Later Client
            "later",   // 2026-12-20
            "hermit"}); // never due
}

TEST_CASE("list: --sort last is longest ago first, never contacted first") {
  ListBook b;
  CHECK(ids(b.tsv({"--sort", "last"})) ==
        Ids{"added", "bare", "hermit", // no counting check-in, by name
            "acme",                    // 2026-08-01 (the email of 2026-11-01 does not count)
            "soon",                    // 2026-08-30
            "later",                   // 2026-09-20
            "woke",                    // 2026-10-01
            "snoozed",                 // 2026-10-10
            "ana-lopez",               // 2026-10-20
            "mum",                     // 2026-11-01
            "emile"});                 // 2026-11-20
}

TEST_CASE("list: --sort added is oldest first") {
  ListBook b;
  CHECK(ids(b.tsv({"--sort", "added"})) ==
        Ids{// no added date: by name, before the dated ones
            "acme", "bare", "emile", "later", "snoozed", "soon", "woke",
            "hermit",    // 2020-01-01
            "mum",       // 2025-05-01
            "ana-lopez", // 2026-01-10
            "added"});   // 2026-10-31
}

TEST_CASE("list: --status keeps one status") {
  ListBook b;
  CHECK(b.tsv({"--status", "due"}) == kAcme + kBare + kMum + kWoke);
  CHECK(b.tsv({"--status", "soon"}) == kAdded + kSoon);
  CHECK(b.tsv({"--status", "ok"}) == kAna + kEmile + kLater);
  CHECK(b.tsv({"--status", "snoozed"}) == kSnoozed);
  CHECK(b.tsv({"--status", "never"}) == kHermit);
}

TEST_CASE("list: the soon window is the rule's warn, else 7 days, both ends inclusive") {
  ListBook b;
  // A day later, ana (2026-12-01) is within 7 days.
  Result r = b({"--today", "2026-11-24", "list", "--status", "soon", "--format", "{id} {overdue}"});
  CHECK(r.code == 0);
  CHECK(r.out == "added -6\nana-lopez -7\nsoon -6\n");
  // The clients' 2w warn: later (2026-12-20) is soon from 2026-12-06 on, not
  // before; emile (same date, default rule) is not; snoozed stays snoozed.
  r = b({"--today", "2026-12-05", "list", "--status", "soon", "--format", "{id} {overdue}"});
  CHECK(r.code == 0);
  CHECK(r.out == "");
  r = b({"--today", "2026-12-06", "list", "--status", "soon", "--format", "{id} {overdue}"});
  CHECK(r.code == 0);
  CHECK(r.out == "later -14\n");
  // On its due date a contact is due, overdue 0.
  r = b({"--today", "2026-11-30", "list", "--status", "due", "--tag", "client", "--format", "{id} {overdue}"});
  CHECK(r.code == 0);
  CHECK(r.out == "acme 29\nsoon 0\n");
}

TEST_CASE("list: --tag, repeated means all of them, case-insensitive") {
  ListBook b;
  CHECK(b.tsv({"--tag", "client"}) == kAcme + kLater + kSoon);
  CHECK(b.tsv({"--tag", "FRIEND"}) == kAna + kEmile);
  CHECK(b.tsv({"--tag", "friend", "--tag", "soccer"}) == kAna);
  CHECK(b.tsv({"-t", "friend", "-t", "client"}) == "");
  CHECK(b.tsv({"--tag", "nobody"}) == "");
}

TEST_CASE("list: --where takes the match language") {
  ListBook b;
  CHECK(b.tsv({"--where", "tag:client and not kind:visit"}) == kLater + kSoon);
  CHECK(b.tsv({"--where", "never"}) == kAdded + kBare + kHermit);
  CHECK(b.tsv({"--where", "kind:EMAIL"}) == kAcme); // present, even though it does not count
  CHECK(b.tsv({"--where", "field:city=\"new york\""}) == kEmile);
  CHECK(b.tsv({"--where", "field:city"}) == kAna + kEmile);
  CHECK(b.tsv({"--where", "tag:family or (tag:friend and not tag:soccer)"}) == kEmile + kMum);
  CHECK(b.tsv({"--where", "*"}) == b.tsv());
}

TEST_CASE("list: filters and sort combine") {
  ListBook b;
  CHECK(b.tsv({"--where", "not never", "--tag", "client", "--status", "ok"}) == kLater);
  CHECK(b.tsv({"--where", "tag:client or tag:family", "--sort", "due"}) == kAcme + kMum + kSoon + kLater);
  CHECK(b.tsv({"--status", "due", "--sort", "last"}) == kBare + kAcme + kWoke + kMum);
}

TEST_CASE("list: csv has the header and RFC 4180 quoting, CRLF line ends") {
  ListBook b;
  Result r = b({"list", "--tag", "client", "--format", "csv"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "id,name,tags,every,rule,last,due,overdue,status,reason,owner\r\n"
                 "acme,\"Acme, Inc.\",client,3m,clients,2026-08-01,2026-11-01,22,due,cadence,\r\n"
                 "later,Later Client,client,3m,clients,2026-09-20,2026-12-20,-27,ok,cadence,\r\n"
                 "soon,Soon Client,client,3m,clients,2026-08-30,2026-11-30,-7,soon,cadence,\r\n");
  r = b({"list", "--where", "tag:soccer or field:nobody", "--format", "csv"});
  CHECK(r.code == 0);
  CHECK(r.out == "id,name,tags,every,rule,last,due,overdue,status,reason,owner\r\n"
                 "ana-lopez,Ana López,\"friend,soccer\",6w,own,2026-10-20,2026-12-01,-8,ok,cadence,\r\n");
  r = b({"list", "--status", "never", "--format", "csv"});
  CHECK(r.out == "id,name,tags,every,rule,last,due,overdue,status,reason,owner\r\n"
                 "hermit,Hermit,,never,own,,,,never,cadence,\r\n");
}

TEST_CASE("list: json is one array; keys in contract order, numbers, arrays and nulls") {
  ListBook b;
  Result r = b({"list", "--where", "tag:soccer or tag:family or never", "--format", "json"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  REQUIRE(!r.out.empty());
  CHECK(r.out.back() == '\n');
  ordered_json got = ordered_json::parse(r.out);
  // ordered_json compares objects key by key in order, so this checks the order too.
  CHECK(got == ordered_json::parse(R"([
    {"id": "added", "name": "Added Only", "tags": [], "every": "30d", "rule": "default", "last": null,
     "due": "2026-11-30", "overdue": -7, "status": "soon", "reason": "cadence", "owner": null,
     "last_note": null, "fields": {}},
    {"id": "ana-lopez", "name": "Ana López", "tags": ["friend", "soccer"], "every": "6w", "rule": "own",
     "last": "2026-10-20", "due": "2026-12-01", "overdue": -8, "status": "ok", "reason": "cadence", "owner": null,
     "last_note": "wedding", "fields": {"phone": "+1 555 0100", "city": "Lima"}},
    {"id": "bare", "name": "Bare", "tags": [], "every": "30d", "rule": "default", "last": null,
     "due": "2026-11-23", "overdue": 0, "status": "due", "reason": "cadence", "owner": null,
     "last_note": null, "fields": {}},
    {"id": "hermit", "name": "Hermit", "tags": [], "every": "never", "rule": "own", "last": null,
     "due": null, "overdue": null, "status": "never", "reason": "cadence", "owner": null,
     "last_note": null, "fields": {}},
    {"id": "mum", "name": "Mum", "tags": ["family"], "every": "2w", "rule": "family", "last": "2026-11-01",
     "due": "2026-11-15", "overdue": 8, "status": "due", "reason": "cadence", "owner": null,
     "last_note": null, "fields": {}}
  ])"));
  std::vector<std::string> keys;
  for (const auto& [k, v] : got.at(0).items()) keys.push_back(k);
  CHECK(keys == Ids{"id", "name", "tags", "every", "rule", "last", "due", "overdue", "status", "reason", "owner",
                    "last_note", "fields"});
  CHECK(got.at(1).at("overdue").is_number_integer());
}

TEST_CASE("list: jsonl is one object a line, the same objects as json") {
  ListBook b;
  Result json = b({"list", "--format", "json"});
  Result jsonl = b({"list", "--format", "jsonl"});
  CHECK(jsonl.code == 0);
  CHECK(jsonl.err == "");
  auto ls = lines(jsonl.out);
  REQUIRE(ls.size() == 11);
  ordered_json all = ordered_json::parse(json.out);
  REQUIRE(all.size() == 11);
  for (std::size_t i = 0; i < ls.size(); ++i) {
    CHECK(ls[i].find('\n') == std::string::npos);
    CHECK(ordered_json::parse(ls[i]) == all[i]);
  }
  CHECK(ordered_json::parse(ls[0]).at("id") == "acme");
  CHECK(ls[5] == R"({"id":"hermit","name":"Hermit","tags":[],"every":"never","rule":"own","last":null,"due":null,"overdue":null,"status":"never","reason":"cadence","owner":null,"last_note":null,"fields":{}})");
}

TEST_CASE("list: templates name the fields; escapes, fmt specs, empty absent values") {
  ListBook b;
  Result r = b({"list", "--tag", "friend", "--format", "{id}|{name}|{tags}|{every}|{rule}|{last}|{due}|{overdue}|{status}"});
  CHECK(r.code == 0);
  CHECK(r.out == "ana-lopez|Ana López|friend,soccer|6w|own|2026-10-20|2026-12-01|-8|ok\n"
                 "emile|Émile Zola|friend|30d|default|2026-11-20|2026-12-20|-27|ok\n");
  r = b({"list", "--where", "never", "--format", "{name}\\t[{overdue:>3}] {last}."});
  CHECK(r.code == 0);
  CHECK(r.out == "Added Only\t[ -7] .\nBare\t[  0] .\nHermit\t[   ] .\n");
  // An unknown field: exit 64 naming --format, the hint lists the fields in order.
  r = b({"list", "--format", "{id} {kind}"});
  CHECK(r.code == 64);
  CHECK(r.out == "");
  CHECK(lines(r.err) == Ids{"followup: bad template: unknown field \"kind\" (--format)",
                            "hint: fields: id, name, tags, every, rule, last, due, overdue, status, reason, owner"});
  CHECK(b.text() == kBook);
}

TEST_CASE("list: the table, aligned by display width, without colour off a terminal") {
  ListBook b;
  Result r = b({"list", "--tag", "friend"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  // Widths: ID 9, NAME 10 (Émile Zola), STATUS 6, DUE 10, LAST 10, EVERY 5, RULE 7.
  CHECK(r.out == "ID         NAME        STATUS  DUE         LAST        EVERY  RULE     TAGS\n"
                 "ana-lopez  Ana López   ok      2026-12-01  2026-10-20  6w     own      friend,soccer\n"
                 "emile      Émile Zola  ok      2026-12-20  2026-11-20  30d    default  friend\n");
  // Never due and never contacted: dashes, and no trailing blanks for no tags.
  r = b({"list", "--where", "never"});
  CHECK(r.code == 0);
  CHECK(r.out == "ID      NAME        STATUS  DUE         LAST  EVERY  RULE     TAGS\n"
                 "added   Added Only  soon    2026-11-30  -     30d    default\n"
                 "bare    Bare        due     2026-11-23  -     30d    default\n"
                 "hermit  Hermit      never   -           -     never  own\n");
}

TEST_CASE("list: colour only when asked, red for due, never with NO_COLOR") {
  ListBook b;
  Result r = b({"list", "--status", "due"});
  CHECK(r.out.find('\x1b') == std::string::npos);
  r = b({"list", "--status", "due", "--color", "always"});
  CHECK(r.code == 0);
  CHECK(r.out.find("\x1b[31macme\x1b[0m") != std::string::npos);
  r = b({"list", "--status", "soon", "--color", "always"});
  CHECK(r.out.find("\x1b[33msoon\x1b[0m") != std::string::npos);
  r = b({"list", "--status", "due", "--color", "always"}, {{"NO_COLOR", "1"}});
  CHECK(r.code == 0);
  CHECK(r.out.find('\x1b') == std::string::npos);
  // Machine formats never carry colour.
  r = b({"list", "--color", "always", "--format", "tsv"});
  CHECK(r.out.find('\x1b') == std::string::npos);
}

TEST_CASE("list: nothing matches: no output, [] in json, the header alone in csv") {
  ListBook b;
  for (std::string f : {"table", "tsv", "jsonl", "{id}"}) {
    INFO("--format ", f);
    Result r = b({"list", "--tag", "nobody", "--format", f});
    CHECK(r.code == 0);
    CHECK(r.out == "");
    CHECK(r.err == "");
  }
  Result r = b({"list", "--tag", "nobody", "--format", "json"});
  CHECK(r.out == "[]\n");
  r = b({"list", "--tag", "nobody", "--format", "csv"});
  CHECK(r.out == "id,name,tags,every,rule,last,due,overdue,status,reason,owner\r\n");
}

TEST_CASE("list: a missing book is empty: exit 0, no output, no file created") {
  Book b;
  Result r = b({"list"});
  CHECK(r.code == 0);
  CHECK(r.out == "");
  CHECK(r.err == "");
  r = b({"list", "--format", "json"});
  CHECK(r.code == 0);
  CHECK(r.out == "[]\n");
  CHECK_FALSE(b.exists());
  CHECK(files_starting_with(b.dir.path(), "contacts.json").empty());
}

TEST_CASE("list: refusals are usage errors (64) on stderr, nothing on stdout, the file untouched") {
  ListBook b;
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"list", "--where", "tag:client and"},
       "followup: bad expression at column 15: expected a term after \"and\" (--where)"},
      {{"list", "--where", "tag:a (tag:b)"}, "followup: bad expression at column 7: expected \"and\" or \"or\" before \"(\" (--where)"},
      {{"list", "--status", "late"}, "late"},
      {{"list", "--sort", "age"}, "age"},
      {{"list", "--format", "xml"}, "followup: unknown format \"xml\" (--format)"},
      {{"list", "--tag", "two words"}, "(--tag)"},
      {{"list", "--tag", ""}, "(--tag)"},
  };
  for (const auto& c : cases) {
    INFO("args: ", c.args[1], " ", c.args[2]);
    Result r = b(c.args);
    CHECK(r.code == 64);
    CHECK(r.out == "");
    CHECK(r.err.rfind("followup: ", 0) == 0);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(b.text() == kBook);
    CHECK_FALSE(b.has_bak());
  }
}

TEST_CASE("list: a rule that does not parse is a data error naming it and the column (65)") {
  Book b;
  const std::string text = R"({"followup": 1, "rules": [{"name": "broken", "match": "tag:a or", "every": "2w"}],
    "contacts": [{"id": "x", "name": "X"}]}
)";
  b.write(text);
  Result r = b({"list"});
  CHECK(r.code == 65);
  CHECK(r.out == "");
  CHECK(r.err.find("column 9") != std::string::npos);
  CHECK(r.err.find("rule broken") != std::string::npos);
  CHECK(b.text() == text);
}
