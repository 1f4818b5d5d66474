// Which cadence governs a contact (SPEC §3): its own `every`, else the first
// rule whose match is true, else the built-in default of 30 days.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "followup/duration.hpp"
#include "followup/expr.hpp"
#include "followup/model.hpp"

namespace followup {

struct Cadence {
  std::string rule;               // the rule's name, "own" or "default"
  int rule_index = -1;            // index into book.rules, -1 for own/default
  Duration every;
  std::optional<std::vector<std::string>> counts; // nullopt: every kind counts
  std::optional<Duration> warn;   // the rule's `due --within` default
  std::string why;                // why it applies, in words
};

// The book's rules with their expressions parsed once.
class RuleSet {
public:
  // Throws Error{data} naming the rule and the column of a bad expression.
  explicit RuleSet(const Book& book);

  Cadence cadence_for(const Contact& c) const;
  const std::vector<Expr>& expressions() const { return exprs_; }

private:
  const Book* book_;
  std::vector<Expr> exprs_;
};

} // namespace followup
