// followup export --to vcard|csv|json|ics: the book, or a calendar of who is
// due when, on stdout (the formats are written in core/export_*.cpp).
#include <chrono>
#include <memory>

#include "commands.hpp"
#include "followup/exchange/export.hpp"
#include "followup/book/json_io.hpp"

namespace followup::cli {
namespace {

struct ExportOptions {
  std::string to;
};

// DTSTAMP: with a pinned today (--today, $FOLLOWUP_TODAY) that day at
// 00:00:00Z, so the output is reproducible; otherwise the current UTC time.
std::string dtstamp(const Context& ctx, Date today) {
  bool pinned = ctx.today_option || (ctx.env.followup_today && !ctx.env.followup_today->empty());
  if (pinned) return ics_timestamp(today, 0);
  using namespace std::chrono;
  auto now = floor<seconds>(system_clock::now());
  auto day = floor<days>(now);
  return ics_timestamp(Date{static_cast<int>(day.time_since_epoch().count())},
                       static_cast<int>((now - day).count()));
}

void run_export(const ExportOptions& o, Context& ctx) {
  Book book = ctx.store().load();
  if (o.to == "json") {
    *ctx.out << serialize_book(book);
  } else if (o.to == "vcard") {
    *ctx.out << export_vcard(book);
  } else if (o.to == "csv") {
    *ctx.out << export_csv(book);
  } else {
    Date today = ctx.today();
    RuleSet rules(book);
    *ctx.out << export_ics(book, rules, IcsOptions{today, dtstamp(ctx, today), FOLLOWUP_VERSION});
  }
}

} // namespace

void setup_export(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = app.add_subcommand("export", "Write the book to stdout as vCard, CSV or JSON, or due dates as iCalendar");
  cmd->add_option("--to", o->to,
                  "vcard (address books), csv (spreadsheets), json (the book as stored), "
                  "ics (an all-day event per contact on its next due date)")
      ->required()
      ->check(CLI::IsMember({"vcard", "csv", "json", "ics"}));
  cmd->callback([o, &ctx] { run_export(*o, ctx); });
}

} // namespace followup::cli
