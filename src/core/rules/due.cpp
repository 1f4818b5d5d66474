// Due dates (SPEC §3) and the order of the `due` list.
#include "followup/rules/due.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "followup/sys/cpus.hpp"
#include "followup/output/format.hpp"

namespace followup {
namespace {

std::string days_text(int n) { return n == 1 ? "1 day" : fmt::format("{} days", n); }

// The cadence driver and what the others need of the check-ins.
DueInfo cadence_of(const Contact& c, const Cadence& cadence, Date today) {
  DueInfo info;
  info.cadence = cadence;
  // From the newest back to the latest reaching check-in: the attempts
  // after it decide the retry; the newest of them is the one that counts.
  int attempt = -1;
  for (int i = static_cast<int>(c.interactions.size()) - 1; i >= 0; --i) {
    const Interaction& it = c.interactions[static_cast<std::size_t>(i)];
    if (cadence.is_attempt(it.kind)) {
      if (attempt < 0) attempt = i;
      continue;
    }
    if (!cadence.counts_kind(it.kind)) continue;
    info.last = it.date;
    info.last_kind = it.kind ? &*it.kind : nullptr;
    info.last_index = i;
    break;
  }
  // Later than every reaching check-in: a call and a voicemail on one day reached them.
  if (attempt >= 0 && (!info.last || c.interactions[static_cast<std::size_t>(attempt)].date > *info.last))
    info.attempt_index = attempt;
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
  info.cadence_on = due;
  return info;
}

// Sets the driver shown: `within` null for list semantics (see due.hpp).
void pick(DueInfo& info, const Contact& c, Date today, const std::optional<Duration>* within) {
  if (c.plans.empty() && c.occasions.empty() && info.attempt_index < 0) {
    // The usual contact: the cadence alone, no vector of drivers.
    info.due_on = info.cadence_on;
    if (within) info.listed = info.due_on && *info.due_on <= listed_until(Reason::cadence, info.cadence, today, *within);
  } else {
    const std::vector<Driver> drivers = drivers_of(c, info.cadence, info.clock(c), today);
    const Driver* d = choose(drivers, info.cadence, today, within);
    info.listed = d != nullptr;
    if (d) {
      info.due_on = d->date;
      info.reason = d->reason();
      info.plan = d->plan;
      info.occasion = d->occasion;
      info.years = d->years;
    }
  }
  if (info.due_on) info.overdue = days_between(*info.due_on, today);
}

} // namespace

Clock DueInfo::clock(const Contact& c) const {
  Clock k;
  k.cadence_on = cadence_on;
  k.reached = last;
  k.reached_index = last_index;
  if (attempt_index >= 0 && static_cast<std::size_t>(attempt_index) < c.interactions.size()) {
    k.attempt = c.interactions[static_cast<std::size_t>(attempt_index)].date;
    k.attempt_index = attempt_index;
  }
  return k;
}

std::string DueInfo::about(const Contact& c) const {
  const Interaction* attempt =
      attempt_index >= 0 && static_cast<std::size_t>(attempt_index) < c.interactions.size()
          ? &c.interactions[static_cast<std::size_t>(attempt_index)]
          : nullptr;
  return about_text(reason, plan, occasion, years, attempt);
}

DueInfo compute_due(const Contact& c, const Cadence& cadence, Date today) {
  DueInfo info = cadence_of(c, cadence, today);
  pick(info, c, today, nullptr);
  return info;
}

DueInfo compute_due(const Contact& c, const Cadence& cadence, Date today, const std::optional<Duration>& within) {
  DueInfo info = cadence_of(c, cadence, today);
  pick(info, c, today, &within);
  return info;
}

namespace {

// Every driver, active or not, and why; then the retry raise.
std::string explain_drivers(const Contact& c, const DueInfo& info, Date today) {
  const Clock clock = info.clock(c);
  const std::vector<Driver> drivers = drivers_of(c, info.cadence, clock, today);
  const Interaction* reached =
      info.last_index >= 0 ? &c.interactions[static_cast<std::size_t>(info.last_index)] : nullptr;
  auto reached_text = [&] {
    return fmt::format("the {} on {}", reached->kind.value_or("check-in"), to_iso(reached->date));
  };
  std::string out;
  for (const Driver& d : drivers) {
    std::string head, state;
    switch (d.kind) {
    case Reason::plan:
      head = fmt::format("plan {}{}", to_iso(*d.own), d.plan->note ? fmt::format(" (\"{}\")", *d.plan->note) : "");
      state = d.active ? "active: no reaching check-in on or after it" : "done: reached by " + reached_text();
      break;
    case Reason::occasion: {
      const Duration* w = info.cadence.warn;
      head = fmt::format("occasion {} {} ({}{})", d.occasion->label, to_iso(*d.own),
                         d.years >= 0 ? fmt::format("{}, ", d.years) : "", d.occasion->date_text());
      state = fmt::format("active: shown by due from {}", to_iso(w ? subtract(*d.own, *w) : add_days(*d.own, -7)));
      if (d.reached_on) state += fmt::format("; the one on {} was reached by {}", to_iso(*d.reached_on), reached_text());
      break;
    }
    default:
      head = d.own ? fmt::format("cadence {}", to_iso(*d.own)) : "cadence";
      state = d.own ? "active" : "no date: every is never";
    }
    if (d.raised()) state += fmt::format(", raised to {} by the retry", to_iso(*d.date));
    out += fmt::format("driver {}: {}\n", head, state);
  }
  if (clock.attempt) {
    const Interaction& a = c.interactions[static_cast<std::size_t>(clock.attempt_index)];
    out += fmt::format("retry: the {} on {} is later than every reaching check-in, so nothing is due before {} + {} = {}\n",
                       a.kind.value_or("attempt"), to_iso(a.date), to_iso(a.date), info.cadence.retry_after().text,
                       to_iso(add(a.date, info.cadence.retry_after())));
  }
  return out;
}

} // namespace

std::string explain_due(const Contact& c, const DueInfo& info, Date today) {
  const Cadence& cad = info.cadence;
  std::string out;
  out += fmt::format("cadence: every {}, {}\n", cad.every->text, cad.why(c));
  if (cad.counts) {
    out += fmt::format("counts: {} only\n", join(*cad.counts, ", "));
    // The point of `counts`: say which later check-ins did not reset the clock.
    std::vector<std::string> skipped;
    for (std::size_t i = static_cast<std::size_t>(info.last_index + 1); i < c.interactions.size(); ++i)
      if (!cad.is_attempt(c.interactions[i].kind))
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
  if (!info.cadence_on) {
    if (!c.plans.empty() || !c.occasions.empty()) out += "cadence: never due (every: never)\n";
  } else {
    if (info.base_from != DueInfo::Base::none) {
      Date plain = add(info.base, *cad.every);
      out += fmt::format("arithmetic: {} + {} = {}\n", to_iso(info.base), cad.every->text, to_iso(plain));
    }
    if (info.snoozed) out += fmt::format("snoozed until {}, so due then\n", to_iso(*info.cadence_on));
  }
  // With the cadence alone (no plan, occasion or pending attempt), the lines
  // above are the whole story; otherwise every driver, and which one won.
  const bool cadence_only = c.plans.empty() && c.occasions.empty() && info.attempt_index < 0;
  if (!cadence_only) out += explain_drivers(c, info, today);
  if (!info.due_on) {
    out += cadence_only ? "due: never (every: never)\n" : "due: never (no driver has a date)\n";
    return out;
  }
  const std::string about = info.about(c);
  const std::string why =
      cadence_only ? std::string() : fmt::format(" ({}{})", to_string(info.reason), about.empty() ? "" : ": " + about);
  int o = days_between(*info.due_on, today);
  if (o > 0) out += fmt::format("due: {}, {} overdue{}\n", to_iso(*info.due_on), days_text(o), why);
  else if (o == 0) out += fmt::format("due: {}, today{}\n", to_iso(*info.due_on), why);
  else out += fmt::format("due: {}, in {}{}\n", to_iso(*info.due_on), days_text(-o), why);
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
    DueInfo info = compute_due(c, rules.cadence_for(c), today, query.within);
    if (!info.listed) continue;
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
