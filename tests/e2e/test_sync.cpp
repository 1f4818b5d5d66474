// Teams and sync (SPEC §8) with real git: a bare remote and clones in a temp
// folder, the user's git configuration kept out (HOME is the temp folder,
// identities from the environment), and the built binary first on PATH so
// that git finds the merge driver as `followup`.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

class Team {
public:
  Team() {
    env_ = {{"PATH", fs::path(binary()).parent_path().string() + ":/usr/local/bin:/usr/bin:/bin"},
            {"HOME", dir.path().string()},
            {"GIT_AUTHOR_NAME", "Test"},
            {"GIT_AUTHOR_EMAIL", "test@example.org"},
            {"GIT_COMMITTER_NAME", "Test"},
            {"GIT_COMMITTER_EMAIL", "test@example.org"},
            {"GIT_CONFIG_NOSYSTEM", "1"},
            {"FOLLOWUP_TODAY", "2026-12-03"}};
  }

  TempDir dir;

  Result git(const fs::path& where, const std::vector<std::string>& args) const {
    std::vector<std::string> argv{"/usr/bin/git", "-C", where.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv, env_);
  }
  // followup --file BOOK args, as WHO ($FOLLOWUP_USER).
  Result fu(const fs::path& book, std::vector<std::string> args, const std::string& who = "kris",
            const Env& extra = {}) const {
    args.insert(args.begin(), {"--file", book.string()});
    Env env = env_;
    env["FOLLOWUP_USER"] = who;
    for (const auto& [k, v] : extra) env[k] = v;
    return run(args, env);
  }
  // A bare remote and two clones of it, a/ and b/, each set up.
  void clones() {
    REQUIRE(git(dir.path(), {"init", "-q", "--bare", "remote.git"}).code == 0);
    for (const char* name : {"a", "b"}) {
      REQUIRE(git(dir.path(), {"clone", "-q", "remote.git", name}).code == 0);
      Result r = fu(dir / name / "contacts.json", {"git-setup"});
      INFO(r.err);
      REQUIRE(r.code == 0);
    }
  }
  fs::path a() const { return dir / "a" / "contacts.json"; }
  fs::path b() const { return dir / "b" / "contacts.json"; }

  void sync_ok(const fs::path& book, const std::string& who) const {
    Result r = fu(book, {"sync"}, who);
    INFO(who << " sync: " << r.out << r.err);
    REQUIRE(r.code == 0);
  }

private:
  Env env_;
};

Json book_json(const fs::path& p) { return Json::parse(read_file(p)); }

const Json& contact(const Json& book, const std::string& id) {
  for (const auto& c : book["contacts"])
    if (c["id"] == id) return c;
  FAIL("no contact " << id);
  throw std::logic_error("unreachable");
}

bool has_contact(const Json& book, const std::string& id) {
  for (const auto& c : book["contacts"])
    if (c["id"] == id) return true;
  return false;
}

std::vector<std::string> notes(const Json& c) {
  std::vector<std::string> out;
  for (const auto& it : c.value("interactions", Json::array())) out.push_back(it.value("note", ""));
  std::sort(out.begin(), out.end());
  return out;
}

void check_clean(const Team& t, const fs::path& book) {
  const std::string text = read_file(book);
  CHECK(text.find("<<<<<<<") == std::string::npos);
  CHECK(text.find(">>>>>>>") == std::string::npos);
  Result r = t.fu(book, {"check"});
  INFO(r.out << r.err);
  CHECK(r.code == 0);
}

} // namespace

TEST_CASE("sync: two clones of an empty remote share one book; every check-in lands in both") {
  Team t;
  t.clones();
  CHECK(read_file(t.dir / "a" / ".gitattributes") == "contacts.json merge=followup\n");
  CHECK(t.git(t.dir / "a", {"config", "merge.followup.driver"}).out == "followup merge-driver %O %A %B %P\n");
  CHECK(t.git(t.dir / "a", {"config", "merge.followup.name"}).code == 0);

  // a starts the book and is the first to sync: the remote is empty.
  REQUIRE(t.fu(t.a(), {"add", "Ana López", "--field", "phone=1"}).code == 0);
  REQUIRE(t.fu(t.a(), {"add", "Bo Chen"}).code == 0);
  REQUIRE(t.fu(t.a(), {"add", "Eve Adams"}).code == 0);
  REQUIRE(t.fu(t.a(), {"log", "ana", "--note", "first", "--date", "2026-12-01"}).code == 0);
  Result first = t.fu(t.a(), {"sync"});
  INFO(first.out << first.err);
  REQUIRE(first.code == 0);
  CHECK(first.out.find("Pushed to origin/") != std::string::npos);
  CHECK(t.git(t.dir / "a", {"log", "-1", "--format=%s"}).out.find("followup sync by kris: ") == 0);
  t.sync_ok(t.b(), "sam"); // b has no book yet: it pulls it
  CHECK(read_file(t.b()) == read_file(t.a()));

  // Both change the book: the same contact, different ones, added and removed contacts.
  REQUIRE(t.fu(t.a(), {"log", "ana", "--note", "from a"}).code == 0);
  REQUIRE(t.fu(t.a(), {"log", "bo", "--note", "a called bo"}).code == 0);
  REQUIRE(t.fu(t.a(), {"add", "Dee Dunn"}).code == 0);
  REQUIRE(t.fu(t.b(), {"log", "ana", "--note", "from b", "--kind", "visit"}, "sam").code == 0);
  REQUIRE(t.fu(t.b(), {"add", "Cy Young"}, "sam").code == 0);
  REQUIRE(t.fu(t.b(), {"rm", "eve", "--yes"}, "sam").code == 0);
  t.sync_ok(t.a(), "kris");
  t.sync_ok(t.b(), "sam"); // pulls a's changes: the driver merges
  t.sync_ok(t.a(), "kris");

  CHECK(read_file(t.a()) == read_file(t.b()));
  const Json book = book_json(t.a());
  CHECK(notes(contact(book, "ana-lopez")) == std::vector<std::string>{"first", "from a", "from b"});
  CHECK(notes(contact(book, "bo-chen")) == std::vector<std::string>{"a called bo"});
  CHECK(has_contact(book, "cy-young"));
  CHECK(has_contact(book, "dee-dunn"));
  CHECK_FALSE(has_contact(book, "eve-adams"));
  check_clean(t, t.a());
  check_clean(t, t.b());
  // Everything committed; the .bak and .lock files are kept out of git.
  CHECK(t.git(t.dir / "a", {"status", "--porcelain"}).out == "");
  CHECK(t.git(t.dir / "b", {"status", "--porcelain"}).out == "");
}

TEST_CASE("sync: both clones write before either syncs to the empty remote") {
  Team t;
  t.clones();
  REQUIRE(t.fu(t.a(), {"add", "Ana López", "--last", "2026-11-01"}).code == 0);
  REQUIRE(t.fu(t.b(), {"add", "Bo Chen", "--last", "2026-11-02"}, "sam").code == 0);
  REQUIRE(t.fu(t.b(), {"add", "Ana López", "--last", "2026-11-03"}, "sam").code == 0);
  t.sync_ok(t.a(), "kris");
  t.sync_ok(t.b(), "sam"); // no common ancestor: the driver gets an empty base
  t.sync_ok(t.a(), "kris");
  CHECK(read_file(t.a()) == read_file(t.b()));
  const Json book = book_json(t.a());
  CHECK(has_contact(book, "bo-chen"));
  // Ana was added on both sides: one contact with both check-ins
  CHECK(contact(book, "ana-lopez")["interactions"].size() == 2);
  check_clean(t, t.a());
}

TEST_CASE("sync: both change a phone: conflicts, check says so, resolve settles, sync finishes") {
  Team t;
  t.clones();
  REQUIRE(t.fu(t.a(), {"add", "Ana López", "--field", "phone=1"}).code == 0);
  t.sync_ok(t.a(), "kris");
  t.sync_ok(t.b(), "sam");
  REQUIRE(t.fu(t.a(), {"edit", "ana", "--field", "phone=2"}).code == 0);
  REQUIRE(t.fu(t.b(), {"edit", "ana", "--field", "phone=3"}, "sam").code == 0);
  REQUIRE(t.fu(t.b(), {"log", "ana", "--note", "b's call"}, "sam").code == 0);
  t.sync_ok(t.a(), "kris");

  Result r = t.fu(t.b(), {"sync"}, "sam");
  CHECK(r.code == 74);
  CHECK(r.err.find("followup: git pull failed: ") == 0);
  CHECK(r.err.find("CONFLICT") != std::string::npos);
  CHECK(r.err.find("hint: the book holds merge conflicts: contact ana-lopez (fields.phone)") != std::string::npos);
  const Json merged = book_json(t.b());
  CHECK(contact(merged, "ana-lopez")["fields"]["phone"] == "3");
  CHECK(contact(merged, "ana-lopez")["conflicts"] ==
        Json::parse(R"([{"key": "fields.phone", "theirs": "2", "base": "1"}])"));
  CHECK(notes(contact(merged, "ana-lopez")) == std::vector<std::string>{"b's call"});

  Result check = t.fu(t.b(), {"check"});
  CHECK(check.code == 65);
  CHECK(check.out.find("ana-lopez") != std::string::npos);
  CHECK(check.out.find("fields.phone") != std::string::npos);
  // sync refuses to commit the merge while conflicts are left
  Result again = t.fu(t.b(), {"sync"}, "sam");
  CHECK(again.code == 65);
  CHECK(again.err.find("contact ana-lopez (fields.phone)") != std::string::npos);

  Result resolve = t.fu(t.b(), {"resolve", "ana", "fields.phone", "--theirs"}, "sam");
  INFO(resolve.err);
  CHECK(resolve.code == 0);
  CHECK(resolve.out == "Resolved Ana López (ana-lopez): fields.phone (kept theirs).\n");
  const Json settled = book_json(t.b());
  CHECK(contact(settled, "ana-lopez")["fields"]["phone"] == "2");
  CHECK_FALSE(contact(settled, "ana-lopez").contains("conflicts"));
  check_clean(t, t.b());

  t.sync_ok(t.b(), "sam");
  t.sync_ok(t.a(), "kris");
  CHECK(read_file(t.a()) == read_file(t.b()));
  check_clean(t, t.a());
}

TEST_CASE("sync: a clone configured with pull.rebase=true still merges with the driver") {
  Team t;
  t.clones();
  REQUIRE(t.git(t.dir / "b", {"config", "pull.rebase", "true"}).code == 0);
  REQUIRE(t.fu(t.a(), {"add", "Ana López"}).code == 0);
  t.sync_ok(t.a(), "kris");
  t.sync_ok(t.b(), "sam");
  REQUIRE(t.fu(t.a(), {"log", "ana", "--note", "a"}).code == 0);
  REQUIRE(t.fu(t.b(), {"log", "ana", "--note", "b"}, "sam").code == 0);
  t.sync_ok(t.a(), "kris");
  t.sync_ok(t.b(), "sam");
  t.sync_ok(t.a(), "kris");
  CHECK(notes(contact(book_json(t.a()), "ana-lopez")) == std::vector<std::string>{"a", "b"});
  CHECK(read_file(t.a()) == read_file(t.b()));
  check_clean(t, t.b());
}

TEST_CASE("sync: when git's driver fails (another followup first on PATH), sync merges the book itself") {
  Team t;
  t.clones();
  REQUIRE(t.fu(t.a(), {"add", "Ana López"}).code == 0);
  t.sync_ok(t.a(), "kris");
  t.sync_ok(t.b(), "sam");
  REQUIRE(t.fu(t.a(), {"log", "ana", "--note", "a"}).code == 0);
  REQUIRE(t.fu(t.b(), {"log", "ana", "--note", "b"}, "sam").code == 0);
  t.sync_ok(t.a(), "kris");
  // A `followup` that is not this one (an old install) and fails as a driver.
  const fs::path fake = t.dir / "fake-bin";
  fs::create_directories(fake);
  write_file(fake / "followup", "#!/bin/sh\nexit 2\n");
  fs::permissions(fake / "followup", fs::perms::owner_all);
  Result r = t.fu(t.b(), {"sync"}, "sam", {{"PATH", fake.string() + ":/usr/bin:/bin"}});
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("merged") != std::string::npos);
  CHECK(notes(contact(book_json(t.b()), "ana-lopez")) == std::vector<std::string>{"a", "b"});
  check_clean(t, t.b());
  t.sync_ok(t.a(), "kris");
  CHECK(read_file(t.a()) == read_file(t.b()));
}

TEST_CASE("sync: without followup on PATH git could not merge: exit 74 before pulling, the book untouched") {
  Team t;
  t.clones();
  REQUIRE(t.fu(t.a(), {"add", "Ana López"}).code == 0);
  t.sync_ok(t.a(), "kris");
  const fs::path empty = t.dir / "empty-bin";
  fs::create_directories(empty);
  REQUIRE(t.fu(t.b(), {"add", "Bo Chen"}, "sam").code == 0);
  const std::string before = read_file(t.b());
  Result r = t.fu(t.b(), {"sync"}, "sam", {{"PATH", empty.string() + ":/usr/bin:/bin"}});
  CHECK(r.code == 74);
  CHECK(r.err.find("followup: git runs the merge driver as 'followup', which is not on PATH") == 0);
  CHECK(read_file(t.b()) == before);
  CHECK_FALSE(fs::exists(t.dir / "b" / ".git" / "MERGE_HEAD"));
}

TEST_CASE("sync: with no remote it commits, naming the user and the change") {
  Team t;
  REQUIRE(t.git(t.dir.path(), {"init", "-q", "solo"}).code == 0);
  const fs::path book = t.dir / "solo" / "contacts.json";
  REQUIRE(t.fu(book, {"git-setup"}).code == 0);
  REQUIRE(t.fu(book, {"add", "Ana López"}).code == 0);
  Result r = t.fu(book, {"sync"});
  CHECK(r.code == 0);
  CHECK(r.out.find("No remote") != std::string::npos);
  CHECK(t.git(t.dir / "solo", {"log", "-1", "--format=%s"}).out ==
        "followup sync by kris: added the contact Ana López (ana-lopez) (and 1 more change)\n");
  CHECK(t.git(t.dir / "solo", {"status", "--porcelain", "--", "contacts.json", ".gitattributes"}).out == "");
  Result twice = t.fu(book, {"sync"});
  CHECK(twice.code == 0);
  CHECK(twice.out.find("Nothing to commit.") != std::string::npos);
}

TEST_CASE("git-setup: makes the folder a repository; run twice, the attribute line is there once") {
  Team t;
  const fs::path book = t.dir / "book" / "contacts.json";
  fs::create_directories(book.parent_path());
  write_file(book.parent_path() / ".gitattributes", "*.txt text");
  Result r = t.fu(book, {"git-setup"});
  CHECK(r.code == 0);
  CHECK(fs::exists(book.parent_path() / ".git"));
  CHECK(read_file(book.parent_path() / ".gitattributes") == "*.txt text\ncontacts.json merge=followup\n");
  Result again = t.fu(book, {"git-setup"});
  CHECK(again.code == 0);
  CHECK(again.out == "Already set up: git merges the book with followup.\n");
  CHECK(read_file(book.parent_path() / ".gitattributes") == "*.txt text\ncontacts.json merge=followup\n");
}

TEST_CASE("sync: outside a repository, and when git fails, exit 74 with git's message; the book untouched") {
  Team t;
  const fs::path book = t.dir / "plain" / "contacts.json";
  fs::create_directories(book.parent_path());
  REQUIRE(t.fu(book, {"add", "Ana López"}).code == 0);
  const std::string before = read_file(book);
  Result r = t.fu(book, {"sync"});
  CHECK(r.code == 74);
  CHECK(r.out == "");
  CHECK(r.err.find("followup: the book's folder is not in a git repository: fatal: not a git repository") == 0);
  CHECK(r.err.find("hint: run 'followup git-setup'") != std::string::npos);
  CHECK(read_file(book) == before);

  REQUIRE(t.fu(book, {"git-setup"}).code == 0);
  REQUIRE(t.git(book.parent_path(), {"remote", "add", "origin", (t.dir / "missing.git").string()}).code == 0);
  Result bad = t.fu(book, {"sync"});
  CHECK(bad.code == 74);
  CHECK(bad.err.find("followup: git ls-remote failed: fatal: ") == 0);
  CHECK(bad.err.find("missing.git") != std::string::npos);
  CHECK(read_file(book) == before);
}

// ---- the merge driver by itself ----

namespace {

const char* const kBase = R"({"followup": 1, "contacts": [{"id": "ana", "name": "Ana", "fields": {"phone": "1"}}]})";

} // namespace

TEST_CASE("merge-driver: merges into OURS, exit 1 with conflicts, 65 on malformed input with OURS untouched") {
  TempDir d;
  write_file(d / "base", kBase);
  write_file(d / "ours", R"({"followup": 1, "contacts": [{"id": "ana", "name": "Ana", "fields": {"phone": "1"},
    "interactions": [{"date": "2026-11-01", "note": "o"}]}]})");
  write_file(d / "theirs", R"({"followup": 1, "contacts": [{"id": "ana", "name": "Ana", "fields": {"phone": "1"},
    "interactions": [{"date": "2026-11-02", "note": "t"}]}]})");
  Result r = run({"merge-driver", (d / "base").string(), (d / "ours").string(), (d / "theirs").string(), "contacts.json"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(read_file(d / "ours") == "{\n  \"followup\": 1,\n  \"contacts\": [\n    {\n      \"id\": \"ana\",\n"
                                 "      \"name\": \"Ana\",\n      \"fields\": {\n        \"phone\": \"1\"\n      },\n"
                                 "      \"interactions\": [\n        {\n          \"date\": \"2026-11-01\",\n"
                                 "          \"note\": \"o\"\n        },\n        {\n          \"date\": \"2026-11-02\",\n"
                                 "          \"note\": \"t\"\n        }\n      ]\n    }\n  ]\n}\n");

  write_file(d / "ours", R"({"followup": 1, "contacts": [{"id": "ana", "name": "Ana", "fields": {"phone": "2"}}]})");
  write_file(d / "theirs", R"({"followup": 1, "contacts": [{"id": "ana", "name": "Ana", "fields": {"phone": "3"}}]})");
  Result c = run({"merge-driver", (d / "base").string(), (d / "ours").string(), (d / "theirs").string(), "contacts.json"});
  CHECK(c.code == 1);
  CHECK(c.err.find("followup: merge conflict in contact ana (fields.phone) (contacts.json)\n") == 0);
  const Json merged = Json::parse(read_file(d / "ours"));
  CHECK(merged["contacts"][0]["conflicts"] == Json::parse(R"([{"key": "fields.phone", "theirs": "3", "base": "1"}])"));

  for (int bad = 0; bad < 3; ++bad) {
    const std::string ours = R"({"followup": 1, "contacts": []})";
    write_file(d / "base", bad == 0 ? "{\"followup\": 1, \"contacts\": [}" : kBase);
    write_file(d / "ours", bad == 1 ? "{\"followup\": 1, \"contacts\": [{\"id\": \"x\"}]}" : ours);
    write_file(d / "theirs", bad == 2 ? "not json" : ours);
    const std::string before = read_file(d / "ours");
    Result m = run({"merge-driver", (d / "base").string(), (d / "ours").string(), (d / "theirs").string()});
    CAPTURE(bad);
    CHECK(m.code == 65);
    CHECK(m.out == "");
    CHECK(lines(m.err).size() <= 2);
    CHECK(m.err.find("followup: ") == 0);
    CHECK(read_file(d / "ours") == before);
  }
  // An empty BASE is git's "no common ancestor": the union.
  write_file(d / "base", "");
  write_file(d / "ours", R"({"followup": 1, "contacts": [{"id": "ana", "name": "Ana"}]})");
  write_file(d / "theirs", R"({"followup": 1, "contacts": [{"id": "bo", "name": "Bo"}]})");
  CHECK(run({"merge-driver", (d / "base").string(), (d / "ours").string(), (d / "theirs").string()}).code == 0);
  CHECK(Json::parse(read_file(d / "ours"))["contacts"].size() == 2);
}

// ---- conflict copies of file-sync tools ----

TEST_CASE("conflict copies: due and check name them on stderr; merge folds them in and removes them") {
  e2e::Book b;
  REQUIRE(b({"add", "Ana López", "--field", "phone=1", "--last", "2026-10-01"}).code == 0);
  const Result due_before = b({"due"});
  const Result check_before = b({"check"});
  // The copy: another machine logged a call and changed the phone.
  Json copy = Json::parse(b.text());
  copy["contacts"][0]["interactions"].push_back(Json::parse(R"({"date": "2026-11-20", "kind": "call", "note": "copy"})"));
  copy["contacts"][0]["fields"]["phone"] = "2";
  copy["contacts"].push_back(Json::parse(R"({"id": "bo", "name": "Bo"})"));
  const fs::path syncthing = b.dir / "contacts.sync-conflict-20261203-101010-ABCDEFG.json";
  const fs::path dropbox = b.dir / "contacts (Kris's conflicted copy 2026-12-03).json";
  write_file(syncthing, copy.dump(2));
  write_file(dropbox, read_file(b.file));
  write_file(b.dir / "contacts.backup.json", "{}"); // not a conflict copy

  Result due = b({"due"});
  CHECK(due.code == due_before.code);
  CHECK(due.out == due_before.out);
  CHECK(lines(due.err).size() == 2);
  CHECK(due.err.find(syncthing.string()) != std::string::npos);
  CHECK(due.err.find(dropbox.string()) != std::string::npos);
  Result check = b({"check"});
  CHECK(check.code == check_before.code);
  CHECK(check.out == check_before.out);
  CHECK(lines(check.err).size() == 2);

  // A malformed copy stops everything: exit 65, the book and the copies untouched.
  const fs::path broken = b.dir / "contacts (conflicted copy).json";
  write_file(broken, "{\"followup\": 1, \"contacts\": [");
  const std::string before = b.text();
  Result refused = b({"merge", syncthing.string(), broken.string()});
  CHECK(refused.code == 65);
  CHECK(b.text() == before);
  CHECK(fs::exists(syncthing));
  fs::remove(broken);

  Result keep = b({"merge", dropbox.string(), "--keep"});
  CHECK(keep.code == 0);
  CHECK(fs::exists(dropbox));
  CHECK(b.text() == before); // the same book: nothing to write

  Result m = b({"merge", syncthing.string(), dropbox.string()});
  INFO(m.err);
  CHECK(m.code == 0);
  CHECK(m.out.find("added the call with Ana López on 2026-11-20") != std::string::npos);
  CHECK(m.out.find("Conflict in contact ana-lopez (fields.phone)") != std::string::npos);
  CHECK_FALSE(fs::exists(syncthing));
  CHECK_FALSE(fs::exists(dropbox));
  const Json book = Json::parse(b.text());
  CHECK(book["contacts"].size() == 2);
  CHECK(book["contacts"][0]["interactions"].size() == 2);
  CHECK(book["contacts"][0]["fields"]["phone"] == "1");
  CHECK(book["contacts"][0]["conflicts"] == Json::parse(R"([{"key": "fields.phone", "theirs": "2", "base": null}])"));
  CHECK(b({"due"}).err == "");
  Result conflicts = b({"check"});
  CHECK(conflicts.code == 65);
  CHECK(conflicts.out.find("contact ana-lopez, key conflicts") != std::string::npos);
  CHECK(conflicts.out.find("fields.phone") != std::string::npos);
  CHECK(b({"resolve", "ana", "--ours"}).code == 0);
  CHECK(b({"check"}).code == 0);
}

TEST_CASE("resolve: bad uses") {
  e2e::Book b;
  b.write(R"({"followup": 1, "contacts": [{"id": "ana", "name": "Ana", "notes": "o",
    "conflicts": [{"key": "notes", "theirs": "t"}]}, {"id": "bo", "name": "Bo"}]})");
  check_refused_untouched(b, {"resolve", "ana"}, 64, {"--ours or --theirs"});
  check_refused_untouched(b, {"resolve", "ana", "--ours", "--theirs"}, 64, {"--ours or --theirs"});
  check_refused_untouched(b, {"resolve", "ana", "tags", "--ours"}, 64, {"no merge conflict on \"tags\""});
  check_refused_untouched(b, {"resolve", "bo", "--ours"}, 64, {"no merge conflict", "contact bo"});
  check_refused_untouched(b, {"resolve", "zed", "--ours"}, 67, {"zed"});
  Result r = b({"resolve", "ana", "notes", "--theirs"});
  CHECK(r.code == 0);
  CHECK(Json::parse(b.text())["contacts"][0]["notes"] == "t");
}
