// followup tag CONTACT... | --where EXPR  --add T | --rm T: tag or untag in
// bulk, in one write (SPEC §4, README).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using ordered_json = nlohmann::ordered_json;
using Tags = std::vector<std::string>;

namespace {

// The book in the program's own layout, so that the file after a change can
// be compared byte for byte with what we expect.
std::string layout(const ordered_json& doc) { return doc.dump(2) + "\n"; }

const ordered_json kDoc = ordered_json::parse(R"({
  "followup": 1,
  "contacts": [
    {"id": "ana-lopez", "name": "Ana López", "tags": ["friend", "soccer"], "fields": {"city": "Lima"},
     "interactions": [{"date": "2026-11-01", "kind": "visit"}]},
    {"id": "tom-smith", "name": "Tom Smith", "every": "6w", "interactions": [{"date": "2026-11-02", "kind": "call"}]},
    {"id": "acme", "name": "Acme Corp", "tags": ["client"], "interactions": [{"date": "2026-09-01", "kind": "visit"}]},
    {"id": "bigco", "name": "BigCo", "tags": ["client", "VIP"], "x-kept": 1},
    {"id": "the-hendersons", "name": "The Hendersons", "tags": ["family"]}
  ]
})");

const std::string kBook = layout(kDoc);

// kDoc with these contacts' tags replaced; a contact without `tags` gets
// them right after `name`, where the format puts the key; no tags, no key.
std::string with_tags(const std::vector<std::pair<std::string, Tags>>& changes) {
  ordered_json doc = kDoc;
  for (auto& c : doc["contacts"]) {
    for (const auto& [id, tags] : changes) {
      if (c["id"] != id) continue;
      if (tags.empty()) {
        c.erase("tags");
        continue;
      }
      if (c.contains("tags")) {
        c["tags"] = tags;
        continue;
      }
      ordered_json rebuilt = ordered_json::object();
      for (const auto& [k, v] : c.items()) {
        rebuilt[k] = v;
        if (k == "name") rebuilt["tags"] = tags;
      }
      c = rebuilt;
    }
  }
  return layout(doc);
}

struct TagBook : Book {
  TagBook() { write(kBook); }
  std::string bak() const { return read_file(file.string() + ".bak"); }
  bool has_bak() const { return std::filesystem::exists(file.string() + ".bak"); }
  // `tag ARGS...`: exit 0, nothing on stderr; returns stdout.
  std::string ok(std::vector<std::string> args) const {
    args.insert(args.begin(), "tag");
    Result r = (*this)(args);
    CHECK(r.code == 0);
    CHECK(r.err == "");
    return r.out;
  }
  void check_untouched() const {
    CHECK(text() == kBook);
    CHECK_FALSE(has_bak());
  }
};

} // namespace

TEST_CASE("tag: --add to several contacts, in one write") {
  TagBook b;
  CHECK(b.ok({"ana", "tom", "--add", "vip"}) == "2 of 2 contacts changed (added vip).\n");
  CHECK(b.text() == with_tags({{"ana-lopez", {"friend", "soccer", "vip"}}, {"tom-smith", {"vip"}}}));
  CHECK(b.bak() == kBook); // one write: the backup is the book from before
  Result r = b({"list", "--tag", "vip", "--format", "{id}"});
  CHECK(r.out == "ana-lopez\nbigco\ntom-smith\n");
}

TEST_CASE("tag: --rm, several tags, case-insensitive; no tags left, no tags key") {
  TagBook b;
  CHECK(b.ok({"ana", "acme", "--rm", "SOCCER", "-r", "client"}) == "2 of 2 contacts changed (removed SOCCER, client).\n");
  CHECK(b.text() == with_tags({{"ana-lopez", {"friend"}}, {"acme", {}}}));
  TagBook b2;
  CHECK(b2.ok({"bigco", "--rm", "vip"}) == "1 of 1 contact changed (removed vip).\n");
  CHECK(b2.text() == with_tags({{"bigco", {"client"}}}));
}

TEST_CASE("tag: --add and --rm together, --add repeated") {
  TagBook b;
  CHECK(b.ok({"acme", "bigco", "--add", "key", "--rm", "client"}) == "2 of 2 contacts changed (added key; removed client).\n");
  CHECK(b.text() == with_tags({{"acme", {"key"}}, {"bigco", {"VIP", "key"}}}));
  TagBook b2;
  CHECK(b2.ok({"tom", "-a", "a", "--add", "b", "--add", "A"}) == "1 of 1 contact changed (added a, b, A).\n");
  CHECK(b2.text() == with_tags({{"tom-smith", {"a", "b"}}}));
}

TEST_CASE("tag: --where picks the contacts by expression") {
  TagBook b;
  CHECK(b.ok({"--where", "tag:client and not tag:vip or kind:visit", "--add", "seen"}) ==
        "2 of 2 contacts changed (added seen).\n");
  CHECK(b.text() == with_tags({{"ana-lopez", {"friend", "soccer", "seen"}}, {"acme", {"client", "seen"}}}));
  TagBook b2;
  CHECK(b2.ok({"--where", "never", "--add", "new"}) == "2 of 2 contacts changed (added new).\n");
  CHECK(b2.text() == with_tags({{"bigco", {"client", "VIP", "new"}}, {"the-hendersons", {"family", "new"}}}));
  CHECK(b2.bak() == kBook);
}

TEST_CASE("tag: CONTACT and --where together: each contact once") {
  TagBook b;
  CHECK(b.ok({"ana", "hend", "ana-lopez", "--where", "tag:friend or tag:family", "--add", "x"}) ==
        "2 of 2 contacts changed (added x).\n");
  CHECK(b.text() == with_tags({{"ana-lopez", {"friend", "soccer", "x"}}, {"the-hendersons", {"family", "x"}}}));
}

TEST_CASE("tag: nothing to change: no write at all") {
  TagBook b;
  // Tags compare case-insensitively: BigCo has VIP, acme has client.
  CHECK(b.ok({"bigco", "acme", "--add", "Client"}) == "0 of 2 contacts changed (added Client).\n");
  b.check_untouched();
  CHECK(b.ok({"tom", "--rm", "friend"}) == "0 of 1 contact changed (removed friend).\n");
  b.check_untouched();
  CHECK(b.ok({"--where", "tag:nobody", "--add", "x"}) == "0 of 0 contacts changed (added x).\n");
  b.check_untouched();
}

TEST_CASE("tag: usage errors (64) change nothing") {
  TagBook b;
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const std::vector<Case> cases{
      {{"tag", "ana"}, "followup: say what to do: --add TAG or --rm TAG (tag)"},
      {{"tag", "--add", "x"}, "followup: say whom: CONTACT... or --where EXPR (tag)"},
      {{"tag", "ana", "--add", "two words"}, "followup: \"two words\" must be one word, without blanks or commas (--add)"},
      {{"tag", "ana", "--add", "a,b"}, "followup: \"a,b\" must be one word, without blanks or commas (--add)"},
      {{"tag", "ana", "--rm", ""}, "followup: empty value (--rm)"},
      {{"tag", "--where", "tag:client and", "--add", "x"},
       "followup: bad expression at column 15: expected a term after \"and\" (--where)"},
      {{"tag", "--where", "tag:\"vip", "--add", "x"}, "followup: bad expression at column 5: unterminated quote (--where)"},
  };
  for (const auto& c : cases) {
    INFO("args: ", c.args.back());
    Result r = b(c.args);
    CHECK(r.code == 64);
    CHECK(r.out == "");
    CHECK(lines(r.err).at(0) == c.err);
    b.check_untouched();
  }
}

TEST_CASE("tag: an unknown or ambiguous contact is 67 and no contact is tagged") {
  TagBook b;
  Result r = b({"tag", "ana", "nobody", "--add", "x"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(lines(r.err).at(0) == "followup: no contact matches \"nobody\" (CONTACT)");
  b.check_untouched();
  r = b({"tag", "t", "--where", "*", "--add", "x"});
  CHECK(r.code == 67);
  CHECK(lines(r.err).at(0) == "followup: \"t\" matches 2 contacts: tom-smith, the-hendersons (CONTACT)");
  b.check_untouched();
}

TEST_CASE("tag: a missing book: 67 for a contact, nothing to do for --where; no file created") {
  Book b;
  Result r = b({"tag", "ana", "--add", "x"});
  CHECK(r.code == 67);
  CHECK_FALSE(b.exists());
  r = b({"tag", "--where", "*", "--add", "x"});
  CHECK(r.code == 0);
  CHECK(r.out == "0 of 0 contacts changed (added x).\n");
  CHECK_FALSE(b.exists());
}

TEST_CASE("tag: undo takes the tags back") {
  TagBook b;
  b.ok({"ana", "tom", "--add", "vip"});
  Result r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(r.out == "Undid the last change:\n"
                 "  changed Ana López (ana-lopez): tags\n"
                 "  changed Tom Smith (tom-smith): tags\n");
  CHECK(b.text() == kBook);
}
