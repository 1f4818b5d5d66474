// followup snooze / unsnooze: postpone a contact's due date, or undo that.
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "followup/rules/due.hpp"
#include "followup/model/error.hpp"
#include "followup/model/lookup.hpp"

namespace followup::cli {
namespace {

struct SnoozeOptions {
  std::string contact;
  std::optional<std::string> until, for_;
};

void run_snooze(const SnoozeOptions& o, Context& ctx) {
  Date today = ctx.today();
  Date until = o.until ? parse_date_phrase(*o.until, today, When::future, "--until")
                       : add(today, parse_duration_option(*o.for_, "--for", false));
  require_storable(until, o.until ? "--until" : "--for");
  if (until <= today)
    throw_usage(fmt::format("{} is not after today ({})", to_iso(until), to_iso(today)), o.until ? "--until" : "--for");
  std::string message, warning;
  ctx.store().update([&](Book& book) {
    Contact& c = book.contacts[find_contact(book, o.contact)];
    // Snooze moves the cadence only. Until a date the contact is not due
    // before anyway, or while a plan or occasion comes first, it changes
    // nothing the user will see: say so, and say what would.
    RuleSet rules(book);
    const Cadence cad = rules.cadence_for(c);
    Contact plain = c;
    plain.snoozed_until.reset();
    const DueInfo before = compute_due(plain, cad, today);
    c.snoozed_until = until;
    const DueInfo after = compute_due(c, cad, today);
    message = fmt::format("Snoozed {} ({}) until {}.", c.name, c.id, to_iso(until));
    if (!before.cadence_on || *before.cadence_on >= until)
      warning = fmt::format("followup: snoozing {} until {} postpones nothing: {} ({})", c.id, to_iso(until),
                            before.cadence_on ? "it is not due before " + to_iso(*before.cadence_on) : "it is never due",
                            "snooze");
    else if (after.due_on && *after.due_on < until)
      warning = fmt::format("followup: {} is still due on {} for its {}: snooze moves the cadence only ({})", c.id,
                            to_iso(*after.due_on), to_string(after.reason), "snooze");
    if (!warning.empty())
      warning += fmt::format("\nhint: to be reminded on {1}, use `followup plan {0} {1}`", c.id, to_iso(until));
    return true;
  });
  *ctx.out << message << '\n';
  if (!warning.empty()) fmt::print(stderr, "{}\n", warning);
}

void run_unsnooze(const std::string& contact, Context& ctx) {
  std::string message;
  ctx.store().update([&](Book& book) {
    Contact& c = book.contacts[find_contact(book, contact)];
    if (!c.snoozed_until) {
      message = fmt::format("{} ({}) was not snoozed.", c.name, c.id);
      return false;
    }
    c.snoozed_until.reset();
    message = fmt::format("Unsnoozed {} ({}).", c.name, c.id);
    return true;
  });
  *ctx.out << message << '\n';
}

} // namespace

void setup_snooze(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<SnoozeOptions>();
  auto* cmd = app.add_subcommand("snooze", "Postpone a contact until a date");
  cmd->add_option("CONTACT", o->contact, "Id, or a unique prefix of the name or of a word in it")->required();
  auto* until = cmd->add_option("-u,--until", o->until, "Until this date: YYYY-MM-DD, tomorrow, friday");
  auto* for_ = cmd->add_option("--for", o->for_, "For this long: 3d, 2w, 1m");
  until->excludes(for_);
  cmd->callback([o, &ctx, cmd] {
    if (!o->until && !o->for_) throw_usage("say how long: --until DATE or --for DURATION", "snooze");
    run_snooze(*o, ctx);
  });

  auto contact = std::make_shared<std::string>();
  auto* un = app.add_subcommand("unsnooze", "Undo a snooze");
  un->add_option("CONTACT", *contact, "Id, or a unique prefix of the name or of a word in it")->required();
  un->callback([contact, &ctx] { run_unsnooze(*contact, ctx); });
}

} // namespace followup::cli
