// `followup check`: the checks of parse_book (json_read.cpp), but collected
// rather than thrown at the first one, each with the line it is on, then
// warnings about valid books that probably do not say what was meant.
#include "followup/book/check.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "followup/rules/cadence.hpp"
#include "followup/model/error.hpp"
#include "followup/rules/expr.hpp"
#include "followup/book/json_io.hpp"
#include "followup/team/merge.hpp"
#include "followup/text/text.hpp"
#include "book/book_schema.hpp"
#include "book/check_lines.hpp"
#include "book/json_errors.hpp"

namespace followup {
namespace {

using check_lines::item;
using check_lines::line_of;
using check_lines::member;
using check_lines::Spot;
using schema::Type;
namespace say = schema::say;

std::string type_name(const Json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "a number";
  if (j.is_string()) return "a string";
  if (j.is_array()) return "an array";
  return "an object";
}

struct Place {
  std::string where;
  int line = 0;
};

// A JSON object being checked: its name in messages ("contact ana-lopez",
// "rules[2]") and its spot.
struct Owner {
  std::string name;
  const Spot* spot = nullptr;

  Place self() const { return {name, line_of(spot)}; }
  Place key(std::string_view k) const { return {fmt::format("{}, key {}", name, k), line_of(member(spot, k))}; }
};

const Json* find(const Json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

struct RuleSeen {
  std::string name;
  Place match;
  Expr expr;
};

struct KindUse {
  std::string kind; // as first written
  int count = 0;
  Place first;
};

class Checker {
public:
  void book(const Json& doc, const Spot* root);
  void kinds(std::string_view text, std::string_view source);
  std::vector<Problem> problems() const;

private:
  void error(std::string message, const Place& p) {
    errors_.push_back({Problem::Severity::error, std::move(message), p.where, p.line});
  }
  void warning(std::string message, const Place& p) {
    warnings_.push_back({Problem::Severity::warning, std::move(message), p.where, p.line});
  }

  bool version(const Json& doc, const Spot* root);
  void rule(const Json& j, const Spot* s, std::size_t n);
  void contact(const Json& j, const Spot* s, std::size_t n);
  void shadowing();
  void conflicts(const Json& j, const Owner& o, std::string_view resolve);

  // By the schema (book_schema.hpp): the members of an object, one value.
  template <std::size_t N>
  void members(const Json& j, const Owner& o, const std::array<schema::Member, N>& shape, std::string_view done = {});
  template <std::size_t N>
  const Json* named_object(const Json& j, Owner& o, const std::array<schema::Member, N>& shape, std::string_view key,
                           std::string_view head, std::set<std::string, std::less<>>& seen,
                           std::string (*twice)(std::string_view));
  void value(const Json& v, const schema::Member& m, const Owner& o);
  std::optional<std::string> str(const Json& j, const Place& p);
  void str_list(const Json& j, const Owner& o, std::string_view k);
  void str_map(const Json& j, const Owner& o, const schema::Member& m);
  void objects(const Json& j, const Owner& o, const schema::Member& m);
  void match(const Json& j, const Owner& o);
  void kind(const Json& j, const Place& p);

  std::vector<Problem> errors_, warnings_;
  std::vector<RuleSeen> rules_;              // those whose match parsed
  std::set<std::string, std::less<>> rule_names_, ids_;
  std::map<std::string, KindUse> kinds_;     // by lower-cased kind
};

// Each member `shape` declares (but `done`, checked already): a present one
// by its type, a missing one an error when it is required.
template <std::size_t N>
void Checker::members(const Json& j, const Owner& o, const std::array<schema::Member, N>& shape, std::string_view done) {
  for (const schema::Member& m : shape) {
    if (m.key == done) continue;
    if (const Json* v = find(j, m.key)) value(*v, m, o);
    else if (m.required) error(say::missing(m.key), o.self());
  }
}

void Checker::value(const Json& v, const schema::Member& m, const Owner& o) {
  switch (m.type) {
  case Type::texts: return str_list(v, o, m.key);
  case Type::text_map:
  case Type::occasions: return str_map(v, o, m);
  case Type::plans:
  case Type::interactions: return objects(v, o, m);
  case Type::match: return match(v, o);
  case Type::version:
  case Type::rules:
  case Type::contacts: return; // the book's own members: book()
  case Type::kind:
    if (str(v, o.key(m.key))) kind(v, o.key(m.key));
    return;
  default:
    if (auto s = str(v, o.key(m.key)))
      if (auto problem = schema::problem_with(m.type, *s)) error(std::move(*problem), o.key(m.key));
  }
}

std::optional<std::string> Checker::str(const Json& j, const Place& p) {
  if (j.is_string()) return j.get<std::string>();
  error(say::wrong_type("a string", type_name(j)), p);
  return std::nullopt;
}

// One error per list (at its first bad item): a list of five numbers is one mistake.
void Checker::str_list(const Json& j, const Owner& o, std::string_view k) {
  Place p = o.key(k);
  if (!j.is_array()) return error(say::wrong_type(schema::json_type_wanted(Type::texts), type_name(j)), p);
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (j[i].is_string()) continue;
    p.line = line_of(item(member(o.spot, k), i));
    return error(say::wrong_type("a string", type_name(j[i])), p);
  }
}

// An object of strings: fields, or occasions (label: date).
void Checker::str_map(const Json& j, const Owner& o, const schema::Member& m) {
  if (!j.is_object()) return error(say::wrong_type(schema::json_type_wanted(m.type), type_name(j)), o.key(m.key));
  std::set<std::string> labels;
  for (auto it = j.begin(); it != j.end(); ++it) {
    Place p{fmt::format("{}, key {}.{}", o.name, m.key, it.key()), line_of(member(member(o.spot, m.key), it.key()))};
    if (m.type == Type::occasions) {
      if (!is_valid_label(it.key())) error(say::bad_label(it.key()), p);
      else if (!labels.insert(lower(it.key())).second) error(say::occasion_twice(it.key()), p);
    }
    auto text = str(it.value(), p);
    if (text && m.type == Type::occasions && !parse_occasion_date(*text)) error(say::bad_occasion_date(*text), p);
  }
}

// An array of plans or check-ins, each an object of its schema.
void Checker::objects(const Json& j, const Owner& o, const schema::Member& m) {
  if (!j.is_array()) return error(say::wrong_type(schema::json_type_wanted(m.type), type_name(j)), o.key(m.key));
  for (std::size_t i = 0; i < j.size(); ++i) {
    const Owner each{fmt::format("{}, {}[{}]", o.name, m.key, i), item(member(o.spot, m.key), i)};
    if (!j[i].is_object()) error(say::wrong_type("an object", type_name(j[i])), each.self());
    else if (m.type == Type::plans) members(j[i], each, schema::kPlan);
    else members(j[i], each, schema::kCheckIn);
  }
}

// A rule's match, kept parsed for shadowing().
void Checker::match(const Json& j, const Owner& o) {
  auto text = str(j, o.key("match"));
  if (!text) return;
  try {
    rules_.push_back({o.name, o.key("match"), parse_expr(*text)});
  } catch (const ExprError& e) {
    error(say::bad_match(e.column, e.message), o.key("match"));
  }
}

// A check-in's kind, counted for kinds().
void Checker::kind(const Json& j, const Place& p) {
  const std::string& k = j.get_ref<const std::string&>();
  auto [it, added] = kinds_.try_emplace(lower(k), KindUse{k, 0, p});
  ++it->second.count;
}

// False when the rest of the file should not be checked (a newer format).
bool Checker::version(const Json& doc, const Spot* root) {
  const Json* v = find(doc, "followup");
  Place p{"key followup", line_of(member(root, "followup"))};
  if (!v) {
    error(say::missing_version(), {"", line_of(root)});
  } else if (!v->is_number_unsigned() || v->get<std::uint64_t>() < 1) { // nlohmann: non-negative is unsigned
    error(say::version_not_positive(), p);
  } else if (v->get<std::uint64_t>() > static_cast<std::uint64_t>(kFormatVersion)) {
    error(say::version_too_new(v->get<std::uint64_t>()), p);
    return false;
  }
  return true;
}

void Checker::book(const Json& doc, const Spot* root) {
  if (!doc.is_object()) return error(say::top_not_object(type_name(doc)), {"", line_of(root)});
  if (!version(doc, root)) return;
  for (std::string_view list : {"rules", "contacts"}) {
    const Json* j = find(doc, list);
    if (!j) continue;
    Place p{fmt::format("key {}", list), line_of(member(root, list))};
    if (!j->is_array()) {
      error(say::wrong_type("an array", type_name(*j)), p);
      continue;
    }
    const Spot* items = member(root, list);
    for (std::size_t n = 0; n < j->size(); ++n) {
      if (list == "rules") rule((*j)[n], item(items, n), n);
      else contact((*j)[n], item(items, n), n);
    }
  }
  conflicts(doc, {"the book", root}, "--book");
  shadowing();
}

// An object by its schema, its naming member (a rule's name, a contact's
// id) first, its problems placed as "rules[2]"; once it is good the object
// is called by it ("rule calls") for the rest, and a second object of that
// name is an error. Returns the naming member.
template <std::size_t N>
const Json* Checker::named_object(const Json& j, Owner& o, const std::array<schema::Member, N>& shape,
                                  std::string_view key, std::string_view head, std::set<std::string, std::less<>>& seen,
                                  std::string (*twice)(std::string_view)) {
  const schema::Member& m = *std::find_if(shape.begin(), shape.end(), [&](const schema::Member& x) { return x.key == key; });
  members(j, o, std::array{m});
  const Json* v = find(j, key);
  if (v && v->is_string() && !schema::problem_with(m.type, v->get_ref<const std::string&>())) {
    const std::string& name = v->get_ref<const std::string&>();
    o.name = fmt::format("{}{}", head, name);
    if (!seen.insert(name).second) error(twice(name), o.key(key));
  }
  members(j, o, shape, key);
  return v;
}

void Checker::rule(const Json& j, const Spot* s, std::size_t n) {
  Owner o{fmt::format("rules[{}]", n), s};
  if (!j.is_object()) return error(say::wrong_type("an object", type_name(j)), o.self());
  const Json* name = named_object(j, o, schema::kRule, "name", "rule ", rule_names_, say::rule_named_twice);
  if (name && name->is_string()) conflicts(j, o, fmt::format("--rule {}", name->get<std::string>()));
}

void Checker::contact(const Json& j, const Spot* s, std::size_t n) {
  Owner o{fmt::format("contacts[{}]", n), s};
  if (!j.is_object()) return error(say::wrong_type("an object", type_name(j)), o.self());
  const Json* id = named_object(j, o, schema::kContact, "id", "contact ", ids_, say::id_twice);

  if (const Json* k = find(j, "every"); k && k->is_string())
    if (auto every = parse_duration(k->get_ref<const std::string&>(), true); every && every->never)
      warning("never due: every is never", o.key("every"));
  // An earlier import kept birthdays as a field; due knows only occasions.
  if (const Json* f = find(j, "fields"); f && f->is_object())
    for (auto it = f->begin(); it != f->end(); ++it)
      if (lower(it.key()) == "birthday" || lower(it.key()) == "anniversary")
        warning(fmt::format("the field {0} is not an occasion, so due never shows it: move it with `followup edit {1} "
                            "--occasion {2}=DATE --unset-field {0}`",
                            it.key(), o.name.substr(o.name.find(' ') + 1), lower(it.key())),
                {fmt::format("{}, key fields.{}", o.name, it.key()), line_of(member(member(o.spot, "fields"), it.key()))});
  if (id && id->is_string()) conflicts(j, o, id->get<std::string>());
}

// What a merge (merge-driver, merge) could not decide: an error until resolved.
void Checker::conflicts(const Json& j, const Owner& o, std::string_view resolve) {
  if (!j.contains(kConflictsKey)) return;
  std::vector<std::string> keys;
  try {
    for (const auto& e : read_conflicts(j, o.name))
      if (std::find(keys.begin(), keys.end(), e.key) == keys.end()) keys.push_back(e.key);
  } catch (const Error& e) {
    return error(e.what(), o.key(kConflictsKey));
  }
  if (keys.empty()) return; // an empty list: nothing left to settle
  error(fmt::format("unresolved merge conflict{} on {}: settle with 'followup resolve {} --ours|--theirs'",
                    keys.size() == 1 ? "" : "s", fmt::join(keys, ", "), resolve),
        o.key(kConflictsKey));
}

// Rule B is shadowed when an earlier rule A matches whatever B matches, which
// is decided only in the two cases that are sure: A is `*`, or A and B are the
// same expression once normalised (evaluation ignores ASCII case). Rules whose
// match does not parse take no part.
void Checker::shadowing() {
  for (std::size_t b = 0; b < rules_.size(); ++b) {
    const RuleSeen& rb = rules_[b];
    if (rb.expr.never_matches()) {
      warning("can never match", rb.match);
      continue;
    }
    std::string norm = lower(rb.expr.to_string());
    for (std::size_t a = 0; a < b; ++a) {
      std::string earlier = lower(rules_[a].expr.to_string());
      if (earlier != "*" && earlier != norm) continue;
      warning(fmt::format("shadowed by {}: it never applies", rules_[a].name), rb.match);
      break;
    }
  }
}

// Kinds that reset no clock: wherever one is used, the contact's cadence has
// `counts` that leave it out. Often a typo ("cal") or a kind forgotten in a
// rule. Which cadence applies to whom needs the whole book, so this runs only
// on a book without errors, and on the typed book, as `due` sees it.
void Checker::kinds(std::string_view text, std::string_view source) {
  if (!errors_.empty() || kinds_.empty()) return;
  std::set<std::string, std::less<>> resetting;
  try {
    Book book = parse_book(text, source);
    RuleSet rules(book);
    for (const auto& c : book.contacts) {
      auto counts = rules.cadence_for(c).counts;
      for (const auto& it : c.interactions)
        if (it.kind && (!counts || std::any_of(counts->begin(), counts->end(), [&](const std::string& k) {
                          return kind_matches(it.kind, k);
                        })))
          resetting.insert(lower(*it.kind));
    }
  } catch (const Error&) {
    return; // parse_book refuses just what check calls errors; were they to differ, say nothing
  }
  for (const auto& [key, use] : kinds_)
    if (!resetting.contains(key))
      warning(fmt::format("kind \"{}\" never resets a clock: counts leave it out wherever it is used (used {} time{})",
                          use.kind, use.count, use.count == 1 ? "" : "s"),
              use.first);
}

std::vector<Problem> Checker::problems() const {
  auto by_line = [](const Problem& a, const Problem& b) { return a.line < b.line; };
  std::vector<Problem> errors = errors_, warnings = warnings_;
  std::stable_sort(errors.begin(), errors.end(), by_line);
  std::stable_sort(warnings.begin(), warnings.end(), by_line);
  errors.insert(errors.end(), warnings.begin(), warnings.end());
  return errors;
}

Problem fatal(std::string message, std::string where, int line) {
  return Problem{Problem::Severity::error, std::move(message), std::move(where), line};
}

} // namespace

std::vector<Problem> check_book(std::string_view text, std::string_view source) {
  if (auto fault = encoding_fault(text)) return {fatal(fmt::format("{}; {}", fault->what, fault->hint), "", 1)};
  const check_lines::Lines lines = check_lines::scan(text);
  if (lines.too_deep_line > 0)
    return {fatal(fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth), "", lines.too_deep_line)};
  Json doc;
  try {
    const CompactText compact(text); // 1 GB of blanks before the book: no 1 GB token in nlohmann
    doc = Json::parse(compact.text().begin(), compact.text().end());
  } catch (const Json::exception&) {
    // Worded and placed as parse_book does, 1e400 (out of range, not a
    // syntax error) included.
    JsonFault fault = json_fault(text).value_or(JsonFault{"malformed JSON", 0});
    auto [line, column] = line_column(text, fault.byte);
    return {fatal(std::move(fault.what), fmt::format("column {}", column), line)};
  }
  // nlohmann takes a NUL byte for the end of the text, so it may have read a
  // book with NULs after it: refused, as parse_book does.
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    auto [line, column] = line_column(text, nul);
    return {fatal("malformed JSON: a NUL byte", fmt::format("column {}", column), line)};
  }
  Checker checker;
  checker.book(doc, &lines.root);
  checker.kinds(text, source);
  return checker.problems();
}

} // namespace followup
