// Imported records meet the book: what an update changes, new contacts
// and their ids, and the --spread of first due dates. Who a record already
// is: import_match.cpp.
#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "followup/rules/cadence.hpp"
#include "followup/rules/due.hpp"
#include "followup/exchange/import.hpp"
#include "followup/book/json_io.hpp"
#include "followup/text/text.hpp"
#include "followup/text/transliterate.hpp"
#include "exchange/import_merge.hpp"

namespace followup {
namespace {

using import_detail::holds_value;
using import_detail::Match;
using import_detail::Matcher;

// The id the record asks for (its id column, else its name as a slug, in
// Latin letters when ICU can spell it so); empty when nothing typable is left.
std::string wanted_id(const ImportRecord& r) { return r.id ? *r.id : id_from_name(r.name); }

std::string id_base(const ImportRecord& r) {
  std::string id = wanted_id(r);
  return id.empty() ? "contact" : id;
}

bool has_checkin(const Contact& c, Date date, std::string_view kind) {
  return std::any_of(c.interactions.begin(), c.interactions.end(),
                     [&](const Interaction& it) { return it.date == date && kind_matches(it.kind, kind); });
}

bool has_same_checkin(const Contact& c, const Interaction& x) {
  return std::any_of(c.interactions.begin(), c.interactions.end(), [&](const Interaction& it) {
    return it.date == x.date && it.kind == x.kind && it.note == x.note && it.by == x.by;
  });
}

// vCard BDAY and ANNIVERSARY, and CSV birthday columns, arrive as fields;
// those that are dates are occasions (SPEC §7), which `due` knows of. Moved
// out of `fields` into `occasions`; the rest (`circa 1800`) stay fields.
std::vector<Occasion> take_occasions(std::vector<Field>& fields) {
  std::vector<Occasion> out;
  std::erase_if(fields, [&](const Field& f) {
    const std::string label = lower(f.key);
    if (label != "birthday" && label != "anniversary") return false;
    auto o = parse_occasion_date(f.value);
    if (!o) return false;
    o->label = label;
    out.push_back(std::move(*o));
    return true;
  });
  return out;
}

// Sets each occasion (by label); returns the labels that changed.
std::vector<std::string> set_occasions(Contact& c, const std::vector<Occasion>& occasions) {
  std::vector<std::string> changed;
  for (const auto& o : occasions) {
    auto it = std::find_if(c.occasions.begin(), c.occasions.end(), [&](const Occasion& x) { return iequals(x.label, o.label); });
    if (it == c.occasions.end()) c.occasions.push_back(o);
    else if (!(*it == Occasion{it->label, o.year, o.month, o.day})) *it = Occasion{it->label, o.year, o.month, o.day};
    else continue;
    changed.push_back(o.label);
  }
  return changed;
}

// Fields filled or overwritten, tags added, notes and cadence filled when
// missing, the check-in added once; the name, id and `added` stay.
std::vector<std::string> update_contact(Contact& c, const ImportRecord& record, const MergeOptions& o) {
  std::vector<std::string> changes;
  std::vector<std::string> keys, tags;
  ImportRecord r = record;
  std::vector<Occasion> occasions = take_occasions(r.fields);
  // A birthday an earlier import kept as a field moves too.
  for (auto& old : take_occasions(c.fields))
    if (!c.occasion(old.label)) {
      keys.push_back(old.label);
      c.occasions.push_back(std::move(old));
    }
  for (auto& label : set_occasions(c, occasions))
    if (std::find(keys.begin(), keys.end(), label) == keys.end()) keys.push_back(label);
  for (const auto& f : r.fields) {
    if (holds_value(c.fields, f)) continue;
    auto it = std::find_if(c.fields.begin(), c.fields.end(), [&](const Field& x) { return iequals(x.key, f.key); });
    if (it == c.fields.end()) c.fields.push_back(f);
    else if (it->value != f.value) it->value = f.value;
    else continue;
    keys.push_back(f.key);
  }
  if (!keys.empty()) changes.push_back(fmt::format("{}", fmt::join(keys, ", ")));
  for (const auto& t : r.tags)
    if (!c.has_tag(t)) {
      c.tags.push_back(t);
      tags.push_back("+" + t);
    }
  if (!tags.empty()) changes.push_back(fmt::format("tags {}", fmt::join(tags, " ")));
  if (r.notes && !c.notes) {
    c.notes = r.notes;
    changes.push_back("notes");
  }
  if (r.every && !c.every) {
    c.every = r.every;
    changes.push_back("every " + r.every->text);
  }
  if (r.counts && !c.counts) {
    c.counts = *r.counts;
    changes.push_back("counts");
  }
  if (r.snoozed_until && !c.snoozed_until) {
    c.snoozed_until = r.snoozed_until;
    changes.push_back("snoozed until " + to_iso(*r.snoozed_until));
  }
  if (r.last && !has_checkin(c, *r.last, o.kind)) {
    c.insert_interaction(Interaction{*r.last, o.kind, std::nullopt, std::nullopt, {}});
    changes.push_back(fmt::format("{} on {}", o.kind, to_iso(*r.last)));
  }
  for (const Interaction& it : r.checkins)
    if (!has_same_checkin(c, it)) {
      c.insert_interaction(it);
      changes.push_back(fmt::format("{} on {}", it.kind.value_or("check-in"), to_iso(it.date)));
    }
  return changes;
}

Contact new_contact(const Book& book, const ImportRecord& r, const MergeOptions& o) {
  Contact c;
  c.id = book.unique_id(id_base(r));
  c.name = r.name;
  for (const auto& t : r.tags)
    if (!c.has_tag(t)) c.tags.push_back(t);
  c.every = r.every;
  c.fields = r.fields;
  c.occasions = take_occasions(c.fields);
  c.notes = r.notes;
  if (r.counts) c.counts = *r.counts;
  c.added = r.added.value_or(o.today);
  c.snoozed_until = r.snoozed_until;
  if (r.last) c.interactions.push_back(Interaction{*r.last, o.kind, std::nullopt, std::nullopt, {}});
  for (const Interaction& it : r.checkins) c.insert_interaction(it);
  return c;
}

// --spread D: new contacts fall due in heaps: those never contacted all on
// the day their cadence runs out from today, and (with --spread-backlog) a
// backlog of customers last seen long ago all today. The i-th of those n (in
// file order, i from 0) is to fall due on
//     today + offset(i),   offset(i) = 1 + floor(i * D / n)   (1..D)
// so the days 1..D each get about n / D of them, by what a user would do
// rather than by a made-up `added` date: a plan for the first call where
// that day comes before the cadence's (SPEC §7), else a snooze until it
// (SPEC §3: a later snoozed_until replaces the due date).
void spread(Book& book, const std::vector<std::string>& ids, const MergeOptions& o) {
  if (!o.spread_days) return;
  RuleSet rules(book);
  std::vector<std::pair<Contact*, Date>> heaped; // with their cadence's date
  for (const auto& id : ids) {
    Contact* c = book.find_id(id);
    if (!c) continue;
    const DueInfo info = compute_due(*c, rules.cadence_for(*c), o.today);
    if (info.cadence_on && (c->interactions.empty() || (o.spread_backlog && *info.cadence_on <= o.today)))
      heaped.emplace_back(c, *info.cadence_on);
  }
  const long n = static_cast<long>(heaped.size());
  for (long i = 0; i < n; ++i) {
    auto [c, cadence_on] = heaped[static_cast<std::size_t>(i)];
    const Date day = add_days(o.today, 1 + static_cast<int>(i * *o.spread_days / n));
    if (day < cadence_on) c->plans.push_back(CallPlan{day, std::string("first call"), {}});
    else c->snoozed_until = day;
  }
}

} // namespace

const char* to_string(MergeAction a) {
  switch (a) {
  case MergeAction::add: return "add";
  case MergeAction::update: return "update";
  case MergeAction::unchanged: return "unchanged";
  case MergeAction::skip: return "skip";
  }
  return "?";
}

std::size_t MergeReport::count(MergeAction a) const {
  return static_cast<std::size_t>(
      std::count_if(outcomes.begin(), outcomes.end(), [&](const MergeOutcome& x) { return x.action == a; }));
}

MergeReport merge_records(Book& book, const std::vector<ImportRecord>& records, const MergeOptions& o) {
  // Two records for one person may undo each other's changes (one file
  // listing two numbers under `phone`); what counts is the net change.
  std::map<std::string, std::string> before;
  for (const auto& c : book.contacts) before.emplace(c.id, contact_to_json(c).dump());
  MergeReport report;
  std::vector<std::string> to_spread;
  Matcher matcher(book);
  for (const auto& r : records) {
    Match m = matcher.find(book, r);
    MergeOutcome out{MergeAction::add, {}, r.name, r.line, m.by, {}};
    if (!m.index) {
      Contact c = new_contact(book, r, o);
      to_spread.push_back(c.id);
      out.id = c.id;
      out.name = c.name;
      matcher.note_contact(c, book.contacts.size());
      book.contacts.push_back(std::move(c));
    } else {
      Contact& c = book.contacts[*m.index];
      out.id = c.id;
      out.name = c.name;
      if (o.skip_existing) {
        out.action = MergeAction::skip;
      } else {
        out.changes = update_contact(c, r, o);
        out.action = out.changes.empty() ? MergeAction::unchanged : MergeAction::update;
      }
      matcher.note_contact(c, *m.index);
    }
    report.outcomes.push_back(std::move(out));
  }
  spread(book, to_spread, o);
  for (auto& out : report.outcomes)
    if (auto it = before.find(out.id); out.action == MergeAction::update && it != before.end() &&
                                       contact_to_json(*book.find_id(out.id)).dump() == it->second) {
      out.action = MergeAction::unchanged;
      out.changes.clear();
    }
  return report;
}

} // namespace followup
