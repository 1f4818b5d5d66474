// The data file (SPEC §1): where it lives, its errors (SPEC §5), unknown keys
// and layout on rewrite, the backup (SPEC §6). See also test_book_safety.cpp.
#include <doctest/doctest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

namespace {

fs::path sibling(const fs::path& p, const std::string& suffix) { return p.parent_path() / (p.filename().string() + suffix); }

std::vector<std::string> ids_in(const fs::path& p) {
  std::vector<std::string> ids;
  const ordered_json doc = ordered_json::parse(read_file(p));
  for (const auto& c : doc["contacts"]) ids.push_back(c["id"]);
  return ids;
}


} // namespace

TEST_CASE("book file: --file over $FOLLOWUP_FILE over $XDG_DATA_HOME over $HOME; the first write makes the folder") {
  TempDir t;
  const fs::path home_book = t / "home/.local/share/followup/contacts.json";
  const fs::path xdg_book = t / "xdg/followup/contacts.json";
  const fs::path env_book = t / "env/deep/book.json";
  const fs::path opt_book = t / "opt/deep/book.json";
  fs::create_directory(t / "home");

  Env env{{"HOME", (t / "home").string()}};
  // Reading a missing book creates nothing.
  Result r = run({"due"}, env);
  CHECK(r.code == 0);
  CHECK(r.out == "");
  CHECK(!fs::exists(home_book));

  CHECK(run({"add", "Home"}, env).code == 0);
  REQUIRE(fs::exists(home_book));
  CHECK(ids_in(home_book) == std::vector<std::string>{"home"});

  env["XDG_DATA_HOME"] = (t / "xdg").string();
  CHECK(run({"add", "Xdg"}, env).code == 0);
  REQUIRE(fs::exists(xdg_book));
  CHECK(ids_in(xdg_book) == std::vector<std::string>{"xdg"});

  env["FOLLOWUP_FILE"] = env_book.string();
  CHECK(run({"add", "Env"}, env).code == 0);
  REQUIRE(fs::exists(env_book));
  CHECK(ids_in(env_book) == std::vector<std::string>{"env"});

  CHECK(run({"--file", opt_book.string(), "add", "Opt"}, env).code == 0);
  CHECK(run({"-f", opt_book.string(), "add", "Opt Two"}, env).code == 0);
  REQUIRE(fs::exists(opt_book));
  CHECK(ids_in(opt_book) == std::vector<std::string>{"opt", "opt-two"});

  // Nothing else was touched.
  CHECK(ids_in(home_book) == std::vector<std::string>{"home"});
  CHECK(ids_in(xdg_book) == std::vector<std::string>{"xdg"});
  CHECK(ids_in(env_book) == std::vector<std::string>{"env"});

  // And reads follow the same order.
  r = run({"due", "--format", "{id}", "--today", "2027-06-01"}, env);
  CHECK(r.out == "env\n");
}

TEST_CASE("book file: a newer format version is refused and never rewritten") {
  Book b;
  b.write("{\n  \"followup\": 2,\n  \"contacts\": [],\n  \"future\": {\"x\": 1}\n}\n");
  check_refused_untouched(b, {"due"}, 65, {"version 2"});
  check_refused_untouched(b, {"log", "ana"}, 65, {"version 2"});
  check_refused_untouched(b, {"add", "Ana"}, 65, {"version 2"});
}

TEST_CASE("book file: malformed JSON is exit 65 naming line and column") {
  Book b;
  b.write("{\n  \"followup\": 1,\n  \"contacts\": [\n    {\"id\": \"a\", \"name\": \"A\",}\n  ]\n}\n");
  check_refused_untouched(b, {"due"}, 65, {"4:29"});
  check_refused_untouched(b, {"log", "a"}, 65, {"4:29"});
  b.write("{\"followup\": 1, \"contacts\": [\n");
  check_refused_untouched(b, {"add", "New"}, 65, {"2:1"});
}

TEST_CASE("book file: invalid values are exit 65 naming the contact or rule and the key") {
  struct Case {
    std::string contact_json;
    std::vector<std::string> names;
  };
  const std::vector<Case> cases{
      {R"({"id": "zelda-k", "name": "Zelda", "tags": "x"})", {"zelda-k", "tags"}},
      {R"({"id": "zelda-k", "name": "Zelda", "every": "2x"})", {"zelda-k", "every"}},
      {R"({"id": "zelda-k", "name": "Zelda", "interactions": [{"date": "2026-02-30", "kind": "call"}]})", {"zelda-k", "date"}},
      {R"({"id": "zelda-k", "name": "Zelda", "interactions": [{"kind": "call"}]})", {"zelda-k", "date"}},
      {R"({"id": "zelda-k", "name": "Zelda", "interactions": {"date": "2026-01-01"}})", {"zelda-k", "interactions"}},
      {R"({"id": "zelda-k", "name": "Zelda", "added": "yesterday"})", {"zelda-k", "added"}},
      {R"({"id": "zelda-k", "name": "Zelda", "snoozed_until": "2026-13-01"})", {"zelda-k", "snoozed_until"}},
      {R"({"id": "zelda-k", "name": "Zelda", "fields": {"phone": 5}})", {"zelda-k", "phone"}},
      {R"({"id": "zelda-k", "name": "Zelda", "counts": "call"})", {"zelda-k", "counts"}},
      {R"({"id": "zelda-k"})", {"zelda-k", "name"}},
      {R"({"id": "zelda-k", "name": 7})", {"zelda-k", "name"}},
      {R"({"id": "zelda-k", "name": "Zelda"}, {"id": "zelda-k", "name": "Zelda Two"})", {"zelda-k"}},
      {R"({"id": "Zelda K", "name": "Zelda"})", {"Zelda K", "id"}},
  };
  for (const auto& c : cases) {
    INFO("contact: ", c.contact_json);
    Book b;
    b.write("{\"followup\": 1, \"contacts\": [" + c.contact_json + ", {\"id\": \"ok\", \"name\": \"Ok\"}]}\n");
    check_refused_untouched(b, {"log", "ok"}, 65, c.names);
    check_refused_untouched(b, {"due"}, 65, c.names);
  }
}

TEST_CASE("book file: a bad rule is exit 65 naming the rule and the key") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
      {R"({"name": "rule-x", "match": "tag:x and (", "every": "1w"})", {"rule-x", "match"}},
      {R"({"name": "rule-x", "match": "tag:x", "every": "often"})", {"rule-x", "every"}},
      {R"({"name": "rule-x", "match": "tag:x", "every": "1w", "warn": "3q"})", {"rule-x", "warn"}},
      {R"({"name": "rule-x", "match": "tag:x", "every": "1w", "counts": [1]})", {"rule-x", "counts"}},
      {R"({"name": "rule-x", "every": "1w"})", {"rule-x", "match"}},
  };
  for (const auto& [rule, names] : cases) {
    INFO("rule: ", rule);
    Book b;
    b.write("{\"followup\": 1, \"rules\": [" + rule + "], \"contacts\": [{\"id\": \"ok\", \"name\": \"Ok\"}]}\n");
    check_refused_untouched(b, {"log", "ok"}, 65, names);
    check_refused_untouched(b, {"due"}, 65, names);
  }
}

TEST_CASE("book file: unknown keys at every level survive a log, in place") {
  Book b;
  const std::string before = R"({
  "followup": 1,
  "x-top": {
    "a": [
      1,
      2
    ]
  },
  "rules": [
    {
      "name": "fam",
      "x-rule": true,
      "match": "tag:family",
      "every": "2w"
    }
  ],
  "contacts": [
    {
      "id": "mum",
      "x-contact": "keep me",
      "name": "Mum",
      "tags": [
        "family"
      ],
      "interactions": [
        {
          "date": "2026-11-01",
          "x-int": 3,
          "kind": "call"
        }
      ],
      "x-last": {}
    }
  ],
  "x-end": null
}
)";
  b.write(before);
  Result r = b({"log", "mum", "--date", "2026-11-20", "--note", "hi"});
  CHECK(r.code == 0);
  CHECK(r.out == "Logged a call with Mum (mum) on 2026-11-20; next due 2026-12-04.\n");
  CHECK(b.text() == R"({
  "followup": 1,
  "x-top": {
    "a": [
      1,
      2
    ]
  },
  "rules": [
    {
      "name": "fam",
      "x-rule": true,
      "match": "tag:family",
      "every": "2w"
    }
  ],
  "contacts": [
    {
      "id": "mum",
      "x-contact": "keep me",
      "name": "Mum",
      "tags": [
        "family"
      ],
      "interactions": [
        {
          "date": "2026-11-01",
          "x-int": 3,
          "kind": "call"
        },
        {
          "date": "2026-11-20",
          "kind": "call",
          "note": "hi"
        }
      ],
      "x-last": {}
    }
  ],
  "x-end": null
}
)");
  CHECK(read_file(sibling(b.file, ".bak")) == before);
}

TEST_CASE("book file: a rewrite uses the 2-space layout and ends with a newline") {
  Book b;
  b.write(R"({"followup":1,"contacts":[{"id":"ana","name":"Ana","interactions":[{"date":"2026-10-01","kind":"call"}]}]})");
  CHECK(b({"log", "ana", "--date", "2026-11-02", "--kind", "visit"}).code == 0);
  CHECK(b.text() == R"({
  "followup": 1,
  "contacts": [
    {
      "id": "ana",
      "name": "Ana",
      "interactions": [
        {
          "date": "2026-10-01",
          "kind": "call"
        },
        {
          "date": "2026-11-02",
          "kind": "visit"
        }
      ]
    }
  ]
}
)");
}

TEST_CASE("book file: a one-interaction log changes only that interaction's lines") {
  Book b;
  b.write(kWriterLayoutBook);
  const auto before = lines(kWriterLayoutBook);
  REQUIRE(b({"log", "ana", "--date", "2026-11-01", "--kind", "email"}).code == 0);
  const std::string after_text = b.text();
  const auto after = lines(after_text);
  REQUIRE(after.size() == before.size() + 4);
  std::size_t p = 0;
  while (p < before.size() && before[p] == after[p]) ++p;
  std::size_t s = 0;
  while (s < before.size() - p && before[before.size() - 1 - s] == after[after.size() - 1 - s]) ++s;
  CHECK(p + s == before.size()); // nothing of the old text changed
  std::vector<std::string> inserted(after.begin() + static_cast<std::ptrdiff_t>(p),
                                    after.begin() + static_cast<std::ptrdiff_t>(after.size() - s));
  // The inserted block is the new interaction (a `{` may pair with the previous `}` either way).
  std::set<std::string> got(inserted.begin(), inserted.end());
  CHECK(got.count("          \"date\": \"2026-11-01\","));
  CHECK(got.count("          \"kind\": \"email\""));
  CHECK(inserted.size() == 4);
  CHECK(after_text.back() == '\n');
  CHECK(read_file(sibling(b.file, ".bak")) == kWriterLayoutBook);

  // Rewriting with no change to this contact's neighbours: Bo's lines are as they were.
  CHECK(after_text.substr(after_text.find("\"id\": \"bo\"")) == std::string(kWriterLayoutBook).substr(std::string(kWriterLayoutBook).find("\"id\": \"bo\"")));
}

TEST_CASE("book file: the backup holds the version before each write") {
  Book b;
  CHECK(b({"add", "Ana"}).code == 0);
  const std::string v1 = b.text();
  CHECK(b({"log", "ana"}).code == 0);
  const std::string v2 = b.text();
  CHECK(read_file(sibling(b.file, ".bak")) == v1);
  CHECK(b({"snooze", "ana", "--for", "1w"}).code == 0);
  CHECK(read_file(sibling(b.file, ".bak")) == v2);
  CHECK(b.text() != v2);
}
