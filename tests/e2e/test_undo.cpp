#include <doctest/doctest.h>

#include "run.hpp"

using namespace e2e;

namespace {

std::string bak_text(const Book& b) { return read_file(b.file.string() + ".bak"); }
bool bak_exists(const Book& b) { return std::filesystem::exists(b.file.string() + ".bak"); }

// Ana, then a second write, so that there is a `.bak` to go back to.
void seed(const Book& b) {
  REQUIRE(b({"add", "Tom Smith"}).code == 0);
  REQUIRE(b({"add", "Ana López", "--tag", "friend"}).code == 0);
}

} // namespace

TEST_CASE("undo: after add removes the contact") {
  Book b;
  REQUIRE(b({"add", "Tom Smith"}).code == 0);
  const std::string before = b.text();
  REQUIRE(b({"add", "Ana López"}).code == 0);
  auto r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Undid the last change:\n  removed the contact Ana López (ana-lopez)\n");
  CHECK(b.text() == before);
}

TEST_CASE("undo: after log removes the check-in") {
  Book b;
  seed(b);
  const std::string before = b.text();
  REQUIRE(b({"log", "ana", "--date", "2026-11-20", "--note", "venue"}).code == 0);
  auto r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(r.out == "Undid the last change:\n  removed the call with Ana López on 2026-11-20\n");
  CHECK(b.text() == before);
}

TEST_CASE("undo: after logging with two contacts, one line each") {
  Book b;
  seed(b);
  REQUIRE(b({"log", "ana", "tom", "--kind", "visit", "--date", "2026-11-21"}).code == 0);
  auto r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(r.out == "Undid the last change:\n"
                 "  removed the visit with Tom Smith on 2026-11-21\n"
                 "  removed the visit with Ana López on 2026-11-21\n");
}

TEST_CASE("undo: after snooze names the changed key") {
  Book b;
  seed(b);
  const std::string before = b.text();
  REQUIRE(b({"snooze", "ana", "--until", "2026-12-24"}).code == 0);
  auto r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(r.out == "Undid the last change:\n  changed Ana López (ana-lopez): snoozed_until\n");
  CHECK(b.text() == before);
}

TEST_CASE("undo: twice is a redo") {
  Book b;
  seed(b);
  const std::string before_log = b.text();
  REQUIRE(b({"log", "ana", "--date", "2026-11-20"}).code == 0);
  const std::string after_log = b.text();

  auto r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(b.text() == before_log);
  CHECK(bak_text(b) == after_log); // the undone version is the new backup

  r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(r.out == "Undid the last change:\n  added the call with Ana López on 2026-11-20\n");
  CHECK(b.text() == after_log);
  CHECK(bak_text(b) == before_log);
}

TEST_CASE("undo: after an id change says it was a rename") {
  Book b;
  seed(b);
  REQUIRE(b({"log", "ana", "--date", "2026-11-20"}).code == 0);
  REQUIRE(b({"edit", "ana", "--id", "ana-l"}).code == 0);
  auto r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(r.out == "Undid the last change:\n  renamed the id ana-l to ana-lopez\n");
}

TEST_CASE("undo: with no backup is a usage error") {
  Book b;
  auto r = b({"undo"});
  CHECK(r.code == 64);
  CHECK(r.out == "");
  CHECK(r.err.find("nothing to undo") != std::string::npos);
  CHECK_FALSE(b.exists());

  REQUIRE(b({"add", "Tom Smith"}).code == 0); // the first write has nothing to back up
  const std::string before = b.text();
  r = b({"undo"});
  CHECK(r.code == 64);
  CHECK(r.err.find("nothing to undo: there is no backup of the book") != std::string::npos);
  CHECK(b.text() == before);
  CHECK_FALSE(bak_exists(b));
}

TEST_CASE("undo: a backup that does not parse swaps nothing") {
  Book b;
  seed(b);
  const std::string book = b.text();
  write_file(b.file.string() + ".bak", "{\"followup\": 1, \"contacts\": [\n");
  auto r = b({"undo"});
  CHECK(r.code == 65);
  CHECK(r.out == "");
  CHECK(r.err.find(".bak") != std::string::npos);
  CHECK(b.text() == book);
  CHECK(bak_text(b) == "{\"followup\": 1, \"contacts\": [\n");
}

TEST_CASE("undo: a backup with the same data says so") {
  Book b;
  b.write("{\"followup\": 1, \"contacts\": []}\n");
  write_file(b.file.string() + ".bak", "{\n  \"followup\": 1,\n  \"contacts\": []\n}\n");
  auto r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(r.out == "Undid the last change (no difference in the data).\n");
  CHECK(b.text() == "{\n  \"followup\": 1,\n  \"contacts\": []\n}\n");
  CHECK(bak_text(b) == "{\"followup\": 1, \"contacts\": []}\n");
}
