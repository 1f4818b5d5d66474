// The book in a git repository, for `git-setup` and `sync` (SPEC §8): the
// steps both share, over the `git` program (core/git.cpp).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "followup/sys/git.hpp"
#include "followup/model/model.hpp"

namespace followup::cli {

inline constexpr const char* kDriverCommand = "followup merge-driver %O %A %B %P";

// A file name as a git pattern: blanks and glob characters escaped.
std::string git_pattern(const std::string& file_name);

// The `.gitattributes` line for a book named `file_name`: its name as a
// pattern (blanks and glob characters escaped) and `merge=followup`.
std::string attributes_line(const std::string& file_name);

// Adds `line` to the text of a .gitattributes unless a line says the same
// already; nullopt when there is nothing to add.
std::optional<std::string> with_attributes_line(const std::string& text, const std::string& line);

// Git in the book's folder; throws Error{io} with git's message (and a hint
// to run git-setup) when the folder is in no repository.
Git repository_of(const std::filesystem::path& book);

// Writes the .gitattributes line and the merge.followup.* settings where they
// are missing or different, and keeps the book's .bak, .lock and temp files
// out of git (the clone's info/exclude). Returns what it changed, as lines
// to print.
std::vector<std::string> set_up_driver(const Git& git, const std::filesystem::path& book);

// Whether git is in the middle of a merge (MERGE_HEAD exists).
bool merging(const Git& git);

// Whether the book is among the index's unmerged paths.
bool unmerged(const Git& git, const std::filesystem::path& book);

// The book as the given revision or stage holds it ("HEAD", ":1"), or
// nullopt when it holds none.
std::optional<std::string> book_at(const Git& git, const std::filesystem::path& book, const std::string& rev);

} // namespace followup::cli
