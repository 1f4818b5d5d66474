// followup log CONTACT...: record a check-in with each contact, in one write.
#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "followup/due.hpp"
#include "followup/lookup.hpp"
#include "validate.hpp"

namespace followup::cli {
namespace {

struct LogOptions {
  std::vector<std::string> contacts;
  std::string kind = "call";
  std::optional<std::string> note, date, by;
};

void run_log(const LogOptions& o, Context& ctx) {
  Date today = ctx.today();
  Interaction it;
  it.date = o.date ? past_date(*o.date, today, "--date") : today;
  check_word(o.kind, "--kind");
  it.kind = o.kind;
  if (o.note) {
    check_text(*o.note, "--note");
    it.note = *o.note;
  }
  it.by = o.by ? o.by : ctx.user();
  if (it.by) check_name(*it.by, "--by");

  std::vector<std::string> lines;
  // A summary of the book is enough: names to resolve, due dates to print.
  ctx.store().add_interaction(it, [&](Book& book) {
    // Resolve every name before changing anything: one unknown name, no write.
    std::vector<std::size_t> targets;
    for (const auto& q : o.contacts) {
      std::size_t i = find_contact(book, q);
      if (std::find(targets.begin(), targets.end(), i) == targets.end()) targets.push_back(i);
    }
    RuleSet rules(book);
    for (std::size_t i : targets) {
      Contact& c = book.contacts[i];
      c.insert_interaction(it);
      DueInfo info = compute_due(c, rules.cadence_for(c), today);
      std::string next = info.due_on ? fmt::format("next due {}", to_iso(*info.due_on)) : "never due";
      lines.push_back(fmt::format("Logged a {} with {} ({}) on {}; {}.", *it.kind, c.name, c.id, to_iso(it.date), next));
    }
    return targets;
  });
  for (const auto& l : lines) *ctx.out << l << '\n';
}

} // namespace

void setup_log(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<LogOptions>();
  auto* cmd = app.add_subcommand("log", "Record a check-in with one or more contacts");
  cmd->add_option("CONTACT", o->contacts, "Id, or a unique prefix of the name or of a word in it")->required();
  cmd->add_option("-k,--kind", o->kind, "call, visit, meeting, email, message... (default: call)");
  cmd->add_option("-n,--note", o->note, "What was said: the wedding, the new hobby...");
  cmd->add_option("-d,--date", o->date, "When (default today): YYYY-MM-DD, yesterday, \"3 days ago\", friday");
  cmd->add_option("--by", o->by, "Who checked in (default: $FOLLOWUP_USER)");
  cmd->callback([o, &ctx] { run_log(*o, ctx); });
}

} // namespace followup::cli
