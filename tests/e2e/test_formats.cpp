// Output formats of due and history (SPEC §4): tsv, csv, json, jsonl,
// templates, errors, and colour in the table.
#include <doctest/doctest.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using ordered_json = nlohmann::ordered_json;

namespace {

// Ana: due 2026-11-19 (4 days), a name with a comma and quotes, two tags, a
// note with a tab, a newline and a backslash, another with a comma and quotes.
// Bo: never checked in, due from his added date (23 days).
const char* const kBook = R"({
  "followup": 1,
  "contacts": [
    {
      "id": "ana",
      "name": "Ana, \"the\" López",
      "tags": ["friend", "soccer"],
      "added": "2026-01-10",
      "interactions": [
        {"date": "2026-10-01", "kind": "visit", "note": "a\tb\nc\\d", "by": "kris"},
        {"date": "2026-10-10", "kind": "email"},
        {"date": "2026-10-20", "kind": "call", "note": "x,y \"q\""}
      ]
    },
    {"id": "bo", "name": "Bo", "added": "2026-10-01"},
    {"id": "fine", "name": "Fine", "interactions": [{"date": "2026-11-20", "kind": "call"}]}
  ]
}
)";

struct Sample : Book {
  Sample() { write(kBook); }
  std::string ok(std::vector<std::string> args, const Env& env = {}) const {
    Result r = (*this)(std::move(args), env);
    CHECK(r.code == 0);
    CHECK(r.err == "");
    return r.out;
  }
};

std::vector<std::string> keys_of(const ordered_json& obj) {
  std::vector<std::string> keys;
  for (auto it = obj.begin(); it != obj.end(); ++it) keys.push_back(it.key());
  return keys;
}

std::string strip_ansi(const std::string& s) { return std::regex_replace(s, std::regex("\x1b\\[[0-9;]*m"), ""); }

const std::vector<std::string> kDueKeys{"id",   "name",  "due",       "overdue", "last",  "last_kind", "every",
                                        "rule", "tags",  "reason",    "about",   "owner", "last_note", "fields"};
const std::vector<std::string> kHistoryKeys{"date", "kind", "note", "by", "id", "name"};

} // namespace

TEST_CASE("formats: due tsv has no header and one record a line") {
  Sample b;
  CHECK(b.ok({"due", "--format", "tsv"}) ==
        "bo\tBo\t2026-10-31\t23\t\t\t30d\tdefault\t\tcadence\t\t\n"
        "ana\tAna, \"the\" López\t2026-11-19\t4\t2026-10-20\tcall\t30d\tdefault\tfriend,soccer\tcadence\t\t\n");
  CHECK(b.ok({"due", "-o", "tsv", "--within", "4w", "--where", "kind:call and not tag:friend"}) ==
        "fine\tFine\t2026-12-20\t-27\t2026-11-20\tcall\t30d\tdefault\t\tcadence\t\t\n");
}

TEST_CASE("formats: history tsv escapes tab, newline and backslash") {
  Sample b;
  CHECK(b.ok({"history", "ana", "--format", "tsv"}) ==
        "2026-10-20\tcall\tx,y \"q\"\t\tana\tAna, \"the\" López\n"
        "2026-10-10\temail\t\t\tana\tAna, \"the\" López\n"
        "2026-10-01\tvisit\ta\\tb\\nc\\\\d\tkris\tana\tAna, \"the\" López\n");
}

TEST_CASE("formats: due csv has a header, RFC 4180 quoting and CRLF") {
  Sample b;
  CHECK(b.ok({"due", "--format", "csv"}) ==
        "id,name,due,overdue,last,last_kind,every,rule,tags,reason,about,owner\r\n"
        "bo,Bo,2026-10-31,23,,,30d,default,,cadence,,\r\n"
        "ana,\"Ana, \"\"the\"\" López\",2026-11-19,4,2026-10-20,call,30d,default,\"friend,soccer\",cadence,,\r\n");
}

TEST_CASE("formats: history csv quotes a field with a newline, a comma or quotes") {
  Sample b;
  CHECK(b.ok({"history", "ana", "--format", "csv"}) ==
        "date,kind,note,by,id,name\r\n"
        "2026-10-20,call,\"x,y \"\"q\"\"\",,ana,\"Ana, \"\"the\"\" López\"\r\n"
        "2026-10-10,email,,,ana,\"Ana, \"\"the\"\" López\"\r\n"
        "2026-10-01,visit,\"a\tb\nc\\d\",kris,ana,\"Ana, \"\"the\"\" López\"\r\n");
}

TEST_CASE("formats: due json is one array with the fields in contract order") {
  Sample b;
  std::string out = b.ok({"due", "--format", "json"});
  REQUIRE(!out.empty());
  CHECK(out.back() == '\n');
  ordered_json doc = ordered_json::parse(out);
  REQUIRE(doc.is_array());
  REQUIRE(doc.size() == 2);
  for (const auto& rec : doc) CHECK(keys_of(rec) == kDueKeys);
  CHECK(doc[0] == ordered_json::parse(R"({"id": "bo", "name": "Bo", "due": "2026-10-31", "overdue": 23,
    "last": null, "last_kind": null, "every": "30d", "rule": "default", "tags": [], "reason": "cadence",
    "about": "", "owner": null, "last_note": null, "fields": {}})"));
  CHECK(doc[1] == ordered_json::parse(R"({"id": "ana", "name": "Ana, \"the\" López", "due": "2026-11-19",
    "overdue": 4, "last": "2026-10-20", "last_kind": "call", "every": "30d", "rule": "default",
    "tags": ["friend", "soccer"], "reason": "cadence", "about": "", "owner": null, "last_note": "x,y \"q\"",
    "fields": {}})"));
  CHECK(doc[0]["overdue"].is_number_integer());
  // Upcoming contacts have a negative overdue, still a number.
  doc = ordered_json::parse(b.ok({"due", "--format", "json", "--within", "4w", "--tag", "nope"}));
  CHECK(doc == ordered_json::array());
  doc = ordered_json::parse(b.ok({"due", "--format", "json", "--within", "4w", "--where", "not never and not tag:friend"}));
  REQUIRE(doc.size() == 1);
  CHECK(doc[0]["overdue"] == -27);
  CHECK(doc[0]["overdue"].is_number_integer());
}

TEST_CASE("formats: history json has the fields in contract order, null when absent") {
  Sample b;
  ordered_json doc = ordered_json::parse(b.ok({"history", "ana", "--format", "json"}));
  REQUIRE(doc.size() == 3);
  for (const auto& rec : doc) CHECK(keys_of(rec) == kHistoryKeys);
  CHECK(doc == ordered_json::parse(R"([
    {"date": "2026-10-20", "kind": "call", "note": "x,y \"q\"", "by": null, "id": "ana", "name": "Ana, \"the\" López"},
    {"date": "2026-10-10", "kind": "email", "note": null, "by": null, "id": "ana", "name": "Ana, \"the\" López"},
    {"date": "2026-10-01", "kind": "visit", "note": "a\tb\nc\\d", "by": "kris", "id": "ana", "name": "Ana, \"the\" López"}
  ])"));
  CHECK(b.ok({"history", "bo", "--format", "json"}) == "[]\n");
}

TEST_CASE("formats: jsonl is one compact object a line") {
  Sample b;
  for (std::string cmd : {"due", "history"}) {
    INFO("command ", cmd);
    std::vector<std::string> args{cmd};
    if (cmd == "history") args.push_back("ana");
    std::vector<std::string> json_args = args, jsonl_args = args;
    json_args.insert(json_args.end(), {"--format", "json"});
    jsonl_args.insert(jsonl_args.end(), {"--format", "jsonl"});
    ordered_json all = ordered_json::parse(b.ok(json_args));
    std::string out = b.ok(jsonl_args);
    REQUIRE(!out.empty());
    CHECK(out.back() == '\n');
    auto ls = lines(out);
    REQUIRE(ls.size() == all.size());
    for (std::size_t i = 0; i < ls.size(); ++i) {
      ordered_json rec = ordered_json::parse(ls[i]);
      CHECK(rec == all[i]);
      CHECK(keys_of(rec) == (cmd == "due" ? kDueKeys : kHistoryKeys));
    }
  }
  CHECK(b.ok({"history", "bo", "--format", "jsonl"}) == "");
}

TEST_CASE("formats: a template interprets \\t and takes fmt width specs") {
  Sample b;
  CHECK(b.ok({"due", "--format", "{id}\\t{overdue:>4}|{tags}|{last}"}) == "bo\t  23||\n"
                                                                        "ana\t   4|friend,soccer|2026-10-20\n");
  CHECK(b.ok({"due", "-o", "{name:<5}|{rule}\\n{due}"}) == "Bo   |default\n2026-10-31\n"
                                                          "Ana, \"the\" López|default\n2026-11-19\n");
  CHECK(b.ok({"history", "ana", "--format", "{date}\\t{kind:<6}|{by}|{id}"}) == "2026-10-20\tcall  ||ana\n"
                                                                               "2026-10-10\temail ||ana\n"
                                                                               "2026-10-01\tvisit |kris|ana\n");
  CHECK(b.ok({"history", "ana", "--format", "a\\\\b {kind}"}) == "a\\b call\na\\b email\na\\b visit\n");
}

TEST_CASE("formats: an unknown template field or format is a usage error") {
  Sample b;
  const std::vector<std::vector<std::string>> bad{
      {"due", "--format", "{name} {nope}"},     {"due", "--format", "xml"},
      {"due", "--format", "{}"},                {"history", "ana", "--format", "{when}"},
      {"history", "ana", "--format", "yaml"},   {"due", "--format", "{name} {nope}", "--tag", "nobody"},
  };
  for (const auto& args : bad) {
    INFO("args ", args.back());
    Result r = b(args);
    CHECK(r.code == 64);
    CHECK(r.out == "");
    CHECK(r.err.rfind("followup: ", 0) == 0);
    CHECK(r.err.find("--format") != std::string::npos);
  }
  Result r = b({"due", "--format", "{name} {nope}"});
  CHECK(r.err.find("nope") != std::string::npos);
  r = b({"history", "ana", "--format", "yaml"});
  CHECK(r.err.find("yaml") != std::string::npos);
}

TEST_CASE("formats: the table has no colour off a TTY, colour with --color always, none with NO_COLOR") {
  Sample b;
  std::string plain = b.ok({"due"});
  CHECK(plain.find('\x1b') == std::string::npos);
  CHECK(plain.find("Bo") != std::string::npos);
  CHECK(plain.find("2026-10-31") != std::string::npos);

  std::string colored = b.ok({"--color", "always", "due"});
  CHECK(colored.find("\x1b[") != std::string::npos);
  CHECK(strip_ansi(colored) == plain);

  CHECK(b.ok({"--color", "never", "due"}) == plain);
  CHECK(b.ok({"--color", "always", "due"}, {{"NO_COLOR", "1"}}) == plain);
  CHECK(b.ok({"due"}, {{"NO_COLOR", "1"}}) == plain);
  CHECK(b.ok({"due", "--color", "always"}, {{"NO_COLOR", "1"}}) == plain);

  std::string card = b.ok({"history", "ana"});
  CHECK(card.find('\x1b') == std::string::npos);
  CHECK(b.ok({"--color", "always", "history", "ana"}, {{"NO_COLOR", "1"}}) == card);
  CHECK(strip_ansi(b.ok({"--color", "always", "history", "ana"})) == card);

  // Machine formats never carry colour.
  CHECK(b.ok({"--color", "always", "due", "--format", "tsv"}).find('\x1b') == std::string::npos);
  CHECK(b.ok({"--color", "always", "history", "ana", "--format", "csv"}).find('\x1b') == std::string::npos);

  Result r = b({"--color", "sometimes", "due"});
  CHECK(r.code == 64);
  CHECK(r.out == "");
}

// SPEC §4: beyond the fixed fields, due and list records carry last_note and
// fields (json, jsonl, templates: {fields.KEY}, {last_note}); tsv and csv
// keep exactly the fixed columns; templates keep a record on one line.
TEST_CASE("formats: {fields.KEY}, {last_note} and the fields object") {
  Book b;
  b.write(R"({"followup": 1, "contacts": [
    {"id": "ana", "name": "Ana", "fields": {"phone": "+1 555 0100", "Car": "Volvo", "e-mail": "a@x.org"},
     "interactions": [{"date": "2026-10-01", "kind": "call", "note": "kitchen\tproject\nin spring"},
                      {"date": "2026-09-01", "kind": "visit", "note": "older"}]},
    {"id": "bo", "name": "Bo", "interactions": [{"date": "2026-10-02", "kind": "email"},
                                                 {"date": "2026-09-02", "kind": "call", "note": "not the latest"}]}
  ]})");
  for (const char* command : {"due", "list"}) {
    CAPTURE(command);
    Result r = b({command, "--format", "{id} {fields.phone} [{fields.car}] {fields.e-mail} <{last_note}>"});
    CHECK(r.code == 0);
    CHECK(r.err == "");
    // Keys as contact fields are looked up (case-insensitively); absent: empty.
    CHECK(r.out == "ana +1 555 0100 [Volvo] a@x.org <kitchen\\tproject\\nin spring>\nbo  []  <>\n");
    // Specs work on them as on any text.
    Result spec = b({command, "--format", "{fields.phone:>12}|{last_note:.7}|{name}"});
    CHECK(spec.out == " +1 555 0100|kitchen|Ana\n            ||Bo\n");
    // A nested spec goes through fmt whole, and still finds them.
    Result nested = b({command, "--format", "{fields.Car:>{overdue}}"});
    CHECK(nested.code == 0);
    CHECK(nested.out == std::string(18, ' ') + "Volvo\n" + std::string(22, ' ') + "\n"); // 23 and 22 days overdue
    // json and jsonl end with last_note and fields.
    ordered_json doc = ordered_json::parse(b({command, "--format", "json"}).out);
    CHECK(doc[0]["last_note"] == "kitchen\tproject\nin spring");
    CHECK(doc[0]["fields"] == ordered_json::parse(R"({"phone": "+1 555 0100", "Car": "Volvo", "e-mail": "a@x.org"})"));
    CHECK(doc[1]["last_note"].is_null());
    CHECK(doc[1]["fields"] == ordered_json::object());
    const std::vector<std::string> jl = lines(b({command, "--format", "jsonl"}).out);
    REQUIRE(jl.size() == 2);
    CHECK(jl[0].find(R"("last_note":"kitchen\tproject\nin spring","fields":{"phone":"+1 555 0100","Car":"Volvo","e-mail":"a@x.org"}})") !=
          std::string::npos);
    // tsv and csv: the fixed columns only.
    CHECK(b({command, "--format", "tsv"}).out.find("Volvo") == std::string::npos);
    CHECK(b({command, "--format", "csv"}).out.find("last_note") == std::string::npos);
    // An unknown plain name is still an error, and the hint names fields.KEY.
    Result bad = b({command, "--format", "{phone}"});
    CHECK(bad.code == 64);
    CHECK(bad.err.find("bad template: unknown field \"phone\"") != std::string::npos);
    CHECK(bad.err.find("last_note, fields, fields.KEY") != std::string::npos);
  }
}
