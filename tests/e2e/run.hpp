// Helpers for end-to-end tests: run the real followup binary with a clean
// environment in a temp folder, capture stdout, stderr and the exit code.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

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
std::string source_dir();
std::string binary();

} // namespace e2e
