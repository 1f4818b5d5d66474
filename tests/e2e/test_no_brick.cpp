// Issue 12, round two of "nothing lost": writes the reader would refuse,
// `log` into a nested object, planted links beside the book, `undo` as a
// full writer, failed writes that must keep the undo point, a book that is a
// FIFO or is truncated while read, and the debris of killed writers.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "run.hpp"

using namespace e2e;
namespace fs = std::filesystem;

namespace {

const char* const kTwo = R"({
  "followup": 1,
  "contacts": [
    {
      "id": "ana",
      "name": "Ana",
      "added": "2026-01-10"
    }
  ]
}
)";

// The preload library that makes chosen system calls fail
// (tests/fault/fault_inject.cpp); ASan must let it be loaded first.
Env faults(Env extra) {
  extra["LD_PRELOAD"] = FAULT_INJECT_LIB;
  extra["ASAN_OPTIONS"] = "verify_asan_link_order=0";
  return extra;
}

std::string bak(const Book& b) { return read_file(b.file.string() + ".bak"); }

// A book with a .bak: Ana added, then Bo.
void two_versions(const Book& b) {
  REQUIRE(b({"add", "Ana"}).code == 0);
  REQUIRE(b({"add", "Bo"}).code == 0);
}

} // namespace

// ---- 1. every date a command can compute is one the reader reads --------

TEST_CASE("no brick: a date past year 9999 or before 1000 is refused, the book untouched") {
  Book b;
  b.write(kTwo);
  check_refused_untouched(b, {"snooze", "ana", "--for", "8000y"}, 64, {"out of range", "--for"});
  check_refused_untouched(b, {"log", "ana", "--date", "100000 weeks ago"}, 64, {"out of range", "--date"});
  check_refused_untouched(b, {"add", "Bo", "--last", "100000 weeks ago"}, 64, {"out of range", "--last"});
  check_refused_untouched(b, {"--today", "100000 weeks ago", "add", "Bo"}, 64, {"out of range", "--today"});
  // And every command still reads the book.
  CHECK(b({"check"}).code == 0);
}

TEST_CASE("no brick: undo restores the backup of a book that does not parse") {
  Book b;
  two_versions(b);
  const std::string good = bak(b);
  b.write("{\"followup\": 1, \"contacts\": [ broken");
  CHECK(b({"due"}).code == 65);
  auto r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(r.out.find("did not parse") != std::string::npos);
  CHECK(b.text() == good);
  CHECK(bak(b) == "{\"followup\": 1, \"contacts\": [ broken"); // nothing lost: the broken one is the backup
  CHECK(b({"due"}).code == 0);
  // A backup that does not parse is never restored.
  auto again = b({"undo"});
  CHECK(again.code == 65);
  CHECK(b.text() == good);
}

// ---- 2. log writes into the contact's own member ------------------------

TEST_CASE("no brick: log never writes into an unknown member's nested interactions") {
  Book b;
  b.write(R"({
  "followup": 1,
  "contacts": [
    {
      "id": "ana",
      "name": "Ana",
      "crm": {
        "interactions": []
      }
    }
  ]
}
)");
  REQUIRE(b({"log", "ana", "--date", "2026-11-20", "--note", "hello"}).code == 0);
  auto h = b({"history", "ana", "--format", "tsv"});
  CHECK(h.code == 0);
  CHECK(h.out.find("2026-11-20\tcall\thello") != std::string::npos);
  CHECK(b.text().find("\"crm\": {\n        \"interactions\": []\n      }") != std::string::npos);
}

// ---- 4. planted links beside the book ------------------------------------

TEST_CASE("no brick: a lock file that is a link is refused, nothing written through it") {
  Book b;
  b.write(kTwo);
  const fs::path victim = b.dir / "victim";
  fs::create_symlink(victim, b.dir / "contacts.json.lock");
  check_refused_untouched(b, {"log", "ana"}, 73, {"lock file", "symbolic link"});
  CHECK_FALSE(fs::exists(victim));
}

TEST_CASE("no brick: a backup that is a link is refused by writers and by undo") {
  Book b;
  two_versions(b);
  const std::string book = b.text();
  const fs::path victim = b.dir / "victim";
  write_file(victim, "precious\n");
  fs::remove(b.file.string() + ".bak");
  fs::create_symlink(victim, b.file.string() + ".bak");
  auto r = b({"add", "Cy"});
  CHECK(r.code == 73);
  CHECK(r.err.find("symbolic link") != std::string::npos);
  CHECK(b.text() == book);
  CHECK(read_file(victim) == "precious\n");
  auto u = b({"undo"});
  CHECK(u.code == 73);
  CHECK(b.text() == book);
  CHECK_FALSE(fs::is_symlink(b.file)); // the book never becomes the link
  CHECK(read_file(victim) == "precious\n");
}

TEST_CASE("no brick: a planted .undo.tmp link is removed, never written through") {
  Book b;
  two_versions(b);
  const fs::path victim = b.dir / "victim";
  write_file(victim, "precious\n");
  fs::create_symlink(victim, b.file.string() + ".undo.tmp");
  CHECK(b({"undo"}).code == 0);
  CHECK(b({"undo"}).code == 0); // and the redo
  CHECK(read_file(victim) == "precious\n");
  CHECK_FALSE(fs::is_symlink(b.file));
  CHECK_FALSE(fs::exists(fs::symlink_status(b.file.string() + ".undo.tmp")));
}

TEST_CASE("no brick: a path through a linked folder and .. is resolved by the kernel") {
  TempDir t;
  fs::create_directories(t / "real" / "deep");
  fs::create_directories(t / "elsewhere");
  fs::create_symlink(t / "real" / "deep", t / "elsewhere" / "sub");
  // elsewhere/sub/.. is real/, not elsewhere/.
  const std::string path = (t / "elsewhere" / "sub" / ".." / "contacts.json").string();
  REQUIRE(run({"--file", path, "add", "Ana"}).code == 0);
  REQUIRE(run({"--file", path, "add", "Bo"}).code == 0);
  CHECK(fs::exists(t / "real" / "contacts.json"));
  CHECK(fs::exists(t / "real" / "contacts.json.bak"));
  CHECK(fs::exists(t / "real" / "contacts.json.lock"));
  CHECK_FALSE(fs::exists(t / "elsewhere" / "contacts.json"));
  CHECK_FALSE(fs::exists(t / "elsewhere" / "contacts.json.lock"));
  CHECK_FALSE(fs::exists(t / "elsewhere" / "contacts.json.bak"));
}

// ---- 5, 6. undo and failed writes keep every version ----------------------

TEST_CASE("no brick: undo swaps without writing a byte, under a file-size limit too") {
  Book b;
  b.write(generate_book(300));
  REQUIRE(b({"log", "c00001"}).code == 0);
  const std::string book = b.text(), backup = bak(b);
  auto r = run_program({"/usr/bin/prlimit", "--fsize=1000", "--", binary(), "--file", b.file.string(), "undo"});
  CHECK(r.code == 0);
  CHECK(b.text() == backup);
  CHECK(bak(b) == book);
}

TEST_CASE("no brick: undo without an atomic exchange copies first; a failed copy changes nothing") {
  Book b;
  b.write(generate_book(300));
  REQUIRE(b({"log", "c00001"}).code == 0);
  const std::string book = b.text(), backup = bak(b);
  const Env env = faults({{"FAULT_NO_EXCHANGE", "1"}});
  auto failed = run_program({"/usr/bin/prlimit", "--fsize=1000", "--", binary(), "--file", b.file.string(), "undo"}, env);
  CHECK(failed.code == 73);
  CHECK(b.text() == book);
  CHECK(bak(b) == backup);
  CHECK(files_starting_with(b.dir.path(), ".contacts.json.tmp.").empty());
  CHECK(files_starting_with(b.dir.path(), "contacts.json.undo").empty());
  // Without the limit the fallback swaps, and a second undo is the redo.
  CHECK(b({"undo"}, env).code == 0);
  CHECK(b.text() == backup);
  CHECK(bak(b) == book);
  CHECK(b({"undo"}, env).code == 0);
  CHECK(b.text() == book);
}

TEST_CASE("no brick: a failed rename keeps both the book and the previous backup") {
  Book b;
  two_versions(b);
  const std::string book = b.text(), backup = bak(b);
  auto r = b({"add", "Cy"}, faults({{"FAULT_RENAME_TO", "contacts.json"}}));
  CHECK(r.code == 73);
  CHECK(b.text() == book);
  CHECK(bak(b) == backup); // the undo point is not replaced by a failed write
  CHECK(files_starting_with(b.dir.path(), ".contacts.json.tmp.").empty());
  auto l = b({"log", "ana"}, faults({{"FAULT_RENAME_TO", "contacts.json"}}));
  CHECK(l.code == 73);
  CHECK(b.text() == book);
  CHECK(bak(b) == backup);
}

TEST_CASE("no brick: without hard links a backup copy that cannot be finished leaves the old one") {
  Book b;
  // A big book, so that the copy for the backup hits a file-size limit the
  // new, smaller book stays under.
  b.write(generate_book(200));
  REQUIRE(b({"tag", "c00001", "--add", "x"}).code == 0);
  const std::string backup = bak(b);
  REQUIRE(b({"rules", "add", "x", "--match", "tag:x", "--every", "1w"}).code == 0);
  const std::string book = b.text(), old_backup = bak(b);
  REQUIRE(old_backup != backup);
  const std::size_t limit = book.size() / 2;
  auto r = run_program({"/usr/bin/prlimit", "--fsize=" + std::to_string(limit), "--", binary(), "--file",
                        b.file.string(), "rm", "--yes", "c00001"},
                       faults({{"FAULT_NO_LINK", "1"}}));
  CHECK(r.code == 73);
  CHECK(b.text() == book);
  CHECK(bak(b) == old_backup); // never a truncated copy
  CHECK(files_starting_with(b.dir.path(), ".contacts.json.tmp.").empty());
  // With room, the copy is the backup.
  REQUIRE(b({"rm", "--yes", "c00001"}, faults({{"FAULT_NO_LINK", "1"}})).code == 0);
  CHECK(bak(b) == book);
}

// ---- 7. a FIFO, a truncation mid-read -------------------------------------

TEST_CASE("no brick: a book that is a FIFO is refused at once, by readers and writers") {
  TempDir t;
  const fs::path fifo = t / "contacts.json";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (const auto& args : std::vector<std::vector<std::string>>{{"due"}, {"log", "ana"}, {"add", "Ana"}}) {
    Process p(followup_argv(fifo, args));
    const double start = now_seconds();
    while (p.running() && now_seconds() - start < 20) ::usleep(20000);
    REQUIRE_MESSAGE(!p.running(), "followup hangs on a FIFO: " << args.front());
    Result r = p.wait();
    CHECK(r.code == 74);
    CHECK(r.err.find("not a regular file") != std::string::npos);
  }
}

TEST_CASE("no brick: a book truncated by another program while read is an I/O error, not SIGBUS") {
  Book b;
  b.write(generate_book(300));
  const std::string book = b.text();
  for (const auto& args : std::vector<std::vector<std::string>>{{"due"}, {"log", "c00002"}}) {
    b.write(book);
    auto r = b(args, faults({{"FAULT_TRUNCATE_MAPPED", "1"}}));
    CHECK(r.code == 74);
    CHECK(r.err.find("truncated by another program") != std::string::npos);
    CHECK(r.out == "");
  }
}

// ---- 11. debris of writers killed by SIGKILL ------------------------------

TEST_CASE("no brick: the next write removes temp files left by killed writers") {
  Book b;
  b.write(kTwo);
  for (const char* name : {".contacts.json.tmp.abc123", ".contacts.json.tmp.ZZZZZZ", "contacts.json.undo.tmp"})
    write_file(b.dir / name, "half a book");
  write_file(b.dir / ".contacts.json.tmp.not-ours-too-long", "keep");
  write_file(b.dir / ".other.json.tmp.abc123", "keep");
  REQUIRE(b({"log", "ana"}).code == 0);
  CHECK(files_starting_with(b.dir.path(), ".contacts.json.tmp.") ==
        std::vector<std::string>{".contacts.json.tmp.not-ours-too-long"});
  CHECK_FALSE(fs::exists(b.dir / "contacts.json.undo.tmp"));
  CHECK(fs::exists(b.dir / ".other.json.tmp.abc123"));
}

TEST_CASE("no brick: the folders the first write creates are private (0700), like the book (0600)") {
  TempDir t;
  const fs::path file = t / "data" / "followup" / "contacts.json";
  REQUIRE(run({"--file", file.string(), "add", "Ana"}).code == 0);
  for (const fs::path& folder : {t / "data", t / "data" / "followup"}) {
    struct stat st {};
    REQUIRE(::stat(folder.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0700);
  }
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
}
