// Which files beside the book are conflict copies left by file-sync tools (SPEC §8).
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "followup/team/conflict_copies.hpp"

using namespace followup;

TEST_CASE("Syncthing's and Dropbox's names are conflict copies; others are not") {
  CHECK(is_conflict_copy("contacts.sync-conflict-20261203-101010-ABCDEFG.json", "contacts.json"));
  CHECK(is_conflict_copy("contacts (conflicted copy 2026-12-03).json", "contacts.json"));
  CHECK(is_conflict_copy("contacts (Kris's conflicted copy 2026-12-03).json", "contacts.json"));
  CHECK(is_conflict_copy("team.sync-conflict-1.json", "team.json"));
  CHECK_FALSE(is_conflict_copy("contacts.json", "contacts.json"));
  CHECK_FALSE(is_conflict_copy("contacts.json.bak", "contacts.json"));
  CHECK_FALSE(is_conflict_copy("contacts (copy).json", "contacts.json"));
  CHECK_FALSE(is_conflict_copy("contacts.sync-conflict-1.json.tmp", "contacts.json"));
  CHECK_FALSE(is_conflict_copy("other.sync-conflict-1.json", "contacts.json"));
  CHECK_FALSE(is_conflict_copy("contacts (conflicted copy 2026-12-03).json", "team.json"));
}

TEST_CASE("find_conflict_copies lists them beside the book, by name, as the book's folder is given") {
  char tmpl[] = "/tmp/followup-copies-XXXXXX";
  REQUIRE(::mkdtemp(tmpl));
  const std::filesystem::path dir = tmpl;
  for (const char* name : {"contacts.json", "contacts.sync-conflict-b.json", "contacts (conflicted copy).json",
                           "contacts.sync-conflict-a.json", "notes.txt"})
    std::ofstream(dir / name) << "{}";
  std::filesystem::create_directory(dir / "contacts.sync-conflict-dir.json"); // not a file
  CHECK(find_conflict_copies(dir / "contacts.json") ==
        std::vector<std::filesystem::path>{dir / "contacts (conflicted copy).json", dir / "contacts.sync-conflict-a.json",
                                           dir / "contacts.sync-conflict-b.json"});
  CHECK(find_conflict_copies(dir / "missing" / "contacts.json").empty());
  std::filesystem::remove_all(dir);
}
