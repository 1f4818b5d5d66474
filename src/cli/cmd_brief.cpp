// followup brief: the call sheet for the day (SPEC §8). The contacts and
// their order are due's (core/due.cpp, due_list); what each block says is
// decided in core/brief.cpp.
#include <memory>

#include "commands.hpp"
#include "followup/output/brief.hpp"
#include "followup/rules/due.hpp"
#include "filters.hpp"

namespace followup::cli {
namespace {

struct BriefOptions {
  DueFilters filters;
  std::string format = "text";
};

void run_brief(const BriefOptions& o, Context& ctx) {
  const Date today = ctx.today();
  const DueQuery q = due_query(o.filters, ctx);

  // Notes and the check-ins' notes are the point of the sheet.
  Book book = ctx.store().load(LoadDetail::full);
  RuleSet rules(book);
  const std::vector<DueEntry> entries = due_list(book, rules, today, q);
  *ctx.out << call_sheet(entries, today, o.format == "md" ? SheetStyle::markdown : SheetStyle::text);
  keep_until_exit(std::move(book));
}

} // namespace

void setup_brief(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<BriefOptions>();
  auto* cmd = app.add_subcommand("brief", "The call sheet: everything a caller needs about each contact due, in due's order");
  add_due_filters(cmd, o->filters);
  cmd->add_option("-o,--format", o->format, "text (default) or md (Markdown, a heading a contact)")
      ->transform(CLI::IsMember({"text", "md"}, CLI::ignore_case));
  cmd->callback([o, &ctx] { run_brief(*o, ctx); });
}

} // namespace followup::cli
