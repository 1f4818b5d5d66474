// Safe writes of the book (SPEC §6): concurrent writers. Apart from
// test_book_safety.cpp because it is slow (25 processes on one lock): it runs
// in e2e_slow, ctest label `slow`.
#include <doctest/doctest.h>

#include <set>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using ordered_json = nlohmann::ordered_json;

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
