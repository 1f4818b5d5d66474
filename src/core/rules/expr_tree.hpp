// The tree of a parsed match expression, shared by the parser
// (expr_parse.cpp) and evaluation (expr_eval.cpp); not part of the core's
// interface, which sees only `Expr` (expr.hpp).
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "followup/rules/expr.hpp"

namespace followup {

using NodePtr = std::shared_ptr<const ExprNode>;

struct ExprNode {
  // field_has, name_has, note_has: the substring tests (`field:KEY~TEXT`,
  // `name~TEXT`, `note~TEXT`), case- and accent-insensitive.
  enum class Op { all, never, tag, kind, field, field_has, name_has, note_has, plan, occasion, owner, not_, and_, or_ };
  Op op = Op::all;
  std::string name;                 // tag, kind, field key or owner, as written ("" for owner:none)
  std::optional<std::string> value; // field:KEY=VALUE, and the TEXT of the substring tests
  std::vector<NodePtr> kids;        // not: one; and/or: two or more
};

namespace expr_detail {

using Op = ExprNode::Op;

inline NodePtr make_node(Op op, std::string name = {}, std::optional<std::string> value = {},
                         std::vector<NodePtr> kids = {}) {
  return std::make_shared<const ExprNode>(ExprNode{op, std::move(name), std::move(value), std::move(kids)});
}

// The expression's tree; a default Expr whose root was dropped is `*`.
inline const ExprNode& root_of(const Expr& e) {
  static const ExprNode everyone{}; // immutable: Op::all
  return e.root ? *e.root : everyone;
}

// The value of the tree when `leaf` gives each leaf's: `matches` asks a
// contact, `never_matches` a truth assignment.
template <class Leaf>
bool eval(const ExprNode& n, const Leaf& leaf) {
  auto kid_true = [&](const NodePtr& k) { return eval(*k, leaf); };
  switch (n.op) {
  case Op::not_: return !eval(*n.kids.front(), leaf);
  case Op::and_: return std::all_of(n.kids.begin(), n.kids.end(), kid_true);
  case Op::or_: return std::any_of(n.kids.begin(), n.kids.end(), kid_true);
  default: return leaf(n);
  }
}

} // namespace expr_detail
} // namespace followup
