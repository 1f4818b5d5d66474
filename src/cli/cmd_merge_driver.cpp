// followup merge-driver BASE OURS THEIRS [PATH]: git's merge driver for the
// book (`followup merge-driver %O %A %B %P`, set up by git-setup). Merges
// the three books (core/merge.cpp) and writes the result over OURS, as git
// expects, atomically; exits 1 when the merge left conflicts, so that git
// reports them.
#include <memory>

#include <fmt/format.h>

#include "book_files.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "followup/storage/atomic_file.hpp"
#include "followup/book/json_io.hpp"
#include "followup/team/merge.hpp"

namespace followup::cli {
namespace {

struct MergeDriverOptions {
  std::string base, ours, theirs;
  std::optional<std::string> path;
};

void run_merge_driver(const MergeDriverOptions& o, Context& ctx) {
  // Named after the book's path in messages: git's temp files mean nothing to the user.
  const std::string path = o.path && !o.path->empty() ? *o.path : o.ours;
  const std::string base_name = fmt::format("{} (base, {})", path, o.base);
  const std::string ours_name = fmt::format("{} (ours, {})", path, o.ours);
  const std::string theirs_name = fmt::format("{} (theirs, {})", path, o.theirs);
  const std::string base = read_whole_file(o.base), ours = read_whole_file(o.ours), theirs = read_whole_file(o.theirs);
  // Every input is checked before OURS is touched: a malformed one leaves it as it was.
  MergeResult result =
      merge_books(BookSource{base, base_name}, BookSource{ours, ours_name}, BookSource{theirs, theirs_name});
  AtomicFile file(o.ours);
  file.write(serialize_book(result.book));
  file.commit();
  if (result.conflicts.empty()) return;
  for (const auto& what : describe_conflicts(result.conflicts))
    fmt::print(stderr, "followup: merge conflict in {} ({})\n", one_line(what), one_line(path));
  fmt::print(stderr, "hint: settle each with 'followup resolve CONTACT [KEY] --ours|--theirs', then commit the book\n");
  ctx.exit_status = 1;
}

} // namespace

void setup_merge_driver(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<MergeDriverOptions>();
  auto* cmd = app.add_subcommand("merge-driver", "git's merge driver for the book (set up by git-setup)");
  cmd->add_option("BASE", o->base, "The common ancestor (%O); an empty file: none")->required();
  cmd->add_option("OURS", o->ours, "Our version (%A); the result is written here")->required();
  cmd->add_option("THEIRS", o->theirs, "Their version (%B)")->required();
  cmd->add_option("PATH", o->path, "The book's path in the repository (%P), for messages");
  cmd->footer("Git runs it as 'followup merge-driver %O %A %B %P' (see git-setup). Contacts pair by id,\n"
              "rules by name; check-ins are the union of both sides less those one side deleted; tags and\n"
              "plans merge as sets, fields and occasions key by key; every other member takes the side that\n"
              "changed it. Where both changed a member differently, ours stays and the contact gets a\n"
              "\"conflicts\" entry {\"key\", \"theirs\", \"base\"}; see check and resolve.\n"
              "Exit status: 0 merged, 1 merged with conflicts, 65 an input is malformed (OURS untouched).");
  cmd->callback([o, &ctx] { run_merge_driver(*o, ctx); });
}

} // namespace followup::cli
