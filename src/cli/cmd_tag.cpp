// followup tag CONTACT... | --where EXPR  --add T | --rm T: tag in bulk.
#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "followup/model/error.hpp"
#include "followup/rules/expr.hpp"
#include "followup/output/format.hpp"
#include "followup/model/lookup.hpp"
#include "followup/text/text.hpp"
#include "validate.hpp"

namespace followup::cli {
namespace {

struct TagOptions {
  std::vector<std::string> contacts;
  std::optional<std::string> where;
  std::vector<std::string> add, rm;
};

// Applies the tag changes to one contact; true when anything changed.
bool retag(Contact& c, const TagOptions& o) {
  bool changed = false;
  for (const auto& t : o.rm) {
    auto it = std::remove_if(c.tags.begin(), c.tags.end(), [&](const std::string& x) { return iequals(x, t); });
    changed = changed || it != c.tags.end();
    c.tags.erase(it, c.tags.end());
  }
  for (const auto& t : o.add) {
    if (c.has_tag(t)) continue;
    c.tags.push_back(t);
    changed = true;
  }
  return changed;
}

void run_tag(const TagOptions& o, Context& ctx) {
  if (o.add.empty() && o.rm.empty()) throw_usage("say what to do: --add TAG or --rm TAG", "tag");
  if (o.contacts.empty() && !o.where) throw_usage("say whom: CONTACT... or --where EXPR", "tag");
  for (const auto& t : o.add) check_word(t, "--add");
  for (const auto& t : o.rm) check_word(t, "--rm");
  std::optional<Expr> where;
  if (o.where) where = parse_expr_option(*o.where, "--where");

  std::size_t matched = 0, changed = 0;
  ctx.store().update([&](Book& book) {
    const std::vector<std::size_t> targets = select_contacts(book, o.contacts, where);
    matched = targets.size();
    for (std::size_t i : targets)
      if (retag(book.contacts[i], o)) ++changed;
    return changed > 0;
  });
  std::vector<std::string> what;
  if (!o.add.empty()) what.push_back("added " + join(o.add, ", "));
  if (!o.rm.empty()) what.push_back("removed " + join(o.rm, ", "));
  *ctx.out << fmt::format("{} of {} contact{} changed ({}).\n", changed, matched, matched == 1 ? "" : "s",
                          join(what, "; "));
}

} // namespace

void setup_tag(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<TagOptions>();
  auto* cmd = app.add_subcommand("tag", "Tag or untag contacts in bulk");
  cmd->add_option("CONTACT", o->contacts, "Id, or a unique prefix of the name or of a word in it");
  cmd->add_option("--where", o->where, "All contacts matching this expression (tag:client and kind:visit)");
  cmd->add_option("-a,--add", o->add, "Add this tag (repeatable)");
  cmd->add_option("-r,--rm", o->rm, "Remove this tag (repeatable)");
  cmd->callback([o, &ctx] { run_tag(*o, ctx); });
}

} // namespace followup::cli
