// Reading the data file: one pass of a json::Cursor (book_reader.hpp) over
// the text straight into the model, with every check of SPEC §1, each naming
// the contact id (or rule name) and the key. Syntax errors are worded and
// placed by json_errors.cpp; the contacts array is walked by
// read_contacts.cpp. Members the program does not know are kept as nlohmann
// values, their numbers as written (json_value.cpp), to be written back in place.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <utility>

#include "book_reader.hpp"
#include "book_schema.hpp"
#include "followup/expr.hpp"
#include "followup/text.hpp"

namespace followup {
namespace loader {
namespace {

// Keys named in places as literals of known length: a place is built only
// for a message, but its key is passed on for every value read.
using namespace std::string_view_literals;

// Equality of short strings (kinds) without a call to memcmp: a large
// book compares millions of them.
bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// Gathers an object's keys while it is read: the order is kept only when it
// is not the canonical one, or when a member is unknown or empty (an empty
// array or object is written back only when its key is in `order`). While
// the keys come in canonical order, the ones seen are a set of bits: a
// million objects each cost no list of their keys. `Known` is a constexpr
// array, so each key is compared with constants of known length.
template <const auto& Known>
class KeyOrder {
  static constexpr std::size_t N = Known.size();
  static_assert(N <= 32);

public:
  // Returns the key's rank in `Known`, or N when unknown. Inlined: it runs
  // for every member of every check-in.
  FOLLOWUP_HOT std::size_t see(std::string_view key) {
    const std::size_t rank = rank_of(key, std::make_index_sequence<N>());
    if (canonical_ && (rank == N || rank < last_)) not_canonical();
    if (!canonical_) order_.push_back(key);
    if (rank < N) {
      if (seen(rank)) duplicate_ = key;
      seen_ |= std::uint32_t{1} << rank;
      last_ = rank;
    }
    return rank;
  }
  // From here on every key is listed. Those seen so far, all known and in
  // canonical order, are the bits set.
  void not_canonical() {
    if (!canonical_) return;
    canonical_ = false;
    for (std::size_t r = 0; r < N; ++r)
      if (seen(r)) order_.push_back(Known[r]);
  }
  const std::optional<std::string_view>& duplicate() const { return duplicate_; }
  bool seen(std::size_t rank) const { return (seen_ >> rank) & 1u; }

  void finish(Unknown& u) const {
    if (canonical_) return;
    u.edit().order.assign(order_.begin(), order_.end());
  }

private:
  template <std::size_t... I>
  FOLLOWUP_HOT static std::size_t rank_of(std::string_view key, std::index_sequence<I...>) {
    std::size_t rank = N;
    (void)((key.size() == Known[I].size() && std::memcmp(key.data(), Known[I].data(), Known[I].size()) == 0
                ? (rank = I, true)
                : false) ||
           ...);
    return rank;
  }

  std::uint32_t seen_ = 0;
  std::size_t last_ = 0;
  bool canonical_ = true;
  std::vector<std::string_view> order_; // every key, once not canonical
  std::optional<std::string_view> duplicate_;
};

void keep_unknown(Unknown& u, std::string_view key, Json value) {
  Json& members = u.edit().members;
  if (members.is_null()) members = Json::object();
  members[std::string(key)] = std::move(value);
}

using schema::keys_of;
using schema::rank;
using schema::Type;
namespace say = schema::say;
using schema::kCheckIn;
using schema::kContact;
using schema::kPlan;
using schema::kRule;

// After an object's members: no key twice, every required one there.
template <const auto& Members, class P>
void check_members(const Reader& r, const KeyOrder<keys_of<Members>>& keys, const P& place) {
  if (keys.duplicate()) r.fail(say::twice(*keys.duplicate()), place);
  for (std::size_t i = 0; i < Members.size(); ++i)
    if (Members[i].required && !keys.seen(i)) r.fail(say::missing(Members[i].key), place);
}

// A string of type `t` whose text must pass schema::problem_with.
template <class P>
std::string checked_str(Reader& r, Type t, const P& place) {
  std::string s = r.str(place);
  if (auto problem = schema::problem_with(t, s)) r.fail(*problem, place);
  return s;
}

// What a summary load keeps of a check-in while reading it: its date, kind
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

namespace {

Rule read_rule(Reader& r, std::size_t index) {
  const Where index_place("rules", index);
  r.expect('{', "an object", index_place);
  json::Cursor& cur = r.cursor();
  Rule rule;
  KeyOrder<keys_of<kRule>> keys;
  auto place = [&] { return rule.name.empty() ? index_place : Where("rule ", std::string_view(rule.name)); };
  auto key_place = [&](std::string_view k) { return place().at_key(k); };
  for (bool more = cur.begin_object(); more; more = cur.next_member()) {
    std::string_view key = r.key();
    switch (keys.see(key)) {
    case rank(kRule, "name"): rule.name = checked_str(r, Type::rule_name, index_place.at_key("name"sv)); break;
    case rank(kRule, "match"): rule.match = r.str(key_place("match"sv)); break;
    case rank(kRule, "every"): rule.every = r.duration(key_place("every"sv), true); break;
    case rank(kRule, "counts"): rule.counts = r.str_list(key_place("counts"sv)); break;
    case rank(kRule, "warn"): rule.warn = r.duration(key_place("warn"sv), false); break;
    case rank(kRule, "attempts"): rule.attempts = r.str_list(key_place("attempts"sv)); break;
    case rank(kRule, "retry"): rule.retry = r.duration(key_place("retry"sv), false); break;
    default: keep_unknown(rule.unknown, key, r.raw());
    }
  }
  check_members<kRule>(r, keys, place);
  // After the loop, so that the place names the rule wherever its name is.
  if (auto problem = schema::problem_with(Type::match, rule.match)) r.fail(*problem, key_place("match"sv));
  keys.finish(rule.unknown);
  return rule;
}

// A whole number from 1 up, in an int64 (as the writer writes it back).
int read_version(Reader& r, std::string_view source) {
  const Where place = "key followup";
  json::Cursor& cur = r.cursor();
  auto refuse = [&] { r.fail(say::version_not_positive(), place); };
  if (cur.type() != json::Type::number) {
    cur.skip(kMaxDepth);
    refuse();
  }
  const std::string_view token = cur.number();
  if (token.find_first_of("-.eE") != std::string_view::npos) refuse();
  std::int64_t n = 0;
  for (char digit : token) {
    const int d = digit - '0';
    if (n > (std::numeric_limits<std::int64_t>::max() - d) / 10) refuse();
    n = n * 10 + d;
  }
  if (n < 1) refuse();
  if (n > kFormatVersion)
    throw_data(say::version_too_new(static_cast<std::uint64_t>(n)), fmt::format("{}, key followup", source), "upgrade followup to use this file");
  return static_cast<int>(n);
}

Book read_book(Reader& r, std::string_view source) {
  json::Cursor& cur = r.cursor();
  if (const json::Type top = cur.type(); top != json::Type::object) {
    cur.skip(kMaxDepth);
    throw_data(say::top_not_object(type_name(top)), std::string(source));
  }
  Book book;
  KeyOrder<keys_of<schema::kBook>> keys;
  for (bool more = cur.begin_object(); more; more = cur.next_member()) {
    std::string_view key = r.key();
    switch (keys.see(key)) {
    case rank(schema::kBook, "followup"):
      book.version = read_version(r, source);
      break;
    case rank(schema::kBook, "rules"): {
      r.expect(json::Type::array, "an array", "key rules");
      std::size_t n = 0;
      for (bool item = cur.begin_array(); item; item = cur.next_element()) {
        Rule rule = read_rule(r, n++);
        if (book.find_rule(rule.name))
          r.fail(say::rule_named_twice(rule.name), Where("rule ", std::string_view(rule.name)));
        book.rules.push_back(std::move(rule));
      }
      if (book.rules.empty()) keys.not_canonical();
      break;
    }
    case rank(schema::kBook, "contacts"):
      r.expect('[', "an array", "key contacts");
      read_contacts(r, book);
      break;
    default: keep_unknown(book.unknown, key, r.raw());
    }
  }
  if (keys.duplicate()) r.fail(say::twice(*keys.duplicate()), "the top level");
  if (!keys.seen(rank(schema::kBook, "followup")))
    throw_data(say::missing_version(), std::string(source),
               "a followup book starts with {\"followup\": 1, ...}");
  keys.finish(book.unknown);
  return book;
}

} // namespace
} // namespace loader

using loader::Reader;

Book parse_book(std::string_view text, std::string_view source, LoadDetail detail, const ParseOptions& options) {
  if (auto fault = encoding_fault(text)) throw_data(fault->what, fmt::format("{}:1:1", source), fault->hint);
  Reader r(source, text, detail, &options);
  try {
    Book book = loader::read_book(r, source);
    // Past the book's closing brace only blanks may follow.
    if (!r.cursor().at_end()) throw_json_syntax(text, source, "unexpected text after the book", r.cursor().offset());
    book.summary = is_summary(detail);
    return book;
  } catch (const json::SyntaxError& e) {
    throw_json_syntax(text, source, e);
  }
}

Contact contact_from_text(std::string_view text, std::string_view where) {
  Reader r(where, text, LoadDetail::full);
  try {
    Contact c = loader::read_contact(r, "contact");
    if (!r.cursor().at_end()) throw_json_syntax(text, where, "unexpected text after the contact", r.cursor().offset());
    return c;
  } catch (const json::SyntaxError& e) {
    throw_json_syntax(text, where, e);
  }
}

Book parse_book(std::string_view text, std::string_view source, LoadDetail detail) {
  return parse_book(text, source, detail, ParseOptions{});
}

// Through the writer's text, not dump(): numbers under unknown keys stay as written.
Contact contact_from_json(const Json& j, std::string_view where) { return contact_from_text(json_text(j), where); }

} // namespace followup
