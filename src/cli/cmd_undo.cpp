// followup undo: swap the book with its `.bak`, so that a second undo is a
// redo, and say what that changed.
#include <fmt/format.h>

#include "commands.hpp"
#include "followup/book_diff.hpp"

namespace followup::cli {
namespace {

void run_undo(Context& ctx) {
  // The store checks the backup parses before swapping anything.
  auto [before, after] = ctx.store().swap_with_backup();
  std::vector<std::string> changes = describe_changes(before, after);
  if (changes.empty()) {
    *ctx.out << "Undid the last change (no difference in the data).\n";
    return;
  }
  *ctx.out << "Undid the last change:\n";
  for (const auto& line : changes) *ctx.out << "  " << line << '\n';
}

} // namespace

void setup_undo(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("undo", "Undo the last change (run it again to redo)");
  cmd->footer("The book's previous version is kept as <file>.bak; undo swaps the two.\n");
  cmd->callback([&ctx] { run_undo(ctx); });
}

} // namespace followup::cli
