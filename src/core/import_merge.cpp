// Imported records meet the book: who is already there, what an update
// changes, new ids, and the --spread of first due dates. Also the small
// text helpers both parsers share.
#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "followup/cadence.hpp"
#include "followup/due.hpp"
#include "followup/import.hpp"
#include "followup/json_io.hpp"
#include "followup/text.hpp"
#include "followup/transliterate.hpp"

namespace followup {
namespace {

bool is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v'; }

// `key` is `base` or `base_<anything>`.
bool has_base(std::string_view key, std::string_view base) {
  std::string k = lower(key);
  return k == base || (k.size() > base.size() + 1 && k.compare(0, base.size(), base) == 0 && k[base.size()] == '_');
}

std::vector<std::string> values_of(const std::vector<Field>& fields, std::string_view base) {
  std::vector<std::string> out;
  for (const auto& f : fields)
    if (has_base(f.key, base)) out.push_back(f.value);
  return out;
}

std::string digits(std::string_view s) {
  std::string out;
  for (char ch : s)
    if (ch >= '0' && ch <= '9') out.push_back(ch);
  return out;
}

// Fewer digits than this are extensions or placeholders ("1", "112"), not
// numbers two different people would not share.
constexpr std::size_t kMinPhoneDigits = 5;

bool share_value(const std::vector<Field>& a, const std::vector<Field>& b, std::string_view base, bool phone) {
  auto key = [&](const std::string& v) { return phone ? digits(v) : lower(clean_line(v)); };
  for (const auto& x : values_of(a, base)) {
    std::string kx = key(x);
    if (kx.empty() || (phone && kx.size() < kMinPhoneDigits)) continue;
    for (const auto& y : values_of(b, base))
      if (kx == key(y)) return true;
  }
  return false;
}

// The id the record asks for (its id column, else its name as a slug, in
// Latin letters when ICU can spell it so); empty when nothing typable is left.
std::string wanted_id(const ImportRecord& r) { return r.id ? *r.id : id_from_name(r.name); }

std::string id_base(const ImportRecord& r) {
  std::string id = wanted_id(r);
  return id.empty() ? "contact" : id;
}

// What an e-mail (any case) or a phone number (its digits) is compared by;
// empty when it cannot match anything.
std::string match_key(std::string_view value, bool phone) {
  if (!phone) return lower(clean_line(value));
  std::string d = digits(value);
  return d.size() < kMinPhoneDigits ? std::string() : d;
}

const std::string* uid_of(const std::vector<Field>& fields) {
  for (const auto& f : fields)
    if (iequals(f.key, "uid")) return &f.value;
  return nullptr;
}

struct Match {
  std::optional<std::size_t> index; // into book.contacts
  std::string by;
};

// Who an imported record is, strongest evidence first: the uid; its id
// column; the same name (ASCII case aside); the id its name slugs to, among
// the contacts of the book before the import; an e-mail; a phone number.
// The name comes before its slug so that "Zoe Ng" finds "Zoe Ng" and not
// "Zoë Ng" (both zoe-ng), and the slug only finds a contact that was there
// before and that no earlier record of the file took, so that two such
// names in one file stay two people; a name with no slug (all CJK) is found
// by itself. E-mails and numbers too are looked up among the contacts as
// they were before the import: within one export a shared number or address
// is a household (a landline, family@), not one person listed twice.
// Indexes keep a large import from comparing every record with every
// contact.
class Matcher {
public:
  explicit Matcher(const Book& book) {
    for (std::size_t i = 0; i < book.contacts.size(); ++i) {
      index(book.contacts[i], i);
      ids_.emplace(book.contacts[i].id, i);
      for (auto [base, phone, index] : {std::tuple{"email", false, &emails_}, std::tuple{"phone", true, &phones_}})
        for (const auto& v : values_of(book.contacts[i].fields, base))
          if (std::string k = match_key(v, phone); !k.empty()) index->emplace(k, i);
    }
  }

  // Records the contact a record became or found: its uid and name, for
  // later records of the same import, and that it is taken.
  void note_contact(const Contact& c, std::size_t i) {
    index(c, i);
    taken_.insert(i);
  }

  Match find(const Book& book, const ImportRecord& r) const {
    if (const std::string* uid = uid_of(r.fields))
      if (auto it = uids_.find(*uid); it != uids_.end()) return {it->second, "uid"};
    if (r.id) {
      if (const Contact* c = book.find_id(*r.id)) return {static_cast<std::size_t>(c - book.contacts.data()), "id"};
    } else {
      if (auto it = names_.find(lower(r.name)); it != names_.end()) return {it->second, "name"};
      // Not the "contact" fallback: two names without a slug are not one person.
      if (std::string id = slugify(r.name); !id.empty())
        if (auto it = ids_.find(id); it != ids_.end() && !taken_.count(it->second)) return {it->second, "id"};
    }
    for (auto [base, phone, index] : {std::tuple{"email", false, &emails_}, std::tuple{"phone", true, &phones_}})
      for (const auto& v : values_of(r.fields, base))
        if (auto it = index->find(match_key(v, phone)); it != index->end()) return {it->second, base};
    return {};
  }

private:
  void index(const Contact& c, std::size_t i) {
    if (const std::string* uid = uid_of(c.fields)) uids_.emplace(*uid, i);
    names_.emplace(lower(c.name), i);
  }

  std::unordered_map<std::string, std::size_t> uids_, ids_, names_, emails_, phones_;
  std::unordered_set<std::size_t> taken_;
};

// The contact holds this phone number (by its digits) or e-mail (in any
// case) under some phone* or email* key: a re-export that formats it
// differently, or files it under another type, changes nothing.
bool holds_value(const std::vector<Field>& fields, const Field& f) {
  for (auto [base, phone] : {std::pair{"phone", true}, std::pair{"email", false}})
    if (has_base(f.key, base)) return share_value({f}, fields, base, phone);
  return false;
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

void add_numbered_field(std::vector<Field>& fields, std::string_view base, std::string_view type, std::string value) {
  for (const auto& f : fields)
    if (has_base(f.key, base) && f.value == value) return;
  auto taken = [&](const std::string& key) {
    return std::any_of(fields.begin(), fields.end(), [&](const Field& f) { return iequals(f.key, key); });
  };
  // A fax or pager number is never the `phone` a caller dials first.
  const bool not_for_calls =
      base == "phone" && (type.find("fax") != std::string_view::npos || type.find("pager") != std::string_view::npos);
  std::string key(base);
  if ((taken(key) || not_for_calls) && !type.empty()) key = fmt::format("{}_{}", base, type);
  for (int n = 2; taken(key); ++n) key = fmt::format("{}_{}", base, n);
  fields.push_back(Field{std::move(key), std::move(value)});
}

std::string type_key(std::string_view label) {
  // Apple writes its built-in labels as `_$!<HomeFax>!$_`.
  if (label.size() > 8 && label.substr(0, 4) == "_$!<" && label.substr(label.size() - 4) == ">!$_")
    label = label.substr(4, label.size() - 8);
  std::string out;
  for (char ch : lower(label)) {
    bool word = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (word) out.push_back(ch);
    else if (!out.empty() && out.back() != '_') out.push_back('_');
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out == "mobile" || out == "iphone" || out == "cellular") return "cell";
  return out;
}

std::string normalise_birthday(std::string_view text) {
  std::string_view t = text;
  if (auto tpos = t.find('T'); tpos != std::string_view::npos && tpos >= 6) t = t.substr(0, tpos);
  auto all_digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  };
  auto num = [](std::string_view s) { return std::stoi(std::string(s)); };
  if (t.size() == 8 && all_digits(t)) {
    std::string iso = fmt::format("{}-{}-{}", t.substr(0, 4), t.substr(4, 2), t.substr(6, 2));
    if (parse_iso_date(iso)) return iso;
  } else if (parse_iso_date(t)) {
    return std::string(t);
  } else if (t.size() >= 6 && t.substr(0, 2) == "--") {
    std::string md(t.substr(2));
    if (md.size() == 5 && md[2] == '-') md.erase(2, 1);
    // 2000 is a leap year, so --02-29 passes.
    if (md.size() == 4 && all_digits(md) && is_valid_ymd(2000, num(md.substr(0, 2)), num(md.substr(2))))
      return fmt::format("--{}-{}", md.substr(0, 2), md.substr(2));
  }
  return std::string(text);
}

std::string clean_line(std::string_view text) {
  std::string out;
  for (char ch : text) {
    auto u = static_cast<unsigned char>(ch);
    bool space = is_blank(ch) || u < 0x20 || u == 0x7f;
    if (!space) out.push_back(ch);
    else if (!out.empty() && out.back() != ' ') out.push_back(' ');
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void set_field(std::vector<Field>& fields, std::string_view key, std::string value) {
  for (const auto& f : fields)
    if (iequals(f.key, key)) return;
  fields.push_back(Field{std::string(key), std::move(value)});
}

std::string import_tag(std::string_view text) {
  std::string out;
  for (char ch : clean_line(text)) {
    if (ch == ',') continue;
    out.push_back(ch == ' ' ? '-' : ch);
  }
  return lower(out);
}

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
