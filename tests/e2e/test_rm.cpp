// followup rm CONTACT... [--yes]: asks on a terminal, refuses (exit 64)
// without --yes otherwise, removes several contacts in one write, and `undo`
// brings them back (SPEC §4, §5, §6).
#include <doctest/doctest.h>

#include <array>
#include <cerrno>
#include <cstdlib>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using ordered_json = nlohmann::ordered_json;

namespace {

// The book in the program's own layout (2-space JSON, as json.dump(2)), so
// that the file after a removal can be compared byte for byte with the book
// minus that contact.
std::string layout(const ordered_json& doc) { return doc.dump(2) + "\n"; }

const ordered_json kDoc = ordered_json::parse(R"({
  "followup": 1,
  "rules": [{"name": "clients", "match": "tag:client", "every": "3m"}],
  "contacts": [
    {"id": "ana-lopez", "name": "Ana López", "tags": ["friend"], "x-kept": {"a": [1, 2]}},
    {"id": "tom-smith", "name": "Tom Smith", "interactions": [
      {"date": "2026-10-01", "kind": "call"}, {"date": "2026-11-01", "kind": "visit", "note": "dinner"}]},
    {"id": "acme", "name": "Acme Corp", "tags": ["client"], "interactions": [{"date": "2026-09-01", "kind": "visit"}]},
    {"id": "the-hendersons", "name": "The Hendersons"}
  ],
  "x-book": true
})");

const std::string kBook = layout(kDoc);

// The book without the contacts with these ids.
std::string without(std::vector<std::string> ids) {
  ordered_json doc = kDoc;
  auto& cs = doc["contacts"];
  for (auto it = cs.begin(); it != cs.end();) {
    if (std::find(ids.begin(), ids.end(), it->at("id").get<std::string>()) != ids.end()) it = cs.erase(it);
    else ++it;
  }
  return layout(doc);
}

struct RmBook : Book {
  RmBook() { write(kBook); }
  std::string bak() const { return read_file(file.string() + ".bak"); }
  bool has_bak() const { return std::filesystem::exists(file.string() + ".bak"); }
  // Nothing but the book in the folder (no .bak, no temp file).
  void check_untouched() const {
    CHECK(text() == kBook);
    CHECK_FALSE(has_bak());
    CHECK(files_starting_with(dir.path(), ".contacts.json.tmp").empty());
  }
};

// Runs followup on `b` with stdin a terminal (the slave side of a pty) and
// stdout/stderr pipes; `answer` is typed once the [y/N] prompt shows on
// stderr (or never, when there is no prompt).
Result run_on_tty(const Book& b, const std::vector<std::string>& args, const std::string& answer) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  REQUIRE(master >= 0);
  REQUIRE(::grantpt(master) == 0);
  REQUIRE(::unlockpt(master) == 0);
  std::string slave_name = ::ptsname(master);
  std::vector<std::string> envs = clean_env();
  std::vector<std::string> argv = followup_argv(b.file, args);
  std::vector<char*> envp, argp;
  for (auto& s : envs) envp.push_back(s.data());
  envp.push_back(nullptr);
  for (auto& s : argv) argp.push_back(s.data());
  argp.push_back(nullptr);
  int out[2], err[2];
  REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
  REQUIRE(::pipe2(err, O_CLOEXEC) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setsid();
    int slave = ::open(slave_name.c_str(), O_RDWR);
    if (slave < 0) ::_exit(126);
    ::dup2(slave, 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execve(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  Result r;
  bool answered = false;
  std::array<pollfd, 3> fds{{{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {master, POLLIN, 0}}};
  std::string echo;
  std::string* sinks[3] = {&r.out, &r.err, &echo};
  int open_fds = 2; // the pty master never reaches EOF while we hold it
  char buf[4096];
  while (open_fds > 0) {
    if (::poll(fds.data(), fds.size(), 10000) <= 0) break; // a hung child: fail below
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (i < 2) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        fds[i].fd = -1; // the slave side closed: stop polling the master
      }
    }
    if (!answered && r.err.find("[y/N] ") != std::string::npos) {
      ssize_t n = ::write(master, answer.data(), answer.size());
      CHECK(n == static_cast<ssize_t>(answer.size()));
      answered = true;
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(master);
  for (std::size_t i = 0; i < 2; ++i)
    if (fds[i].fd >= 0) ::close(fds[i].fd);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

} // namespace

TEST_CASE("rm: without --yes off a terminal is refused (64) and nothing changes") {
  RmBook b;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"rm", "ana"}, {"rm", "ana-lopez", "tom"}, {"rm", "nobody"}}) {
    INFO("args: ", args.back());
    Result r = b(args);
    CHECK(r.code == 64);
    CHECK(r.out == "");
    CHECK(lines(r.err) == std::vector<std::string>{"followup: rm needs --yes when not run on a terminal (rm)",
                                                   "hint: followup rm CONTACT --yes"});
    b.check_untouched();
  }
  // Even with "y" on a stdin that is not a terminal.
  Result r = b({"rm", "ana"}, {}, "y\n");
  CHECK(r.code == 64);
  b.check_untouched();
}

TEST_CASE("rm: --yes removes the contact and only it") {
  RmBook b;
  Result r = b({"rm", "ana", "--yes"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Removed Ana López (ana-lopez).\n(`followup undo` brings it back.)\n");
  // Everything else as it was: rules, other contacts, unknown keys, layout.
  CHECK(b.text() == without({"ana-lopez"}));
  CHECK(b.bak() == kBook);
  r = b({"list", "--format", "{id}"});
  CHECK(r.out == "acme\nthe-hendersons\ntom-smith\n");
}

TEST_CASE("rm: -y, and several contacts in one write") {
  RmBook b;
  Result r = b({"rm", "tom", "hend", "-y"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Removed Tom Smith (tom-smith).\nRemoved The Hendersons (the-hendersons).\n"
                 "(`followup undo` brings them back.)\n");
  CHECK(b.text() == without({"tom-smith", "the-hendersons"}));
  CHECK(b.bak() == kBook); // one write: the backup is the book from before both
}

TEST_CASE("rm: one contact named twice is removed once") {
  RmBook b;
  Result r = b({"rm", "ana", "ana-lopez", "LÓPEZ", "--yes"});
  CHECK(r.code == 0);
  CHECK(r.out == "Removed Ana López (ana-lopez).\n(`followup undo` brings it back.)\n");
  CHECK(b.text() == without({"ana-lopez"}));
}

TEST_CASE("rm: every contact: an empty list stays") {
  RmBook b;
  REQUIRE(b({"rm", "ana", "tom", "acme", "the-hendersons", "--yes"}).code == 0);
  ordered_json doc = ordered_json::parse(b.text());
  CHECK(doc.at("contacts") == ordered_json::array());
  CHECK(doc.at("rules").size() == 1);
  CHECK(doc.at("x-book") == true);
}

TEST_CASE("rm: an unknown or ambiguous contact is 67 and nothing is removed") {
  RmBook b;
  Result r = b({"rm", "ana", "nobody", "tom", "--yes"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(lines(r.err).at(0) == "followup: no contact matches \"nobody\" (CONTACT)");
  b.check_untouched();
  // "t" is a prefix of Tom and of The Hendersons.
  r = b({"rm", "t", "--yes"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK(lines(r.err).at(0) == "followup: \"t\" matches 2 contacts: tom-smith, the-hendersons (CONTACT)");
  b.check_untouched();
}

TEST_CASE("rm: a missing book: 67, no file created") {
  Book b;
  Result r = b({"rm", "ana", "--yes"});
  CHECK(r.code == 67);
  CHECK(r.out == "");
  CHECK_FALSE(b.exists());
  CHECK_FALSE(std::filesystem::exists(b.file.string() + ".bak"));
}

TEST_CASE("rm: undo brings the contacts back, a second undo removes them again") {
  RmBook b;
  REQUIRE(b({"rm", "ana", "tom", "--yes"}).code == 0);
  const std::string removed = b.text();
  Result r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Undid the last change:\n"
                 "  added the contact Ana López (ana-lopez)\n"
                 "  added the contact Tom Smith (tom-smith)\n");
  CHECK(b.text() == kBook); // byte for byte, history and unknown keys included
  r = b({"history", "tom", "--format", "{date} {kind}"});
  CHECK(r.out == "2026-11-01 visit\n2026-10-01 call\n");
  r = b({"undo"});
  CHECK(r.code == 0);
  CHECK(r.out == "Undid the last change:\n"
                 "  removed the contact Ana López (ana-lopez)\n"
                 "  removed the contact Tom Smith (tom-smith)\n");
  CHECK(b.text() == removed);
}

TEST_CASE("rm: on a terminal it asks, naming the contacts and their check-ins") {
  SUBCASE("y removes") {
    RmBook b;
    Result r = run_on_tty(b, {"rm", "tom", "acme"}, "y\n");
    CHECK(r.code == 0);
    CHECK(r.err == "Remove Tom Smith (tom-smith) and 2 check-ins, Acme Corp (acme) and 1 check-in? [y/N] ");
    CHECK(r.out == "Removed Tom Smith (tom-smith).\nRemoved Acme Corp (acme).\n(`followup undo` brings them back.)\n");
    CHECK(b.text() == without({"tom-smith", "acme"}));
    CHECK(b.bak() == kBook);
  }
  SUBCASE("yes removes") {
    RmBook b;
    Result r = run_on_tty(b, {"rm", "hend"}, "yes\n");
    CHECK(r.code == 0);
    CHECK(r.err == "Remove The Hendersons (the-hendersons) and 0 check-ins? [y/N] ");
    CHECK(b.text() == without({"the-hendersons"}));
  }
  SUBCASE("anything else keeps them") {
    for (std::string answer : {"n\n", "\n", "no\n", "maybe\n"}) {
      INFO("answer ", answer);
      RmBook b;
      Result r = run_on_tty(b, {"rm", "ana"}, answer);
      CHECK(r.code == 0);
      CHECK(r.out == "");
      CHECK(r.err == "Remove Ana López (ana-lopez) and 0 check-ins? [y/N] Nothing removed.\n");
      b.check_untouched();
    }
  }
  SUBCASE("--yes does not ask") {
    RmBook b;
    Result r = run_on_tty(b, {"rm", "ana", "--yes"}, "n\n");
    CHECK(r.code == 0);
    CHECK(r.err == "");
    CHECK(b.text() == without({"ana-lopez"}));
  }
  SUBCASE("an unknown contact fails before asking") {
    RmBook b;
    Result r = run_on_tty(b, {"rm", "nobody"}, "y\n");
    CHECK(r.code == 67);
    CHECK(r.err.find("[y/N]") == std::string::npos);
    b.check_untouched();
  }
}
