// followup show CONTACT: the full card (fields, tags, notes, cadence and its
// rule, snooze, next due, why, the last five check-ins), `--format json`
// (the stored contact plus computed keys) and the list record in the other
// machine formats (SPEC §3, §4; README). Today is Monday 2026-11-23.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using ordered_json = nlohmann::ordered_json;

namespace {

// By hand (SPEC §3):
//   acme   rule clients (3m, counts call/visit): the latest counting check-in
//          is the visit of 2026-08-01 (the emails after it do not count);
//          2026-08-01 + 3m = 2026-11-01, 22 days overdue.
//   ana    own 6w: 2026-10-20 + 42d = 2026-12-01; snoozed until 2026-12-15,
//          later, so due 2026-12-15, in 22 days; status snoozed.
//   hermit own `never`: never due.
//   nora   rule vip (1m), no check-in and no added date: due today.
const std::string kBook = R"({
  "followup": 1,
  "rules": [
    {"name": "clients", "match": "tag:client and not tag:vip", "every": "3m", "counts": ["call", "visit"], "warn": "2w"},
    {"name": "vip", "match": "tag:vip", "every": "1m"}
  ],
  "contacts": [
    {
      "id": "acme",
      "name": "Acme, Inc.",
      "x-crm": {"ref": 42, "owner": null},
      "tags": ["client"],
      "fields": {"phone": "+1 555 0199", "contact": "Jo Park"},
      "notes": "Buys tyres in spring.",
      "added": "2025-02-01",
      "interactions": [
        {"date": "2026-01-15", "kind": "call", "note": "New year call", "by": "kris"},
        {"date": "2026-03-02", "kind": "visit", "note": "Tyres"},
        {"date": "2026-05-10", "kind": "email", "note": "Promo"},
        {"date": "2026-06-20", "kind": "call", "note": "Complaint about invoice", "by": "sam"},
        {"date": "2026-08-01", "kind": "visit", "note": "Signed renewal", "by": "kris"},
        {"date": "2026-10-01", "kind": "email", "note": "Newsletter"},
        {"date": "2026-11-01", "kind": "email", "note": "Invoice"}
      ]
    },
    {
      "id": "ana-lopez",
      "name": "Ana López",
      "tags": ["friend"],
      "every": "6w",
      "notes": "Getting married in June.\nFiancé is Tom.",
      "snoozed_until": "2026-12-15",
      "interactions": [{"date": "2026-10-20", "kind": "call"}]
    },
    {"id": "hermit", "name": "Hermit", "every": "never", "added": "2020-01-01"},
    {"id": "nora", "name": "Nora New", "tags": ["vip"]}
  ]
}
)";

struct ShowBook : Book {
  ShowBook() { write(kBook); }
  bool has_bak() const { return std::filesystem::exists(file.string() + ".bak"); }
  // `show ARGS...`, which must succeed quietly and leave the book alone.
  std::string ok(std::vector<std::string> args) const {
    args.insert(args.begin(), "show");
    Result r = (*this)(args);
    CHECK(r.code == 0);
    CHECK(r.err == "");
    CHECK(text() == kBook);
    CHECK_FALSE(has_bak());
    return r.out;
  }
  ordered_json stored(std::size_t i) const { return ordered_json::parse(kBook).at("contacts").at(i); }
};

} // namespace

TEST_CASE("show: the card, why, and the five latest check-ins") {
  ShowBook b;
  CHECK(b.ok({"acme"}) ==
        "Acme, Inc. (acme)\n"
        "  tags: client\n"
        "  phone: +1 555 0199\n"
        "  contact: Jo Park\n"
        "  notes: Buys tyres in spring.\n"
        "  added: 2025-02-01\n"
        "  every 3m (clients); next due 2026-11-01 (22 days overdue)\n"
        "\n"
        "why:\n"
        "  cadence: every 3m, rule clients, match tag:client and not tag:vip: has tag client and has no tag vip\n"
        "  counts: call, visit only\n"
        "  not counted: the email on 2026-10-01, the email on 2026-11-01\n"
        "  clock: set by the visit on 2026-08-01 (\"Signed renewal\")\n"
        "  arithmetic: 2026-08-01 + 3m = 2026-11-01\n"
        "  due: 2026-11-01, 22 days overdue\n"
        "\n"
        "last check-ins (7 in all):\n"
        "DATE        KIND   BY    NOTE\n"
        "2026-11-01  email        Invoice\n"
        "2026-10-01  email        Newsletter\n"
        "2026-08-01  visit  kris  Signed renewal\n"
        "2026-06-20  call   sam   Complaint about invoice\n"
        "2026-05-10  email        Promo\n");
}

TEST_CASE("show: the contact's own cadence, a snooze, multi-line notes") {
  ShowBook b;
  CHECK(b.ok({"ana"}) ==
        "Ana López (ana-lopez)\n"
        "  tags: friend\n"
        "  notes: Getting married in June.\n"
        "         Fiancé is Tom.\n"
        "  every 6w (own); next due 2026-12-15 (in 22 days); snoozed until 2026-12-15\n"
        "\n"
        "why:\n"
        "  cadence: every 6w, the contact's own\n"
        "  clock: set by the call on 2026-10-20\n"
        "  arithmetic: 2026-10-20 + 6w = 2026-12-01\n"
        "  snoozed until 2026-12-15, so due then\n"
        "  due: 2026-12-15, in 22 days\n"
        "\n"
        "last check-ins (1 in all):\n"
        "DATE        KIND  BY  NOTE\n"
        "2026-10-20  call\n");
}

TEST_CASE("show: never due, and no check-ins yet") {
  ShowBook b;
  CHECK(b.ok({"hermit"}) ==
        "Hermit (hermit)\n"
        "  added: 2020-01-01\n"
        "  every never (own); never due\n"
        "\n"
        "why:\n"
        "  cadence: every never, the contact's own\n"
        "  clock: no check-in yet, so the date it was added, 2020-01-01\n"
        "  due: never (every: never)\n"
        "\n"
        "No check-ins yet.\n");
}

TEST_CASE("show: a rule's cadence with neither check-in nor added date: due today") {
  ShowBook b;
  CHECK(b.ok({"nora"}) ==
        "Nora New (nora)\n"
        "  tags: vip\n"
        "  every 1m (vip); next due 2026-11-23 (today)\n"
        "\n"
        "why:\n"
        "  cadence: every 1m, rule vip, match tag:vip: has tag vip\n"
        "  clock: no check-in and no added date, so due today\n"
        "  due: 2026-11-23, today\n"
        "\n"
        "No check-ins yet.\n");
}

TEST_CASE("show: the snooze is over once its date has passed") {
  ShowBook b;
  Result r = b({"--today", "2026-12-16", "show", "ana"});
  CHECK(r.code == 0);
  // Still due on the snooze date (later than 2026-12-01), one day overdue, no
  // "snoozed until" on the card any more.
  CHECK(r.out.find("  every 6w (own); next due 2026-12-15 (1 day overdue)\n") != std::string::npos);
  CHECK(r.out.find("snoozed until 2026-12-15, so due then\n") != std::string::npos);
  CHECK(r.out.find("; snoozed until") == std::string::npos);
}

TEST_CASE("show: colour only when asked: red overdue, yellow today") {
  ShowBook b;
  CHECK(b.ok({"acme"}).find('\x1b') == std::string::npos);
  std::string out = b.ok({"acme", "--color", "always"});
  CHECK(out.find("next due \x1b[31m2026-11-01 (22 days overdue)\x1b[0m\n") != std::string::npos);
  out = b.ok({"nora", "--color", "always"});
  CHECK(out.find("next due \x1b[33m2026-11-23 (today)\x1b[0m\n") != std::string::npos);
  Result r = b({"show", "acme", "--color", "always"}, {{"NO_COLOR", "1"}});
  CHECK(r.out.find('\x1b') == std::string::npos);
}

TEST_CASE("show: --format json is the stored contact, in its order, plus the computed keys") {
  ShowBook b;
  ordered_json got = ordered_json::parse(b.ok({"acme", "--format", "json"}));
  ordered_json want = b.stored(0); // unknown keys included, in place
  want["rule"] = "clients";
  want["cadence"] = "3m";
  want["counted_kinds"] = {"call", "visit"};
  want["last"] = "2026-08-01";
  want["last_kind"] = "visit";
  want["due"] = "2026-11-01";
  want["overdue"] = 22;
  want["status"] = "due";
  want["reason"] = "cadence";
  want["about"] = "";
  CHECK(got == want); // ordered: the order of the keys counts
  std::vector<std::string> keys;
  for (const auto& [k, v] : got.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"id", "name", "x-crm", "tags", "fields", "notes", "added", "interactions",
                                         "rule", "cadence", "counted_kinds", "last", "last_kind", "due", "overdue",
                                         "status", "reason", "about"});
  CHECK(got.at("overdue").is_number_integer());
}

TEST_CASE("show: --format json nulls what does not apply") {
  ShowBook b;
  ordered_json got = ordered_json::parse(b.ok({"hermit", "--format", "json"}));
  ordered_json want = b.stored(2);
  for (auto [k, v] : {std::pair<const char*, ordered_json>{"rule", "own"}, {"cadence", "never"},
                      {"counted_kinds", nullptr}, {"last", nullptr}, {"last_kind", nullptr}, {"due", nullptr},
                      {"overdue", nullptr}, {"status", "never"}, {"reason", "cadence"}, {"about", ""}})
    want[k] = v;
  CHECK(got == want);

  got = ordered_json::parse(b.ok({"ana", "--format", "json"}));
  CHECK(got.at("notes") == "Getting married in June.\nFiancé is Tom.");
  CHECK(got.at("rule") == "own");
  CHECK(got.at("counted_kinds").is_null());
  CHECK(got.at("last") == "2026-10-20");
  CHECK(got.at("last_kind") == "call");
  CHECK(got.at("due") == "2026-12-15");
  CHECK(got.at("overdue") == -22);
  CHECK(got.at("status") == "snoozed");
}

TEST_CASE("show: other machine formats print the contact's list record") {
  ShowBook b;
  CHECK(b.ok({"acme", "--format", "tsv"}) == "acme\tAcme, Inc.\tclient\t3m\tclients\t2026-08-01\t2026-11-01\t22\tdue\tcadence\t\n");
  CHECK(b.ok({"acme", "--format", "csv"}) == "id,name,tags,every,rule,last,due,overdue,status,reason,owner\r\n"
                                              "acme,\"Acme, Inc.\",client,3m,clients,2026-08-01,2026-11-01,22,due,cadence,\r\n");
  CHECK(b.ok({"acme", "-o", "jsonl"}) == R"({"id":"acme","name":"Acme, Inc.","tags":["client"],"every":"3m",)"
                                         R"("rule":"clients","last":"2026-08-01","due":"2026-11-01","overdue":22,"status":"due",)"
                                         R"("reason":"cadence","owner":null})"
                                         "\n");
  CHECK(b.ok({"hermit", "--format", "tsv"}) == "hermit\tHermit\t\tnever\town\t\t\t\tnever\tcadence\t\n");
  CHECK(b.ok({"ana", "--format", "{name}: {status} until {due} ({overdue} days), {rule} {every}"}) ==
        "Ana López: snoozed until 2026-12-15 (-22 days), own 6w\n");
  CHECK(b.ok({"nora", "--format", "{id}\\t{tags}\\t{last}|"}) == "nora\tvip\t|\n");
}

TEST_CASE("show: CONTACT as log takes it; unknown or ambiguous is 67") {
  ShowBook b;
  CHECK(b.ok({"inc", "--format", "{id}"}) == "acme\n");       // a word of the name
  CHECK(b.ok({"LÓPEZ", "--format", "{id}"}) == "ana-lopez\n"); // accents and case
  CHECK(b.ok({"nora", "--format", "{id}"}) == "nora\n");
  Result r = b({"show", "zed"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(lines(r.err) == std::vector<std::string>{"followup: no contact matches \"zed\" (CONTACT)",
                                                 "hint: `followup list` shows every contact"});
  r = b({"show", "a"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(lines(r.err).at(0) == "followup: \"a\" matches 2 contacts: acme, ana-lopez (CONTACT)");
  CHECK(b.text() == kBook);
}

TEST_CASE("show: usage errors and a missing book") {
  ShowBook b;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"show"}, {"show", "acme", "--format", "xml"}, {"show", "acme", "--format", "{nope}"},
           {"show", "acme", "ana"}}) {
    INFO("args: ", args.back());
    Result r = b(args);
    CHECK(r.code == 64);
    CHECK(r.out == "");
    CHECK(r.err.rfind("followup: ", 0) == 0);
    CHECK(b.text() == kBook);
  }
  Book empty;
  Result r = empty({"show", "ana"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK_FALSE(empty.exists());
}
