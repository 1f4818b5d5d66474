// Reading the data file: JSON syntax (with line and column), then every check
// of SPEC §1, each naming the contact id (or rule name) and the key.
#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "followup/error.hpp"
#include "followup/expr.hpp"
#include "followup/json_io.hpp"
#include "followup/text.hpp"

namespace followup {
namespace {

// Unknown members may nest; the writer recurses, so nesting is bounded here.
constexpr int kMaxDepth = 256;

struct Position {
  int line = 1;
  int column = 1;
};

Position position_of(std::string_view text, std::size_t byte) {
  Position p;
  byte = std::min(byte, text.size());
  for (std::size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

std::string at(std::string_view source, std::string_view text, std::size_t byte) {
  Position p = position_of(text, byte);
  return fmt::format("{}:{}:{}", source, p.line, p.column);
}

// Cheap checks nlohmann would accept or handle badly: a BOM and deep nesting.
void prescan(std::string_view text, std::string_view source) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    throw_data("the file starts with a byte order mark", fmt::format("{}:1:1", source),
               "save it as UTF-8 without a BOM");
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
      if (++depth > kMaxDepth)
        throw_data(fmt::format("JSON nested deeper than {} levels", kMaxDepth), at(source, text, i));
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
}

Json parse_json(std::string_view text, std::string_view source) {
  prescan(text, source);
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line
    // 3, column 5: syntax error while parsing value - invalid literal; ..."
    std::string what = e.what();
    auto dash = what.find(" - ");
    std::string detail = dash == std::string::npos ? what : what.substr(dash + 3);
    std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    throw_data(fmt::format("malformed JSON: {}", detail), at(source, text, byte));
  }
}

// Walks one JSON object, sorting members into known keys and Unknown.
class Reader {
public:
  Reader(std::string_view source) : source_(source) {}

  [[noreturn]] void fail(const std::string& what, const std::string& place) const {
    throw_data(what, fmt::format("{}, {}", source_, place));
  }

  const Json& expect_object(const Json& j, const std::string& place) const {
    if (!j.is_object()) fail(fmt::format("expected an object, got {}", type_name(j)), place);
    return j;
  }

  std::string str(const Json& j, const std::string& place) const {
    if (!j.is_string()) fail(fmt::format("expected a string, got {}", type_name(j)), place);
    return j.get<std::string>();
  }

  std::vector<std::string> str_list(const Json& j, const std::string& place) const {
    if (!j.is_array()) fail(fmt::format("expected an array of strings, got {}", type_name(j)), place);
    std::vector<std::string> out;
    out.reserve(j.size());
    for (const auto& item : j) out.push_back(str(item, place));
    return out;
  }

  Date date(const Json& j, const std::string& place) const {
    std::string s = str(j, place);
    auto d = parse_iso_date(s);
    if (!d) fail(fmt::format("\"{}\" is not a date (YYYY-MM-DD)", s), place);
    return *d;
  }

  Duration duration(const Json& j, const std::string& place, bool allow_never) const {
    std::string s = str(j, place);
    auto d = parse_duration(s, allow_never);
    if (!d) fail(fmt::format("\"{}\" is not a duration (3d, 2w, 6m, 1y{})", s, allow_never ? ", never" : ""), place);
    return *d;
  }

  static std::string type_name(const Json& j) {
    if (j.is_null()) return "null";
    if (j.is_boolean()) return "a boolean";
    if (j.is_number()) return "a number";
    if (j.is_string()) return "a string";
    if (j.is_array()) return "an array";
    return "an object";
  }

private:
  std::string_view source_;
};

// Records key order, and keeps what is not in `known`.
template <std::size_t N>
Unknown split_unknown(const Json& obj, const std::array<std::string_view, N>& known) {
  Unknown u;
  bool canonical = true;
  std::size_t last_rank = 0;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string& key = it.key();
    auto pos = std::find(known.begin(), known.end(), key);
    if (pos == known.end()) {
      if (u.members.is_null()) u.members = Json::object();
      u.members[key] = it.value();
      canonical = false;
    } else {
      auto rank = static_cast<std::size_t>(pos - known.begin());
      // An empty array or object is written only when its key is in `order`.
      if (rank < last_rank || it.value().empty()) canonical = false;
      last_rank = rank;
    }
  }
  if (!canonical)
    for (auto it = obj.begin(); it != obj.end(); ++it) u.order.push_back(it.key());
  return u;
}

constexpr std::array<std::string_view, 4> kInteractionKeys{"date", "kind", "note", "by"};
constexpr std::array<std::string_view, 10> kContactKeys{"id", "name", "tags", "every", "counts", "fields",
                                                        "notes", "added", "snoozed_until", "interactions"};
constexpr std::array<std::string_view, 5> kRuleKeys{"name", "match", "every", "counts", "warn"};
constexpr std::array<std::string_view, 3> kBookKeys{"followup", "rules", "contacts"};

Interaction read_interaction(const Reader& r, const Json& j, const std::string& place) {
  r.expect_object(j, place);
  Interaction it;
  auto date = j.find("date");
  if (date == j.end()) r.fail("missing key \"date\"", place);
  it.date = r.date(*date, place + ", key date");
  if (auto k = j.find("kind"); k != j.end()) it.kind = r.str(*k, place + ", key kind");
  if (auto k = j.find("note"); k != j.end()) it.note = r.str(*k, place + ", key note");
  if (auto k = j.find("by"); k != j.end()) it.by = r.str(*k, place + ", key by");
  it.unknown = split_unknown(j, kInteractionKeys);
  return it;
}

Contact read_contact(const Reader& r, const Json& j, const std::string& where) {
  r.expect_object(j, where);
  Contact c;
  auto id = j.find("id");
  if (id == j.end()) r.fail("missing key \"id\"", where);
  c.id = r.str(*id, where + ", key id");
  if (!is_valid_id(c.id))
    r.fail(fmt::format("\"{}\" is not a valid id (lower-case letters, digits and '-')", c.id), where + ", key id");
  const std::string place = fmt::format("contact {}", c.id);
  auto key = [&](std::string_view k) { return fmt::format("{}, key {}", place, k); };

  auto name = j.find("name");
  if (name == j.end()) r.fail("missing key \"name\"", place);
  c.name = r.str(*name, key("name"));
  if (c.name.empty()) r.fail("the name is empty", key("name"));

  if (auto k = j.find("tags"); k != j.end()) c.tags = r.str_list(*k, key("tags"));
  if (auto k = j.find("every"); k != j.end()) c.every = r.duration(*k, key("every"), true);
  if (auto k = j.find("counts"); k != j.end()) c.counts = r.str_list(*k, key("counts"));
  if (auto k = j.find("fields"); k != j.end()) {
    r.expect_object(*k, key("fields"));
    for (auto f = k->begin(); f != k->end(); ++f)
      c.fields.push_back(Field{f.key(), r.str(f.value(), key("fields." + f.key()))});
  }
  if (auto k = j.find("notes"); k != j.end()) c.notes = r.str(*k, key("notes"));
  if (auto k = j.find("added"); k != j.end()) c.added = r.date(*k, key("added"));
  if (auto k = j.find("snoozed_until"); k != j.end()) c.snoozed_until = r.date(*k, key("snoozed_until"));
  if (auto k = j.find("interactions"); k != j.end()) {
    if (!k->is_array()) r.fail(fmt::format("expected an array, got {}", Reader::type_name(*k)), key("interactions"));
    c.interactions.reserve(k->size());
    std::size_t n = 0;
    for (const auto& item : *k)
      c.interactions.push_back(read_interaction(r, item, fmt::format("{}, interactions[{}]", place, n++)));
    // Hand-edited files may be out of order; the contract keeps them sorted.
    std::stable_sort(c.interactions.begin(), c.interactions.end(),
                     [](const Interaction& a, const Interaction& b) { return a.date < b.date; });
  }
  c.unknown = split_unknown(j, kContactKeys);
  return c;
}

Rule read_rule(const Reader& r, const Json& j, const std::string& where) {
  r.expect_object(j, where);
  Rule rule;
  auto name = j.find("name");
  if (name == j.end()) r.fail("missing key \"name\"", where);
  rule.name = r.str(*name, where + ", key name");
  if (rule.name.empty()) r.fail("the rule name is empty", where + ", key name");
  const std::string place = fmt::format("rule {}", rule.name);
  auto key = [&](std::string_view k) { return fmt::format("{}, key {}", place, k); };

  auto match = j.find("match");
  if (match == j.end()) r.fail("missing key \"match\"", place);
  rule.match = r.str(*match, key("match"));
  try {
    parse_expr(rule.match);
  } catch (const ExprError& e) {
    r.fail(fmt::format("bad match expression at column {}: {}", e.column, e.message), key("match"));
  }
  auto every = j.find("every");
  if (every == j.end()) r.fail("missing key \"every\"", place);
  rule.every = r.duration(*every, key("every"), true);
  if (auto k = j.find("counts"); k != j.end()) rule.counts = r.str_list(*k, key("counts"));
  if (auto k = j.find("warn"); k != j.end()) rule.warn = r.duration(*k, key("warn"), false);
  rule.unknown = split_unknown(j, kRuleKeys);
  return rule;
}

} // namespace

Book parse_book(std::string_view text, std::string_view source) {
  Json doc = parse_json(text, source);
  Reader r(source);
  if (!doc.is_object())
    throw_data(fmt::format("expected a JSON object at the top, got {}", Reader::type_name(doc)), std::string(source));
  Book book;
  auto version = doc.find("followup");
  if (version == doc.end())
    throw_data("missing key \"followup\" (the format version)", std::string(source),
               "a followup book starts with {\"followup\": 1, ...}");
  if (!version->is_number_integer() || version->get<std::int64_t>() < 1)
    throw_data("\"followup\" must be a positive whole number", fmt::format("{}, key followup", source));
  if (version->get<std::int64_t>() > kFormatVersion)
    throw_data(fmt::format("the file is format version {}; this followup reads version {} at most",
                           version->get<std::int64_t>(), kFormatVersion),
               fmt::format("{}, key followup", source), "upgrade followup to use this file");
  book.version = version->get<int>();

  if (auto rules = doc.find("rules"); rules != doc.end()) {
    if (!rules->is_array()) r.fail(fmt::format("expected an array, got {}", Reader::type_name(*rules)), "key rules");
    std::size_t n = 0;
    for (const auto& j : *rules) {
      Rule rule = read_rule(r, j, fmt::format("rules[{}]", n++));
      if (book.find_rule(rule.name)) r.fail(fmt::format("two rules are named \"{}\"", rule.name), "rule " + rule.name);
      book.rules.push_back(std::move(rule));
    }
  }
  if (auto contacts = doc.find("contacts"); contacts != doc.end()) {
    if (!contacts->is_array())
      r.fail(fmt::format("expected an array, got {}", Reader::type_name(*contacts)), "key contacts");
    book.contacts.reserve(contacts->size());
    std::set<std::string, std::less<>> ids;
    std::size_t n = 0;
    for (const auto& j : *contacts) {
      Contact c = read_contact(r, j, fmt::format("contacts[{}]", n++));
      if (!ids.insert(c.id).second) r.fail(fmt::format("the id \"{}\" is used twice", c.id), "contact " + c.id);
      book.contacts.push_back(std::move(c));
    }
  }
  book.unknown = split_unknown(doc, kBookKeys);
  return book;
}

Contact contact_from_json(const Json& j, std::string_view where) {
  return read_contact(Reader(where), j, "contact");
}

} // namespace followup
