// Reading one contact of the book, its check-ins and plans, every value
// checked (SPEC §1); a summary load keeps of the check-ins only what due
// needs (LoadDetail).
#include <algorithm>
#include <iterator>

#include "followup/text/text.hpp"
#include "book/read_members.hpp"

namespace followup::loader {
namespace {

// and note (see LoadDetail). Each is a view of the text, or of its own copy
// when it had an escape (the reader's scratch is reused by the next string).
struct Glance {
  Date date;
  bool has_kind = false;
  bool has_note = false;
  std::string_view kind, note;
  std::string unescaped, unescaped_note;

  static void keep(const Reader& r, std::string_view text, std::string_view& view, std::string& copy) {
    if (r.in_text(text)) {
      view = text;
      return;
    }
    copy.assign(text);
    view = copy;
  }
  void set_kind(const Reader& r, std::string_view k) {
    has_kind = true;
    keep(r, k, kind, unescaped);
  }
  void set_note(const Reader& r, std::string_view n) {
    has_note = true;
    keep(r, n, note, unescaped_note);
  }
};

// The note of a contact's latest check-in of any kind (the record's
// `last_note`, SPEC §4), found while a summary load reads the check-ins:
// the last of the latest date, as the sort of a full load leaves it.
struct LatestNote {
  bool seen = false, has_note = false;
  Date date;
  std::string_view note;
  std::string copy;

  void see(const Reader& r, const Glance& g) {
    if (seen && g.date < date) return;
    seen = true;
    date = g.date;
    has_note = g.has_note;
    if (g.has_note) Glance::keep(r, g.note, note, copy);
  }
};

// One check-in, every value checked the same way, into an Interaction (full
// loads) or a Glance (summary loads, which drop the rest once checked).
template <class Out, class P>
FOLLOWUP_HOT void read_interaction(Reader& r, const P& place, Out& out) {
  constexpr bool full = std::is_same_v<Out, Interaction>;
  r.expect('{', "an object", place);
  json::Cursor& c = r.cursor();
  KeyOrder<keys_of<kCheckIn>> keys;
  for (bool more = c.begin_object(); more; more = c.next_member()) {
    std::string_view key = r.key();
    switch (keys.see(key)) {
    case rank(kCheckIn, "date"): out.date = r.date(at_key(place, "date"sv)); break;
    case rank(kCheckIn, "kind"):
      if constexpr (full) out.kind = r.str(at_key(place, "kind"sv));
      else out.set_kind(r, r.view(at_key(place, "kind"sv)));
      break;
    case rank(kCheckIn, "note"): {
      std::string_view note = r.view(at_key(place, "note"sv));
      if constexpr (full) out.note = std::string(note);
      else if (r.keeps_last_note()) out.set_note(r, note);
      break;
    }
    case rank(kCheckIn, "by"): {
      std::string_view by = r.view(at_key(place, "by"sv));
      if constexpr (full) out.by = std::string(by);
      break;
    }
    default: {
      Json value = r.raw(); // checked in both modes
      if constexpr (full) keep_unknown(out.unknown, key, std::move(value));
    }
    }
  }
  check_members<kCheckIn>(r, keys, place);
  if constexpr (full) keys.finish(out.unknown);
}

// Summary loads keep, of each kind, only the latest check-in (the last of
// its date in file order): enough for due dates, `last`, `last_kind` and
// `kind:`. `seq` holds each kept one's position in the file.
void keep_latest_of_kind(std::vector<Interaction>& kept, std::vector<std::size_t>& seq, const Glance& g,
                         std::size_t position) {
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (kept[i].kind.has_value() != g.has_kind || (g.has_kind && !same(*kept[i].kind, g.kind))) continue;
    if (g.date >= kept[i].date) {
      kept[i].date = g.date;
      seq[i] = position;
    }
    return;
  }
  Interaction& it = kept.emplace_back();
  it.date = g.date;
  if (g.has_kind) it.kind = g.kind;
  seq.push_back(position);
}

// By date, then file order: as the stable sort of a full load leaves them.
// In place (an insertion sort of a handful), as it runs for every contact.
void sort_kept(std::vector<Interaction>& kept, std::vector<std::size_t>& seq) {
  auto before = [&](std::size_t a, std::size_t b) {
    return kept[a].date != kept[b].date ? kept[a].date < kept[b].date : seq[a] < seq[b];
  };
  for (std::size_t i = 1; i < kept.size(); ++i)
    for (std::size_t j = i; j > 0 && before(j, j - 1); --j) {
      std::swap(kept[j], kept[j - 1]);
      std::swap(seq[j], seq[j - 1]);
    }
}

// One plan: `{"date": ..., "note": ...}`, kept in summary loads too (due
// shows its note).
template <class P>
CallPlan read_plan(Reader& r, const P& place) {
  r.expect('{', "an object", place);
  json::Cursor& cur = r.cursor();
  CallPlan plan;
  KeyOrder<keys_of<kPlan>> keys;
  for (bool more = cur.begin_object(); more; more = cur.next_member()) {
    std::string_view key = r.key();
    switch (keys.see(key)) {
    case rank(kPlan, "date"): plan.date = r.date(at_key(place, "date"sv)); break;
    case rank(kPlan, "note"): plan.note = r.str(at_key(place, "note"sv)); break;
    default: keep_unknown(plan.unknown, key, r.raw());
    }
  }
  check_members<kPlan>(r, keys, place);
  keys.finish(plan.unknown);
  return plan;
}

} // namespace

Contact read_contact(Reader& r, const Where& index_place) {
  r.expect('{', "an object", index_place);
  json::Cursor& cur = r.cursor();
  Contact c;
  KeyOrder<keys_of<kContact>> keys;
  auto place = [&] { return c.id.empty() ? index_place : Where("contact ", std::string_view(c.id)); };
  auto key_place = [&](std::string_view k, std::string_view sub = {}) { return at_key(place, k, sub); };
  // Summary loads gather the kept check-ins in the reader's scratch, then
  // move them into the contact with one allocation of the right size.
  std::vector<Interaction>& kept = r.kept();
  std::vector<std::size_t>& seq = r.positions();
  kept.clear();
  seq.clear();
  LatestNote latest;
  for (bool more = cur.begin_object(); more; more = cur.next_member()) {
    std::string_view key = r.key();
    switch (keys.see(key)) {
    case rank(kContact, "id"): c.id = checked_str(r, Type::id, index_place.at_key("id"sv)); break;
    case rank(kContact, "name"): c.name = checked_str(r, Type::name, key_place("name"sv)); break;
    case rank(kContact, "tags"):
      c.tags = r.str_list(key_place("tags"sv));
      if (c.tags.empty()) keys.not_canonical();
      break;
    case rank(kContact, "every"): c.every = r.duration(key_place("every"sv), true); break;
    case rank(kContact, "counts"): c.counts = r.str_list(key_place("counts"sv)); break;
    case rank(kContact, "fields"): {
      r.expect('{', "an object", key_place("fields"sv));
      for (bool field = cur.begin_object(); field; field = cur.next_member()) {
        std::string k(r.key());
        c.fields.push_back(Field{k, r.str(key_place("fields"sv, k))});
      }
      if (c.fields.empty()) keys.not_canonical();
      break;
    }
    case rank(kContact, "notes"): {
      std::string_view notes = r.view(key_place("notes"sv));
      if (!r.summary()) c.notes = std::string(notes);
      break;
    }
    case rank(kContact, "added"): c.added = r.date(key_place("added"sv)); break;
    case rank(kContact, "snoozed_until"): c.snoozed_until = r.date(key_place("snoozed_until"sv)); break;
    case rank(kContact, "owner"): c.owner = r.str(key_place("owner"sv)); break;
    case rank(kContact, "occasions"): {
      r.expect('{', "an object", key_place("occasions"sv));
      for (bool more_o = cur.begin_object(); more_o; more_o = cur.next_member()) {
        std::string label(r.key());
        std::string_view text = r.view(key_place("occasions"sv, label));
        auto o = parse_occasion_date(text);
        if (!o) r.fail(say::bad_occasion_date(text), key_place("occasions"sv, label));
        if (!is_valid_label(label)) r.fail(say::bad_label(label), key_place("occasions"sv, label));
        if (c.occasion(label)) r.fail(say::occasion_twice(label), key_place("occasions"sv, label));
        o->label = std::move(label);
        c.occasions.push_back(std::move(*o));
      }
      if (c.occasions.empty()) keys.not_canonical();
      break;
    }
    case rank(kContact, "plans"): {
      r.expect('[', "an array", key_place("plans"sv));
      std::size_t n = 0;
      for (bool item = cur.begin_array(); item; item = cur.next_element()) {
        auto plan_place = [&] { return where_of(place).at_plan(n); };
        c.plans.push_back(read_plan(r, plan_place));
        ++n;
      }
      if (n == 0) keys.not_canonical();
      break;
    }
    case rank(kContact, "interactions"): {
      r.expect('[', "an array", key_place("interactions"sv));
      std::size_t n = 0;
      auto item_place = [&] { return where_of(place).at_interaction(n); };
      Glance glance;
      for (bool item = cur.begin_array(); item; item = cur.next_element()) {
        if (r.summary()) {
          glance.has_kind = glance.has_note = false;
          read_interaction(r, item_place, glance);
          keep_latest_of_kind(kept, seq, glance, n);
          if (r.keeps_last_note()) latest.see(r, glance);
        } else {
          read_interaction(r, item_place, c.interactions.emplace_back());
        }
        ++n;
      }
      if (n == 0) keys.not_canonical();
      break;
    }
    default: keep_unknown(c.unknown, key, r.raw());
    }
  }
  check_members<kContact>(r, keys, place);
  if (r.summary()) {
    sort_kept(kept, seq);
    // The latest check-in is last: it is the latest of its kind.
    if (latest.has_note) kept.back().note = std::string(latest.note);
    c.interactions.reserve(kept.size());
    std::move(kept.begin(), kept.end(), std::back_inserter(c.interactions));
  }
  // Hand-edited files may be out of order; the contract keeps them sorted.
  else if (!std::is_sorted(c.interactions.begin(), c.interactions.end(),
                      [](const Interaction& a, const Interaction& b) { return a.date < b.date; }))
    std::stable_sort(c.interactions.begin(), c.interactions.end(),
                     [](const Interaction& a, const Interaction& b) { return a.date < b.date; });
  keys.finish(c.unknown);
  return c;
}


} // namespace followup::loader
