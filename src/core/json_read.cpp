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
    // Well-formed but out of range (1e400): the fallback message says which.
  }
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

class Reader {
public:
  Reader(std::string_view source, std::string_view text) : source_(source), text_(text) {}

  [[noreturn]] void fail(const std::string& what, const std::string& place) const {
    throw_data(what, fmt::format("{}, {}", source_, place));
  }

  void expect(od::value& v, od::json_type want, const char* what, const std::string& place) const {
    od::json_type t = v.type();
    if (t != want) fail(fmt::format("expected {}, got {}", what, type_name(t)), place);
  }

  std::string str(od::value v, const std::string& place) const {
    expect(v, od::json_type::string, "a string", place);
    return std::string(std::string_view(v.get_string()));
  }

  std::vector<std::string> str_list(od::value v, const std::string& place) const {
    expect(v, od::json_type::array, "an array of strings", place);
    std::vector<std::string> out;
    for (auto item : v.get_array()) out.push_back(str(item.value(), place));
    return out;
  }

  Date date(od::value v, const std::string& place) const {
    std::string s = str(v, place);
    auto d = parse_iso_date(s);
    if (!d) fail(fmt::format("\"{}\" is not a date (YYYY-MM-DD)", s), place);
    return *d;
  }

  Duration duration(od::value v, const std::string& place, bool allow_never) const {
    std::string s = str(v, place);
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
    }
    std::size_t offset = static_cast<std::size_t>(text.data() - text_.data());
    if (auto deep = too_deep(text))
      throw_data(fmt::format("JSON nested deeper than {} levels", kMaxDepth), at(source_, text_, offset + *deep));
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
    keys_.push_back(key);
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
    u.order.assign(keys_.begin(), keys_.end());
  }

private:
  const std::array<std::string_view, N>& known_;
  std::vector<std::string_view> keys_;
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
void check_duplicate(const Reader& r, const KeyOrder<N>& keys, const std::string& place) {
  if (keys.duplicate()) r.fail(fmt::format("the key \"{}\" appears twice", *keys.duplicate()), place);
}

Interaction read_interaction(const Reader& r, od::value v, const std::string& place) {
  r.expect(v, od::json_type::object, "an object", place);
  Interaction it;
  KeyOrder keys(kInteractionKeys);
  for (auto field : v.get_object()) {
    std::string_view key = field.unescaped_key();
    switch (keys.see(key)) {
    case 0: it.date = r.date(field.value(), place + ", key date"); break;
    case 1: it.kind = r.str(field.value(), place + ", key kind"); break;
    case 2: it.note = r.str(field.value(), place + ", key note"); break;
    case 3: it.by = r.str(field.value(), place + ", key by"); break;
    default: keep_unknown(it.unknown, key, r.raw(field.value()));
    }
  }
  check_duplicate(r, keys, place);
  if (!keys.seen(0)) r.fail("missing key \"date\"", place);
  keys.finish(it.unknown);
  return it;
}

// A contact's place in messages: its id once known (ids come first in files
// followup writes), else its index.
Contact read_contact(const Reader& r, od::value v, const std::string& index_place) {
  r.expect(v, od::json_type::object, "an object", index_place);
  Contact c;
  KeyOrder keys(kContactKeys);
  auto place = [&] { return c.id.empty() ? index_place : fmt::format("contact {}", c.id); };
  auto key_place = [&](std::string_view k) { return fmt::format("{}, key {}", place(), k); };
  for (auto field : v.get_object()) {
    std::string_view key = field.unescaped_key();
    od::value val = field.value();
    switch (keys.see(key)) {
    case 0: {
      std::string id = r.str(val, index_place + ", key id");
      if (!is_valid_id(id))
        r.fail(fmt::format("\"{}\" is not a valid id (lower-case letters, digits and '-')", id), index_place + ", key id");
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
        c.fields.push_back(Field{k, r.str(f.value(), key_place("fields." + k))});
      }
      if (c.fields.empty()) keys.not_canonical();
      break;
    }
    case 6: c.notes = r.str(val, key_place("notes")); break;
    case 7: c.added = r.date(val, key_place("added")); break;
    case 8: c.snoozed_until = r.date(val, key_place("snoozed_until")); break;
    case 9: {
      std::string p = place();
      r.expect(val, od::json_type::array, "an array", key_place("interactions"));
      std::size_t n = 0;
      for (auto item : val.get_array())
        c.interactions.push_back(read_interaction(r, item.value(), fmt::format("{}, interactions[{}]", p, n++)));
      if (c.interactions.empty()) keys.not_canonical();
      break;
    }
    default: keep_unknown(c.unknown, key, r.raw(val));
    }
  }
  check_duplicate(r, keys, place());
  if (!keys.seen(0)) r.fail("missing key \"id\"", index_place);
  if (!keys.seen(1)) r.fail("missing key \"name\"", place());
  // Hand-edited files may be out of order; the contract keeps them sorted.
  if (!std::is_sorted(c.interactions.begin(), c.interactions.end(),
                      [](const Interaction& a, const Interaction& b) { return a.date < b.date; }))
    std::stable_sort(c.interactions.begin(), c.interactions.end(),
                     [](const Interaction& a, const Interaction& b) { return a.date < b.date; });
  keys.finish(c.unknown);
  return c;
}

Rule read_rule(const Reader& r, od::value v, const std::string& index_place) {
  r.expect(v, od::json_type::object, "an object", index_place);
  Rule rule;
  KeyOrder keys(kRuleKeys);
  auto place = [&] { return rule.name.empty() ? index_place : fmt::format("rule {}", rule.name); };
  auto key_place = [&](std::string_view k) { return fmt::format("{}, key {}", place(), k); };
  for (auto field : v.get_object()) {
    std::string_view key = field.unescaped_key();
    od::value val = field.value();
    switch (keys.see(key)) {
    case 0:
      rule.name = r.str(val, index_place + ", key name");
      if (rule.name.empty()) r.fail("the rule name is empty", index_place + ", key name");
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

int read_version(const Reader& r, od::value v, std::string_view source) {
  const std::string place = "key followup";
  std::int64_t n = 0;
  if (v.type() != od::json_type::number || v.get_number_type() != od::number_type::signed_integer ||
      (n = v.get_int64()) < 1)
    r.fail("\"followup\" must be a positive whole number", place);
  if (n > kFormatVersion)
    throw_data(fmt::format("the file is format version {}; this followup reads version {} at most", n, kFormatVersion),
               fmt::format("{}, key followup", source), "upgrade followup to use this file");
  return static_cast<int>(n);
}

Book read_book(const Reader& r, od::document& doc, std::string_view source) {
  if (doc.type() != od::json_type::object)
    throw_data(fmt::format("expected a JSON object at the top, got {}", type_name(doc.type())), std::string(source));
  Book book;
  KeyOrder keys(kBookKeys);
  bool has_version = false;
  std::set<std::string, std::less<>> ids;
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
        Rule rule = read_rule(r, item.value(), fmt::format("rules[{}]", n++));
        if (book.find_rule(rule.name)) r.fail(fmt::format("two rules are named \"{}\"", rule.name), "rule " + rule.name);
        book.rules.push_back(std::move(rule));
      }
      if (book.rules.empty()) keys.not_canonical();
      break;
    }
    case 2: {
      r.expect(val, od::json_type::array, "an array", "key contacts");
      std::size_t n = 0;
      for (auto item : val.get_array()) {
        Contact c = read_contact(r, item.value(), fmt::format("contacts[{}]", n++));
        if (!ids.insert(c.id).second) r.fail(fmt::format("the id \"{}\" is used twice", c.id), "contact " + c.id);
        book.contacts.push_back(std::move(c));
      }
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

Book parse_book_buffer(std::string& buffer, std::string_view source) {
  std::string_view text(buffer);
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    throw_data("the file starts with a byte order mark", fmt::format("{}:1:1", source), "save it as UTF-8 without a BOM");
  const std::size_t size = buffer.size();
  buffer.reserve(size + simdjson::SIMDJSON_PADDING);
  text = std::string_view(buffer.data(), size);
  Reader r(source, text);
  try {
    od::parser parser;
    od::document doc = parser.iterate(simdjson::padded_string_view(buffer.data(), size, buffer.capacity()));
    Book book = read_book(r, doc, source);
    // Past the book's closing brace only blanks may follow.
    if (!doc.current_location().error()) syntax_error(text, source, "unexpected text after the book");
    return book;
  } catch (const simdjson::simdjson_error& e) {
    syntax_error(text, source, simdjson::error_message(e.error()));
  }
}

Book parse_book(std::string_view text, std::string_view source) {
  std::string buffer(text);
  return parse_book_buffer(buffer, source);
}

Contact contact_from_json(const Json& j, std::string_view where) {
  std::string buffer = j.dump();
  buffer.reserve(buffer.size() + simdjson::SIMDJSON_PADDING);
  Reader r(where, buffer);
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
