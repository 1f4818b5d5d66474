// The match language of rules, `--where` and `rules test` (SPEC §3):
//   tag:NAME  field:KEY  field:KEY=VALUE  field:KEY="A B"  kind:KIND  never  *
//   plan  occasion:LABEL  owner:WHO  owner:none (§7, §8)
//   field:KEY~TEXT  name~TEXT  note~TEXT (substrings, case- and accent-insensitive)
//   not X   X and Y   X or Y   ( X )
// Precedence: not > and > or. Keywords and tags/kinds/field keys/values are
// case-insensitive.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "followup/model/model.hpp"

namespace followup {

struct ExprNode;

// A parsed expression; cheap to copy (shared, immutable).
class Expr {
public:
  Expr(); // `*`
  bool matches(const Contact& c) const;
  // Why the expression has the value it has for c, in words:
  // "has tag client and has no tag vip", "has no check-in at all".
  std::string explain(const Contact& c) const;
  // The expression, normalised (`tag:client and not tag:vip`).
  std::string to_string() const;
  // For check warnings: true if the expression is unsatisfiable by construction
  // (e.g. `tag:a and not tag:a`, `never and kind:call`). May miss cases; never
  // says true for a satisfiable expression.
  bool never_matches() const;
  // Whether it tests notes (`note~`), which a summary load drops.
  bool reads_notes() const;

  std::shared_ptr<const ExprNode> root;
};

// Thrown by parse_expr; column is 1-based, into the expression text.
struct ExprError {
  int column;
  std::string message;
};

// Parses an expression. Throws ExprError on a syntax error.
Expr parse_expr(std::string_view text);

// `owner:A or owner:B ...` for `--owner A --owner B` ("none": no owner).
Expr owners_expr(const std::vector<std::string>& owners);

// Both must match.
Expr both(const Expr& a, const Expr& b);

// parse_expr, but a syntax error becomes Error{usage} naming `where`
// (e.g. "--where"): "bad expression at column 9: expected ... (--where)".
Expr parse_expr_option(std::string_view text, std::string_view where);

} // namespace followup
