#include "followup/team/conflict_copies.hpp"

#include <algorithm>
#include <string>

namespace followup {

bool is_conflict_copy(std::string_view name, std::string_view book_name) {
  const auto dot = book_name.rfind('.');
  const std::string_view stem = dot == std::string_view::npos || dot == 0 ? book_name : book_name.substr(0, dot);
  const std::string_view ext = dot == std::string_view::npos || dot == 0 ? std::string_view() : book_name.substr(dot);
  if (name == book_name || !name.starts_with(stem) || !name.ends_with(ext)) return false;
  if (name.size() < stem.size() + ext.size()) return false;
  const std::string_view middle = name.substr(stem.size(), name.size() - stem.size() - ext.size());
  // Syncthing: contacts.sync-conflict-20261203-101010-ABCDEFG.json
  if (middle.starts_with(".sync-conflict-")) return true;
  // Dropbox: contacts (conflicted copy 2026-12-03).json, contacts (Kris's conflicted copy 2026-12-03).json
  return middle.starts_with(" (") && middle.ends_with(")") && middle.find("conflicted copy") != std::string_view::npos;
}

std::vector<std::filesystem::path> find_conflict_copies(const std::filesystem::path& book) {
  std::vector<std::filesystem::path> out;
  const std::string book_name = book.filename().string();
  std::filesystem::path folder = book.parent_path();
  if (folder.empty()) folder = ".";
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(folder, ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // Named as the book is: beside it, with its folder as given.
    if (is_conflict_copy(name, book_name) && it->is_regular_file(ec)) out.push_back(book.parent_path() / name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace followup
