#include "book_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "exit_codes.hpp"
#include "followup/team/conflict_copies.hpp"
#include "followup/model/error.hpp"
#include "followup/output/format.hpp"

namespace followup::cli {

std::string read_to_end(int fd, std::string_view name) {
  std::string text;
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(ErrorKind::io, fmt::format("cannot read {}: {}", name, std::strerror(errno)));
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

std::string read_whole_file(const std::filesystem::path& p) {
  auto fail = [&](int err) {
    throw Error(ErrorKind::io, fmt::format("cannot read {}: {}", p.string(), std::strerror(err)));
  };
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(errno);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    fail(EISDIR);
  }
  std::string text;
  try {
    text = read_to_end(fd, p.string());
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  return text;
}

void warn_conflict_copies(const Context& ctx) {
  std::filesystem::path book;
  try {
    book = ctx.store().target();
  } catch (const Error&) {
    return; // no book to speak of: the command says so itself
  }
  for (const auto& copy : find_conflict_copies(book))
    fmt::print(stderr, "followup: a file-sync tool left a conflict copy of the book; fold it in with 'followup merge' ({})\n",
               one_line(copy.string()));
}

namespace {

std::string keys_of(const Json& object, const std::string& where) {
  std::vector<std::string> keys;
  try {
    for (const auto& e : read_conflicts(object, where))
      if (std::find(keys.begin(), keys.end(), e.key) == keys.end()) keys.push_back(e.key);
  } catch (const Error&) {
    return "malformed";
  }
  return join(keys, ", ");
}

} // namespace

std::vector<std::string> conflicted_objects(const Book& book) {
  std::vector<std::string> out;
  if (has_conflicts(book.unknown)) out.push_back(fmt::format("the book ({})", keys_of(book.unknown.members(), "the book")));
  for (const auto& r : book.rules)
    if (has_conflicts(r.unknown)) out.push_back(fmt::format("rule {} ({})", r.name, keys_of(r.unknown.members(), "rule " + r.name)));
  for (const auto& c : book.contacts)
    if (has_conflicts(c.unknown))
      out.push_back(fmt::format("contact {} ({})", c.id, keys_of(c.unknown.members(), "contact " + c.id)));
  return out;
}

std::vector<std::string> describe_conflicts(const std::vector<MergeConflict>& conflicts) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const auto& c : conflicts) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == c.owner; });
    if (it == groups.end()) it = groups.insert(groups.end(), {c.owner, {}});
    if (std::find(it->second.begin(), it->second.end(), c.key) == it->second.end()) it->second.push_back(c.key);
  }
  std::vector<std::string> out;
  for (const auto& [owner, keys] : groups) out.push_back(fmt::format("{} ({})", owner, join(keys, ", ")));
  return out;
}

} // namespace followup::cli
