// followup history CONTACT: the card and the check-ins, newest first.
#include <memory>

#include "card.hpp"
#include "commands.hpp"
#include "followup/model/lookup.hpp"
#include "followup/output/records.hpp"
#include "output.hpp"
#include "validate.hpp"

namespace followup::cli {
namespace {

struct HistoryOptions {
  std::string contact;
  std::optional<std::size_t> limit;
  std::optional<std::string> kind, since;
  std::string format = "table";
};

void run_history(const HistoryOptions& o, Context& ctx) {
  Date today = ctx.today();
  Format format = parse_format(o.format);
  std::optional<Date> since;
  if (o.since) since = parse_date_phrase(*o.since, today, When::past, "--since");
  if (o.kind) check_word(*o.kind, "--kind");

  Book book = ctx.store().load();
  const Contact& c = book.contacts[find_contact(book, o.contact)];
  std::vector<const Interaction*> items;
  for (auto it = c.interactions.rbegin(); it != c.interactions.rend(); ++it) {
    if (since && it->date < *since) break; // sorted by date: nothing older follows
    if (o.kind && !kind_matches(it->kind, *o.kind)) continue;
    if (o.limit && items.size() >= *o.limit) break;
    items.push_back(&*it);
  }

  if (format.kind != FormatKind::table) {
    print_records(ctx, format, history_records(c, items));
    return;
  }
  RuleSet rules(book);
  print_card(*ctx.out, c, compute_due(c, rules.cadence_for(c), today), today, ctx.use_color());
  if (items.empty()) {
    *ctx.out << (c.interactions.empty() ? "\nNo check-ins yet.\n" : "\nNo check-ins match.\n");
    return;
  }
  *ctx.out << '\n';
  write_table(*ctx.out, check_in_table(items), ctx.use_color());
}

} // namespace

void setup_history(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<HistoryOptions>();
  auto* cmd = app.add_subcommand("history", "A contact's card and check-ins, newest first");
  cmd->add_option("CONTACT", o->contact, "Id, or a unique prefix of the name or of a word in it")->required();
  cmd->add_option("-l,--limit", o->limit, "At most N check-ins")->check(count_validator());
  cmd->add_option("-k,--kind", o->kind, "Only check-ins of this kind");
  cmd->add_option("--since", o->since, "Only check-ins on or after this date");
  cmd->add_option("-o,--format", o->format, "table, tsv, csv, json, jsonl or a template '{date} {note}'");
  cmd->callback([o, &ctx] { run_history(*o, ctx); });
}

} // namespace followup::cli
