// Issue 16: rough edges a new user met on the first day.
#include <doctest/doctest.h>

#include <string>

#include "run.hpp"

using namespace e2e;

TEST_CASE("first day: a mistyped command is named unknown, with the nearest command") {
  Book b;
  auto r = b({"lst"});
  CHECK(r.code == 64);
  CHECK(r.out == "");
  CHECK(r.err == "followup: unknown command 'lst'\nhint: did you mean 'list'?\n");
  auto swapped = b({"shwo", "ana"});
  CHECK(swapped.code == 64);
  CHECK(swapped.err.find("did you mean 'show'?") != std::string::npos);
  auto far = b({"frobnicate"});
  CHECK(far.code == 64);
  CHECK(far.err == "followup: unknown command 'frobnicate'\nhint: run 'followup --help' for the commands\n");
  // After a global option too.
  auto after = b({"--today", "2026-11-23", "undoo"});
  CHECK(after.err.find("did you mean 'undo'?") != std::string::npos);
  CHECK_FALSE(b.exists());
}

TEST_CASE("first day: unexpected arguments are listed in the order typed") {
  Book b;
  REQUIRE(b({"add", "Ana"}).code == 0);
  auto r = b({"due", "customer", "extra"});
  CHECK(r.code == 64);
  CHECK(r.err.rfind("followup: unexpected arguments: customer extra\n", 0) == 0);
  auto one = b({"due", "customer"});
  CHECK(one.err.rfind("followup: unexpected argument: customer\n", 0) == 0);
}

namespace {

// The first line of `text` that starts with `prefix`, without the newline.
std::string line_starting(const std::string& text, const std::string& prefix) {
  for (const auto& l : lines(text))
    if (l.rfind(prefix, 0) == 0) return l;
  return {};
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

} // namespace

TEST_CASE("first day: README, man page and examples/crontab give the same cron job") {
  const std::string crontab = line_starting(read_file(source_dir() + "/examples/crontab"), "0 8 * * 1-5");
  REQUIRE(crontab.find("--exit-code") != std::string::npos); // mails only when someone is due
  CHECK(line_starting(read_file(source_dir() + "/README.md"), "0 8 * * 1-5") == crontab);
  // groff: \- is a hyphen, \e a backslash.
  std::string man = line_starting(read_file(source_dir() + "/docs/followup.1"), "0 8 * * 1\\-5");
  man = replace_all(replace_all(man, "\\-", "-"), "\\e", "\\");
  CHECK(man == crontab);
}

TEST_CASE("first day: the man page, as rendered, has no stray space after log --by") {
  auto r = run_program({"/bin/sh", "-c", "MANWIDTH=200 LANG=C man -l \"$0\"", source_dir() + "/docs/followup.1"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("the default log --by,") != std::string::npos);
  CHECK(r.out.find("log --by ,") == std::string::npos);
}
