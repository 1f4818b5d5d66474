// Due dates (SPEC §3) and the order of the `due` list.
#include "followup/due.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "followup/cpus.hpp"
#include "followup/format.hpp"

namespace followup {
namespace {

bool counts(const Cadence& cad, const Interaction& it) {
  if (!cad.counts) return true;
  return std::any_of(cad.counts->begin(), cad.counts->end(),
                     [&](const std::string& k) { return kind_matches(it.kind, k); });
}

std::string days_text(int n) { return n == 1 ? "1 day" : fmt::format("{} days", n); }

} // namespace

DueInfo compute_due(const Contact& c, const Cadence& cadence, Date today) {
  DueInfo info;
  info.cadence = cadence;
  for (int i = static_cast<int>(c.interactions.size()) - 1; i >= 0; --i) {
    const Interaction& it = c.interactions[static_cast<std::size_t>(i)];
    if (!counts(cadence, it)) continue;
    info.last = it.date;
    info.last_kind = it.kind ? &*it.kind : nullptr;
    info.last_index = i;
    break;
  }
  if (info.last) {
    info.base = *info.last;
    info.base_from = DueInfo::Base::interaction;
  } else if (c.added) {
    info.base = *c.added;
    info.base_from = DueInfo::Base::added;
  } else {
    info.base = today;
  }
  if (cadence.every->never) return info;
  Date due = info.base_from == DueInfo::Base::none ? today : add(info.base, *cadence.every);
  if (c.snoozed_until && *c.snoozed_until > due) {
    due = *c.snoozed_until;
    info.snoozed = true;
  }
  info.due_on = due;
  info.overdue = days_between(due, today);
  return info;
}

std::string explain_due(const Contact& c, const DueInfo& info, Date today) {
  const Cadence& cad = info.cadence;
  std::string out;
  out += fmt::format("cadence: every {}, {}\n", cad.every->text, cad.why(c));
  if (cad.counts) {
    out += fmt::format("counts: {} only\n", join(*cad.counts, ", "));
    // The point of `counts`: say which later check-ins did not reset the clock.
    std::vector<std::string> skipped;
    for (std::size_t i = static_cast<std::size_t>(info.last_index + 1); i < c.interactions.size(); ++i)
      skipped.push_back(fmt::format("the {} on {}", c.interactions[i].kind.value_or("check-in"), to_iso(c.interactions[i].date)));
    if (!skipped.empty()) out += fmt::format("not counted: {}\n", join(skipped, ", "));
  }
  switch (info.base_from) {
  case DueInfo::Base::interaction: {
    const Interaction& it = c.interactions[static_cast<std::size_t>(info.last_index)];
    out += fmt::format("clock: set by the {} on {}{}\n", it.kind.value_or("check-in"), to_iso(it.date),
                       it.note ? fmt::format(" (\"{}\")", *it.note) : std::string());
    break;
  }
  case DueInfo::Base::added:
    out += fmt::format("clock: no {}check-in yet, so the date it was added, {}\n",
                       cad.counts ? "counting " : "", to_iso(*c.added));
    break;
  case DueInfo::Base::none:
    out += fmt::format("clock: no {}check-in and no added date, so due today\n", cad.counts ? "counting " : "");
    break;
  }
  if (!info.due_on) {
    out += "due: never (every: never)\n";
    return out;
  }
  if (info.base_from != DueInfo::Base::none) {
    Date plain = add(info.base, *cad.every);
    out += fmt::format("arithmetic: {} + {} = {}\n", to_iso(info.base), cad.every->text, to_iso(plain));
  }
  if (info.snoozed) out += fmt::format("snoozed until {}, so due then\n", to_iso(*info.due_on));
  int o = days_between(*info.due_on, today);
  if (o > 0) out += fmt::format("due: {}, {} overdue\n", to_iso(*info.due_on), days_text(o));
  else if (o == 0) out += fmt::format("due: {}, today\n", to_iso(*info.due_on));
  else out += fmt::format("due: {}, in {}\n", to_iso(*info.due_on), days_text(-o));
  return out;
}

const char* to_string(Status s) {
  switch (s) {
  case Status::due: return "due";
  case Status::soon: return "soon";
  case Status::ok: return "ok";
  case Status::snoozed: return "snoozed";
  case Status::never: return "never";
  }
  return "ok";
}

Status status_of(const Contact& c, const DueInfo& info, Date today) {
  if (!info.due_on) return Status::never;
  if (*info.due_on <= today) return Status::due;
  if (c.snoozed_until && *c.snoozed_until > today) return Status::snoozed;
  Date window = info.cadence.warn ? add(today, *info.cadence.warn) : add_days(today, 7);
  return *info.due_on <= window ? Status::soon : Status::ok;
}

bool passes_filter(const Contact& c, const std::optional<Expr>& where, const std::vector<std::string>& tags) {
  if (where && !where->matches(c)) return false;
  return std::all_of(tags.begin(), tags.end(), [&](const std::string& t) { return c.has_tag(t); });
}

namespace {

// The entries of contacts[from, to) that pass the query, in book order.
void collect_due(const Book& book, const RuleSet& rules, Date today, const DueQuery& query, std::size_t from,
                 std::size_t to, std::vector<DueEntry>& out) {
  for (std::size_t i = from; i < to; ++i) {
    const Contact& c = book.contacts[i];
    if (!passes_filter(c, query.where, query.tags)) continue;
    DueInfo info = compute_due(c, rules.cadence_for(c), today);
    if (!info.due_on) continue;
    Date horizon = today;
    if (query.within) horizon = add(today, *query.within);
    else if (info.cadence.warn) horizon = add(today, *info.cadence.warn);
    if (*info.due_on > horizon) continue;
    out.push_back(DueEntry{&c, info});
  }
}

} // namespace

std::vector<DueEntry> due_list(const Book& book, const RuleSet& rules, Date today, const DueQuery& query) {
  std::vector<DueEntry> out;
  out.reserve(book.contacts.size()); // at most one each; unreached pages cost nothing
  // A large book's contacts in slices, one a thread, joined in book order.
  const std::size_t n = book.contacts.size();
  const std::size_t slices = slice_count(n, 2000, query.threads);
  if (slices == 1) {
    collect_due(book, rules, today, query, 0, n, out);
  } else {
    std::vector<std::vector<DueEntry>> parts(slices - 1);
    each_slice(slices, [&](std::size_t s) {
      collect_due(book, rules, today, query, n * s / slices, n * (s + 1) / slices, s == 0 ? out : parts[s - 1]);
    });
    for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  }
  // The order of the list: most overdue first, ties by name, then book order.
  // Sorted as small keys (the name's first 8 bytes as a number decide most
  // ties without a look at the contact), then applied in place: an entry is
  // a hundred bytes, and a large book has tens of thousands due.
  struct Key {
    int overdue;
    std::uint64_t prefix; // the name's first 8 bytes, big-endian: compares as the bytes do
    std::string_view name;
    std::size_t index;
  };
  std::vector<Key> keys(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::string_view name = out[i].contact->name;
    std::uint64_t prefix = 0;
    for (std::size_t b = 0; b < 8; ++b)
      prefix = prefix << 8 | (b < name.size() ? static_cast<unsigned char>(name[b]) : 0u);
    keys[i] = Key{out[i].info.overdue, prefix, name, i};
  }
  std::sort(keys.begin(), keys.end(), [](const Key& x, const Key& y) {
    if (x.overdue != y.overdue) return x.overdue > y.overdue;
    if (x.prefix != y.prefix) return x.prefix < y.prefix;
    if (x.name != y.name) return x.name < y.name;
    return x.index < y.index; // book order: the sort need not be stable
  });
  std::vector<std::size_t> order(out.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = keys[i].index;
  // order[i] is the index of the entry that belongs at i: follow each cycle.
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i] == i) continue;
    DueEntry held = std::move(out[i]);
    std::size_t j = i;
    while (order[j] != i) {
      const std::size_t from = order[j];
      out[j] = std::move(out[from]);
      order[j] = j;
      j = from;
    }
    out[j] = std::move(held);
    order[j] = j;
  }
  if (query.limit && out.size() > *query.limit) out.resize(*query.limit);
  return out;
}

} // namespace followup
