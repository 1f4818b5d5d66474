// followup rules: the list with how many contacts each rule governs, `rules
// test EXPR` (who matches and why), `rules add` and `rules rm`, with their
// refusals (SPEC §3, §4; README "Rules" and "Output formats").
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using ordered_json = nlohmann::ordered_json;
using Lines = std::vector<std::string>;

namespace {

std::string layout(const ordered_json& doc) { return doc.dump(2) + "\n"; }

// Who falls to which rule (SPEC §3: own every, else the first matching rule,
// else the default):
//   mum    family                    dad    family (first match, before clients)
//   acme   clients                   bigco  vip (clients excludes vip)
//   ana    own (her every beats the friends she would match nowhere anyway)
//   tom    nyc (field city, case-insensitive value)
//   zed    default
const ordered_json kDoc = ordered_json::parse(R"({
  "followup": 1,
  "rules": [
    {"name": "family", "match": "tag:family", "every": "2w"},
    {"name": "clients", "match": "tag:client and not tag:vip", "every": "3m", "counts": ["call", "visit"], "warn": "2w"},
    {"name": "vip", "match": "tag:vip", "every": "1m", "warn": "1w", "x-note": "kept"},
    {"name": "nyc", "match": "field:city=\"New York\"", "every": "1y"}
  ],
  "contacts": [
    {"id": "mum", "name": "Mum", "tags": ["family"], "interactions": [{"date": "2026-11-01", "kind": "call"}]},
    {"id": "dad", "name": "Dad", "tags": ["family", "client"]},
    {"id": "acme", "name": "Acme Corp", "tags": ["client"], "interactions": [{"date": "2026-08-01", "kind": "visit"}]},
    {"id": "bigco", "name": "BigCo", "tags": ["client", "vip"]},
    {"id": "ana-lopez", "name": "Ana López", "tags": ["friend"], "every": "6w"},
    {"id": "tom", "name": "Tom Smith", "tags": ["friend"], "fields": {"city": "new york"}},
    {"id": "zed", "name": "Zed"}
  ]
})");

const std::string kBook = layout(kDoc);

// kDoc with `rule` inserted at `pos` of the rules (or with rule `name` removed).
std::string with_rule(std::size_t pos, const ordered_json& rule) {
  ordered_json doc = kDoc;
  auto& rules = doc["rules"];
  rules.insert(rules.begin() + static_cast<std::ptrdiff_t>(pos), rule);
  return layout(doc);
}
std::string without_rule(const std::string& name) {
  ordered_json doc = kDoc;
  auto& rules = doc["rules"];
  for (auto it = rules.begin(); it != rules.end(); ++it)
    if (it->at("name") == name) {
      rules.erase(it);
      break;
    }
  return layout(doc);
}

// One table line: cells padded to the given display widths, two spaces
// apart; the last column right-aligned when `right_last`, else unpadded.
std::string row(const Lines& cells, const std::vector<std::size_t>& widths, bool right_last = false) {
  auto width = [](const std::string& s) {
    std::size_t n = 0;
    for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
    return n;
  };
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += "  ";
    bool last = i + 1 == cells.size();
    if (last && !right_last) {
      out += cells[i];
      continue;
    }
    REQUIRE(width(cells[i]) <= widths[i]);
    std::string pad(widths[i] - width(cells[i]), ' ');
    out += last ? pad + cells[i] : cells[i] + pad;
  }
  return out + "\n";
}

struct RulesBook : Book {
  RulesBook() { write(kBook); }
  std::string bak() const { return read_file(file.string() + ".bak"); }
  bool has_bak() const { return std::filesystem::exists(file.string() + ".bak"); }
  std::string ok(std::vector<std::string> args) const {
    Result r = (*this)(args);
    CHECK(r.code == 0);
    CHECK(r.err == "");
    return r.out;
  }
  void check_untouched() const {
    CHECK(text() == kBook);
    CHECK_FALSE(has_bak());
  }
  // id -> the rule that governs it now, from `list`.
  std::string governing(const std::string& id) const {
    Result r = (*this)({"list", "--where", "*", "--format", "{id} {rule}"});
    for (const auto& l : lines(r.out))
      if (l.rfind(id + " ", 0) == 0) return l.substr(id.size() + 1);
    return "?";
  }
};

} // namespace

TEST_CASE("rules: the table lists the rules in order with how many contacts each governs") {
  RulesBook b;
  const std::vector<std::size_t> w{9, 29, 5, 10, 4, 19, 5, 8};
  const std::string va = "voicemail,no-answer";
  CHECK(b.ok({"rules"}) ==
        row({"NAME", "MATCH", "EVERY", "COUNTS", "WARN", "ATTEMPTS", "RETRY", "CONTACTS"}, w, true) +
            row({"family", "tag:family", "2w", "all", "-", va, "3d", "2"}, w, true) +
            row({"clients", "tag:client and not tag:vip", "3m", "call,visit", "2w", va, "3d", "1"}, w, true) +
            row({"vip", "tag:vip", "1m", "all", "1w", va, "3d", "1"}, w, true) +
            row({"nyc", "field:city=\"New York\"", "1y", "all", "-", va, "3d", "1"}, w, true) +
            row({"(own)", "contacts with their own every", "-", "-", "-", va, "3d", "1"}, w, true) +
            row({"(default)", "no rule matches", "30d", "all", "-", va, "3d", "1"}, w, true));
  b.check_untouched();
}

TEST_CASE("rules: machine formats: name, match, every, counts, warn, contacts, attempts, retry") {
  RulesBook b;
  CHECK(b.ok({"rules", "--format", "tsv"}) == "family\ttag:family\t2w\t\t\t2\tvoicemail,no-answer\t3d\n"
                                              "clients\ttag:client and not tag:vip\t3m\tcall,visit\t2w\t1\tvoicemail,no-answer\t3d\n"
                                              "vip\ttag:vip\t1m\t\t1w\t1\tvoicemail,no-answer\t3d\n"
                                              "nyc\tfield:city=\"New York\"\t1y\t\t\t1\tvoicemail,no-answer\t3d\n");
  CHECK(b.ok({"rules", "--format", "csv"}) == "name,match,every,counts,warn,contacts,attempts,retry\r\n"
                                              "family,tag:family,2w,,,2,\"voicemail,no-answer\",3d\r\n"
                                              "clients,tag:client and not tag:vip,3m,\"call,visit\",2w,1,\"voicemail,no-answer\",3d\r\n"
                                              "vip,tag:vip,1m,,1w,1,\"voicemail,no-answer\",3d\r\n"
                                              "nyc,\"field:city=\"\"New York\"\"\",1y,,,1,\"voicemail,no-answer\",3d\r\n");
  CHECK(ordered_json::parse(b.ok({"rules", "--format", "json"})) == ordered_json::parse(R"([
    {"name": "family", "match": "tag:family", "every": "2w", "counts": null, "warn": null, "contacts": 2, "attempts": ["voicemail", "no-answer"], "retry": "3d"},
    {"name": "clients", "match": "tag:client and not tag:vip", "every": "3m", "counts": ["call", "visit"], "warn": "2w", "contacts": 1, "attempts": ["voicemail", "no-answer"], "retry": "3d"},
    {"name": "vip", "match": "tag:vip", "every": "1m", "counts": null, "warn": "1w", "contacts": 1, "attempts": ["voicemail", "no-answer"], "retry": "3d"},
    {"name": "nyc", "match": "field:city=\"New York\"", "every": "1y", "counts": null, "warn": null, "contacts": 1, "attempts": ["voicemail", "no-answer"], "retry": "3d"}
  ])"));
  Lines jl = lines(b.ok({"rules", "-o", "jsonl"}));
  REQUIRE(jl.size() == 4);
  CHECK(jl[0] == R"({"name":"family","match":"tag:family","every":"2w","counts":null,"warn":null,"contacts":2,"attempts":["voicemail","no-answer"],"retry":"3d"})");
  CHECK(b.ok({"rules", "--format", "{contacts:>2} {name}\\t{counts}"}) == " 2 family\t\n 1 clients\tcall,visit\n"
                                                                           " 1 vip\t\n 1 nyc\t\n");
  Result r = b({"rules", "--format", "{rule}"});
  CHECK(r.code == 64);
  CHECK(lines(r.err) == Lines{"followup: bad template: unknown field \"rule\" (--format)",
                              "hint: fields: name, match, every, counts, warn, contacts, attempts, retry"});
  b.check_untouched();
}

TEST_CASE("rules: no rules: the table shows who has their own cadence and who falls to the default") {
  Book b;
  b.write(R"({"followup": 1, "contacts": [{"id": "a", "name": "A", "every": "1w"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}]})");
  const std::vector<std::size_t> w{9, 29, 5, 6, 4, 19, 5, 8};
  Result r = b({"rules"});
  CHECK(r.code == 0);
  CHECK(r.out == row({"NAME", "MATCH", "EVERY", "COUNTS", "WARN", "ATTEMPTS", "RETRY", "CONTACTS"}, w, true) +
                     row({"(own)", "contacts with their own every", "-", "-", "-", "voicemail,no-answer", "3d", "1"}, w, true) +
                     row({"(default)", "no rule matches", "30d", "all", "-", "voicemail,no-answer", "3d", "2"}, w, true));
  r = b({"rules", "--format", "tsv"});
  CHECK(r.out == "");
  r = b({"rules", "--format", "json"});
  CHECK(r.out == "[]\n");
}

TEST_CASE("rules: a missing book prints nothing and creates nothing") {
  Book b;
  for (std::string f : {"table", "tsv", "jsonl"}) {
    INFO("--format ", f);
    Result r = b({"rules", "--format", f});
    CHECK(r.code == 0);
    CHECK(r.out == "");
    CHECK(r.err == "");
  }
  Result r = b({"rules", "test", "*"});
  CHECK(r.code == 0);
  CHECK(r.out == "");
  CHECK_FALSE(b.exists());
}

TEST_CASE("rules test: which contacts match, why, and which rule governs them now") {
  RulesBook b;
  const std::vector<std::size_t> w{5, 9, 8, 0};
  CHECK(b.ok({"rules", "test", "tag:client"}) == row({"ID", "NAME", "RULE NOW", "WHY"}, w) +
                                                     row({"dad", "Dad", "family", "has tag client"}, w) +
                                                     row({"acme", "Acme Corp", "clients", "has tag client"}, w) +
                                                     row({"bigco", "BigCo", "vip", "has tag client"}, w) +
                                                     "3 of 7 contacts match tag:client\n");
  b.check_untouched();
}

TEST_CASE("rules test: the reasons follow the expression") {
  RulesBook b;
  CHECK(b.ok({"rules", "test", "tag:client and not tag:vip", "-o", "tsv"}) ==
        "dad\tDad\tfamily\thas tag client and has no tag vip\n"
        "acme\tAcme Corp\tclients\thas tag client and has no tag vip\n");
  CHECK(b.ok({"rules", "test", "tag:family or tag:friend", "-o", "tsv"}) ==
        "mum\tMum\tfamily\thas tag family\n"
        "dad\tDad\tfamily\thas tag family\n"
        "ana-lopez\tAna López\town\thas tag friend\n"
        "tom\tTom Smith\tnyc\thas tag friend\n");
  CHECK(b.ok({"rules", "test", "field:CITY=\"New York\"", "-o", "tsv"}) == "tom\tTom Smith\tnyc\tfield CITY is \"new york\"\n");
  CHECK(b.ok({"rules", "test", "kind:visit or never", "-o", "{id}: {why}"}) ==
        "dad: has no check-in at all\n"
        "acme: has a check-in of kind visit\n"
        "bigco: has no check-in at all\n"
        "ana-lopez: has no check-in at all\n"
        "tom: has no check-in at all\n"
        "zed: has no check-in at all\n");
  CHECK(b.ok({"rules", "test", "not kind:call", "-o", "{id}: {why}"}) ==
        "dad: has no check-in of kind call\nacme: has no check-in of kind call\nbigco: has no check-in of kind call\n"
        "ana-lopez: has no check-in of kind call\ntom: has no check-in of kind call\nzed: has no check-in of kind call\n");
  CHECK(b.ok({"rules", "test", "*", "-o", "{id} {rule}"}) ==
        "mum family\ndad family\nacme clients\nbigco vip\nana-lopez own\ntom nyc\nzed default\n");
}

TEST_CASE("rules test: formats, the normalised expression, no match") {
  RulesBook b;
  std::string out = b.ok({"rules", "test", "TAG:client  AND NOT tag:VIP"});
  CHECK(lines(out).back() == "2 of 7 contacts match tag:client and not tag:VIP");
  CHECK(b.ok({"rules", "test", "tag:nobody"}) == "0 of 7 contacts match tag:nobody\n");
  CHECK(b.ok({"rules", "test", "tag:nobody", "-o", "tsv"}) == "");
  CHECK(b.ok({"rules", "test", "tag:nobody", "-o", "json"}) == "[]\n");
  CHECK(b.ok({"rules", "test", "tag:vip", "-o", "csv"}) == "id,name,rule,why\r\nbigco,BigCo,vip,has tag vip\r\n");
  CHECK(ordered_json::parse(b.ok({"rules", "test", "tag:vip", "-o", "json"})) ==
        ordered_json::parse(R"([{"id": "bigco", "name": "BigCo", "rule": "vip", "why": "has tag vip"}])"));
  CHECK(b.ok({"rules", "test", "tag:vip", "-o", "jsonl"}) == R"({"id":"bigco","name":"BigCo","rule":"vip","why":"has tag vip"})"
                                                             "\n");
  Result r = b({"rules", "test", "tag:a or or tag:b"});
  CHECK(r.code == 64);
  CHECK(r.out == "");
  CHECK(lines(r.err).at(0) == "followup: bad expression at column 10: expected a term after \"or\" (EXPR)");
  r = b({"rules", "test", "tag:vip", "-o", "{when}"});
  CHECK(r.code == 64);
  CHECK(lines(r.err).at(1) == "hint: fields: id, name, rule, why");
  b.check_untouched();
}

TEST_CASE("rules add: last by default, the rule as the file keeps it") {
  RulesBook b;
  CHECK(b.ok({"rules", "add", "friends", "--match", "tag:friend", "--every", "3w"}) ==
        "Added rule friends (position 5 of 5).\n");
  CHECK(b.text() == with_rule(4, {{"name", "friends"}, {"match", "tag:friend"}, {"every", "3w"}}));
  CHECK(b.bak() == kBook);
  // Last: tom stays with nyc, ana with her own cadence.
  CHECK(b.governing("tom") == "nyc");
  CHECK(b.governing("ana-lopez") == "own");
}

TEST_CASE("rules add: --before puts it first among the rules it precedes") {
  RulesBook b;
  CHECK(b.ok({"rules", "add", "friends", "-m", "tag:friend", "-e", "3w", "--before", "nyc"}) ==
        "Added rule friends (position 4 of 5).\n");
  CHECK(b.text() == with_rule(3, {{"name", "friends"}, {"match", "tag:friend"}, {"every", "3w"}}));
  CHECK(b.governing("tom") == "friends");
  Result r = b({"rules", "-o", "{name} {contacts}"});
  CHECK(r.out == "family 2\nclients 1\nvip 1\nfriends 1\nnyc 0\n");
}

TEST_CASE("rules add: --counts and --warn, first place") {
  RulesBook b;
  CHECK(b.ok({"rules", "add", "callers", "--match", "kind:call", "--every", "1m", "--counts", "call,visit", "--warn",
              "3d", "--before", "family"}) == "Added rule callers (position 1 of 5).\n");
  CHECK(b.text() == with_rule(0, ordered_json::parse(
                                     R"({"name": "callers", "match": "kind:call", "every": "1m", "counts": ["call", "visit"], "warn": "3d"})")));
  // Mum (a call) now falls to callers: 2026-11-01 + 1m = 2026-12-01, in 8
  // days, past the 3d warn: not listed by due, but listed with --within 8d.
  CHECK(b.governing("mum") == "callers");
  CHECK(b.ok({"due", "--tag", "family", "--format", "{id} {due} {rule}"}) == "dad 2026-11-23 family\n");
  CHECK(b.ok({"due", "--within", "8d", "--where", "kind:call", "--format", "{id} {due} {overdue}"}) ==
        "mum 2026-12-01 -8\n");
}

TEST_CASE("rules add: refusals (64) leave the file untouched") {
  RulesBook b;
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const std::vector<Case> cases{
      {{"rules", "add", "vip", "--match", "tag:x", "--every", "1w"}, "followup: a rule named \"vip\" exists (NAME)"},
      {{"rules", "add", "new", "--match", "tag:x", "--every", "1w", "--before", "nope"},
       "followup: no rule named \"nope\" (--before)"},
      {{"rules", "add", "new", "--match", "tag:x", "--every", "1w", "--before", "VIP"},
       "followup: no rule named \"VIP\" (--before)"},
      {{"rules", "add", "new", "--match", "tag:client and", "--every", "1w"},
       "followup: bad expression at column 15: expected a term after \"and\" (--match)"},
      {{"rules", "add", "new", "--match", "tag:a tag:b", "--every", "1w"},
       "followup: bad expression at column 7: expected \"and\" or \"or\" before \"tag:b\" (--match)"},
      {{"rules", "add", "new", "--match", "", "--every", "1w"}, "followup: bad expression at column 1: empty expression (--match)"},
      {{"rules", "add", "new", "--match", "tag:x", "--every", "often"}, "(--every)"},
      {{"rules", "add", "new", "--match", "tag:x", "--every", "1w", "--warn", "never"}, "(--warn)"},
      {{"rules", "add", "new", "--match", "tag:x", "--every", "1w", "--counts", "call,,visit"}, "followup: empty value (--counts)"},
      {{"rules", "add", "two words", "--match", "tag:x", "--every", "1w"}, "(NAME)"},
      {{"rules", "add", "new", "--every", "1w"}, "--match"},
      {{"rules", "add", "new", "--match", "tag:x"}, "--every"},
  };
  for (const auto& c : cases) {
    INFO("args: ", c.args[2], " ", c.args.back());
    Result r = b(c.args);
    CHECK(r.code == 64);
    CHECK(r.out == "");
    CHECK(r.err.rfind("followup: ", 0) == 0);
    CHECK(lines(r.err).at(0).find(c.err) != std::string::npos);
    b.check_untouched();
  }
}

TEST_CASE("rules add: on a missing book creates it") {
  Book b;
  Result r = b({"rules", "add", "all", "--match", "*", "--every", "2w"});
  CHECK(r.code == 0);
  CHECK(r.out == "Added rule all (position 1 of 1).\n");
  ordered_json doc = ordered_json::parse(b.text());
  CHECK(doc.at("followup") == 1);
  CHECK(doc.at("rules") == ordered_json::parse(R"([{"name": "all", "match": "*", "every": "2w"}])"));
  CHECK(b({"check"}).code == 0);
}

TEST_CASE("rules rm: removes the rule; its contacts fall to the next match") {
  RulesBook b;
  CHECK(b.ok({"rules", "rm", "vip"}) == "Removed rule vip.\n");
  CHECK(b.text() == without_rule("vip"));
  CHECK(b.bak() == kBook);
  // BigCo has client and vip: clients still excludes vip, so the default.
  CHECK(b.governing("bigco") == "default");
}

TEST_CASE("rules rm: an unknown rule is refused (64), names are exact") {
  RulesBook b;
  for (std::string name : {"nope", "VIP", ""}) {
    INFO("rm ", name);
    Result r = b({"rules", "rm", name});
    CHECK(r.code == 64);
    CHECK(r.out == "");
    CHECK(lines(r.err).at(0) == "followup: no rule named \"" + name + "\" (NAME)");
    b.check_untouched();
  }
  Book empty;
  Result r = empty({"rules", "rm", "vip"});
  CHECK(r.code == 64);
  CHECK_FALSE(empty.exists());
}

TEST_CASE("rules: undo takes back an add or a rm") {
  RulesBook b;
  REQUIRE(b({"rules", "rm", "vip"}).code == 0);
  Result r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(r.out == "Undid the last change:\n  added the rule vip\n");
  CHECK(b.text() == kBook);
  REQUIRE(b({"rules", "add", "x", "--match", "*", "--every", "1y", "--before", "family"}).code == 0);
  r = b({"undo"});
  CHECK(r.out == "Undid the last change:\n  removed the rule x\n");
  CHECK(b.text() == kBook);
}

TEST_CASE("rules: a rule in the file that does not parse is a data error (65) naming it and the column") {
  Book b;
  const std::string text = R"({"followup": 1, "rules": [
    {"name": "ok", "match": "tag:a", "every": "2w"},
    {"name": "broken", "match": "tag:a and", "every": "2w"}
  ], "contacts": []}
)";
  b.write(text);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"rules"}, {"rules", "test", "*"}, {"rules", "rm", "broken"}, {"rules", "add", "x", "--match", "*", "--every", "1w"}}) {
    INFO("args: ", args.back());
    Result r = b(args);
    CHECK(r.code == 65);
    CHECK(r.out == "");
    CHECK(r.err.find("bad match expression at column 10") != std::string::npos);
    CHECK(r.err.find("rule broken, key match") != std::string::npos);
    CHECK(b.text() == text);
    CHECK_FALSE(std::filesystem::exists(b.file.string() + ".bak"));
  }
}
