// Safe writes of the book (SPEC §6): symlinks, permissions and the lock.
// Concurrent writers: test_book_safety_writers.cpp (labelled slow).
#include <doctest/doctest.h>

#include <chrono>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.hpp"

using namespace e2e;
namespace fs = std::filesystem;

namespace {

fs::path sibling(const fs::path& p, const std::string& suffix) { return p.parent_path() / (p.filename().string() + suffix); }

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// Holds an exclusive flock on a file for as long as it lives.
struct HeldLock {
  int fd;
  explicit HeldLock(const fs::path& p) : fd(::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  }
  ~HeldLock() { ::close(fd); }
};


} // namespace

TEST_CASE("book safety: a symlinked book is written through to its target") {
  TempDir t;
  fs::create_directories(t / "real");
  fs::create_directories(t / "links");
  const fs::path target = t / "real/contacts.json";
  const fs::path link = t / "links/book.json";
  write_file(target, kWriterLayoutBook);
  fs::create_symlink("../real/contacts.json", link);

  Result r = run({"--file", link.string(), "log", "bo", "--date", "2026-11-02"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(fs::is_symlink(link));
  CHECK(fs::read_symlink(link) == fs::path("../real/contacts.json"));
  CHECK(read_file(target) != kWriterLayoutBook);
  CHECK(read_file(target).find("\"date\": \"2026-11-02\"") != std::string::npos);
  CHECK(read_file(sibling(target, ".bak")) == kWriterLayoutBook);
  CHECK(fs::exists(sibling(target, ".lock")));
  CHECK(!fs::exists(sibling(link, ".bak")));
  CHECK(!fs::exists(sibling(link, ".lock")));
  for (const auto& entry : fs::directory_iterator(t / "links")) CHECK(entry.path() == link);

  // Two links to one book share one lock: the target's.
  HeldLock held(sibling(target, ".lock"));
  const std::string now = read_file(target);
  r = run({"--file", link.string(), "log", "ana"}, {{"FOLLOWUP_LOCK_TIMEOUT", "0.3"}});
  CHECK(r.code == 75);
  CHECK(read_file(target) == now);
}

TEST_CASE("book safety: a read-only book is exit 73 and untouched; a writable one keeps its mode") {
  Book b;
  b.write(kWriterLayoutBook);
  fs::permissions(b.file, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  check_refused_untouched(b, {"log", "ana"}, 73, {});
  check_refused_untouched(b, {"add", "Cy"}, 73, {});
  CHECK(mode_of(b.file) == 0444);

  Book w;
  w.write(kWriterLayoutBook);
  ::chmod(w.file.c_str(), 0640);
  CHECK(w({"log", "ana"}).code == 0);
  CHECK(mode_of(w.file) == 0640);
  CHECK(w.text() != kWriterLayoutBook);
}

TEST_CASE("book safety: a lock held past the timeout is exit 75 and the book is untouched") {
  Book b;
  b.write(kWriterLayoutBook);
  HeldLock held(sibling(b.file, ".lock"));
  auto start = std::chrono::steady_clock::now();
  Result r = b({"log", "ana"}, {{"FOLLOWUP_LOCK_TIMEOUT", "0.3"}});
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r.code == 75);
  CHECK(r.out == "");
  CHECK(r.err.rfind("followup: ", 0) == 0);
  CHECK(b.text() == kWriterLayoutBook);
  CHECK(!fs::exists(sibling(b.file, ".bak")));
  CHECK(took >= 0.3); // it did wait
  // The wait used $FOLLOWUP_LOCK_TIMEOUT, not the default 10 s. The message
  // says so; a wall-clock upper bound would fail on a loaded CI machine.
  CHECK(r.err.find("(waited 0.3s)") != std::string::npos);
  // Reading needs no lock.
  Result d = b({"due", "--format", "{id}"}, {{"FOLLOWUP_LOCK_TIMEOUT", "0.3"}});
  CHECK(d.code == 0);
  CHECK(d.out == "bo\n");
}
