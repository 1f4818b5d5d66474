// followup rules: list (with how many contacts each governs), test, add, rm.
#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "followup/rules/cadence.hpp"
#include "followup/model/error.hpp"
#include "followup/rules/expr.hpp"
#include "output.hpp"
#include "validate.hpp"

namespace followup::cli {
namespace {

struct RulesOptions {
  std::string format = "table";
};

struct RulesAddOptions {
  std::string name, match, every;
  std::optional<std::string> counts, warn, before, attempts, retry;
};

// How many contacts each rule governs (index = rule; own and default last).
std::vector<std::size_t> governed(const Book& book, const RuleSet& rules, std::size_t& own, std::size_t& fallback) {
  std::vector<std::size_t> n(book.rules.size(), 0);
  own = fallback = 0;
  for (const Contact& c : book.contacts) {
    Cadence cad = rules.cadence_for(c);
    if (cad.rule_index >= 0) ++n[static_cast<std::size_t>(cad.rule_index)];
    else if (cad.rule == "own") ++own;
    else ++fallback;
  }
  return n;
}

void run_rules_list(const RulesOptions& o, Context& ctx) {
  Format format = parse_format(o.format);
  Book book = ctx.store().load();
  RuleSet rules(book);
  // An empty (or missing) book: nothing to show, as every read-only command.
  if (format.kind == FormatKind::table && book.rules.empty() && book.contacts.empty()) return;
  std::size_t own = 0, fallback = 0;
  std::vector<std::size_t> counts = governed(book, rules, own, fallback);

  // Attempts and retry as they apply (SPEC §7): unset, the default kinds
  // and 3d; `[]` turns attempts off.
  auto attempts_of = [](const Rule& rule) { return rule.attempts ? *rule.attempts : kDefaultAttempts; };
  auto retry_of = [](const Rule& rule) { return rule.retry ? rule.retry->text : std::string(kDefaultRetry); };
  Records r;
  r.fields = {"name", "match", "every", "counts", "warn", "contacts", "attempts", "retry"};
  r.types = {ValueType::text, ValueType::text,    ValueType::text, ValueType::list,
             ValueType::text, ValueType::integer, ValueType::list, ValueType::text};
  for (std::size_t i = 0; i < book.rules.size(); ++i) {
    const Rule& rule = book.rules[i];
    r.rows.push_back({rule.name, rule.match, rule.every.text, rule.counts ? Value(*rule.counts) : Value(),
                      rule.warn ? Value(rule.warn->text) : Value(), static_cast<std::int64_t>(counts[i]),
                      attempts_of(rule), retry_of(rule)});
  }
  print_records(ctx, format, r, [&] {
    TextTable t;
    t.headers = {"NAME", "MATCH", "EVERY", "COUNTS", "WARN", "ATTEMPTS", "RETRY", "CONTACTS"};
    t.right_align = {false, false, false, false, false, false, false, true};
    t.shrink = {true, true, false, true, false, true, false, false};
    const std::string default_attempts = join(kDefaultAttempts, ",");
    for (std::size_t i = 0; i < book.rules.size(); ++i) {
      const Rule& rule = book.rules[i];
      const std::vector<std::string> attempts = attempts_of(rule);
      t.rows.push_back({rule.name, rule.match, rule.every.text, rule.counts ? join(*rule.counts, ",") : "all",
                        rule.warn ? rule.warn->text : "-", attempts.empty() ? "none" : join(attempts, ","),
                        retry_of(rule), std::to_string(counts[i])});
    }
    t.rows.push_back({"(own)", "contacts with their own every", "-", "-", "-", default_attempts, kDefaultRetry,
                      std::to_string(own)});
    t.rows.push_back(
        {"(default)", "no rule matches", "30d", "all", "-", default_attempts, kDefaultRetry, std::to_string(fallback)});
    t.tones = std::vector<Tone>(book.rules.size(), Tone::plain);
    t.tones.push_back(Tone::dim);
    t.tones.push_back(Tone::dim);
    return t;
  });
}

void run_rules_test(const std::string& text, const std::string& format_text, Context& ctx) {
  Format format = parse_format(format_text);
  Expr e = parse_expr_option(text, "EXPR");
  Book book = ctx.store().load();
  RuleSet rules(book);
  Records r;
  r.fields = {"id", "name", "rule", "why"};
  r.types = {ValueType::text, ValueType::text, ValueType::text, ValueType::text};
  for (const Contact& c : book.contacts)
    if (e.matches(c)) r.rows.push_back({c.id, c.name, std::string(rules.cadence_for(c).rule), e.explain(c)});
  print_records(ctx, format, r, [&] {
    TextTable t;
    t.headers = {"ID", "NAME", "RULE NOW", "WHY"};
    t.shrink = {false, true, true, true};
    for (const auto& row : r.rows)
      t.rows.push_back({std::get<std::string>(row[0]), std::get<std::string>(row[1]), std::get<std::string>(row[2]),
                        std::get<std::string>(row[3])});
    return t;
  });
  if (format.kind == FormatKind::table && !book.contacts.empty())
    *ctx.out << fmt::format("{} of {} contacts match {}\n", r.rows.size(), book.contacts.size(), e.to_string());
}

void run_rules_add(const RulesAddOptions& o, Context& ctx) {
  check_word(o.name, "NAME");
  Rule rule;
  rule.name = o.name;
  parse_expr_option(o.match, "--match");
  rule.match = o.match;
  rule.every = parse_duration_option(o.every, "--every");
  if (o.counts) rule.counts = parse_kinds(*o.counts, "--counts");
  if (o.warn) rule.warn = parse_duration_option(*o.warn, "--warn", false);
  // '' turns attempts off: every kind that counts then reaches them.
  if (o.attempts) rule.attempts = o.attempts->empty() ? std::vector<std::string>() : parse_kinds(*o.attempts, "--attempts");
  if (o.retry) rule.retry = parse_duration_option(*o.retry, "--retry", false);
  std::string message;
  ctx.store().update([&](Book& book) {
    if (book.find_rule(rule.name)) throw_usage(fmt::format("a rule named \"{}\" exists", rule.name), "NAME");
    auto pos = book.rules.end();
    if (o.before) {
      pos = std::find_if(book.rules.begin(), book.rules.end(), [&](const Rule& r) { return r.name == *o.before; });
      if (pos == book.rules.end()) throw_usage(fmt::format("no rule named \"{}\"", *o.before), "--before");
    }
    auto at = book.rules.insert(pos, rule);
    message = fmt::format("Added rule {} (position {} of {}).", rule.name, at - book.rules.begin() + 1, book.rules.size());
    return true;
  });
  *ctx.out << message << '\n';
}

void run_rules_rm(const std::string& name, Context& ctx) {
  ctx.store().update([&](Book& book) {
    auto pos = std::find_if(book.rules.begin(), book.rules.end(), [&](const Rule& r) { return r.name == name; });
    if (pos == book.rules.end()) throw_usage(fmt::format("no rule named \"{}\"", name), "NAME");
    book.rules.erase(pos);
    return true;
  });
  *ctx.out << "Removed rule " << name << ".\n";
}

} // namespace

void setup_rules(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<RulesOptions>();
  auto* cmd = app.add_subcommand("rules", "List the rules with how many contacts each governs; test, add, remove");
  cmd->add_option("-o,--format", o->format, "table, tsv, csv, json, jsonl or a template '{name} {contacts}'");
  cmd->require_subcommand(0, 1);
  cmd->callback([o, cmd, &ctx] {
    if (cmd->get_subcommands().empty()) run_rules_list(*o, ctx);
  });

  auto expr = std::make_shared<std::string>();
  auto test_format = std::make_shared<std::string>("table");
  auto* test = cmd->add_subcommand("test", "Which contacts an expression matches, and why");
  test->add_option("EXPR", *expr, "An expression: tag:client and not kind:visit")->required();
  test->add_option("-o,--format", *test_format, "table, tsv, csv, json, jsonl or a template");
  test->callback([expr, test_format, &ctx] { run_rules_test(*expr, *test_format, ctx); });

  auto a = std::make_shared<RulesAddOptions>();
  auto* add = cmd->add_subcommand("add", "Add a rule (last, or before another)");
  add->add_option("NAME", a->name, "The rule's name")->required();
  add->add_option("-m,--match", a->match, "Which contacts: tag:client and not tag:vip")->required();
  add->add_option("-e,--every", a->every, "The cadence: 2w, 3m, never")->required();
  add->add_option("-c,--counts", a->counts, "Only these kinds reset the clock: call,visit,meeting");
  add->add_option("-w,--warn", a->warn, "List them this long before they fall due (due --within default)");
  add->add_option("--attempts", a->attempts,
                  "Kinds that mean \"tried, did not reach them\" (default voicemail,no-answer; '' for none)");
  add->add_option("--retry", a->retry, "After an attempt, come back this much later (default 3d)");
  add->add_option("--before", a->before, "Insert before this rule (rules are tried in order)");
  add->callback([a, &ctx] { run_rules_add(*a, ctx); });

  auto name = std::make_shared<std::string>();
  auto* rm = cmd->add_subcommand("rm", "Remove a rule");
  rm->add_option("NAME", *name, "The rule's name")->required();
  rm->callback([name, &ctx] { run_rules_rm(*name, ctx); });
}

} // namespace followup::cli
