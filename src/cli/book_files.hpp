// Files the merge commands read besides the book, and the notice about
// file-sync conflict copies that `due` and `check` give.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "context.hpp"
#include "followup/team/merge.hpp"

namespace followup::cli {

// A file's bytes. Throws Error{io} naming it when it cannot be read.
std::string read_whole_file(const std::filesystem::path& p);

// What is left to read on `fd` (stdin, say), which stays open. Throws
// Error{io} naming `name` when it cannot be read.
std::string read_to_end(int fd, std::string_view name);

// One line on stderr for each conflict copy beside the book; nothing else
// changes (stdout, exit status).
void warn_conflict_copies(const Context& ctx);

// "contact ana-lopez (fields.phone, notes)", one for each object holding
// conflicts, in book order.
std::vector<std::string> conflicted_objects(const Book& book);

// Conflicts found by a merge, grouped by object: "contact ana-lopez (fields.phone)".
std::vector<std::string> describe_conflicts(const std::vector<MergeConflict>& conflicts);

} // namespace followup::cli
