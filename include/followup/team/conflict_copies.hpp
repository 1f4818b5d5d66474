// Copies of the book that file-sync tools leave beside it when two machines
// changed it at once (SPEC §8): Syncthing's `contacts.sync-conflict-*.json`,
// Dropbox's `contacts (conflicted copy ...).json` and
// `contacts (Kris's conflicted copy ...).json`.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace followup {

// Whether `name` is such a copy of a book named `book_name` (the stem and
// extension of the book's file name: contacts + .json).
bool is_conflict_copy(std::string_view name, std::string_view book_name);

// The conflict copies in the book's folder, by name. A folder that cannot
// be read has none.
std::vector<std::filesystem::path> find_conflict_copies(const std::filesystem::path& book);

} // namespace followup
