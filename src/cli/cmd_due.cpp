// followup due: who is due, most overdue first (the order is decided in
// core/due.cpp, due_list).
#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "book_files.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "followup/sys/cpus.hpp"
#include "followup/rules/due.hpp"
#include "followup/output/records.hpp"
#include "followup/text/text.hpp"
#include "output.hpp"
#include "filters.hpp"
#include "validate.hpp"

namespace followup::cli {
namespace {

struct DueOptions {
  DueFilters filters;
  std::string format = "table";
  bool exit_code = false;
  bool explain = false;
};

// Made a row at a time from the entries (a large book lists thousands).
CellTable due_table(const std::vector<DueEntry>& entries) {
  CellTable t;
  t.headers = {"ID", "NAME", "DUE", "OVERDUE", "LAST", "KIND", "RULE"};
  // REASON only when some row is there for something else than its cadence.
  const bool reasons = std::any_of(entries.begin(), entries.end(),
                                   [](const DueEntry& e) { return e.info.reason != Reason::cadence; });
  if (reasons) t.headers.emplace_back("REASON");
  t.right_align = {false, false, false, true};
  // On a narrow terminal the name, kind, rule and reason give way; never the id or dates.
  t.shrink = {false, true, false, false, false, true, true, true};
  t.count = entries.size();
  t.threads = usable_cpus();
  t.make_cells = [&entries, reasons, overdue = std::string(), reason = std::string()](
                     std::size_t i, std::vector<Cell>& row) mutable {
    const DueEntry& e = entries[i];
    overdue = overdue_text(e.info.overdue);
    row.resize(reasons ? 8 : 7);
    row[0] = text_cell(e.contact->id);
    row[1] = text_cell(e.contact->name);
    row[2] = date_cell(*e.info.due_on);
    row[3] = text_cell(overdue);
    row[4] = e.info.last ? date_cell(*e.info.last) : text_cell("-");
    row[5] = text_cell(e.info.last_kind ? std::string_view(*e.info.last_kind) : std::string_view("-"));
    row[6] = text_cell(e.info.cadence.rule);
    if (reasons) {
      reason = reason_text(*e.contact, e.info);
      row[7] = text_cell(reason);
    }
  };
  t.tone = [&entries](std::size_t i) {
    const int overdue = entries[i].info.overdue;
    return overdue > 0 ? Tone::alert : overdue == 0 ? Tone::warn : Tone::dim;
  };
  return t;
}

void print_explained(const Context& ctx, const std::vector<DueEntry>& entries, Date today) {
  bool color = ctx.use_color();
  bool first = true;
  for (const auto& e : entries) {
    if (!first) *ctx.out << '\n';
    first = false;
    Tone tone = e.info.overdue > 0 ? Tone::alert : e.info.overdue == 0 ? Tone::warn : Tone::dim;
    std::string when = e.info.overdue > 0 ? overdue_text(e.info.overdue) + " overdue"
                                          : "due " + overdue_text(e.info.overdue);
    *ctx.out << paint(visible(fmt::format("{} ({}): {}", e.contact->name, e.contact->id, when)), tone, color) << '\n';
    std::string text = explain_due(*e.contact, e.info, today);
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t nl = text.find('\n', start);
      *ctx.out << "  " << visible(std::string_view(text).substr(start, nl - start)) << '\n';
      start = nl + 1;
    }
  }
}

void run_due(const DueOptions& o, Context& ctx) {
  Date today = ctx.today();
  Format format = parse_format(o.format);
  const DueQuery q = due_query(o.filters, ctx);

  // --explain quotes notes and lists the check-ins that did not count; note~
  // reads notes; json, jsonl and templates show the latest one.
  const RecordExtras extras = record_extras(format);
  const bool notes = o.explain || (q.where && q.where->reads_notes());
  Book book = ctx.store().load(notes ? LoadDetail::full
                               : extras.last_note_and_fields ? LoadDetail::summary_last_note
                                                             : LoadDetail::summary);
  RuleSet rules(book);
  std::vector<DueEntry> entries = due_list(book, rules, today, q);
  hint_if_empty(ctx, format, book);

  if (format.kind == FormatKind::table && o.explain) print_explained(ctx, entries, today);
  else print_records(ctx, format, due_records(entries, o.explain, today, extras), [&] { return due_table(entries); });

  // Only who is due today or before: upcoming ones are there to be seen.
  if (o.exit_code)
    for (const auto& e : entries)
      if (e.info.overdue >= 0) ctx.exit_status = ExitCode::someone_due;
  keep_until_exit(std::move(book));
  warn_conflict_copies(ctx);
}

} // namespace

void setup_due(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<DueOptions>();
  auto* cmd = app.add_subcommand("due", "Who is due for a check-in (cadence, plan, occasion or retry), most overdue first");
  add_due_filters(cmd, o->filters);
  cmd->add_option("-o,--format", o->format, "table, tsv, csv, json, jsonl or a template '{name}\\t{overdue}'");
  cmd->add_flag("--exit-code", o->exit_code, "Exit 1 if someone is due today or before (for cron)");
  cmd->add_flag("--explain", o->explain,
                "Say which rule applied, every driver (cadence, plans, occasions) with its date, and the retry");
  cmd->callback([o, &ctx] { run_due(*o, ctx); });
}

} // namespace followup::cli
