// followup show CONTACT: the whole card, the cadence and how the due date
// came about, and the last few check-ins.
#include <memory>

#include "card.hpp"
#include "commands.hpp"
#include "followup/book/json_io.hpp"
#include "followup/model/lookup.hpp"
#include "followup/output/records.hpp"
#include "followup/text/text.hpp"
#include "output.hpp"

namespace followup::cli {
namespace {

constexpr std::size_t kRecent = 5;

struct ShowOptions {
  std::string contact;
  std::string format = "table";
};

// The contact as stored, plus what followup computes from it.
Json computed_json(const Contact& c, const DueInfo& info, Status status) {
  Json j = contact_to_json(c);
  auto date_or_null = [](const std::optional<Date>& d) { return d ? Json(to_iso(*d)) : Json(nullptr); };
  j["rule"] = std::string(info.cadence.rule);
  j["cadence"] = info.cadence.every->text;
  j["counted_kinds"] = info.cadence.counts ? Json(*info.cadence.counts) : Json(nullptr);
  j["last"] = date_or_null(info.last);
  j["last_kind"] = info.last_kind ? Json(*info.last_kind) : Json(nullptr);
  j["due"] = date_or_null(info.due_on);
  j["overdue"] = info.due_on ? Json(info.overdue) : Json(nullptr);
  j["status"] = to_string(status);
  j["reason"] = to_string(info.reason);
  j["about"] = info.about(c);
  return j;
}

void print_show_table(const Context& ctx, const Contact& c, const DueInfo& info, Date today) {
  std::ostream& out = *ctx.out;
  print_card(out, c, info, today, ctx.use_color());
  out << "\nwhy:\n";
  std::string text = explain_due(c, info, today);
  for (std::size_t start = 0; start < text.size();) {
    std::size_t nl = text.find('\n', start);
    out << "  " << visible(text.substr(start, nl - start)) << '\n';
    start = nl + 1;
  }
  if (c.interactions.empty()) {
    out << "\nNo check-ins yet.\n";
    return;
  }
  out << "\nlast check-ins (" << c.interactions.size() << " in all):\n";
  std::vector<const Interaction*> recent;
  for (std::size_t n = 0; n < kRecent && n < c.interactions.size(); ++n)
    recent.push_back(&c.interactions[c.interactions.size() - 1 - n]);
  write_table(out, check_in_table(recent), ctx.use_color());
}

void run_show(const ShowOptions& o, Context& ctx) {
  Date today = ctx.today();
  Format format = parse_format(o.format);
  Book book = ctx.store().load();
  const Contact& c = book.contacts[find_contact(book, o.contact)];
  RuleSet rules(book);
  DueInfo info = compute_due(c, rules.cadence_for(c), today);
  Status status = status_of(c, info, today);

  if (format.kind == FormatKind::json) {
    *ctx.out << json_text(computed_json(c, info, status)) << '\n'; // unknown numbers as written
  } else if (format.kind == FormatKind::table) {
    print_show_table(ctx, c, info, today);
  } else {
    // Other machine formats: the contact's `list` record.
    print_records(ctx, format, list_records({ListEntry{&c, info, status}}));
  }
}

} // namespace

void setup_show(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ShowOptions>();
  auto* cmd = app.add_subcommand("show", "A contact's full card, cadence, next due date and why");
  cmd->add_option("CONTACT", o->contact, "Id, or a unique prefix of the name or of a word in it")->required();
  cmd->add_option("-o,--format", o->format,
                  "table; json (the stored contact plus computed keys); tsv, csv, jsonl or a template (the list record)");
  cmd->callback([o, &ctx] { run_show(*o, ctx); });
}

} // namespace followup::cli
