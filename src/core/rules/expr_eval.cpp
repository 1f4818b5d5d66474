// What a match expression (SPEC §3) means for a contact: whether it
// matches, why in words, whether it reads notes, and a brute-force
// unsatisfiability check. The text and the tree are expr_parse.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "rules/expr_tree.hpp"
#include "followup/text/text.hpp"

namespace followup {

using namespace expr_detail;

namespace {

// ---- evaluation ----

// A plan no check-in on or after its date has fulfilled. A rule's `match`
// cannot know the rule's own counts (it decides the rule), so any check-in
// but the usual attempts (voicemail, no-answer) fulfils here; `log` removes
// fulfilled plans anyway.
bool has_open_plan(const Contact& c) {
  std::optional<Date> reached;
  for (auto it = c.interactions.rbegin(); it != c.interactions.rend() && !reached; ++it)
    if (!kind_matches(it->kind, "voicemail") && !kind_matches(it->kind, "no-answer")) reached = it->date;
  return std::any_of(c.plans.begin(), c.plans.end(), [&](const CallPlan& p) { return !reached || *reached < p.date; });
}

// Case- and accent-insensitive, as lookups fold names.
bool contains_folded(std::string_view text, const std::string& folded_needle) {
  return fold(text).find(folded_needle) != std::string::npos;
}

bool note_contains(const Contact& c, const std::string& folded) {
  if (c.notes && contains_folded(*c.notes, folded)) return true;
  return std::any_of(c.interactions.begin(), c.interactions.end(),
                     [&](const Interaction& it) { return it.note && contains_folded(*it.note, folded); });
}

bool leaf_matches(const ExprNode& n, const Contact& c) {
  switch (n.op) {
  case Op::field_has: {
    const Field* f = c.field(n.name);
    return f && contains_folded(f->value, fold(*n.value));
  }
  case Op::name_has: return contains_folded(c.name, fold(*n.value));
  case Op::note_has: return note_contains(c, fold(*n.value));
  case Op::never: return c.interactions.empty();
  case Op::tag: return c.has_tag(n.name);
  case Op::kind: return c.has_kind(n.name);
  case Op::field: {
    const Field* f = c.field(n.name);
    return f && (!n.value || iequals(f->value, *n.value));
  }
  case Op::plan: return has_open_plan(c);
  case Op::occasion: return c.occasion(n.name) != nullptr;
  case Op::owner: return n.name.empty() ? !c.owner : c.owner && iequals(*c.owner, n.name);
  default: return true; // Op::all
  }
}

bool node_matches(const ExprNode& n, const Contact& c) {
  return eval(n, [&](const ExprNode& leaf) { return leaf_matches(leaf, c); });
}

// ---- explanation ----

// Leaf reasons state the fact about the contact, whichever way it goes, so a
// `not` above can reuse them unchanged.
std::string leaf_reason(const ExprNode& n, const Contact& c) {
  bool yes = leaf_matches(n, c);
  switch (n.op) {
  case Op::never: return yes ? "has no check-in at all" : "has check-ins";
  case Op::tag: return fmt::format("has {}tag {}", yes ? "" : "no ", n.name);
  case Op::kind: return fmt::format("has {} check-in of kind {}", yes ? "a" : "no", n.name);
  case Op::plan: return yes ? "has an open plan" : "has no open plan";
  case Op::occasion: return fmt::format("has {}occasion {}", yes ? "" : "no ", n.name);
  case Op::name_has: return fmt::format("name {} \"{}\"", yes ? "contains" : "does not contain", *n.value);
  case Op::note_has: return fmt::format("{} note contains \"{}\"", yes ? "a" : "no", *n.value);
  case Op::field_has: {
    const Field* f = c.field(n.name);
    if (!f) return fmt::format("has no field {}", n.name);
    return fmt::format("field {} is \"{}\", {} \"{}\"", n.name, f->value, yes ? "with" : "without", *n.value);
  }
  case Op::owner:
    if (!c.owner) return "has no owner";
    return fmt::format("is {}'s", *c.owner);
  case Op::field: {
    const Field* f = c.field(n.name);
    if (!f || !n.value) return fmt::format("has {}field {}", f ? "" : "no ", n.name);
    if (yes) return fmt::format("field {} is \"{}\"", n.name, f->value);
    return fmt::format("field {} is \"{}\", not \"{}\"", n.name, f->value, *n.value);
  }
  default: return "matches everyone";
  }
}

std::string reason(const ExprNode& n, const Contact& c) {
  if (n.op == Op::not_) return reason(*n.kids.front(), c);
  if (n.op != Op::and_ && n.op != Op::or_) return leaf_reason(n, c);
  // A true `and` or a false `or` needs every child; otherwise the first child
  // with the same value as the whole decides it.
  bool value = node_matches(n, c);
  if ((n.op == Op::and_) != value) {
    for (const auto& k : n.kids)
      if (node_matches(*k, c) == value) return reason(*k, c);
  }
  std::string out;
  for (const auto& k : n.kids) out += (out.empty() ? "" : " and ") + reason(*k, c);
  return out;
}

// ---- unsatisfiability ----

// A distinct atom, compared the way evaluation compares (ASCII case-insensitive).
struct Atom {
  Op op;
  std::string key;
  std::optional<std::string> value;
  auto operator<=>(const Atom&) const = default;
};

struct Atoms {
  std::vector<Atom> list;
  std::unordered_map<const ExprNode*, std::size_t> index;
  std::size_t nodes = 0;
};

void collect(const ExprNode& n, Atoms& atoms, std::map<Atom, std::size_t>& seen) {
  ++atoms.nodes;
  for (const auto& k : n.kids) collect(*k, atoms, seen);
  if (n.op == Op::all || !n.kids.empty()) return;
  Atom a{n.op, lower(n.name), n.value ? std::optional(lower(*n.value)) : std::nullopt};
  auto [it, added] = seen.try_emplace(a, atoms.list.size());
  if (added) atoms.list.push_back(std::move(a));
  atoms.index[&n] = it->second;
}

// Whether some contact makes exactly the atoms in `mask` true: a check-in of
// any kind rules out `never`, and a contact's field has one value.
bool possible(const std::vector<Atom>& atoms, unsigned mask) {
  auto on = [&](std::size_t i) { return ((mask >> i) & 1u) != 0; };
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    if (!on(i)) continue;
    for (std::size_t j = 0; j < atoms.size(); ++j) {
      const Atom &a = atoms[i], &b = atoms[j];
      if (a.op == Op::kind && b.op == Op::never && on(j)) return false;
      if (a.op == Op::owner && b.op == Op::owner && a.key != b.key && on(j)) return false; // one owner at most
      // A field holding some text is there.
      if (a.op == Op::field_has && b.op == Op::field && !b.value && a.key == b.key && !on(j)) return false;
      if (a.op != Op::field || b.op != Op::field || !a.value || a.key != b.key) continue;
      if (!b.value && !on(j)) return false;                       // a value without the field
      if (b.value && *a.value != *b.value && on(j)) return false; // two values at once
    }
  }
  return true;
}

bool has_note_test(const ExprNode& n) {
  return n.op == Op::note_has || std::any_of(n.kids.begin(), n.kids.end(), [](const NodePtr& k) { return has_note_test(*k); });
}

} // namespace

bool Expr::matches(const Contact& c) const { return node_matches(root_of(*this), c); }

bool Expr::reads_notes() const { return has_note_test(root_of(*this)); }

std::string Expr::explain(const Contact& c) const { return reason(root_of(*this), c); }

// Brute force over the truth assignments of the distinct atoms that some
// contact could produce. Expressions people write are small; bigger ones get
// the benefit of the doubt.
bool Expr::never_matches() const {
  constexpr std::size_t max_atoms = 12, max_nodes = 4000;
  Atoms atoms;
  std::map<Atom, std::size_t> seen;
  collect(root_of(*this), atoms, seen);
  if (atoms.list.size() > max_atoms || atoms.nodes > max_nodes) return false;
  for (unsigned mask = 0; mask < (1u << atoms.list.size()); ++mask) {
    if (!possible(atoms.list, mask)) continue;
    bool value = eval(root_of(*this), [&](const ExprNode& leaf) {
      return leaf.op == Op::all || ((mask >> atoms.index.at(&leaf)) & 1u) != 0;
    });
    if (value) return false;
  }
  return true;
}

} // namespace followup
