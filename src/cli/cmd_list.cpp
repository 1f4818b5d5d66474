// followup list: every contact with its status; and followup search TEXT,
// the contacts whose name, notes, fields or check-in notes hold TEXT, listed
// the same way (SPEC §3).
#include <algorithm>
#include <memory>

#include "commands.hpp"
#include "followup/model/error.hpp"
#include "followup/model/lookup.hpp"
#include "followup/output/records.hpp"
#include "followup/text/text.hpp"
#include "output.hpp"
#include "filters.hpp"
#include "validate.hpp"

namespace followup::cli {
namespace {

struct ListOptions {
  std::optional<std::string> where, status;
  std::vector<std::string> tags;
  std::string sort = "name";
  std::string format = "table";
  OwnerOptions owners;
  std::optional<std::size_t> limit;
  std::optional<std::string> search; // search TEXT
};

// name: A to Z; due: soonest first, never-due last; last: longest ago first,
// never contacted first; added: oldest first.
void sort_entries(std::vector<ListEntry>& v, const std::string& by) {
  auto key_date = [](const std::optional<Date>& d, int missing) { return d ? d->days : missing; };
  auto by_name = [](const ListEntry& a, const ListEntry& b) { return fold(a.contact->name) < fold(b.contact->name); };
  std::stable_sort(v.begin(), v.end(), by_name);
  if (by == "due")
    std::stable_sort(v.begin(), v.end(), [&](const ListEntry& a, const ListEntry& b) {
      return key_date(a.info.due_on, INT32_MAX) < key_date(b.info.due_on, INT32_MAX);
    });
  else if (by == "last")
    std::stable_sort(v.begin(), v.end(), [&](const ListEntry& a, const ListEntry& b) {
      return key_date(a.info.last, INT32_MIN) < key_date(b.info.last, INT32_MIN);
    });
  else if (by == "added")
    std::stable_sort(v.begin(), v.end(), [&](const ListEntry& a, const ListEntry& b) {
      return key_date(a.contact->added, INT32_MIN) < key_date(b.contact->added, INT32_MIN);
    });
}

Tone tone_of(Status s) {
  switch (s) {
  case Status::due: return Tone::alert;
  case Status::soon: return Tone::warn;
  case Status::snoozed:
  case Status::never: return Tone::dim;
  case Status::ok: return Tone::plain;
  }
  return Tone::plain;
}

TextTable list_table(const std::vector<ListEntry>& entries) {
  TextTable t;
  t.headers = {"ID", "NAME", "STATUS", "DUE", "LAST", "EVERY", "RULE", "TAGS"};
  t.shrink = {false, true, false, false, false, false, true, true, true};
  const bool reasons = std::any_of(entries.begin(), entries.end(),
                                   [](const ListEntry& e) { return e.info.reason != Reason::cadence; });
  if (reasons) t.headers.emplace_back("REASON");
  for (const auto& e : entries) {
    const Contact& c = *e.contact;
    t.rows.push_back({c.id, c.name, to_string(e.status), e.info.due_on ? to_iso(*e.info.due_on) : "-",
                      e.info.last ? to_iso(*e.info.last) : "-", e.info.cadence.every->text, std::string(e.info.cadence.rule),
                      join(c.tags, ",")});
    if (reasons) t.rows.back().push_back(reason_text(c, e.info));
    t.tones.push_back(tone_of(e.status));
  }
  return t;
}

void run_list(const ListOptions& o, Context& ctx) {
  Date today = ctx.today();
  Format format = parse_format(o.format);
  std::optional<Expr> where;
  if (o.where) where = parse_expr_option(*o.where, "--where");
  where = narrowed_to_owners(std::move(where), o.owners, ctx);
  for (const auto& t : o.tags) check_word(t, "--tag");
  std::string text;
  if (o.search) {
    check_text(*o.search, "TEXT");
    text = fold(*o.search);
    if (text.empty()) throw_usage("say what to search for", "TEXT");
  }

  // No notes shown, only the latest check-ins count; unless they are searched.
  const RecordExtras extras = record_extras(format);
  const bool notes = o.search || (where && where->reads_notes());
  Book book = ctx.store().load(notes ? LoadDetail::full
                               : extras.last_note_and_fields ? LoadDetail::summary_last_note
                                                             : LoadDetail::summary);
  RuleSet rules(book);
  std::vector<ListEntry> entries;
  for (const Contact& c : book.contacts) {
    if (!passes_filter(c, where, o.tags)) continue;
    if (o.search && !contact_contains(c, text)) continue;
    DueInfo info = compute_due(c, rules.cadence_for(c), today);
    Status s = status_of(c, info, today);
    if (o.status && *o.status != to_string(s)) continue;
    entries.push_back(ListEntry{&c, std::move(info), s});
  }
  if (!o.search) hint_if_empty(ctx, format, book);
  sort_entries(entries, o.sort);
  if (o.limit && entries.size() > *o.limit) entries.resize(*o.limit);
  print_records(ctx, format, list_records(entries, extras), [&] { return list_table(entries); });
  keep_until_exit(std::move(book));
}

} // namespace

void setup_list(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ListOptions>();
  auto* cmd = app.add_subcommand("list", "Every contact with its status (due, soon, ok, snoozed, never)");
  cmd->add_option("--where", o->where, "Only contacts matching this expression");
  cmd->add_option("-t,--tag", o->tags, "Only contacts with this tag (repeat: all of them)");
  add_owner_options(cmd, o->owners);
  cmd->add_option("-s,--status", o->status, "Only this status: due, soon (within the rule's warn, else 7 days), ok, snoozed, never")
      ->check(CLI::IsMember({"due", "soon", "ok", "snoozed", "never"}));
  cmd->add_option("--sort", o->sort, "name (default), due (soonest first), last (longest ago first), added")
      ->check(CLI::IsMember({"name", "due", "last", "added"}));
  cmd->add_option("-l,--limit", o->limit, "At most N contacts (after sorting)")->check(count_validator());
  cmd->add_option("-o,--format", o->format, "table, tsv, csv, json, jsonl or a template '{name} {status}'");
  cmd->callback([o, &ctx] { run_list(*o, ctx); });

  auto s = std::make_shared<ListOptions>();
  auto* search = app.add_subcommand("search", "Contacts whose name, notes, fields or check-in notes contain TEXT");
  search->add_option("TEXT", s->search, "Any part of a word; case and accents do not matter")->required();
  search->add_option("--sort", s->sort, "name (default), due (soonest first), last (longest ago first), added")
      ->check(CLI::IsMember({"name", "due", "last", "added"}));
  search->add_option("-l,--limit", s->limit, "At most N contacts (after sorting)")->check(count_validator());
  search->add_option("-o,--format", s->format, "table, tsv, csv, json, jsonl or a template, as list");
  search->callback([s, &ctx] { run_list(*s, ctx); });
}

} // namespace followup::cli
