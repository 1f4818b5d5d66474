// Running the `git` program (for `sync` and `git-setup`, SPEC §8): started
// directly (posix_spawnp, found on PATH), never through a shell, with its
// output captured so that its message can be reported.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace followup {

struct GitRun {
  int status = 0; // git's exit status (128 + signal when killed)
  std::string out, err;

  bool ok() const { return status == 0; }
  // What git said went wrong, on one line: its `fatal:`/`error:`/`CONFLICT`
  // lines (else its last line), joined with "; ".
  std::string message() const;
};

class Git {
public:
  // Runs git in `folder` (`git -C folder ...`).
  explicit Git(std::filesystem::path folder, std::string program = "git");

  // Runs git with `args`; stdin is /dev/null. Throws Error{io} only when git
  // cannot be started.
  GitRun run(const std::vector<std::string>& args) const;
  // The same, and throws Error{io} with git's message when it fails; returns
  // its stdout, trailing newlines removed.
  std::string must(const std::vector<std::string>& args) const;

  const std::filesystem::path& folder() const { return folder_; }

private:
  std::filesystem::path folder_;
  std::string program_;
};

} // namespace followup
