// followup assign CONTACT... | --where EXPR  --to WHO: who keeps in touch
// with them (SPEC §8), in one write; `--to ''` leaves them to no one.
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "followup/model/error.hpp"
#include "followup/rules/expr.hpp"
#include "followup/model/lookup.hpp"
#include "validate.hpp"

namespace followup::cli {
namespace {

struct AssignOptions {
  std::vector<std::string> contacts;
  std::optional<std::string> where, to;
};

void run_assign(const AssignOptions& o, Context& ctx) {
  if (!o.to) throw_usage("say to whom: --to WHO (--to '' to unassign)", "assign");
  if (o.contacts.empty() && !o.where) throw_usage("say whom: CONTACT... or --where EXPR", "assign");
  if (!o.to->empty()) check_name(*o.to, "--to");
  std::optional<Expr> where;
  if (o.where) where = parse_expr_option(*o.where, "--where");

  const std::optional<std::string> owner = o.to->empty() ? std::nullopt : o.to;
  std::size_t matched = 0, changed = 0;
  ctx.store().update([&](Book& book) {
    const std::vector<std::size_t> targets = select_contacts(book, o.contacts, where);
    matched = targets.size();
    for (std::size_t i : targets) {
      Contact& c = book.contacts[i];
      if (c.owner == owner) continue;
      c.owner = owner;
      ++changed;
    }
    return changed > 0;
  });
  const std::string what = owner ? fmt::format("now {}'s", *owner) : std::string("now without an owner");
  *ctx.out << fmt::format("{} of {} contact{} changed ({}).\n", changed, matched, matched == 1 ? "" : "s", what);
}

} // namespace

void setup_assign(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<AssignOptions>();
  auto* cmd = app.add_subcommand("assign", "Say who keeps in touch with these contacts (--to '' for no one)");
  cmd->add_option("CONTACT", o->contacts, "Id, or a unique prefix of the name or of a word in it");
  cmd->add_option("--where", o->where, "All contacts matching this expression (tag:client and owner:none)");
  cmd->add_option("--to", o->to, "Who keeps in touch with them from now on ('' for no one)");
  cmd->callback([o, &ctx] { run_assign(*o, ctx); });
}

} // namespace followup::cli
