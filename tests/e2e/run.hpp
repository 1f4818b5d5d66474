// Helpers for end-to-end tests: run the real followup binary with a clean
// environment in a temp folder, capture stdout, stderr and the exit code.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace e2e {

struct Result {
  int code = -1; // exit code, or 128+signal
  std::string out;
  std::string err;
};

// A fresh temp folder, removed with everything in it when the test ends.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
  std::filesystem::path path_;
};

using Env = std::map<std::string, std::string>;

// Runs `followup args...`. The environment holds only PATH, HOME (the temp
// folder), FOLLOWUP_TODAY=2026-11-23 and what `env` adds; a value of "\x01"
// removes a variable. `input` is fed to stdin.
Result run(const std::vector<std::string>& args, const Env& env = {}, const std::string& input = {});

// A book in a temp folder, with the binary pointed at it through --file.
struct Book {
  TempDir dir;
  std::filesystem::path file = dir / "contacts.json";

  Result operator()(std::vector<std::string> args, const Env& env = {}, const std::string& input = {}) const;
  std::string text() const;           // the file's bytes ("" when missing)
  void write(const std::string& text) const;
  bool exists() const;
};

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& text);
std::vector<std::string> lines(const std::string& text);
// Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF) with
// no control character but '\n': what every message line must be.
bool printable_utf8(const std::string& text);
std::string source_dir();
std::string binary();

} // namespace e2e

// ---- Added for the reliability suites (corpus, stress, faults, cli) ----

namespace e2e {

// The clean environment run() uses (PATH, HOME, FOLLOWUP_TODAY, LANG), plus
// `extra` ("\x01" removes a variable), as KEY=VALUE strings.
std::vector<std::string> clean_env(const Env& extra = {});

// Runs any program (argv[0] is a path, e.g. /usr/bin/setpriv or
// /usr/bin/prlimit wrapping binary()) with clean_env(env), output through
// pipes as run() does.
Result run_program(const std::vector<std::string>& argv, const Env& env = {}, const std::string& input = {});

// A program started in the background with clean_env(env), stdin empty,
// stdout and stderr captured in files (so any number may run at once).
class Process {
public:
  explicit Process(const std::vector<std::string>& argv, const Env& env = {});
  ~Process(); // kills (SIGKILL) and reaps a process still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  void kill(int sig) const;
  bool running();  // false once it has exited (reaps it)
  Result wait();   // waits for the exit; code as in run()

private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::filesystem::path out_, err_;
};

// The followup binary with `--file FILE` and args, as an argv for Process or
// run_program.
std::vector<std::string> followup_argv(const std::filesystem::path& file, const std::vector<std::string>& args);

// Seconds since an arbitrary start (steady clock).
double now_seconds();

// A valid book of `contacts` contacts (ids c00001, c00002...) with rules,
// tags, fields, notes and a few check-ins each, as JSON text; the same text
// for the same seed. The tests' own generator, so the project depends on
// nothing outside it.
std::string generate_book(int contacts, unsigned seed = 1);

// The names in `folder` that start with `prefix` (e.g. ".contacts.json.tmp.").
std::vector<std::string> files_starting_with(const std::filesystem::path& folder, const std::string& prefix);

// A small book in the writer's own layout: Ana (two check-ins), Bo (client).
extern const char* const kWriterLayoutBook;

// A refused command: exit `code`, nothing on stdout, a `followup:` error
// naming each of `names`, the file byte for byte as it was and no `.bak`.
void check_refused_untouched(const Book& b, const std::vector<std::string>& args, int code,
                             const std::vector<std::string>& names);

} // namespace e2e
