// Running git (core/git.cpp): output captured, failures worded from git's own lines.
#include <doctest/doctest.h>

#include "followup/model/error.hpp"
#include "followup/sys/git.hpp"

using namespace followup;

TEST_CASE("GitRun::message: git's fatal/error/CONFLICT lines, else its last line") {
  GitRun r{1, "Auto-merging contacts.json\nCONFLICT (content): Merge conflict in contacts.json\n",
           "hint: something\nerror: could not apply\nfatal: stopped\n"};
  CHECK(r.message() == "error: could not apply; fatal: stopped; CONFLICT (content): Merge conflict in contacts.json");
  CHECK(GitRun{1, "", "remote: nope\nsomething went wrong\n"}.message() == "something went wrong");
  CHECK(GitRun{1, "only out\n", ""}.message() == "only out");
  CHECK(GitRun{3, "", ""}.message() == "git exited with status 3");
}

TEST_CASE("Git runs the program in its folder and captures both outputs") {
  Git real("/");
  GitRun v = real.run({"--version"});
  if (v.ok()) CHECK(v.out.rfind("git version", 0) == 0);
  GitRun bad = real.run({"no-such-command-xyz"});
  CHECK_FALSE(bad.ok());
  CHECK_FALSE(bad.err.empty());
  try {
    real.must({"no-such-command-xyz"});
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::io);
    CHECK(std::string(e.what()).rfind("git no-such-command-xyz failed: ", 0) == 0);
  }
}

TEST_CASE("a program that cannot be started is an I/O error") {
  Git missing("/", "followup-no-such-git-program");
  CHECK_THROWS_AS(missing.run({"status"}), Error);
}
