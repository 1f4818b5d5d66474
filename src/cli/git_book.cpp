#include "git_book.hpp"

#include <fmt/format.h>

#include "book_files.hpp"
#include "followup/storage/atomic_file.hpp"
#include "followup/model/error.hpp"

namespace fs = std::filesystem;

namespace followup::cli {

std::string git_pattern(const std::string& file_name) {
  std::string pattern;
  for (char ch : file_name) {
    if (ch == ' ' || ch == '\t') pattern += "[ ]";
    else if (ch == '*' || ch == '?' || ch == '[' || ch == '\\' || ch == '!' || ch == '#') {
      pattern += '\\';
      pattern += ch;
    } else pattern += ch;
  }
  return pattern;
}

std::string attributes_line(const std::string& file_name) { return git_pattern(file_name) + " merge=followup"; }

namespace {

std::string squeeze(const std::string& line) {
  std::string out;
  bool blank = false;
  for (char ch : line) {
    if (ch == ' ' || ch == '\t' || ch == '\r') {
      blank = !out.empty();
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += ch;
  }
  return out;
}

} // namespace

std::optional<std::string> with_attributes_line(const std::string& text, const std::string& line) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    if (squeeze(text.substr(start, nl - start)) == squeeze(line)) return std::nullopt;
    start = nl + 1;
  }
  std::string out = text;
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out + line + "\n";
}

Git repository_of(const fs::path& book) {
  Git git(book.parent_path());
  GitRun top = git.run({"rev-parse", "--show-toplevel"});
  if (!top.ok())
    throw Error(ErrorKind::io, fmt::format("the book's folder is not in a git repository: {}", top.message()),
                book.parent_path().string(), "run 'followup git-setup' to make it one (once in every clone)");
  return git;
}

std::vector<std::string> set_up_driver(const Git& git, const fs::path& book) {
  std::vector<std::string> done;
  const fs::path attributes = book.parent_path() / ".gitattributes";
  const std::string line = attributes_line(book.filename().string());
  std::error_code ec;
  const std::string old = fs::exists(attributes, ec) ? read_whole_file(attributes) : std::string();
  if (auto text = with_attributes_line(old, line)) {
    AtomicFile file(attributes);
    file.write(*text);
    file.commit();
    done.push_back(fmt::format("added '{}' to {}", line, attributes.string()));
  }
  // The lock, backup and temp files beside the book are this clone's own:
  // kept out of `git status` in the clone's info/exclude, not in a file of the repository.
  GitRun where = git.run({"rev-parse", "--git-path", "info/exclude"});
  if (where.ok()) {
    std::string path = where.out.substr(0, where.out.find('\n'));
    const fs::path exclude = fs::path(path).is_absolute() ? fs::path(path) : git.folder() / path;
    const std::string name = book.filename().string();
    std::string text = fs::exists(exclude, ec) ? read_whole_file(exclude) : std::string();
    bool added = false;
    for (const std::string& file : {name + ".bak", name + ".lock", name + ".undo.tmp", "." + name + ".tmp.*"}) {
      const std::string pattern = file.back() == '*' ? git_pattern(file.substr(0, file.size() - 1)) + "*" : git_pattern(file);
      if (auto more = with_attributes_line(text, pattern)) {
        text = *more;
        added = true;
      }
    }
    if (added) {
      fs::create_directories(exclude.parent_path(), ec);
      AtomicFile file(exclude);
      file.write(text);
      file.commit();
      done.push_back(fmt::format("kept {0}.bak, {0}.lock and its temp files out of git in {1}", name, exclude.string()));
    }
  }
  const std::pair<const char*, const char*> settings[] = {{"merge.followup.name", "followup book merge"},
                                                          {"merge.followup.driver", kDriverCommand}};
  for (const auto& [key, value] : settings) {
    GitRun now = git.run({"config", "--get", key});
    std::string current = now.out;
    while (!current.empty() && current.back() == '\n') current.pop_back();
    if (now.ok() && current == value) continue;
    git.must({"config", key, value});
    done.push_back(fmt::format("set {} to '{}'", key, value));
  }
  return done;
}

bool merging(const Git& git) { return git.run({"rev-parse", "-q", "--verify", "MERGE_HEAD"}).ok(); }

bool unmerged(const Git& git, const fs::path& book) {
  GitRun r = git.run({"ls-files", "-u", "--", book.filename().string()});
  return r.ok() && !r.out.empty();
}

std::optional<std::string> book_at(const Git& git, const fs::path& book, const std::string& rev) {
  GitRun r = git.run({"cat-file", "blob", rev + ":./" + book.filename().string()});
  if (!r.ok()) return std::nullopt;
  return r.out;
}

} // namespace followup::cli
