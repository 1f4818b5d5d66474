// Reading the data file: one pass of a json::Cursor over the text straight
// into the model, with every check of SPEC §1, each naming the contact id (or
// rule name) and the key. Syntax errors are worded and placed by
// json_errors.cpp. Members the program
// does not know are sliced out raw and kept as nlohmann values, to be written
// back in place.
#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <iterator>
#include <limits>
#include <type_traits>

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

// Walks the text with a json::Cursor, checking each value as it is read.
class Reader {
public:
  Reader(std::string_view source, std::string_view text, LoadDetail detail,
         const std::function<void(std::size_t)>* progress = nullptr)
      : source_(source), text_(text), cursor_(text), summary_(detail == LoadDetail::summary), progress_(progress) {}

  json::Cursor& cursor() { return cursor_; }
  std::size_t text_size() const { return text_.size(); }
  void contact_done() {
    if (progress_ && *progress_) (*progress_)(cursor_.offset());
  }
  // Summary: notes and all but the latest check-in of each kind are checked
  // and dropped (see LoadDetail).
  bool summary() const { return summary_; }

  [[noreturn]] void fail(const std::string& what, const Where& place) const {
    throw_data(what, fmt::format("{}, {}", source_, place.str()));
  }

  // The value here must be of type `want`. A value of another type is read
  // through first, so that a syntax error in it is what gets reported.
  void expect(json::Type want, const char* what, const Where& place) {
    const json::Type t = cursor_.type();
    if (t == want) return;
    cursor_.skip(kMaxDepth);
    fail(fmt::format("expected {}, got {}", what, type_name(t)), place);
  }

  // Scratch for read_contact: the check-ins a summary keeps, and their
  // positions in the file.
  std::vector<Interaction>& kept() { return kept_; }
  std::vector<std::size_t>& positions() { return positions_; }

  // A member's key. It stays valid while the reader lives (objects keep
  // their keys' order): a view of the text, or of a copy when it had escapes.
  std::string_view key() {
    std::string_view k = cursor_.key(scratch_);
    if (k.data() >= text_.data() && k.data() <= text_.data() + text_.size()) return k;
    return escaped_keys_.emplace_back(k);
  }

  // A string, unescaped: valid until the next string is read.
  std::string_view view(const Where& place) {
    expect(json::Type::string, "a string", place);
    return cursor_.string(scratch_);
  }

  std::string str(const Where& place) { return std::string(view(place)); }

  std::vector<std::string> str_list(const Where& place) {
    expect(json::Type::array, "an array of strings", place);
    std::vector<std::string> out;
    for (bool more = cursor_.begin_array(); more; more = cursor_.next_element()) out.push_back(str(place));
    return out;
  }

  Date date(const Where& place) {
    std::string_view s = view(place);
    auto d = parse_iso_date(s);
    if (!d) fail(fmt::format("\"{}\" is not a date (YYYY-MM-DD)", s), place);
    return *d;
  }

  Duration duration(const Where& place, bool allow_never) {
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
  std::string_view source_;
  std::string_view text_;
  json::Cursor cursor_;
  bool summary_;
  const std::function<void(std::size_t)>* progress_;
  std::string scratch_;                  // unescaped strings
  std::deque<std::string> escaped_keys_; // stable: keys are kept as views
  std::vector<Interaction> kept_;
  std::vector<std::size_t> positions_;
};

// Equality of short strings (keys, kinds) without a call to memcmp: a large
// book compares millions of them.
bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// Gathers an object's keys while it is read: the order is kept only when it
// is not the canonical one, or when a member is unknown or empty (an empty
// array or object is written back only when its key is in `order`).
template <std::size_t N>
class KeyOrder {
public:
  explicit KeyOrder(const std::array<std::string_view, N>& known) : known_(known) {}

  // Returns the key's rank in `known`, or N when unknown.
  std::size_t see(std::string_view key) {
    if (count_ < inline_.size()) inline_[count_] = key;
    else more_.push_back(key);
    ++count_;
    const std::size_t rank = rank_of(key);
    if (rank == N || rank < last_) canonical_ = false;
    if (rank < N) {
      if (seen_[rank]) duplicate_ = key;
      seen_[rank] = true;
      last_ = rank;
    }
    return rank;
  }
  void not_canonical() { canonical_ = false; }
  // Keys mostly come in the canonical order: the search starts after the
  // last one found (a million objects, each a few keys).
  std::size_t rank_of(std::string_view key) const {
    const std::size_t start = count_ > 1 ? last_ + 1 : 0;
    for (std::size_t i = 0; i < N; ++i) {
      const std::size_t r = (start + i) % N;
      if (same(known_[r], key)) return r;
    }
    return N;
  }
  const std::optional<std::string_view>& duplicate() const { return duplicate_; }
  bool seen(std::size_t rank) const { return seen_[rank]; }

  void finish(Unknown& u) const {
    if (canonical_) return;
    auto& order = u.edit().order;
    order.assign(inline_.begin(), inline_.begin() + static_cast<std::ptrdiff_t>(std::min(count_, inline_.size())));
    order.insert(order.end(), more_.begin(), more_.end());
  }

private:
  const std::array<std::string_view, N>& known_;
  // The keys seen, on the stack for the usual few (no allocation per object).
  std::array<std::string_view, N + 4> inline_{};
  std::vector<std::string_view> more_;
  std::size_t count_ = 0;
  std::array<bool, N> seen_{};
  std::size_t last_ = 0;
  bool canonical_ = true;
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

template <std::size_t N>
void check_duplicate(const Reader& r, const KeyOrder<N>& keys, const Where& place) {
  if (keys.duplicate()) r.fail(fmt::format("the key \"{}\" appears twice", *keys.duplicate()), place);
}

// What a summary load keeps of a check-in while reading it: its date and
// kind (see LoadDetail). The kind's text is reused from one to the next.
struct Glance {
  Date date;
  bool has_kind = false;
  std::string kind;
};

// One check-in, every value checked the same way, into an Interaction (full
// loads) or a Glance (summary loads, which drop the rest once checked).
template <class Out>
void read_interaction(Reader& r, const Where& place, Out& out) {
  constexpr bool full = std::is_same_v<Out, Interaction>;
  r.expect(json::Type::object, "an object", place);
  json::Cursor& c = r.cursor();
  KeyOrder keys(kInteractionKeys);
  for (bool more = c.begin_object(); more; more = c.next_member()) {
    std::string_view key = r.key();
    switch (keys.see(key)) {
    case 0: out.date = r.date(place.at_key("date")); break;
    case 1:
      if constexpr (full) {
        out.kind = r.str(place.at_key("kind"));
      } else {
        out.kind.assign(r.view(place.at_key("kind")));
        out.has_kind = true;
      }
      break;
    case 2: {
      std::string_view note = r.view(place.at_key("note"));
      if constexpr (full) out.note = std::string(note);
      break;
    }
    case 3: {
      std::string_view by = r.view(place.at_key("by"));
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
  r.expect(json::Type::object, "an object", index_place);
  json::Cursor& cur = r.cursor();
  Contact c;
  KeyOrder keys(kContactKeys);
  auto place = [&] { return c.id.empty() ? index_place : Where("contact ", std::string_view(c.id)); };
  auto key_place = [&](std::string_view k, std::string_view sub = {}) { return place().at_key(k, sub); };
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
      r.expect(json::Type::object, "an object", key_place("fields"));
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
      const Where p = place();
      r.expect(json::Type::array, "an array", key_place("interactions"));
      std::size_t n = 0;
      Glance glance;
      for (bool item = cur.begin_array(); item; item = cur.next_element()) {
        if (r.summary()) {
          glance.has_kind = false;
          read_interaction(r, p.at_interaction(n), glance);
          keep_latest_of_kind(kept, seq, glance, n);
        } else {
          read_interaction(r, p.at_interaction(n), c.interactions.emplace_back());
        }
        ++n;
      }
      if (n == 0) keys.not_canonical();
      break;
    }
    default: keep_unknown(c.unknown, key, r.raw());
    }
  }
  check_duplicate(r, keys, place());
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
  r.expect(json::Type::object, "an object", index_place);
  json::Cursor& cur = r.cursor();
  Rule rule;
  KeyOrder keys(kRuleKeys);
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
  check_duplicate(r, keys, place());
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

// Sorted views rather than a set of copies: one allocation for the book.
void check_unique_ids(const Reader& r, const std::vector<Contact>& contacts) {
  std::vector<std::string_view> ids;
  ids.reserve(contacts.size());
  for (const auto& c : contacts) ids.push_back(c.id);
  std::sort(ids.begin(), ids.end());
  auto twice = std::adjacent_find(ids.begin(), ids.end());
  if (twice != ids.end()) r.fail(fmt::format("the id \"{}\" is used twice", *twice), Where("contact ", *twice));
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

Book read_book(Reader& r, std::string_view source) {
  json::Cursor& cur = r.cursor();
  if (const json::Type top = cur.type(); top != json::Type::object) {
    cur.skip(kMaxDepth);
    throw_data(fmt::format("expected a JSON object at the top, got {}", type_name(top)), std::string(source));
  }
  Book book;
  KeyOrder keys(kBookKeys);
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
    case 2: {
      r.expect(json::Type::array, "an array", "key contacts");
      // Room for as many contacts as a file of this size is likely to hold
      // (real ones take well over 512 bytes each): growing a vector of 100k
      // contacts step by step would move and touch twice the memory, and
      // pages reserved but never reached cost nothing.
      book.contacts.reserve(r.text_size() / 512);
      book.spans.reserve(r.text_size() / 512);
      std::size_t n = 0;
      for (bool item = cur.begin_array(); item; item = cur.next_element()) {
        cur.type(); // past the blanks, to where the contact's '{' is
        const std::size_t begin = cur.offset();
        book.contacts.push_back(read_contact(r, Where("contacts", n++)));
        book.spans.emplace_back(begin, cur.offset());
        r.contact_done();
      }
      check_unique_ids(r, book.contacts);
      break;
    }
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

Book parse_book(std::string_view text, std::string_view source, LoadDetail detail,
                const std::function<void(std::size_t)>& progress) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    throw_data("the file starts with a byte order mark", fmt::format("{}:1:1", source), "save it as UTF-8 without a BOM");
  Reader r(source, text, detail, &progress);
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
