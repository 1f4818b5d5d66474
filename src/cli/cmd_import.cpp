// followup import FILE: contacts from a vCard or CSV export, in one write.
#include <algorithm>
#include <memory>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "book_files.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "followup/exchange/charset.hpp"
#include "followup/model/error.hpp"
#include "followup/exchange/import.hpp"
#include "followup/text/text.hpp"
#include "validate.hpp"

namespace followup::cli {
namespace {

struct ImportOptions {
  std::string file;
  std::optional<std::string> from, spread, charset, date_format;
  std::vector<std::string> maps, tags;
  std::string kind = "visit";
  std::string on_conflict = "update";
  bool skip_bad = false;
  bool dry_run = false;
  bool spread_backlog = false;
};

// The whole file, or stdin for "-". Errors are I/O errors (exit 74).
std::string read_input(const std::string& file) {
  return file == "-" ? read_to_end(STDIN_FILENO, file) : read_whole_file(file);
}

ImportFormat choose_format(const ImportOptions& o, std::string_view data) {
  if (o.from) return *o.from == "vcard" ? ImportFormat::vcard : ImportFormat::csv;
  if (o.file != "-")
    if (auto f = format_from_name(o.file)) return *f;
  return sniff_format(data);
}

// --spread D as a number of days (at least 1) from today.
std::optional<int> spread_days(const std::optional<std::string>& text, Date today) {
  if (!text) return std::nullopt;
  Duration d = parse_duration_option(*text, "--spread", false);
  int days = days_between(today, add(today, d));
  if (days < 1) throw_usage("the spread must be at least one day", "--spread", "for example --spread 30d");
  return days;
}

// Without --skip-bad, one bad record stops the import: all are listed, the
// last one as the error (exit 65), nothing written.
void refuse_bad(const ParseResult& parsed, const std::string& source) {
  const auto& bad = parsed.bad;
  for (std::size_t i = 0; i + 1 < bad.size(); ++i)
    fmt::print(stderr, "followup: {} ({}:{})\n", one_line(bad[i].what), one_line(source), bad[i].line);
  const std::size_t kept = static_cast<std::size_t>(
      std::count_if(bad.begin(), bad.end(), [](const BadRecord& b) { return b.kept; }));
  const std::size_t good = parsed.records.size() - kept;
  throw_data(bad.back().what, fmt::format("{}:{}", source, bad.back().line),
             good == 0 ? "nothing was imported; the file has no good record"
                       : fmt::format("nothing was imported; fix the file, or --skip-bad imports the other {} contact{}",
                                     good, good == 1 ? "" : "s"));
}

std::string outcome_line(const MergeOutcome& x) {
  std::string line = fmt::format("{} {} ({})", to_string(x.action), x.id, x.name);
  if (x.action == MergeAction::update) line += ": " + fmt::format("{}", fmt::join(x.changes, "; "));
  if (x.action == MergeAction::skip) line += fmt::format(": already in the book (same {})", x.matched_by);
  return line;
}

std::string unchanged_part(const MergeReport& r) {
  std::size_t n = r.count(MergeAction::unchanged);
  return n ? fmt::format(", {} unchanged", n) : "";
}

void run_import(const ImportOptions& o, Context& ctx) {
  Date today = ctx.today();
  check_word(o.kind, "--kind");
  MergeOptions merge{today, o.kind, o.on_conflict == "skip", spread_days(o.spread, today), o.spread_backlog};
  if (o.spread_backlog && !o.spread) throw_usage("--spread-backlog goes with --spread D", "--spread-backlog");
  if (o.charset) check_charset(*o.charset);
  std::vector<ColumnMap> maps;
  for (const auto& m : o.maps) maps.push_back(parse_column_map(m));
  for (const auto& t : o.tags) check_word(t, "--tag");

  const std::string source = o.file == "-" ? "stdin" : o.file;
  std::string data = read_input(o.file);
  ImportFormat format = choose_format(o, data);
  if (format == ImportFormat::vcard && !maps.empty())
    throw_usage("--map applies to CSV files only", "--map", "vCard properties are mapped by themselves");
  ReadOptions read{o.charset, today};
  if (o.date_format) read.date_order = *o.date_format == "ymd" ? DateOrder::ymd : *o.date_format == "dmy" ? DateOrder::dmy : DateOrder::mdy;
  if (o.date_format && format == ImportFormat::vcard)
    throw_usage("--date-format applies to CSV files only", "--date-format", "vCard dates are ISO 8601");
  ParseResult parsed = format == ImportFormat::vcard ? parse_vcards(data, source, read) : parse_csv(data, source, maps, read);
  if (!parsed.bad.empty() && !o.skip_bad) refuse_bad(parsed, source);
  // --tag: on every contact of the file, new or already in the book (the
  // merge adds tags), so a re-import still falls under the tag's rule.
  for (ImportRecord& r : parsed.records)
    for (const auto& t : o.tags)
      if (std::none_of(r.tags.begin(), r.tags.end(), [&](const std::string& x) { return iequals(x, t); }))
        r.tags.push_back(t);

  Store store = ctx.store();
  MergeReport report;
  if (o.dry_run) {
    Book book = store.load();
    report = merge_records(book, parsed.records, merge);
  } else {
    store.update([&](Book& book) {
      report = merge_records(book, parsed.records, merge);
      return report.count(MergeAction::add) + report.count(MergeAction::update) > 0;
    });
  }
  for (const auto& b : parsed.bad)
    fmt::print(stderr, "followup: {}: {} ({}:{})\n", b.kept ? "imported without its check-in" : "skipped a bad record",
               one_line(b.what), one_line(source), b.line);
  std::size_t added = report.count(MergeAction::add), updated = report.count(MergeAction::update),
              skipped = report.count(MergeAction::skip);
  if (o.dry_run) {
    if (!parsed.columns.empty()) {
      *ctx.out << "Columns:\n";
      for (const auto& line : parsed.columns) *ctx.out << "  " << one_line(line) << '\n';
    }
    for (const auto& x : report.outcomes) *ctx.out << outcome_line(x) << '\n';
    *ctx.out << fmt::format("Dry run: would add {}, update {}, skip {}{}; nothing written.\n", added, updated, skipped,
                            unchanged_part(report));
    return;
  }
  std::size_t total = report.outcomes.size();
  *ctx.out << fmt::format("Imported {} contact{}: {} added, {} updated, {} skipped{}.\n", total, total == 1 ? "" : "s",
                          added, updated, skipped, unchanged_part(report));
}

} // namespace

void setup_import(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ImportOptions>();
  auto* cmd = app.add_subcommand("import", "Bring contacts in from a vCard (.vcf) or CSV export");
  cmd->add_option("FILE", o->file, "The file to read (- for stdin)")->required();
  cmd->add_option("--from", o->from, "vcard or csv (default: from the extension, else from the content)")
      ->check(CLI::IsMember({"vcard", "csv"}));
  cmd->add_option("--map", o->maps,
                  "CSV: FIELD=COLUMN, FIELD being name, id, tags, notes, last, every or a field name (repeatable)")
      ->allow_extra_args(false); // one value each, so FILE may follow
  cmd->add_option("-t,--tag", o->tags, "Tag every contact of the file with this (repeatable), new or already there")
      ->allow_extra_args(false);
  cmd->add_option("-k,--kind", o->kind, "The kind of the check-ins that `last` columns record (default: visit)");
  cmd->add_option("--on-conflict", o->on_conflict,
                  "For contacts already in the book: update (fill fields, add tags and check-ins) or skip")
      ->check(CLI::IsMember({"update", "skip"}));
  cmd->add_option("--spread", o->spread,
                  "Stagger new contacts without a check-in so they fall due over D (30d): a first-call plan each");
  cmd->add_flag("--spread-backlog", o->spread_backlog,
                "With --spread: stagger the new contacts already overdue too (snoozed to their day)");
  cmd->add_option("--date-format", o->date_format,
                  "CSV: the order of the date parts, ymd, dmy or mdy (2026-06-28, 28.06.26, 6/28/2026); "
                  "default: ISO, D.M.YYYY, and M/D/YYYY or D/M/YYYY where only one reading is a date")
      ->transform(CLI::IsMember({"ymd", "dmy", "mdy"}, CLI::ignore_case));
  cmd->add_option("--charset", o->charset, "The file's charset when it names none and is not UTF-8 (default: windows-1252)");
  cmd->add_flag("--skip-bad", o->skip_bad, "Import the good records and report the bad ones, instead of refusing");
  cmd->add_flag("-n,--dry-run", o->dry_run, "Print what would happen; write nothing");
  cmd->callback([o, &ctx] { run_import(*o, ctx); });
}

} // namespace followup::cli
