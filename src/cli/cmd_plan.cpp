// followup plan / unplan: a date to call on (SPEC §7), for a reason of its
// own ("after the wedding"), whatever the cadence says.
#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "followup/model/error.hpp"
#include "followup/output/format.hpp"
#include "followup/model/lookup.hpp"
#include "validate.hpp"

namespace followup::cli {
namespace {

struct PlanOptions {
  std::vector<std::string> words; // CONTACT... DATE
  std::optional<std::string> note;
};

std::string plan_text(const CallPlan& p) {
  return to_iso(p.date) + (p.note ? fmt::format(" ({})", *p.note) : std::string());
}

void run_plan(const PlanOptions& o, Context& ctx) {
  if (o.words.size() < 2) throw_usage("say who and when: plan CONTACT... DATE", "plan");
  const Date today = ctx.today();
  const std::string& when = o.words.back();
  CallPlan plan;
  plan.date = parse_future_phrase(when, today, today, "DATE");
  if (plan.date <= today)
    throw_usage(fmt::format("{} is not after today ({}): a plan is for a day to come", to_iso(plan.date), to_iso(today)),
                "DATE", "to call today, it is enough to call; `followup log` records it");
  if (o.note) {
    check_text(*o.note, "--note");
    plan.note = *o.note;
  }
  const std::vector<std::string> names(o.words.begin(), o.words.end() - 1);
  std::vector<std::string> lines;
  ctx.store().update([&](Book& book) {
    std::vector<std::size_t> targets;
    for (const auto& q : names) {
      std::size_t i = find_contact(book, q);
      if (std::find(targets.begin(), targets.end(), i) == targets.end()) targets.push_back(i);
    }
    for (std::size_t i : targets) {
      Contact& c = book.contacts[i];
      // One plan a day: a second one on the same day changes its note.
      auto same = std::find_if(c.plans.begin(), c.plans.end(), [&](const CallPlan& p) { return p.date == plan.date; });
      if (same == c.plans.end()) c.plans.push_back(plan);
      else if (plan.note) same->note = plan.note;
      lines.push_back(fmt::format("Planned a call with {} ({}) on {}.", c.name, c.id, plan_text(plan)));
    }
    return true;
  });
  for (const auto& l : lines) *ctx.out << l << '\n';
}

struct UnplanOptions {
  std::string contact;
  std::optional<std::string> date;
};

void run_unplan(const UnplanOptions& o, Context& ctx) {
  const Date today = ctx.today();
  std::optional<Date> date;
  if (o.date) date = parse_future_phrase(*o.date, today, today, "DATE");
  std::string message;
  ctx.store().update([&](Book& book) {
    Contact& c = book.contacts[find_contact(book, o.contact)];
    if (c.plans.empty()) {
      message = fmt::format("{} ({}) has no plans.", c.name, c.id);
      return false;
    }
    std::vector<std::string> removed;
    auto chosen = [&](const CallPlan& p) { return !date || p.date == *date; };
    for (const auto& p : c.plans)
      if (chosen(p)) removed.push_back(plan_text(p));
    if (removed.empty()) {
      std::vector<std::string> have;
      for (const auto& p : c.plans) have.push_back(to_iso(p.date));
      throw_usage(fmt::format("{} has no plan on {}", c.id, to_iso(*date)), "DATE",
                  fmt::format("its plans: {}", join(have, ", ")));
    }
    std::erase_if(c.plans, chosen);
    message = fmt::format("Removed the plan{} with {} ({}) on {}.", removed.size() > 1 ? "s" : "", c.name, c.id,
                          join(removed, ", "));
    return true;
  });
  *ctx.out << message << '\n';
}

} // namespace

void setup_plan(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<PlanOptions>();
  auto* cmd = app.add_subcommand("plan", "Plan a call on a date: due lists the contact then, whatever the cadence");
  cmd->add_option("CONTACT... DATE", o->words,
                  "Who (ids or name prefixes), then when: YYYY-MM-DD, tomorrow, friday, \"in 2w\", \"in 3 days\", "
                  "\"in 1 month\" or 2w")
      ->required();
  cmd->add_option("-n,--note", o->note, "What the call is about: after the wedding");
  cmd->callback([o, &ctx] { run_plan(*o, ctx); });

  auto u = std::make_shared<UnplanOptions>();
  auto* un = app.add_subcommand("unplan", "Remove a contact's plan on DATE, or all its plans");
  un->add_option("CONTACT", u->contact, "Id, or a unique prefix of the name or of a word in it")->required();
  un->add_option("DATE", u->date, "The plan's date (default: every plan)");
  un->callback([u, &ctx] { run_unplan(*u, ctx); });
}

} // namespace followup::cli
