#include "filters.hpp"

#include "followup/sys/cpus.hpp"
#include "followup/model/error.hpp"
#include "validate.hpp"

namespace followup::cli {

void add_owner_options(CLI::App* cmd, OwnerOptions& o) {
  cmd->add_option("--owner", o.owners, "Only contacts this person keeps in touch with (repeat: any of them; none: no owner)");
  cmd->add_flag("--mine", o.mine, "Only my contacts: --owner \"$FOLLOWUP_USER\"");
}

std::optional<Expr> narrowed_to_owners(std::optional<Expr> where, const OwnerOptions& o, const Context& ctx) {
  std::vector<std::string> owners = o.owners;
  for (const std::string& who : owners) check_name(who, "--owner");
  if (o.mine) {
    std::optional<std::string> me = ctx.user();
    if (!me)
      throw_usage("$FOLLOWUP_USER is not set: --mine does not know who you are", "--mine",
                  "set it to your name (export FOLLOWUP_USER=maya), or use --owner NAME");
    owners.push_back(*me);
  }
  if (owners.empty()) return where;
  Expr mine = owners_expr(owners);
  return where ? both(*where, mine) : mine;
}

void add_due_filters(CLI::App* cmd, DueFilters& f) {
  cmd->add_option("-w,--within", f.within, "Also list who falls due within this time (2w); overrides rules' warn");
  cmd->add_option("--where", f.where, "Only contacts matching this expression (tag:client and not tag:vip)");
  cmd->add_option("-t,--tag", f.tags, "Only contacts with this tag (repeat: all of them)");
  add_owner_options(cmd, f.owners);
  cmd->add_option("-l,--limit", f.limit, "At most N contacts")->check(count_validator());
}

DueQuery due_query(const DueFilters& f, const Context& ctx) {
  DueQuery q;
  if (f.within) q.within = parse_duration_option(*f.within, "--within", false);
  if (f.where) q.where = parse_expr_option(*f.where, "--where");
  q.where = narrowed_to_owners(std::move(q.where), f.owners, ctx);
  for (const auto& t : f.tags) check_word(t, "--tag");
  q.tags = f.tags;
  q.limit = f.limit;
  q.threads = usable_cpus();
  return q;
}

} // namespace followup::cli
