// Reading the data file: one pass of simdjson's on-demand parser straight into
// the model, with every check of SPEC §1, each naming the contact id (or rule
// name) and the key. Syntax errors take a second, slower look with nlohmann
// only to name the line and column. Members the program does not know are
// sliced out raw and kept as nlohmann values, to be written back in place.
#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>
#include <simdjson.h>

#include "followup/error.hpp"
#include "followup/expr.hpp"
#include "followup/json_io.hpp"
#include "followup/text.hpp"

namespace od = simdjson::ondemand;

namespace followup {
namespace {

// Unknown members may nest; the writer recurses, so their nesting is bounded.
constexpr int kMaxDepth = 256;

std::string at(std::string_view source, std::string_view text, std::size_t byte) {
  int line = 1, column = 1;
  byte = std::min(byte, text.size());
  for (std::size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("{}:{}:{}", source, line, column);
}

// The byte at which `text` nests deeper than kMaxDepth, if it does.
std::optional<std::size_t> too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > kMaxDepth) return i;
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

[[noreturn]] void syntax_error(std::string_view text, std::string_view source, std::string_view fallback) {
  if (auto deep = too_deep(text))
    throw_data(fmt::format("JSON nested deeper than {} levels", kMaxDepth), at(source, text, *deep));
  try {
    Json ignored = Json::parse(text.begin(), text.end());
    (void)ignored;
  } catch (const Json::parse_error& e) {
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line
    // 3, column 5: syntax error while parsing value - invalid literal; ..."
    std::string what = e.what();
    auto dash = what.find(" - ");
    std::string detail = dash == std::string::npos ? what : what.substr(dash + 3);
    throw_data(fmt::format("malformed JSON: {}", detail), at(source, text, e.byte > 0 ? e.byte - 1 : 0));
  } catch (const Json::exception&) {
    // Well-formed but out of range (1e400): nlohmann's SAX interface says where.
    struct Overflow : nlohmann::detail::json_sax_acceptor<Json> {
      std::size_t end = 0;
      std::string token;
      bool parse_error(std::size_t pos, const std::string& last, const nlohmann::detail::exception&) {
        end = pos, token = last;
        return false;
      }
    } o;
    Json::sax_parse(text.begin(), text.end(), &o);
    throw_data(fmt::format("a number too large to read: {}", o.token),
               at(source, text, o.end - std::min(o.end, o.token.size())));
  }
  // nlohmann takes a NUL byte for the end of the text: name where it is.
  if (auto nul = text.find('\0'); nul != std::string_view::npos)
    throw_data("malformed JSON: a NUL byte", at(source, text, nul));
  throw_data(fmt::format("malformed JSON: {}", fallback), std::string(source));
}

std::string type_name(od::json_type t) {
  switch (t) {
  case od::json_type::null: return "null";
  case od::json_type::boolean: return "a boolean";
  case od::json_type::number: return "a number";
  case od::json_type::string: return "a string";
  case od::json_type::array: return "an array";
  case od::json_type::object: return "an object";
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

class Reader {
public:
  Reader(std::string_view source, std::string_view text, LoadDetail detail)
      : source_(source), text_(text), summary_(detail == LoadDetail::summary) {}

  // Summary: notes and all but the latest check-in of each kind are checked
  // and dropped (see LoadDetail).
  bool summary() const { return summary_; }

  // A value's byte range from where it starts to where the next token starts
  // (blanks trimmed); {0, 0} unless it is one object.
  std::pair<std::size_t, std::size_t> span(const char* begin, const char* next) const {
    const char* first = text_.data();
    if (!begin || begin < first || begin >= first + text_.size()) return {0, 0};
    const char* end = next && next > begin && next <= first + text_.size() ? next : first + text_.size();
    while (end > begin && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\r' || end[-1] == '\t')) --end;
    if (*begin != '{' || end == begin || end[-1] != '}') return {0, 0};
    return {static_cast<std::size_t>(begin - first), static_cast<std::size_t>(end - first)};
  }

  [[noreturn]] void fail(const std::string& what, const Where& place) const {
    throw_data(what, fmt::format("{}, {}", source_, place.str()));
  }

  void expect(od::value& v, od::json_type want, const char* what, const Where& place) const {
    od::json_type t = v.type();
    if (t != want) fail(fmt::format("expected {}, got {}", what, type_name(t)), place);
  }

  // A string, unescaped in the parser's buffer: valid until the next document.
  std::string_view view(od::value v, const Where& place) const {
    expect(v, od::json_type::string, "a string", place);
    return v.get_string();
  }

  std::string str(od::value v, const Where& place) const { return std::string(view(v, place)); }

  std::vector<std::string> str_list(od::value v, const Where& place) const {
    expect(v, od::json_type::array, "an array of strings", place);
    std::vector<std::string> out;
    for (auto item : v.get_array()) out.push_back(str(item.value(), place));
    return out;
  }

  Date date(od::value v, const Where& place) const {
    std::string_view s = view(v, place);
    auto d = parse_iso_date(s);
    if (!d) fail(fmt::format("\"{}\" is not a date (YYYY-MM-DD)", s), place);
    return *d;
  }

  Duration duration(od::value v, const Where& place, bool allow_never) const {
    std::string_view s = view(v, place);
    auto d = parse_duration(s, allow_never);
    if (!d) fail(fmt::format("\"{}\" is not a duration (3d, 2w, 6m, 1y{})", s, allow_never ? ", never" : ""), place);
    return *d;
  }

  // A member the program does not know, kept as it was.
  Json raw(od::value v) const {
    od::json_type t = v.type();
    std::string_view text;
    if (t == od::json_type::object) {
      od::object o = v.get_object();
      text = o.raw_json();
    } else if (t == od::json_type::array) {
      od::array a = v.get_array();
      text = a.raw_json();
    } else {
      text = v.raw_json_token();
      // Consume it: skipped, a string before ':' passes for a key in simdjson,
      // which would let {"x": "y": ]} through.
      if (t == od::json_type::string) (void)v.get_raw_json_string();
    }
    std::size_t offset = static_cast<std::size_t>(text.data() - text_.data());
    if (auto deep = too_deep(text))
      throw_data(fmt::format("JSON nested deeper than {} levels", kMaxDepth), at(source_, text_, offset + *deep));
    // nlohmann would stop at a NUL and take `1\0junk` for 1.
    if (auto nul = text.find('\0'); nul != std::string_view::npos)
      throw_data("malformed JSON: a NUL byte", at(source_, text_, offset + nul));
    try {
      return Json::parse(text);
    } catch (const Json::parse_error& e) {
      std::size_t byte = offset + (e.byte > 0 ? e.byte - 1 : 0);
      throw_data("malformed JSON in a value", at(source_, text_, byte));
    } catch (const Json::exception&) {
      // 1e400: a double cannot hold it, so it could not be written back as it was.
      throw_data("a number too large to keep", at(source_, text_, offset));
    }
  }

private:
  std::string_view source_;
  std::string_view text_;
  bool summary_;
};

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
    auto pos = std::find(known_.begin(), known_.end(), key);
    auto rank = static_cast<std::size_t>(pos - known_.begin());
    if (rank == N || rank < last_) canonical_ = false;
    if (rank < N) {
      if (seen_[rank]) duplicate_ = key;
      seen_[rank] = true;
      last_ = rank;
    }
    return rank;
  }
  void not_canonical() { canonical_ = false; }
  const std::optional<std::string_view>& duplicate() const { return duplicate_; }
  bool seen(std::size_t rank) const { return seen_[rank]; }

  void finish(Unknown& u) const {
    if (canonical_) return;
    u.order.assign(inline_.begin(), inline_.begin() + static_cast<std::ptrdiff_t>(std::min(count_, inline_.size())));
    u.order.insert(u.order.end(), more_.begin(), more_.end());
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
  if (u.members.is_null()) u.members = Json::object();
  u.members[std::string(key)] = std::move(value);
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

Interaction read_interaction(const Reader& r, od::value v, const Where& place) {
  r.expect(v, od::json_type::object, "an object", place);
  Interaction it;
  KeyOrder keys(kInteractionKeys);
  const bool keep = !r.summary();
  for (auto field : v.get_object()) {
    std::string_view key = field.unescaped_key();
    switch (keys.see(key)) {
    case 0: it.date = r.date(field.value(), place.at_key("date")); break;
    case 1: it.kind = r.str(field.value(), place.at_key("kind")); break;
    case 2: {
      std::string_view note = r.view(field.value(), place.at_key("note"));
      if (keep) it.note = std::string(note);
      break;
    }
    case 3: {
      std::string_view by = r.view(field.value(), place.at_key("by"));
      if (keep) it.by = std::string(by);
      break;
    }
    default: {
      Json value = r.raw(field.value()); // checked in both modes
      if (keep) keep_unknown(it.unknown, key, std::move(value));
    }
    }
  }
  check_duplicate(r, keys, place);
  if (!keys.seen(0)) r.fail("missing key \"date\"", place);
  keys.finish(it.unknown);
  return it;
}

// A contact's place in messages: its id once known (ids come first in files
// followup writes), else its index.
// Summary loads keep, of each kind, only the latest check-in (the last of
// its date in file order): enough for due dates, `last`, `last_kind` and
// `kind:`. `seq` holds each kept one's position in the file.
void keep_latest_of_kind(std::vector<Interaction>& kept, std::vector<std::size_t>& seq, Interaction it,
                         std::size_t position) {
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (kept[i].kind != it.kind) continue;
    if (it.date >= kept[i].date) {
      kept[i] = std::move(it);
      seq[i] = position;
    }
    return;
  }
  kept.push_back(std::move(it));
  seq.push_back(position);
}

// By date, then file order: as the stable sort of a full load leaves them.
void sort_kept(std::vector<Interaction>& kept, const std::vector<std::size_t>& seq) {
  std::vector<std::size_t> order(kept.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return kept[a].date != kept[b].date ? kept[a].date < kept[b].date : seq[a] < seq[b];
  });
  std::vector<Interaction> sorted;
  sorted.reserve(kept.size());
  for (std::size_t i : order) sorted.push_back(std::move(kept[i]));
  kept = std::move(sorted);
}

Contact read_contact(const Reader& r, od::value v, const Where& index_place) {
  r.expect(v, od::json_type::object, "an object", index_place);
  Contact c;
  KeyOrder keys(kContactKeys);
  auto place = [&] { return c.id.empty() ? index_place : Where("contact ", std::string_view(c.id)); };
  auto key_place = [&](std::string_view k, std::string_view sub = {}) { return place().at_key(k, sub); };
  std::vector<std::size_t> seq; // summary loads only
  for (auto field : v.get_object()) {
    std::string_view key = field.unescaped_key();
    od::value val = field.value();
    switch (keys.see(key)) {
    case 0: {
      std::string id = r.str(val, index_place.at_key("id"));
      if (!is_valid_id(id))
        r.fail(fmt::format("\"{}\" is not a valid id (lower-case letters, digits and '-')", id), index_place.at_key("id"));
      c.id = std::move(id);
      break;
    }
    case 1:
      c.name = r.str(val, key_place("name"));
      if (c.name.empty()) r.fail("the name is empty", key_place("name"));
      break;
    case 2:
      c.tags = r.str_list(val, key_place("tags"));
      if (c.tags.empty()) keys.not_canonical();
      break;
    case 3: c.every = r.duration(val, key_place("every"), true); break;
    case 4: c.counts = r.str_list(val, key_place("counts")); break;
    case 5: {
      r.expect(val, od::json_type::object, "an object", key_place("fields"));
      for (auto f : val.get_object()) {
        std::string k(std::string_view(f.unescaped_key()));
        c.fields.push_back(Field{k, r.str(f.value(), key_place("fields", k))});
      }
      if (c.fields.empty()) keys.not_canonical();
      break;
    }
    case 6: {
      std::string_view notes = r.view(val, key_place("notes"));
      if (!r.summary()) c.notes = std::string(notes);
      break;
    }
    case 7: c.added = r.date(val, key_place("added")); break;
    case 8: c.snoozed_until = r.date(val, key_place("snoozed_until")); break;
    case 9: {
      const Where p = place();
      r.expect(val, od::json_type::array, "an array", key_place("interactions"));
      std::size_t n = 0;
      for (auto item : val.get_array()) {
        Interaction it = read_interaction(r, item.value(), p.at_interaction(n));
        if (r.summary()) keep_latest_of_kind(c.interactions, seq, std::move(it), n);
        else c.interactions.push_back(std::move(it));
        ++n;
      }
      if (c.interactions.empty()) keys.not_canonical();
      break;
    }
    default: keep_unknown(c.unknown, key, r.raw(val));
    }
  }
  check_duplicate(r, keys, place());
  if (!keys.seen(0)) r.fail("missing key \"id\"", index_place);
  if (!keys.seen(1)) r.fail("missing key \"name\"", place());
  if (r.summary()) sort_kept(c.interactions, seq);
  // Hand-edited files may be out of order; the contract keeps them sorted.
  else if (!std::is_sorted(c.interactions.begin(), c.interactions.end(),
                      [](const Interaction& a, const Interaction& b) { return a.date < b.date; }))
    std::stable_sort(c.interactions.begin(), c.interactions.end(),
                     [](const Interaction& a, const Interaction& b) { return a.date < b.date; });
  keys.finish(c.unknown);
  return c;
}

Rule read_rule(const Reader& r, od::value v, std::size_t index) {
  const Where index_place("rules", index);
  r.expect(v, od::json_type::object, "an object", index_place);
  Rule rule;
  KeyOrder keys(kRuleKeys);
  auto place = [&] { return rule.name.empty() ? index_place : Where("rule ", std::string_view(rule.name)); };
  auto key_place = [&](std::string_view k) { return place().at_key(k); };
  for (auto field : v.get_object()) {
    std::string_view key = field.unescaped_key();
    od::value val = field.value();
    switch (keys.see(key)) {
    case 0:
      rule.name = r.str(val, index_place.at_key("name"));
      if (rule.name.empty()) r.fail("the rule name is empty", index_place.at_key("name"));
      break;
    case 1: rule.match = r.str(val, key_place("match")); break;
    case 2: rule.every = r.duration(val, key_place("every"), true); break;
    case 3: rule.counts = r.str_list(val, key_place("counts")); break;
    case 4: rule.warn = r.duration(val, key_place("warn"), false); break;
    default: keep_unknown(rule.unknown, key, r.raw(val));
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

int read_version(const Reader& r, od::value v, std::string_view source) {
  const Where place = "key followup";
  std::int64_t n = 0;
  if (v.type() != od::json_type::number || v.get_number_type() != od::number_type::signed_integer ||
      (n = v.get_int64()) < 1)
    r.fail("\"followup\" must be a positive whole number", place);
  if (n > kFormatVersion)
    throw_data(fmt::format("the file is format version {}; this followup reads version {} at most", n, kFormatVersion),
               fmt::format("{}, key followup", source), "upgrade followup to use this file");
  return static_cast<int>(n);
}

// Where the parser stands in the text, or null at its end.
const char* location(od::document& doc) {
  auto loc = doc.current_location();
  return loc.error() ? nullptr : loc.value_unsafe();
}

Book read_book(const Reader& r, od::document& doc, std::string_view source) {
  if (doc.type() != od::json_type::object)
    throw_data(fmt::format("expected a JSON object at the top, got {}", type_name(doc.type())), std::string(source));
  Book book;
  KeyOrder keys(kBookKeys);
  bool has_version = false;
  for (auto field : doc.get_object()) {
    std::string_view key = field.unescaped_key();
    od::value val = field.value();
    switch (keys.see(key)) {
    case 0:
      book.version = read_version(r, val, source);
      has_version = true;
      break;
    case 1: {
      r.expect(val, od::json_type::array, "an array", "key rules");
      std::size_t n = 0;
      for (auto item : val.get_array()) {
        Rule rule = read_rule(r, item.value(), n++);
        if (book.find_rule(rule.name))
          r.fail(fmt::format("two rules are named \"{}\"", rule.name), Where("rule ", std::string_view(rule.name)));
        book.rules.push_back(std::move(rule));
      }
      if (book.rules.empty()) keys.not_canonical();
      break;
    }
    case 2: {
      r.expect(val, od::json_type::array, "an array", "key contacts");
      std::size_t n = 0;
      for (auto item : val.get_array()) {
        const char* begin = location(doc);
        book.contacts.push_back(read_contact(r, item.value(), Where("contacts", n++)));
        book.spans.push_back(r.span(begin, location(doc)));
      }
      check_unique_ids(r, book.contacts);
      break;
    }
    default: keep_unknown(book.unknown, key, r.raw(val));
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

Book parse_book_buffer(const char* data, std::size_t size, std::size_t capacity, std::string_view source,
                       LoadDetail detail) {
  std::string_view text(data, size);
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    throw_data("the file starts with a byte order mark", fmt::format("{}:1:1", source), "save it as UTF-8 without a BOM");
  Reader r(source, text, detail);
  try {
    od::parser parser;
    od::document doc = parser.iterate(simdjson::padded_string_view(data, size, capacity));
    Book book = read_book(r, doc, source);
    // Past the book's closing brace only blanks may follow.
    if (!doc.current_location().error()) syntax_error(text, source, "unexpected text after the book");
    book.summary = detail == LoadDetail::summary;
    return book;
  } catch (const simdjson::simdjson_error& e) {
    syntax_error(text, source, simdjson::error_message(e.error()));
  }
}

Book parse_book_buffer(std::string& buffer, std::string_view source, LoadDetail detail) {
  const std::size_t size = buffer.size();
  buffer.reserve(size + simdjson::SIMDJSON_PADDING);
  return parse_book_buffer(buffer.data(), size, buffer.capacity(), source, detail);
}

Book parse_book(std::string_view text, std::string_view source, LoadDetail detail) {
  std::string buffer(text);
  return parse_book_buffer(buffer, source, detail);
}

Contact contact_from_json(const Json& j, std::string_view where) {
  std::string buffer = j.dump();
  buffer.reserve(buffer.size() + simdjson::SIMDJSON_PADDING);
  Reader r(where, buffer, LoadDetail::full);
  try {
    od::parser parser;
    od::document doc = parser.iterate(simdjson::padded_string_view(buffer.data(), buffer.size(), buffer.capacity()));
    od::value v = doc.get_value();
    return read_contact(r, v, "contact");
  } catch (const simdjson::simdjson_error& e) {
    syntax_error(buffer, where, simdjson::error_message(e.error()));
  }
}

} // namespace followup
