// Which cadence governs a contact (SPEC §3): its own `every`, else the first
// rule whose match is true, else the built-in default of 30 days.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "followup/model/duration.hpp"
#include "followup/rules/expr.hpp"
#include "followup/model/model.hpp"

namespace followup {

// What a rule without `attempts` or `retry` gets (SPEC §7).
inline const std::vector<std::string> kDefaultAttempts{"voicemail", "no-answer"};

// The kinds of check-in people log most, the attempts last: what `log`
// knows without looking through the book, and what completion offers first.
inline constexpr std::array<std::string_view, 7> kUsualKinds{"call",    "visit",     "meeting",  "email",
                                                             "message", "voicemail", "no-answer"};
inline constexpr const char* kDefaultRetry = "3d";

// Points into the book (and the rule set), which outlive it: a due list holds
// one per contact due, and copies of names and durations would be most of it.
struct Cadence {
  std::string_view rule;          // the rule's name, "own" or "default"
  int rule_index = -1;            // index into book.rules, -1 for own/default
  const Duration* every = nullptr;
  // The kinds that count: the contact's own `counts`, else its rule's; null
  // when every kind counts. Points into the book, which outlives the cadence.
  const std::vector<std::string>* counts = nullptr;
  const Duration* warn = nullptr; // the rule's `due --within` default, if any
  // The kinds that are attempts (SPEC §7): the rule's `attempts`, else null
  // for the default ones (voicemail, no-answer). And the rule's `retry`, else
  // null for the default 3d.
  const std::vector<std::string>* attempts = nullptr;
  const Duration* retry = nullptr;

  bool counts_kind(const std::optional<std::string>& kind) const;
  bool is_attempt(const std::optional<std::string>& kind) const;
  // A reaching check-in: its kind counts and it is not an attempt.
  bool reaches(const std::optional<std::string>& kind) const { return counts_kind(kind) && !is_attempt(kind); }
  const Duration& retry_after() const;

  // Why it applies, in words ("rule clients, match tag:client: ..."); only
  // `--explain` and `show` ask, so it is not built for every contact.
  std::string why(const Contact& c) const;

private:
  friend class RuleSet;
  const Rule* source_ = nullptr; // the rule that matched
  const Expr* expr_ = nullptr;   // its parsed match
  bool no_rules_ = false;        // the book has no rules (for the default's why)
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
