// `followup check`: the checks of parse_book (json_read.cpp), but collected
// rather than thrown at the first one, each with the line it is on, then
// warnings about valid books that probably do not say what was meant.
#include "followup/check.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "followup/cadence.hpp"
#include "followup/error.hpp"
#include "followup/expr.hpp"
#include "followup/json_io.hpp"
#include "followup/merge.hpp"
#include "followup/text.hpp"
#include "json_errors.hpp"

namespace followup {
namespace {

// parse_book refuses deeper nesting (its writer recurses); so does check.
constexpr int kMaxDepth = kMaxJsonDepth;

// ---- where each value is ----
//
// nlohmann's DOM keeps no positions, so a small scanner reads the text again
// and builds a tree of lines mirroring the DOM: for each object its members
// (a member's line is the line of its key), for each array its items (an
// item's line is where it starts). It is exact for any text nlohmann
// accepted; on other text it still ends, without reading out of bounds (it
// runs first, to refuse deep nesting before anything recurses).

struct Member;
struct Spot {
  int line = 0;
  // Not a std::pair<std::string, Spot>: a pair needs Spot complete, which
  // libstdc++ checks under clang (the fuzz build compiles this file too).
  std::vector<Member> members;
  std::vector<Spot> items;
};
struct Member {
  std::string key;
  Spot value;
};

// nlohmann keeps the value of the last of duplicate keys, so the last wins here too.
const Spot* member(const Spot* s, std::string_view key) {
  if (!s) return nullptr;
  for (auto it = s->members.rbegin(); it != s->members.rend(); ++it)
    if (it->key == key) return &it->value;
  return nullptr;
}

const Spot* item(const Spot* s, std::size_t i) { return s && i < s->items.size() ? &s->items[i] : nullptr; }

int line_of(const Spot* s) { return s ? s->line : 0; }

class Scanner {
public:
  explicit Scanner(std::string_view text) : t_(text) {}

  Spot value(int depth) {
    space();
    Spot s{line_, {}, {}};
    if (at('{') || at('[')) {
      if (depth + 1 > kMaxDepth) {
        too_deep_line = line_;
        pos_ = t_.size(); // stop: the file is refused as a whole
        return s;
      }
      at('{') ? object(s, depth + 1) : array(s, depth + 1);
    } else if (at('"')) {
      string();
    } else {
      while (pos_ < t_.size() && !is_end(t_[pos_])) ++pos_;
    }
    return s;
  }

  int too_deep_line = 0;

private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
  static bool is_end(char c) { return c == ',' || c == ']' || c == '}' || is_space(c); }
  bool at(char c) const { return pos_ < t_.size() && t_[pos_] == c; }

  void space() {
    for (; pos_ < t_.size() && is_space(t_[pos_]); ++pos_)
      if (t_[pos_] == '\n') ++line_;
  }

  // Skips a string literal; returns its text, decoded when it has escapes.
  std::string string() {
    std::size_t start = ++pos_;
    while (pos_ < t_.size() && t_[pos_] != '"') pos_ += t_[pos_] == '\\' ? 2 : 1;
    std::string_view raw = t_.substr(start, std::min(pos_, t_.size()) - start);
    ++pos_;
    if (raw.find('\\') == std::string_view::npos) return std::string(raw);
    try {
      return Json::parse(fmt::format("\"{}\"", raw)).get<std::string>();
    } catch (const Json::exception&) {
      return std::string(raw);
    }
  }

  // Each round consumes a ',' or ends the loop, so bad text cannot spin.
  void object(Spot& s, int depth) {
    ++pos_;
    while (true) {
      space();
      if (!at('"')) break;
      int key_line = line_;
      std::string key = string();
      space();
      if (at(':')) ++pos_;
      Spot v = value(depth);
      v.line = key_line;
      s.members.push_back(Member{std::move(key), std::move(v)});
      space();
      if (!at(',')) break;
      ++pos_;
    }
    if (at('}')) ++pos_;
  }

  void array(Spot& s, int depth) {
    ++pos_;
    space();
    while (pos_ < t_.size() && !at(']')) {
      s.items.push_back(value(depth));
      space();
      if (!at(',')) break;
      ++pos_;
    }
    if (at(']')) ++pos_;
  }

  std::string_view t_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

// ---- the checks ----

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
  void interaction(const Json& j, const Owner& o);
  void occasions(const Json& j, const Owner& o);
  void shadowing();
  void conflicts(const Json& j, const Owner& o, std::string_view resolve);

  std::optional<std::string> str(const Json& j, const Place& p);
  std::optional<Duration> duration(const Json& j, const Place& p, bool allow_never);
  void date(const Json& j, const Place& p);
  void str_list(const Json& j, const Owner& o, std::string_view k);

  std::vector<Problem> errors_, warnings_;
  std::vector<RuleSeen> rules_;              // those whose match parsed
  std::set<std::string, std::less<>> rule_names_, ids_;
  std::map<std::string, KindUse> kinds_;     // by lower-cased kind
};

std::optional<std::string> Checker::str(const Json& j, const Place& p) {
  if (j.is_string()) return j.get<std::string>();
  error(fmt::format("expected a string, got {}", type_name(j)), p);
  return std::nullopt;
}

std::optional<Duration> Checker::duration(const Json& j, const Place& p, bool allow_never) {
  auto s = str(j, p);
  if (!s) return std::nullopt;
  auto d = parse_duration(*s, allow_never);
  if (!d) error(fmt::format("\"{}\" is not a duration (3d, 2w, 6m, 1y{})", *s, allow_never ? ", never" : ""), p);
  return d;
}

void Checker::date(const Json& j, const Place& p) {
  auto s = str(j, p);
  if (s && !parse_iso_date(*s)) error(fmt::format("\"{}\" is not a date (YYYY-MM-DD)", *s), p);
}

// One error per list (at its first bad item): a list of five numbers is one mistake.
void Checker::str_list(const Json& j, const Owner& o, std::string_view k) {
  Place p = o.key(k);
  if (!j.is_array()) return error(fmt::format("expected an array of strings, got {}", type_name(j)), p);
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (j[i].is_string()) continue;
    p.line = line_of(item(member(o.spot, k), i));
    return error(fmt::format("expected a string, got {}", type_name(j[i])), p);
  }
}

// False when the rest of the file should not be checked (a newer format).
bool Checker::version(const Json& doc, const Spot* root) {
  const Json* v = find(doc, "followup");
  Place p{"key followup", line_of(member(root, "followup"))};
  if (!v) {
    error("missing key \"followup\" (the format version)", {"", line_of(root)});
  } else if (!v->is_number_unsigned() || v->get<std::uint64_t>() < 1) { // nlohmann: non-negative is unsigned
    error("\"followup\" must be a positive whole number", p);
  } else if (v->get<std::uint64_t>() > static_cast<std::uint64_t>(kFormatVersion)) {
    error(fmt::format("the file is format version {}; this followup reads version {} at most", v->get<std::uint64_t>(),
                      kFormatVersion),
          p);
    return false;
  }
  return true;
}

void Checker::book(const Json& doc, const Spot* root) {
  if (!doc.is_object())
    return error(fmt::format("expected a JSON object at the top, got {}", type_name(doc)), {"", line_of(root)});
  if (!version(doc, root)) return;
  for (std::string_view list : {"rules", "contacts"}) {
    const Json* j = find(doc, list);
    if (!j) continue;
    Place p{fmt::format("key {}", list), line_of(member(root, list))};
    if (!j->is_array()) {
      error(fmt::format("expected an array, got {}", type_name(*j)), p);
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

void Checker::rule(const Json& j, const Spot* s, std::size_t n) {
  Owner o{fmt::format("rules[{}]", n), s};
  if (!j.is_object()) return error(fmt::format("expected an object, got {}", type_name(j)), o.self());
  if (const Json* name = find(j, "name"); !name) {
    error("missing key \"name\"", o.self());
  } else if (auto v = str(*name, o.key("name")); v && v->empty()) {
    error("the rule name is empty", o.key("name"));
  } else if (v) {
    o.name = "rule " + *v;
    if (!rule_names_.insert(*v).second) error(fmt::format("two rules are named \"{}\"", *v), o.key("name"));
  }
  if (const Json* match = find(j, "match"); !match) {
    error("missing key \"match\"", o.self());
  } else if (auto text = str(*match, o.key("match"))) {
    try {
      rules_.push_back({o.name, o.key("match"), parse_expr(*text)});
    } catch (const ExprError& e) {
      error(fmt::format("bad match expression at column {}: {}", e.column, e.message), o.key("match"));
    }
  }
  if (const Json* every = find(j, "every"); !every) error("missing key \"every\"", o.self());
  else duration(*every, o.key("every"), true);
  if (const Json* k = find(j, "counts")) str_list(*k, o, "counts");
  if (const Json* warn = find(j, "warn")) duration(*warn, o.key("warn"), false);
  if (const Json* k = find(j, "attempts")) str_list(*k, o, "attempts");
  if (const Json* retry = find(j, "retry")) duration(*retry, o.key("retry"), false);
  if (const Json* name = find(j, "name"); name && name->is_string())
    conflicts(j, o, fmt::format("--rule {}", name->get<std::string>()));
}

void Checker::contact(const Json& j, const Spot* s, std::size_t n) {
  Owner o{fmt::format("contacts[{}]", n), s};
  if (!j.is_object()) return error(fmt::format("expected an object, got {}", type_name(j)), o.self());
  if (const Json* id = find(j, "id"); !id) {
    error("missing key \"id\"", o.self());
  } else if (auto v = str(*id, o.key("id")); v && !is_valid_id(*v)) {
    error(fmt::format("\"{}\" is not a valid id (lower-case letters, digits and '-')", *v), o.key("id"));
  } else if (v) {
    o.name = "contact " + *v;
    if (!ids_.insert(*v).second) error(fmt::format("the id \"{}\" is used twice", *v), o.key("id"));
  }
  if (const Json* name = find(j, "name"); !name) error("missing key \"name\"", o.self());
  else if (auto v = str(*name, o.key("name")); v && v->empty()) error("the name is empty", o.key("name"));

  if (const Json* k = find(j, "tags")) str_list(*k, o, "tags");
  if (const Json* k = find(j, "every")) {
    auto every = duration(*k, o.key("every"), true);
    if (every && every->never) warning("never due: every is never", o.key("every"));
  }
  if (const Json* k = find(j, "counts")) str_list(*k, o, "counts");
  if (const Json* k = find(j, "fields")) {
    if (!k->is_object()) error(fmt::format("expected an object, got {}", type_name(*k)), o.key("fields"));
    else
      for (auto f = k->begin(); f != k->end(); ++f)
        str(f.value(), {fmt::format("{}, key fields.{}", o.name, f.key()),
                        line_of(member(member(o.spot, "fields"), f.key()))});
  }
  if (const Json* k = find(j, "notes")) str(*k, o.key("notes"));
  if (const Json* k = find(j, "added")) date(*k, o.key("added"));
  if (const Json* k = find(j, "snoozed_until")) date(*k, o.key("snoozed_until"));
  if (const Json* k = find(j, "owner")) str(*k, o.key("owner"));
  if (const Json* k = find(j, "occasions")) occasions(*k, o);
  if (const Json* k = find(j, "plans")) {
    if (!k->is_array()) error(fmt::format("expected an array, got {}", type_name(*k)), o.key("plans"));
    else
      for (std::size_t i = 0; i < k->size(); ++i) {
        Owner p{fmt::format("{}, plans[{}]", o.name, i), item(member(o.spot, "plans"), i)};
        const Json& plan = (*k)[i];
        if (!plan.is_object()) {
          error(fmt::format("expected an object, got {}", type_name(plan)), p.self());
          continue;
        }
        if (const Json* d = find(plan, "date"); !d) error("missing key \"date\"", p.self());
        else date(*d, p.key("date"));
        if (const Json* note = find(plan, "note")) str(*note, p.key("note"));
      }
  }
  // An earlier import kept birthdays as a field; due knows only occasions.
  if (const Json* f = find(j, "fields"); f && f->is_object())
    for (auto it = f->begin(); it != f->end(); ++it)
      if (lower(it.key()) == "birthday" || lower(it.key()) == "anniversary")
        warning(fmt::format("the field {0} is not an occasion, so due never shows it: move it with `followup edit {1} "
                            "--occasion {2}=DATE --unset-field {0}`",
                            it.key(), o.name.substr(o.name.find(' ') + 1), lower(it.key())),
                {fmt::format("{}, key fields.{}", o.name, it.key()), line_of(member(member(o.spot, "fields"), it.key()))});
  if (const Json* k = find(j, "interactions")) {
    if (!k->is_array()) return error(fmt::format("expected an array, got {}", type_name(*k)), o.key("interactions"));
    for (std::size_t i = 0; i < k->size(); ++i)
      interaction((*k)[i], {fmt::format("{}, interactions[{}]", o.name, i), item(member(o.spot, "interactions"), i)});
  }
  if (const Json* id = find(j, "id"); id && id->is_string()) conflicts(j, o, id->get<std::string>());
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

void Checker::occasions(const Json& j, const Owner& o) {
  if (!j.is_object()) return error(fmt::format("expected an object, got {}", type_name(j)), o.key("occasions"));
  std::set<std::string> labels;
  for (auto it = j.begin(); it != j.end(); ++it) {
    Place p{fmt::format("{}, key occasions.{}", o.name, it.key()), line_of(member(member(o.spot, "occasions"), it.key()))};
    if (!is_valid_label(it.key()))
      error(fmt::format("\"{}\" is not an occasion label (a word: letters, digits, '-')", it.key()), p);
    else if (!labels.insert(lower(it.key())).second)
      error(fmt::format("the occasion \"{}\" appears twice", it.key()), p);
    auto text = str(it.value(), p);
    if (text && !parse_occasion_date(*text))
      error(fmt::format("\"{}\" is not an occasion date (YYYY-MM-DD or --MM-DD)", *text), p);
  }
}

void Checker::interaction(const Json& j, const Owner& o) {
  if (!j.is_object()) return error(fmt::format("expected an object, got {}", type_name(j)), o.self());
  if (const Json* d = find(j, "date"); !d) error("missing key \"date\"", o.self());
  else date(*d, o.key("date"));
  if (const Json* k = find(j, "kind")) {
    if (auto kind = str(*k, o.key("kind"))) {
      auto [it, added] = kinds_.try_emplace(lower(*kind), KindUse{*kind, 0, o.key("kind")});
      ++it->second.count;
    }
  }
  if (const Json* k = find(j, "note")) str(*k, o.key("note"));
  if (const Json* k = find(j, "by")) str(*k, o.key("by"));
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
  Scanner scanner(text);
  Spot root = scanner.value(0);
  if (scanner.too_deep_line > 0)
    return {fatal(fmt::format("JSON nested deeper than {} levels", kMaxDepth), "", scanner.too_deep_line)};
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
  checker.book(doc, &root);
  checker.kinds(text, source);
  return checker.problems();
}

} // namespace followup
