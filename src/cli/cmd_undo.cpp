// followup undo: swap the book with its `.bak`, so that a second undo is a
// redo, and say what that changed.
#include <fmt/format.h>

#include "commands.hpp"
#include "followup/storage/book_diff.hpp"

namespace followup::cli {
namespace {

void run_undo(Context& ctx) {
  // The store checks the backup parses before swapping anything.
  Undo undo = ctx.store().swap_with_backup();
  if (!undo.redo_kept)
    *ctx.err << "followup: the undone version could not be kept as the backup; a second undo cannot redo\n";
  if (!undo.before) {
    *ctx.out << "Restored the backup: the book did not parse (" << undo.before_error
             << "); that version is now the backup.\n";
    return;
  }
  std::vector<std::string> changes = describe_changes(*undo.before, undo.after);
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
