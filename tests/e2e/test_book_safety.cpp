// Safe writes of the book (SPEC §6): symlinks, permissions, the lock, and
// concurrent writers.
#include <doctest/doctest.h>

#include <chrono>
#include <set>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

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

TEST_CASE("book safety: 25 concurrent logs all land") {
  Book b;
  b.write(kWriterLayoutBook);
  const int n = 25;
  std::vector<std::string> envs{"PATH=/usr/bin:/bin", "HOME=" + b.dir.path().string(), "FOLLOWUP_TODAY=2026-11-23",
                                "LANG=C.UTF-8",
                                // 25 writers in a row can take more than the default
                                // 10 s on a loaded machine under sanitizers.
                                "FOLLOWUP_LOCK_TIMEOUT=600"};
  std::vector<pid_t> pids;
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> args{binary(), "--file", b.file.string(), "log", "bo", "--note", "n" + std::to_string(i)};
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : envs) envp.push_back(e.data());
    envp.push_back(nullptr);
    const std::string err = (b.dir / ("err-" + std::to_string(i))).string();
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int null_fd = ::open("/dev/null", O_RDWR);
      int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(null_fd, 0);
      ::dup2(null_fd, 1);
      ::dup2(err_fd, 2);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    pids.push_back(pid);
  }
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    int status = 0;
    REQUIRE(::waitpid(pids[static_cast<std::size_t>(i)], &status, 0) == pids[static_cast<std::size_t>(i)]);
    INFO("process ", i, " stderr: ", read_file(b.dir / ("err-" + std::to_string(i))));
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++ok;
  }
  CHECK(ok == n);
  ordered_json doc = ordered_json::parse(b.text());
  const auto& bo = doc["contacts"][1];
  REQUIRE(bo["id"] == "bo");
  CHECK(bo["interactions"].size() == static_cast<std::size_t>(n + 1));
  std::set<std::string> notes;
  for (const auto& it : bo["interactions"])
    if (it.contains("note")) notes.insert(it["note"].get<std::string>());
  std::set<std::string> expected;
  for (int i = 0; i < n; ++i) expected.insert("n" + std::to_string(i));
  CHECK(notes == expected);
  CHECK(doc["contacts"][0] == ordered_json::parse(kWriterLayoutBook)["contacts"][0]);
}
