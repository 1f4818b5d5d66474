// followup log CONTACT...: record a check-in with each contact, in one write.
#include <algorithm>
#include <iterator>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "followup/rules/cadence.hpp"
#include "followup/rules/due.hpp"
#include "followup/model/error.hpp"
#include "followup/output/format.hpp"
#include "followup/model/lookup.hpp"
#include "followup/text/text.hpp"
#include "validate.hpp"

namespace followup::cli {
namespace {

// "a call", "an email", "a user group": by the first letters, as English
// mostly goes (a kind is free text).
std::string_view article(std::string_view kind) {
  const std::string k = lower(kind.substr(0, 3));
  if (k.empty() || std::string_view("aeiou").find(k[0]) == std::string_view::npos) return "a";
  for (std::string_view you : {"uni", "use", "usu", "uti", "eu", "one"})
    if (k.starts_with(you)) return "a";
  return "an";
}

struct LogOptions {
  std::vector<std::string> contacts;
  std::string kind = "call";
  std::optional<std::string> note, date, by, next, next_note;
};


bool among(const auto& kinds, std::string_view kind) {
  return std::any_of(std::begin(kinds), std::end(kinds), [&](std::string_view k) { return iequals(k, kind); });
}

// The kinds a book knows: the usual ones and every one it holds.
std::vector<std::string> known_kinds(const Book& book) {
  std::vector<std::string> kinds(kUsualKinds.begin(), kUsualKinds.end());
  for (const Contact& c : book.contacts)
    for (const Interaction& it : c.interactions)
      if (it.kind && !among(kinds, *it.kind)) kinds.push_back(*it.kind);
  return kinds;
}

// A kind that will not do what the caller likely means (issue 16): one the
// contact's rule does not count (it will not reset the clock), or, where
// every kind counts, a kind the book has never seen that is near a known
// one (a typo). Each a `followup:` line and a hint, for stderr; the check-in
// is logged all the same.
std::vector<std::string> kind_warnings(const Book& book, const RuleSet& rules, const std::vector<std::size_t>& targets,
                                       const std::string& kind) {
  std::vector<std::string> out;
  // The book's own kinds only when the kind is not a usual one: every `log`
  // of a large book would otherwise go through all its check-ins for nothing.
  const bool usual = among(kUsualKinds, kind);
  bool typo_checked = false; // once for all the targets
  for (std::size_t i : targets) {
    const Contact& c = book.contacts[i];
    const Cadence cad = rules.cadence_for(c);
    if (cad.is_attempt(kind)) continue;
    if (!cad.counts_kind(kind)) {
      out.push_back(fmt::format("followup: a {} check-in does not reset the clock of {} ({}): {} counts {} only",
                                visible(kind), visible(c.name), c.id, cad.rule == "own" ? "their own cadence" : "rule " + std::string(cad.rule),
                                join(*cad.counts, ", ")));
      if (auto near = nearest_word(kind, *cad.counts)) out.push_back(fmt::format("hint: did you mean '{}'?", *near));
    } else if (!usual && !typo_checked) {
      typo_checked = true;
      const std::vector<std::string> known = known_kinds(book);
      if (among(known, kind)) continue; // the book's own kind
      if (auto near = nearest_word(kind, known)) {
        out.push_back(fmt::format("followup: '{}' is a kind this book has not seen before", visible(kind)));
        out.push_back(fmt::format("hint: did you mean '{}'?", *near));
      }
    }
  }
  return out;
}

// Adds the check-in to each target; a reaching one removes the plans it
// fulfils (dated on or before it); `next` adds a plan. Says what it did, and
// warns of a kind that does not count.
void apply_log(Book& book, const std::vector<std::size_t>& targets, const Interaction& it, const std::optional<CallPlan>& next,
               Date today, std::vector<std::string>& lines, std::vector<std::string>& warnings) {
  RuleSet rules(book);
  warnings = kind_warnings(book, rules, targets, *it.kind);
  for (std::size_t i : targets) {
    Contact& c = book.contacts[i];
    c.insert_interaction(it);
    std::vector<std::string> done;
    if (rules.cadence_for(c).reaches(it.kind)) {
      auto fulfilled = [&](const CallPlan& p) { return p.date <= it.date; };
      for (const CallPlan& p : c.plans)
        if (fulfilled(p)) done.push_back(to_iso(p.date) + (p.note ? " (" + *p.note + ")" : std::string()));
      std::erase_if(c.plans, fulfilled);
    }
    if (next) c.plans.push_back(*next);
    // The cadence may change with the new check-in (`kind:`): asked again.
    DueInfo info = compute_due(c, rules.cadence_for(c), today);
    std::string when = info.due_on ? fmt::format("next due {}", to_iso(*info.due_on)) : "never due";
    if (info.due_on && info.reason != Reason::cadence) when += fmt::format(" ({})", to_string(info.reason));
    lines.push_back(fmt::format("Logged {} {} with {} ({}) on {}; {}.", article(*it.kind), visible(*it.kind),
                                visible(c.name), c.id, to_iso(it.date), when));
    if (!done.empty()) lines.push_back(fmt::format("  Done: the plan{} for {}.", done.size() > 1 ? "s" : "", join(done, ", ")));
    if (next) lines.push_back(fmt::format("  Planned: {}{}.", to_iso(next->date), next->note ? " (" + *next->note + ")" : ""));
  }
}

// Every contact named, once each, in the order given; throws on an unknown one.
std::vector<std::size_t> resolve(const Book& book, const std::vector<std::string>& names) {
  std::vector<std::size_t> targets;
  for (const auto& q : names) {
    std::size_t i = find_contact(book, q);
    if (std::find(targets.begin(), targets.end(), i) == targets.end()) targets.push_back(i);
  }
  return targets;
}

void run_log(const LogOptions& o, Context& ctx) {
  Date today = ctx.today();
  Interaction it;
  it.date = o.date ? past_date(*o.date, today, "--date") : today;
  // `--kind "no answer"` means the attempt kind no-answer.
  std::string kind = o.kind;
  if (iequals(kind, "no answer") || iequals(kind, "no_answer") || iequals(kind, "noanswer")) kind = "no-answer";
  if (iequals(kind, "voice mail") || iequals(kind, "voice-mail")) kind = "voicemail";
  check_word(kind, "--kind");
  it.kind = kind;
  if (o.note) {
    check_text(*o.note, "--note");
    it.note = *o.note;
  }
  it.by = o.by ? o.by : ctx.user();
  if (it.by) check_name(*it.by, "--by");

  std::optional<CallPlan> next;
  if (o.next_note && !o.next) throw_usage("--next-note needs --next DATE", "--next-note");
  if (o.next) {
    CallPlan p;
    p.date = parse_future_phrase(*o.next, it.date, today, "--next");
    if (p.date <= it.date)
      throw_usage(fmt::format("{} is not after the check-in's date ({})", to_iso(p.date), to_iso(it.date)), "--next");
    if (o.next_note) {
      check_text(*o.next_note, "--next-note");
      p.note = *o.next_note;
    }
    next = std::move(p);
  }

  std::vector<std::string> lines, warnings;
  // The usual log: a summary of the book is enough (names to resolve, due
  // dates to print), and the new check-ins are spliced into the text. A plan
  // to add or to fulfil needs the whole contact: then the book is rewritten.
  bool whole = next.has_value();
  if (!whole)
    ctx.store().add_interaction(it, [&](Book& book) {
      // Resolve every name before changing anything: one unknown name, no write.
      std::vector<std::size_t> targets = resolve(book, o.contacts);
      RuleSet rules(book);
      for (std::size_t i : targets) {
        const Contact& c = book.contacts[i];
        if (rules.cadence_for(c).reaches(it.kind) &&
            std::any_of(c.plans.begin(), c.plans.end(), [&](const CallPlan& p) { return p.date <= it.date; }))
          whole = true;
      }
      if (whole) return std::vector<std::size_t>{};
      apply_log(book, targets, it, next, today, lines, warnings);
      return targets;
    });
  if (whole)
    ctx.store().update([&](Book& book) {
      apply_log(book, resolve(book, o.contacts), it, next, today, lines, warnings);
      return true;
    });
  for (const auto& l : lines) *ctx.out << l << '\n';
  for (const auto& w : warnings) *ctx.err << w << '\n';
}

} // namespace

void setup_log(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<LogOptions>();
  auto* cmd = app.add_subcommand("log", "Record a check-in with one or more contacts (a reaching one fulfils their plans)");
  cmd->add_option("CONTACT", o->contacts, "Id, or a unique prefix of the name or of a word in it")->required();
  cmd->add_option("-k,--kind", o->kind, "call, visit, meeting, email, message... (default: call)");
  cmd->add_option("-n,--note", o->note, "What was said: the wedding, the new hobby...");
  cmd->add_option("-d,--date", o->date, "When (default today): YYYY-MM-DD, yesterday, \"3 days ago\", friday");
  cmd->add_option("--by", o->by, "Who checked in (default: $FOLLOWUP_USER)");
  cmd->add_option("--next", o->next,
                  "Also plan the next call, in the same write: a date, friday, \"in 2w\", or 2w from the check-in");
  cmd->add_option("--next-note", o->next_note, "What the next call is about (with --next)");
  cmd->callback([o, &ctx] { run_log(*o, ctx); });
}

} // namespace followup::cli
