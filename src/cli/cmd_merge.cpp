// followup merge FILE... [--keep]: fold copies of the book (the conflict
// copies file-sync tools leave beside it) into the book, in one write. There
// is no common ancestor: contacts and check-ins are the union of both, and
// members the two differ on become `conflicts` (core/merge.cpp).
#include <memory>

#include <fmt/format.h>

#include "book_files.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "followup/storage/book_diff.hpp"
#include "followup/model/error.hpp"
#include "followup/book/json_io.hpp"
#include "followup/team/merge.hpp"

namespace fs = std::filesystem;

namespace followup::cli {
namespace {

struct MergeOptions {
  std::vector<std::string> files;
  bool keep = false;
};

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

void run_merge(const MergeOptions& o, Context& ctx) {
  Store store = ctx.store();
  // Each copy is read and checked before the lock: a malformed one stops
  // everything with the book untouched.
  std::vector<std::string> texts;
  for (const auto& f : o.files) {
    if (same_file(f, store.target())) throw_usage("cannot merge the book into itself", f);
    texts.push_back(read_whole_file(f));
    parse_book(texts.back(), f);
  }
  Book before;
  std::vector<MergeConflict> conflicts;
  const std::string book_name = store.path().string();
  store.update([&](Book& book) {
    before = book;
    for (std::size_t i = 0; i < o.files.size(); ++i) {
      const std::string ours = serialize_book(book);
      MergeResult r = merge_books(std::nullopt, BookSource{ours, book_name}, BookSource{texts[i], o.files[i]});
      book = std::move(r.book);
      conflicts.insert(conflicts.end(), r.conflicts.begin(), r.conflicts.end());
    }
    return serialize_book(book) != serialize_book(before);
  });
  std::vector<std::string> changes = describe_changes(before, store.load());
  if (changes.empty()) *ctx.out << fmt::format("Merged {}: nothing new.\n", join(o.files, ", "));
  else {
    *ctx.out << fmt::format("Merged {}:\n", join(o.files, ", "));
    for (const auto& line : changes) *ctx.out << "  " << line << '\n';
  }
  for (const auto& what : describe_conflicts(conflicts)) *ctx.out << "Conflict in " << what << '\n';
  if (!conflicts.empty())
    *ctx.out << "Settle each with 'followup resolve CONTACT [KEY] --ours|--theirs'; 'followup check' lists them.\n";
  if (o.keep) return;
  for (const auto& f : o.files) {
    std::error_code ec;
    fs::remove(f, ec);
    if (ec) throw Error(ErrorKind::cant_write, fmt::format("merged, but cannot remove the copy: {}", ec.message()), f);
  }
}

} // namespace

void setup_merge(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<MergeOptions>();
  auto* cmd = app.add_subcommand("merge", "Fold copies of the book (file-sync conflict copies) into it");
  cmd->add_option("FILE", o->files, "A copy of the book, e.g. 'contacts.sync-conflict-....json'")->required();
  cmd->add_flag("--keep", o->keep, "Keep the copies (they are removed once merged)");
  cmd->footer("With no common ancestor to go by, contacts, rules and check-ins are the union of the book and\n"
              "the copies; tags merge as sets, fields key by key; a member the two differ on keeps the\n"
              "book's value and the contact gets a \"conflicts\" entry (see check and resolve). One write.\n"
              "Exit status: 0 merged, 65 a copy is malformed (the book untouched), 74 a copy cannot be read.");
  cmd->callback([o, &ctx] { run_merge(*o, ctx); });
}

} // namespace followup::cli
