// followup resolve CONTACT [KEY] --ours|--theirs: settle the merge
// conflicts a merge left on a contact (or, with --rule or --book, on a rule
// or the book itself). The work is done on the object's JSON (core/merge.cpp,
// resolve_conflicts), so that any member, known to this program or not,
// settles the same way.
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "followup/model/error.hpp"
#include "followup/output/format.hpp"
#include "followup/book/json_io.hpp"
#include "followup/model/lookup.hpp"
#include "followup/team/merge.hpp"

namespace followup::cli {
namespace {

struct ResolveOptions {
  std::vector<std::string> args; // CONTACT [KEY], or [KEY] with --rule / --book
  std::optional<std::string> rule;
  bool book = false;
  bool ours = false, theirs = false;
};

// Settles the conflicts of the object `pick` finds in the book's tree, and
// reads the book back from it (so the result is checked as any book is).
std::vector<std::string> resolve_in_tree(Book& book, const std::string& source, const std::optional<std::string>& key,
                                         Side side, const std::optional<std::string>& rule) {
  Json tree = book_tree(book);
  Json* object = &tree;
  std::string where = "the book";
  if (rule) {
    object = nullptr;
    if (tree.contains("rules"))
      for (auto& r : tree["rules"])
        if (r.value("name", std::string()) == *rule) object = &r;
    if (!object) throw Error(ErrorKind::not_found, fmt::format("no rule is named \"{}\"", *rule), "--rule");
    where = "rule " + *rule;
  }
  auto keys = resolve_conflicts(*object, key, side, where);
  book = parse_book(tree.dump(), source);
  return keys;
}

void run_resolve(const ResolveOptions& o, Context& ctx) {
  if (o.ours == o.theirs) throw_usage("say which side to keep: --ours or --theirs", "resolve");
  if (o.rule && o.book) throw_usage("--rule and --book do not go together", "resolve");
  const bool whole = o.rule || o.book;
  const std::size_t most = whole ? 1 : 2;
  if ((!whole && o.args.empty()) || o.args.size() > most)
    throw_usage(whole ? "expected at most one KEY" : "expected CONTACT and at most one KEY", "resolve",
                "followup resolve CONTACT [KEY] --ours|--theirs");
  const Side side = o.ours ? Side::ours : Side::theirs;
  const std::size_t key_at = whole ? 0 : 1;
  const std::optional<std::string> key = o.args.size() > key_at ? std::optional(o.args[key_at]) : std::nullopt;

  Store store = ctx.store();
  std::string who;
  std::vector<std::string> keys;
  store.update([&](Book& book) {
    if (whole) {
      who = o.rule ? "the rule " + *o.rule : "the book";
      keys = resolve_in_tree(book, store.path().string(), key, side, o.rule);
      return true;
    }
    Contact& c = book.contacts[find_contact(book, o.args[0])];
    const std::string where = "contact " + c.id;
    Json j = contact_to_json(c);
    keys = resolve_conflicts(j, key, side, where);
    c = contact_from_json(j, where);
    who = fmt::format("{} ({})", c.name, c.id);
    return true;
  });
  *ctx.out << fmt::format("Resolved {}: {} (kept {}).\n", who, join(keys, ", "), o.ours ? "ours" : "theirs");
}

} // namespace

void setup_resolve(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ResolveOptions>();
  auto* cmd = app.add_subcommand("resolve", "Settle the merge conflicts of a contact: keep ours or theirs");
  cmd->add_option("CONTACT", o->args, "The contact, then optionally the KEY to settle (fields.phone); default: all");
  cmd->add_flag("--ours", o->ours, "Keep the value the book has now");
  cmd->add_flag("--theirs", o->theirs, "Put the other side's value in place");
  cmd->add_option("--rule", o->rule, "Settle a rule's conflicts instead of a contact's");
  cmd->add_flag("--book", o->book, "Settle the conflicts on the book's own keys");
  cmd->footer("A merge (merge-driver, merge) that found a member changed differently on both sides kept\n"
              "ours and recorded {\"key\", \"theirs\", \"base\"} in the contact's \"conflicts\"; 'followup\n"
              "check' lists them. --theirs puts each theirs value in place (removing the member where theirs\n"
              "had none); either way the entries go, and \"conflicts\" with the last of them. One write.\n"
              "Exit status: 0, 64 no such conflict or no side given, 67 contact not found.");
  cmd->callback([o, &ctx] { run_resolve(*o, ctx); });
}

} // namespace followup::cli
