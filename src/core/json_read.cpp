// Reading the data file: one pass of a json::Cursor over the text straight
// into the model, with every check of SPEC §1, each naming the contact id (or
// rule name) and the key. Syntax errors are worded and placed by
// json_errors.cpp. Members the program
// does not know are sliced out raw and kept as nlohmann values, to be written
// back in place.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <deque>
#include <iterator>
#include <limits>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "followup/error.hpp"
#include "followup/expr.hpp"
#include "followup/json_cursor.hpp"
#include "followup/json_io.hpp"
#include "followup/text.hpp"
#include "json_errors.hpp"

namespace followup {
namespace {

// Unknown members may nest; the writer recurses, so their nesting is bounded.
constexpr int kMaxDepth = kMaxJsonDepth;

std::string type_name(json::Type t) {
  switch (t) {
  case json::Type::null: return "null";
  case json::Type::boolean: return "a boolean";
  case json::Type::number: return "a number";
  case json::Type::string: return "a string";
  case json::Type::array: return "an array";
  case json::Type::object: return "an object";
  }
  return "a value";
}

// Where a value sits, for messages: "contact ana, interactions[3], key date".
// Kept as views and numbers and formatted only when a message needs it: a
// book holds a million values and almost never an error, so no string is
// built for the others.
struct Where {
  std::string_view head;            // "contact ", "rule ", "contacts", "key rules"...
  std::string_view name;            // the contact id or rule name after `head`
  std::optional<std::size_t> index; // "contacts[3]"
  std::optional<std::size_t> interaction;
  std::string_view key, sub; // ", key fields.phone"

  Where(const char* h) : head(h) {} // NOLINT: a plain place converts
  Where(std::string_view h, std::string_view n) : head(h), name(n) {}
  Where(std::string_view h, std::size_t i) : head(h), index(i) {}

  Where at_key(std::string_view k, std::string_view s = {}) const {
    Where w = *this;
    w.key = k;
    w.sub = s;
    return w;
  }
  Where at_interaction(std::size_t i) const {
    Where w = *this;
    w.interaction = i;
    return w;
  }
  std::string str() const {
    std::string out(head);
    if (index) out += fmt::format("[{}]", *index);
    out += name;
    if (interaction) out += fmt::format(", interactions[{}]", *interaction);
    if (!key.empty()) out += fmt::format(", key {}{}{}", key, sub.empty() ? "" : ".", sub);
    return out;
  }
};

// A place in a message is a Where, or a function that makes one: the hot
// paths read a million values, and make their place only for a message.
template <class P>
Where where_of(const P& place) {
  if constexpr (std::is_invocable_v<const P&>) return place();
  else return Where(place);
}

// The place of key `k` (and `sub`) in the object at `place`, made when asked.
template <class P>
auto at_key(const P& place, std::string_view k, std::string_view sub = {}) {
  return [&place, k, sub] { return where_of(place).at_key(k, sub); };
}

// Walks the text with a json::Cursor, checking each value as it is read.
class Reader {
public:
  // Reads `text` from byte `start` on.
  Reader(std::string_view source, std::string_view text, LoadDetail detail, const ParseOptions* options = nullptr,
         std::size_t start = 0)
      : source_(source), text_(text), cursor_(text), summary_(detail == LoadDetail::summary), detail_(detail),
        options_(options), reported_(start) {
    cursor_.seek(start);
  }

  json::Cursor& cursor() { return cursor_; }
  std::string_view text() const { return text_; }
  std::string_view source() const { return source_; }
  LoadDetail detail() const { return detail_; }
  const ParseOptions* options() const { return options_; }
  // After each contact: tells the caller, a few MB at a time, which bytes
  // this reader is done with.
  void contact_done() {
    constexpr std::size_t kStep = std::size_t{4} << 20;
    if (!options_ || !options_->done_with || cursor_.offset() < reported_ + kStep) return;
    options_->done_with(reported_, cursor_.offset());
    reported_ = cursor_.offset();
  }
  // Summary: notes and all but the latest check-in of each kind are checked
  // and dropped (see LoadDetail).
  bool summary() const { return summary_; }
  // Whether `s` is a view of the text itself (it lives as long as the
  // reader), not of the scratch an escaped string was unescaped into.
  bool in_text(std::string_view s) const {
    return s.data() >= text_.data() && s.data() <= text_.data() + text_.size();
  }

  template <class P>
  [[noreturn]] void fail(const std::string& what, const P& place) const {
    throw_data(what, fmt::format("{}, {}", source_, where_of(place).str()));
  }

  // The value here must be of type `want`. A value of another type is read
  // through first, so that a syntax error in it is what gets reported.
  template <class P>
  void expect(json::Type want, const char* what, const P& place) {
    const json::Type t = cursor_.type();
    if (t != want) wrong_type(t, what, place);
  }
  // The same when the type is told by its first byte (`open`: '{', '[' or
  // '"'): one compare on the usual path.
  template <class P>
  void expect(char open, const char* what, const P& place) {
    if (!cursor_.at(open)) wrong_type(cursor_.type(), what, place);
  }

  // Scratch for read_contact: the check-ins a summary keeps, and their
  // positions in the file.
  std::vector<Interaction>& kept() { return kept_; }
  std::vector<std::size_t>& positions() { return positions_; }

  // A member's key. It stays valid while the reader lives (objects keep
  // their keys' order): a view of the text, or of a copy when it had escapes.
  std::string_view key() {
    std::string_view k = cursor_.key(scratch_);
    if (in_text(k)) return k;
    return escaped_keys_.emplace_back(k);
  }

  // A string, unescaped: valid until the next string is read.
  template <class P>
  std::string_view view(const P& place) {
    expect('"', "a string", place);
    return cursor_.string(scratch_);
  }

  template <class P>
  std::string str(const P& place) {
    return std::string(view(place));
  }

  template <class P>
  std::vector<std::string> str_list(const P& place) {
    expect('[', "an array of strings", place);
    std::vector<std::string> out;
    for (bool more = cursor_.begin_array(); more; more = cursor_.next_element()) out.push_back(str(place));
    return out;
  }

  template <class P>
  Date date(const P& place) {
    std::string_view s = view(place);
    auto d = parse_iso_date(s);
    if (!d) fail(fmt::format("\"{}\" is not a date (YYYY-MM-DD)", s), place);
    return *d;
  }

  template <class P>
  Duration duration(const P& place, bool allow_never) {
    std::string_view s = view(place);
    auto d = parse_duration(s, allow_never);
    if (!d) fail(fmt::format("\"{}\" is not a duration (3d, 2w, 6m, 1y{})", s, allow_never ? ", never" : ""), place);
    return *d;
  }

  // A member the program does not know, kept as it was.
  Json raw() {
    cursor_.type(); // past the blanks
    const std::size_t offset = cursor_.offset();
    cursor_.skip(kMaxDepth);
    const std::string_view text = text_.substr(offset, cursor_.offset() - offset);
    try {
      return Json::parse(text);
    } catch (const Json::parse_error& e) {
      std::size_t byte = offset + (e.byte > 0 ? e.byte - 1 : 0);
      throw_data("malformed JSON in a value", json_place(source_, text_, byte));
    } catch (const Json::exception&) {
      // 1e400: a double cannot hold it, so it could not be written back as it was.
      throw_data("a number too large to keep", json_place(source_, text_, offset));
    }
  }

private:
  // Out of the way of the usual path, which never comes here.
  template <class P>
  [[noreturn, gnu::noinline, gnu::cold]] void wrong_type(json::Type t, const char* what, const P& place) {
    cursor_.skip(kMaxDepth);
    fail(fmt::format("expected {}, got {}", what, type_name(t)), place);
  }

  std::string_view source_;
  std::string_view text_;
  json::Cursor cursor_;
  bool summary_;
  LoadDetail detail_;
  const ParseOptions* options_;
  std::size_t reported_; // done_with() was told of the bytes before this
  std::string scratch_;                  // unescaped strings
  std::deque<std::string> escaped_keys_; // stable: keys are kept as views
  std::vector<Interaction> kept_;
  std::vector<std::size_t> positions_;
};

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
  // Returns the key's rank in `Known`, or N when unknown.
  std::size_t see(std::string_view key) {
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
  static std::size_t rank_of(std::string_view key, std::index_sequence<I...>) {
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

constexpr std::array<std::string_view, 4> kInteractionKeys{"date", "kind", "note", "by"};
constexpr std::array<std::string_view, 10> kContactKeys{"id", "name", "tags", "every", "counts", "fields",
                                                        "notes", "added", "snoozed_until", "interactions"};
constexpr std::array<std::string_view, 5> kRuleKeys{"name", "match", "every", "counts", "warn"};
constexpr std::array<std::string_view, 3> kBookKeys{"followup", "rules", "contacts"};

template <const auto& Known, class P>
void check_duplicate(const Reader& r, const KeyOrder<Known>& keys, const P& place) {
  if (keys.duplicate()) r.fail(fmt::format("the key \"{}\" appears twice", *keys.duplicate()), place);
}

// What a summary load keeps of a check-in while reading it: its date and
// kind (see LoadDetail). The kind is a view of the text, or of `unescaped`
// when it had an escape (the reader's scratch is reused by the next string).
struct Glance {
  Date date;
  bool has_kind = false;
  std::string_view kind;
  std::string unescaped;

  void set_kind(const Reader& r, std::string_view k) {
    has_kind = true;
    if (r.in_text(k)) {
      kind = k;
      return;
    }
    unescaped.assign(k);
    kind = unescaped;
  }
};

// One check-in, every value checked the same way, into an Interaction (full
// loads) or a Glance (summary loads, which drop the rest once checked).
template <class Out, class P>
void read_interaction(Reader& r, const P& place, Out& out) {
  constexpr bool full = std::is_same_v<Out, Interaction>;
  r.expect('{', "an object", place);
  json::Cursor& c = r.cursor();
  KeyOrder<kInteractionKeys> keys;
  for (bool more = c.begin_object(); more; more = c.next_member()) {
    std::string_view key = r.key();
    switch (keys.see(key)) {
    case 0: out.date = r.date(at_key(place, "date")); break;
    case 1:
      if constexpr (full) out.kind = r.str(at_key(place, "kind"));
      else out.set_kind(r, r.view(at_key(place, "kind")));
      break;
    case 2: {
      std::string_view note = r.view(at_key(place, "note"));
      if constexpr (full) out.note = std::string(note);
      break;
    }
    case 3: {
      std::string_view by = r.view(at_key(place, "by"));
      if constexpr (full) out.by = std::string(by);
      break;
    }
    default: {
      Json value = r.raw(); // checked in both modes
      if constexpr (full) keep_unknown(out.unknown, key, std::move(value));
    }
    }
  }
  check_duplicate(r, keys, place);
  if (!keys.seen(0)) r.fail("missing key \"date\"", place);
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

Contact read_contact(Reader& r, const Where& index_place) {
  r.expect('{', "an object", index_place);
  json::Cursor& cur = r.cursor();
  Contact c;
  KeyOrder<kContactKeys> keys;
  auto place = [&] { return c.id.empty() ? index_place : Where("contact ", std::string_view(c.id)); };
  auto key_place = [&](std::string_view k, std::string_view sub = {}) { return at_key(place, k, sub); };
  // Summary loads gather the kept check-ins in the reader's scratch, then
  // move them into the contact with one allocation of the right size.
  std::vector<Interaction>& kept = r.kept();
  std::vector<std::size_t>& seq = r.positions();
  kept.clear();
  seq.clear();
  for (bool more = cur.begin_object(); more; more = cur.next_member()) {
    std::string_view key = r.key();
    switch (keys.see(key)) {
    case 0: {
      std::string id = r.str(index_place.at_key("id"));
      if (!is_valid_id(id))
        r.fail(fmt::format("\"{}\" is not a valid id (lower-case letters, digits and '-')", id), index_place.at_key("id"));
      c.id = std::move(id);
      break;
    }
    case 1:
      c.name = r.str(key_place("name"));
      if (c.name.empty()) r.fail("the name is empty", key_place("name"));
      break;
    case 2:
      c.tags = r.str_list(key_place("tags"));
      if (c.tags.empty()) keys.not_canonical();
      break;
    case 3: c.every = r.duration(key_place("every"), true); break;
    case 4: c.counts = r.str_list(key_place("counts")); break;
    case 5: {
      r.expect('{', "an object", key_place("fields"));
      for (bool field = cur.begin_object(); field; field = cur.next_member()) {
        std::string k(r.key());
        c.fields.push_back(Field{k, r.str(key_place("fields", k))});
      }
      if (c.fields.empty()) keys.not_canonical();
      break;
    }
    case 6: {
      std::string_view notes = r.view(key_place("notes"));
      if (!r.summary()) c.notes = std::string(notes);
      break;
    }
    case 7: c.added = r.date(key_place("added")); break;
    case 8: c.snoozed_until = r.date(key_place("snoozed_until")); break;
    case 9: {
      r.expect('[', "an array", key_place("interactions"));
      std::size_t n = 0;
      auto item_place = [&] { return where_of(place).at_interaction(n); };
      Glance glance;
      for (bool item = cur.begin_array(); item; item = cur.next_element()) {
        if (r.summary()) {
          glance.has_kind = false;
          read_interaction(r, item_place, glance);
          keep_latest_of_kind(kept, seq, glance, n);
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
  check_duplicate(r, keys, place);
  if (!keys.seen(0)) r.fail("missing key \"id\"", index_place);
  if (!keys.seen(1)) r.fail("missing key \"name\"", place());
  if (r.summary()) {
    sort_kept(kept, seq);
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

Rule read_rule(Reader& r, std::size_t index) {
  const Where index_place("rules", index);
  r.expect('{', "an object", index_place);
  json::Cursor& cur = r.cursor();
  Rule rule;
  KeyOrder<kRuleKeys> keys;
  auto place = [&] { return rule.name.empty() ? index_place : Where("rule ", std::string_view(rule.name)); };
  auto key_place = [&](std::string_view k) { return place().at_key(k); };
  for (bool more = cur.begin_object(); more; more = cur.next_member()) {
    std::string_view key = r.key();
    switch (keys.see(key)) {
    case 0:
      rule.name = r.str(index_place.at_key("name"));
      if (rule.name.empty()) r.fail("the rule name is empty", index_place.at_key("name"));
      break;
    case 1: rule.match = r.str(key_place("match")); break;
    case 2: rule.every = r.duration(key_place("every"), true); break;
    case 3: rule.counts = r.str_list(key_place("counts")); break;
    case 4: rule.warn = r.duration(key_place("warn"), false); break;
    default: keep_unknown(rule.unknown, key, r.raw());
    }
  }
  check_duplicate(r, keys, place);
  if (!keys.seen(0)) r.fail("missing key \"name\"", index_place);
  if (!keys.seen(1)) r.fail("missing key \"match\"", place());
  try {
    parse_expr(rule.match);
  } catch (const ExprError& e) {
    r.fail(fmt::format("bad match expression at column {}: {}", e.column, e.message), key_place("match"));
  }
  if (!keys.seen(2)) r.fail("missing key \"every\"", place());
  keys.finish(rule.unknown);
  return rule;
}

// The first id seen again, in file order (as `check` reports it). A table
// of indexes, open addressing: one allocation for the book, no copy of an id.
void check_unique_ids(const Reader& r, const std::vector<Contact>& contacts) {
  std::size_t size = 16;
  while (size < 2 * contacts.size()) size *= 2;
  std::vector<std::size_t> slots(size, 0); // a contact's index + 1; 0 is free
  const std::hash<std::string_view> hash;
  for (std::size_t i = 0; i < contacts.size(); ++i) {
    const std::string_view id = contacts[i].id;
    for (std::size_t s = hash(id) & (size - 1);; s = (s + 1) & (size - 1)) {
      if (slots[s] == 0) {
        slots[s] = i + 1;
        break;
      }
      if (contacts[slots[s] - 1].id == id) r.fail(fmt::format("the id \"{}\" is used twice", id), Where("contact ", id));
    }
  }
}

// A whole number from 1 up, in an int64 (as the writer writes it back).
int read_version(Reader& r, std::string_view source) {
  const Where place = "key followup";
  json::Cursor& cur = r.cursor();
  auto refuse = [&] { r.fail("\"followup\" must be a positive whole number", place); };
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
    throw_data(fmt::format("the file is format version {}; this followup reads version {} at most", n, kFormatVersion),
               fmt::format("{}, key followup", source), "upgrade followup to use this file");
  return static_cast<int>(n);
}

// The contacts array, read in one pass or in parts on several threads.
//
// A part starts at a '{' that opens a line indented as the first contact's
// is, after a ','. That is only a guess at a contact's start (it could sit
// in a note's unknown member, say), so a part is taken only when the part
// before it, read from where it started, stops at a contact that starts at
// that very byte: the part was then read from the same state a single pass
// would have been in there, and holds what it would have read. Parts after
// a wrong guess are dropped, and an error in a part is found again by a
// single pass from where that part starts, so that it is worded and placed
// as it always is (contacts[N], the first error in the file).

// How a run of contacts ended: at the array's ']', or at the start of the
// contact where the next part starts.
enum class RunEnd { array, next_part };

// Reads contacts up to the array's end, or up to one that starts at byte
// `stop`. `more` says whether a contact follows (begin_array's answer); `n`
// is the index of the first one, for messages.
RunEnd read_run(Reader& r, std::vector<Contact>& contacts, std::vector<std::pair<std::size_t, std::size_t>>& spans,
                bool more, std::size_t n, std::size_t stop, const std::atomic<bool>* cancel = nullptr) {
  json::Cursor& cur = r.cursor();
  for (; more; more = cur.next_element()) {
    cur.type(); // past the blanks, to where the contact's '{' is
    const std::size_t begin = cur.offset();
    if (begin == stop || (cancel && cancel->load(std::memory_order_relaxed))) return RunEnd::next_part;
    contacts.push_back(read_contact(r, Where("contacts", n++)));
    spans.emplace_back(begin, cur.offset());
    r.contact_done();
  }
  return RunEnd::array;
}

// Room for as many contacts as `bytes` of text are likely to hold (real
// ones take well over 512 bytes each): growing a vector of 100k contacts
// step by step would move and touch twice the memory, and pages reserved
// but never reached cost nothing.
std::size_t likely_contacts(std::size_t bytes) { return bytes / 512; }

// Where parts could start, for `parts` parts of the text after the first
// contact (at `first`); empty when the layout gives no way to guess.
std::vector<std::size_t> part_starts(std::string_view text, std::size_t first, unsigned parts, std::size_t min_bytes) {
  std::vector<std::size_t> starts;
  const std::size_t line = text.rfind('\n', first);
  if (line == std::string_view::npos || text.find_first_not_of(" \t", line + 1) != first) return starts;
  const std::string_view opening = text.substr(line, first - line + 1); // "\n" + indentation + "{"
  std::size_t last = first;
  for (unsigned i = 1; i < parts; ++i) {
    std::size_t at = first + (text.size() - first) / parts * i;
    while ((at = text.find(opening, at)) != std::string_view::npos) {
      const std::size_t before = text.find_last_not_of(" \t\r\n", at);
      if (before != std::string_view::npos && text[before] == ',') break;
      at += opening.size();
    }
    if (at == std::string_view::npos) break;
    const std::size_t start = at + opening.size() - 1;
    if (start - last < min_bytes || text.size() - start < min_bytes) break;
    starts.push_back(start);
    last = start;
  }
  return starts;
}

// One part, read on a thread of its own by a reader of its own.
struct Part {
  std::string_view source, text;
  LoadDetail detail;
  const ParseOptions* options;
  std::size_t start = 0, stop = 0; // stop: where the next part starts, or npos
  std::vector<Contact> contacts;
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  RunEnd end = RunEnd::array;
  std::size_t end_offset = 0; // past the array's ']' when end is array
  bool failed = true;         // until read: also when no thread could be started

  void read(const std::atomic<bool>& cancel) {
    try {
      Reader r(source, text, detail, options, start);
      const std::size_t bytes = std::min(stop, text.size()) - start;
      contacts.reserve(likely_contacts(bytes));
      spans.reserve(likely_contacts(bytes));
      end = read_run(r, contacts, spans, true, 0, stop, &cancel);
      end_offset = r.cursor().offset();
      failed = false;
    } catch (...) {
      // Found again, and reported, by a single pass (read_contacts).
    }
  }
};

void read_contacts(Reader& r, Book& book) {
  json::Cursor& cur = r.cursor();
  book.contacts.reserve(likely_contacts(r.text().size()));
  book.spans.reserve(likely_contacts(r.text().size()));
  const bool more = cur.begin_array();
  const ParseOptions* o = r.options();
  std::vector<std::size_t> starts;
  if (more && o && o->threads > 1) {
    cur.type();
    starts = part_starts(r.text(), cur.offset(), std::min(o->threads, 64u), o->min_part_bytes);
  }
  if (starts.empty()) {
    read_run(r, book.contacts, book.spans, more, 0, std::string_view::npos);
    return;
  }
  std::vector<Part> parts(starts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::size_t stop = i + 1 < starts.size() ? starts[i + 1] : std::string_view::npos;
    parts[i] = Part{r.source(), r.text(), r.detail(), o, starts[i], stop, {}, {}, RunEnd::array, 0, true};
  }
  std::atomic<bool> cancel{false};
  std::vector<std::jthread> threads(parts.size());
  struct Stop { // the threads are told to stop, then joined, however this ends
    std::atomic<bool>& cancel;
    std::vector<std::jthread>& threads;
    ~Stop() {
      cancel = true;
      threads.clear();
    }
  } stop{cancel, threads};
  try {
    for (std::size_t i = 0; i < parts.size(); ++i)
      threads[i] = std::jthread([&part = parts[i], &cancel] { part.read(cancel); });
  } catch (const std::system_error&) {
    // No more threads to be had: the parts without one are read here.
  }

  RunEnd end = read_run(r, book.contacts, book.spans, more, 0, starts[0]);
  for (std::size_t i = 0; i < parts.size() && end == RunEnd::next_part; ++i) {
    if (threads[i].joinable()) threads[i].join();
    Part& part = parts[i];
    if (part.failed) { // read it again here: the error is then the one a single pass reports
      cur.seek(part.start);
      read_run(r, book.contacts, book.spans, true, book.contacts.size(), std::string_view::npos);
      return;
    }
    book.contacts.insert(book.contacts.end(), std::make_move_iterator(part.contacts.begin()),
                         std::make_move_iterator(part.contacts.end()));
    book.spans.insert(book.spans.end(), part.spans.begin(), part.spans.end());
    if (o->parts_taken) ++*o->parts_taken;
    end = part.end;
    if (end == RunEnd::array) cur.seek(part.end_offset);
  }
}

Book read_book(Reader& r, std::string_view source) {
  json::Cursor& cur = r.cursor();
  if (const json::Type top = cur.type(); top != json::Type::object) {
    cur.skip(kMaxDepth);
    throw_data(fmt::format("expected a JSON object at the top, got {}", type_name(top)), std::string(source));
  }
  Book book;
  KeyOrder<kBookKeys> keys;
  bool has_version = false;
  for (bool more = cur.begin_object(); more; more = cur.next_member()) {
    std::string_view key = r.key();
    switch (keys.see(key)) {
    case 0:
      book.version = read_version(r, source);
      has_version = true;
      break;
    case 1: {
      r.expect(json::Type::array, "an array", "key rules");
      std::size_t n = 0;
      for (bool item = cur.begin_array(); item; item = cur.next_element()) {
        Rule rule = read_rule(r, n++);
        if (book.find_rule(rule.name))
          r.fail(fmt::format("two rules are named \"{}\"", rule.name), Where("rule ", std::string_view(rule.name)));
        book.rules.push_back(std::move(rule));
      }
      if (book.rules.empty()) keys.not_canonical();
      break;
    }
    case 2:
      r.expect('[', "an array", "key contacts");
      read_contacts(r, book);
      check_unique_ids(r, book.contacts);
      break;
    default: keep_unknown(book.unknown, key, r.raw());
    }
  }
  check_duplicate(r, keys, "the top level");
  if (!has_version)
    throw_data("missing key \"followup\" (the format version)", std::string(source),
               "a followup book starts with {\"followup\": 1, ...}");
  keys.finish(book.unknown);
  return book;
}

} // namespace

Book parse_book(std::string_view text, std::string_view source, LoadDetail detail, const ParseOptions& options) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    throw_data("the file starts with a byte order mark", fmt::format("{}:1:1", source), "save it as UTF-8 without a BOM");
  Reader r(source, text, detail, &options);
  try {
    Book book = read_book(r, source);
    // Past the book's closing brace only blanks may follow.
    if (!r.cursor().at_end()) throw_json_syntax(text, source, "unexpected text after the book", r.cursor().offset());
    book.summary = detail == LoadDetail::summary;
    return book;
  } catch (const json::SyntaxError& e) {
    throw_json_syntax(text, source, e);
  }
}

Contact contact_from_text(std::string_view text, std::string_view where) {
  Reader r(where, text, LoadDetail::full);
  try {
    Contact c = read_contact(r, "contact");
    if (!r.cursor().at_end()) throw_json_syntax(text, where, "unexpected text after the contact", r.cursor().offset());
    return c;
  } catch (const json::SyntaxError& e) {
    throw_json_syntax(text, where, e);
  }
}

Contact contact_from_json(const Json& j, std::string_view where) { return contact_from_text(j.dump(), where); }

} // namespace followup
