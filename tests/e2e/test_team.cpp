// A team shares the book (SPEC §8): owners, `assign`, --owner/--mine on due,
// list and brief, `owner:` in the match language, and the call sheet.
#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using json = nlohmann::ordered_json;

namespace {

// Today (FOLLOWUP_TODAY) is 2026-11-23. Due: bo (84 days), ana (53), cy (23);
// dee is not due until 2026-12-20.
const char* const kBook = R"({
  "followup": 1,
  "rules": [{"name": "clients", "match": "tag:client", "every": "30d"}],
  "contacts": [
    {"id": "ana", "name": "Ana López", "tags": ["client"], "owner": "maya",
     "fields": {"phone": "555-0100", "car": "2014 Civic"}, "notes": "Prefers mornings.",
     "interactions": [{"date": "2026-08-15", "kind": "visit"},
                      {"date": "2026-09-01", "kind": "call", "by": "sam", "note": "planning a kitchen"}]},
    {"id": "bo", "name": "Bo Chen", "tags": ["client"], "owner": "sam", "interactions": [{"date": "2026-08-01", "kind": "visit"}]},
    {"id": "cy", "name": "Cy Diaz", "tags": ["client"], "interactions": [{"date": "2026-10-01", "kind": "call"}]},
    {"id": "dee", "name": "Dee Fox", "tags": ["client"], "owner": "maya", "interactions": [{"date": "2026-11-20", "kind": "call"}]}
  ]
}
)";

struct TeamBook : Book {
  TeamBook() { write(kBook); }
  // The ids a command prints with `-o {id}`, one a line.
  std::string ids(std::vector<std::string> args, const Env& env = {}) const {
    args.insert(args.end(), {"-o", "{id}"});
    Result r = (*this)(args, env);
    CHECK(r.err == "");
    CHECK(r.code == 0);
    return r.out;
  }
  json doc() const { return json::parse(text()); }
  const json& contact(const json& d, const std::string& id) const {
    for (const json& c : d["contacts"])
      if (c["id"] == id) return c;
    FAIL("no contact " << id);
    return d;
  }
  bool has_bak() const { return std::filesystem::exists(file.string() + ".bak"); }
};

const Env kNoUser{{"FOLLOWUP_USER", "\x01"}};

} // namespace

TEST_CASE("team: due --owner keeps due's order; repeatable; none is unowned; names fold case") {
  TeamBook b;
  CHECK(b.ids({"due"}) == "bo\nana\ncy\n");
  CHECK(b.ids({"due", "--owner", "maya"}) == "ana\n");
  CHECK(b.ids({"due", "--owner", "maya", "--owner", "sam"}) == "bo\nana\n");
  CHECK(b.ids({"due", "--owner", "none"}) == "cy\n");
  CHECK(b.ids({"due", "--owner", "MAYA", "--owner", "none"}) == "ana\ncy\n");
  CHECK(b.ids({"due", "--owner", "nobody"}) == "");
  // With --where and --tag: all must hold.
  CHECK(b.ids({"due", "--owner", "maya", "--where", "kind:visit"}) == "ana\n");
  CHECK(b.ids({"due", "--owner", "sam", "--where", "kind:call"}) == "");
  // The record says whose it is.
  Result r = b({"due", "--owner", "sam", "-o", "jsonl"});
  CHECK(json::parse(r.out)["owner"] == "sam");
}

TEST_CASE("team: --mine is --owner $FOLLOWUP_USER; unset, it is a usage error") {
  TeamBook b;
  CHECK(b.ids({"due", "--mine"}, {{"FOLLOWUP_USER", "sam"}}) == "bo\n");
  CHECK(b.ids({"due", "--mine", "--owner", "none"}, {{"FOLLOWUP_USER", "sam"}}) == "bo\ncy\n");
  CHECK(b.ids({"list", "--mine"}, {{"FOLLOWUP_USER", "maya"}}) == "ana\ndee\n");
  for (const char* command : {"due", "list", "brief"}) {
    CAPTURE(command);
    for (const Env& env : {kNoUser, Env{{"FOLLOWUP_USER", ""}}}) {
      Result r = b({command, "--mine"}, env);
      CHECK(r.code == 64);
      CHECK(r.out == "");
      CHECK(r.err == "followup: $FOLLOWUP_USER is not set: --mine does not know who you are (--mine)\n"
                     "hint: set it to your name (export FOLLOWUP_USER=maya), or use --owner NAME\n");
    }
  }
  CHECK(b.text() == kBook);
}

TEST_CASE("team: list --owner, and owner: in --where, rules and tag --where") {
  TeamBook b;
  CHECK(b.ids({"list", "--owner", "maya"}) == "ana\ndee\n");
  CHECK(b.ids({"list", "--owner", "none"}) == "cy\n");
  CHECK(b.ids({"list", "--where", "owner:none or owner:sam"}) == "bo\ncy\n");
  CHECK(b.ids({"list", "--where", "not owner:maya"}) == "bo\ncy\n");
  CHECK(b.ids({"list", "--where", "owner:\"none\""}) == "");
  Result r = b({"list", "--owner", "maya", "-o", "{id}\t{owner}"});
  CHECK(r.out == "ana\tmaya\ndee\tmaya\n");
  Result bad = b({"list", "--where", "owner:"});
  CHECK(bad.code == 64);
  CHECK(bad.err.find("empty owner name") != std::string::npos);
  Result bad_owner = b({"due", "--owner", ""});
  CHECK(bad_owner.code == 64);
  CHECK(b.text() == kBook);
}

TEST_CASE("team: assign CONTACT... --to WHO, in one write") {
  TeamBook b;
  Result r = b({"assign", "cy", "bo", "--to", "maya"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "2 of 2 contacts changed (now maya's).\n");
  const json d = b.doc();
  CHECK(b.contact(d, "cy")["owner"] == "maya");
  CHECK(b.contact(d, "bo")["owner"] == "maya");
  CHECK(b.contact(d, "ana")["owner"] == "maya");
  CHECK(read_file(b.file.string() + ".bak") == kBook); // one write
  CHECK(b.ids({"due", "--owner", "maya"}) == "bo\nana\ncy\n");
  CHECK(b.ids({"due", "--owner", "none"}) == "");
}

TEST_CASE("team: assign --where, and --to '' leaves them to no one (the member goes)") {
  TeamBook b;
  Result r = b({"assign", "--where", "owner:maya", "--to", ""});
  CHECK(r.code == 0);
  CHECK(r.out == "2 of 2 contacts changed (now without an owner).\n");
  const json d = b.doc();
  CHECK_FALSE(b.contact(d, "ana").contains("owner"));
  CHECK_FALSE(b.contact(d, "dee").contains("owner"));
  CHECK(b.contact(d, "bo")["owner"] == "sam");
  CHECK(b.ids({"list", "--owner", "none"}) == "ana\ncy\ndee\n");
  // CONTACT and --where together: each once.
  Result both = b({"assign", "bo", "--where", "owner:none", "--to", "lee"});
  CHECK(both.out == "4 of 4 contacts changed (now lee's).\n");
}

TEST_CASE("team: assign that changes nothing writes nothing") {
  TeamBook b;
  Result r = b({"assign", "ana", "dee", "--to", "maya"});
  CHECK(r.code == 0);
  CHECK(r.out == "0 of 2 contacts changed (now maya's).\n");
  CHECK(b.text() == kBook);
  CHECK_FALSE(b.has_bak());
}

TEST_CASE("team: assign's bad input: one line, its exit code, the book untouched") {
  TeamBook b;
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string err_start;
  };
  const std::vector<Case> cases{
      {{"assign", "ana"}, 64, "followup: say to whom: --to WHO (--to '' to unassign) (assign)\n"},
      {{"assign", "--to", "maya"}, 64, "followup: say whom: CONTACT... or --where EXPR (assign)\n"},
      {{"assign", "ana", "--to", "bad\tname"}, 64, "followup: "},
      {{"assign", "--where", "owner:", "--to", "maya"}, 64, "followup: bad expression at column 1: empty owner name"},
      {{"assign", "zed", "--to", "maya"}, 67, "followup: no contact matches \"zed\" (CONTACT)\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    Result r = b(c.args);
    CHECK(r.code == c.code);
    CHECK(r.out == "");
    CHECK(r.err.rfind(c.err_start, 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') <= 2); // the message and at most a hint
    CHECK(b.text() == kBook);
    CHECK_FALSE(b.has_bak());
  }
}

TEST_CASE("team: brief is the call sheet of what due lists, in its order") {
  TeamBook b;
  Result r = b({"brief", "--mine"}, {{"FOLLOWUP_USER", "maya"}});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Ana López (ana)\n"
                 "  owner           maya\n"
                 "  why now         cadence, 53 days overdue (every 30d, rule clients)\n"
                 "  reach           phone 555-0100\n"
                 "  car             2014 Civic\n"
                 "  tags            client\n"
                 "  notes           Prefers mornings.\n"
                 "  last check-ins  2026-09-01 call by sam: planning a kitchen\n"
                 "                  2026-08-15 visit\n");
  // Every contact due, in due's order; Markdown: a heading line a contact.
  Result md = b({"brief", "--format", "md"});
  CHECK(md.code == 0);
  std::vector<std::string> headings;
  for (const std::string& line : lines(md.out))
    if (line.rfind("#", 0) == 0) headings.push_back(line);
  CHECK(headings == std::vector<std::string>{"## Bo Chen (bo)", "## Ana López (ana)", "## Cy Diaz (cy)"});
  CHECK(md.out.find("- **Last check-ins:**\n  - 2026-09-01 call by sam: planning a kitchen\n  - 2026-08-15 visit\n") !=
        std::string::npos);
  // The filters of due: --within brings dee in, --limit cuts.
  Result within = b({"brief", "--within", "4w", "--owner", "maya"});
  CHECK(within.out.find("Dee Fox (dee)\n  owner           maya\n  why now         cadence, due in 27 days") !=
        std::string::npos);
  Result limited = b({"brief", "--limit", "1"});
  CHECK(limited.out.rfind("Bo Chen (bo)\n", 0) == 0);
  CHECK(limited.out.find("Ana") == std::string::npos);
  CHECK(b.text() == kBook);
}

TEST_CASE("team: brief with nothing due prints nothing; a bad format is a usage error") {
  TeamBook b;
  Result r = b({"brief", "--owner", "nobody"});
  CHECK(r.code == 0);
  CHECK(r.out == "");
  CHECK(r.err == "");
  Result bad = b({"brief", "--format", "pdf"});
  CHECK(bad.code == 64);
  CHECK(bad.out == "");
  CHECK(b.text() == kBook);
}

TEST_CASE("team: completion knows assign, brief and the owners in the book") {
  TeamBook b;
  Result bash = b({"completion", "bash"});
  CHECK(bash.code == 0);
  CHECK(bash.out.find("assign") != std::string::npos);
  CHECK(bash.out.find("brief") != std::string::npos);
  CHECK(bash.out.find("topic:owners") != std::string::npos);
  CHECK(bash.out.find("words:text md") != std::string::npos);
  Result owners = b({"__complete", "owners"});
  CHECK(owners.out == "maya\nsam\n");
}
