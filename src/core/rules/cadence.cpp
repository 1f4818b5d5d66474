#include "followup/rules/cadence.hpp"

#include <fmt/format.h>

#include "book/book_schema.hpp"
#include "followup/model/error.hpp"

namespace followup {

RuleSet::RuleSet(const Book& book) : book_(&book) {
  exprs_.reserve(book.rules.size());
  for (const auto& rule : book.rules) {
    try {
      exprs_.push_back(parse_expr(rule.match));
    } catch (const ExprError& e) {
      throw_data(schema::say::bad_match(e.column, e.message),
                 fmt::format("rule {}, key match", rule.name));
    }
  }
}

Cadence RuleSet::cadence_for(const Contact& c) const {
  Cadence cad;
  if (c.every) {
    cad.rule = "own";
    cad.every = &*c.every;
  } else {
    for (std::size_t i = 0; i < exprs_.size(); ++i) {
      if (!exprs_[i].matches(c)) continue;
      const Rule& r = book_->rules[i];
      cad.rule = r.name;
      cad.rule_index = static_cast<int>(i);
      cad.every = &r.every;
      if (r.counts) cad.counts = &*r.counts;
      if (r.warn) cad.warn = &*r.warn;
      if (r.attempts) cad.attempts = &*r.attempts;
      if (r.retry) cad.retry = &*r.retry;
      cad.source_ = &r;
      cad.expr_ = &exprs_[i];
      break;
    }
    if (!cad.every) {
      static const Duration kDefault = *parse_duration("30d");
      cad.rule = "default";
      cad.every = &kDefault;
      cad.no_rules_ = book_->rules.empty();
    }
  }
  // The contact's own `counts` narrows whatever cadence applies.
  if (c.counts) cad.counts = &*c.counts;
  return cad;
}

bool Cadence::counts_kind(const std::optional<std::string>& kind) const {
  if (!counts) return true;
  for (const auto& k : *counts)
    if (kind_matches(kind, k)) return true;
  return false;
}

bool Cadence::is_attempt(const std::optional<std::string>& kind) const {
  if (!kind) return false;
  // Asked of every check-in `due` looks at: both default kinds are 9 bytes
  // long, so most kinds are told apart by their length alone.
  if (!attempts) return kind->size() == 9 && (kind_matches(kind, "voicemail") || kind_matches(kind, "no-answer"));
  for (const auto& k : *attempts)
    if (kind_matches(kind, k)) return true;
  return false;
}

const Duration& Cadence::retry_after() const {
  static const Duration kDefault = *parse_duration(kDefaultRetry);
  return retry ? *retry : kDefault;
}

std::string Cadence::why(const Contact& c) const {
  if (source_) return fmt::format("rule {}, match {}: {}", source_->name, source_->match, expr_->explain(c));
  if (rule == "own") return "the contact's own";
  return no_rules_ ? "the built-in default: there are no rules" : "the built-in default: no rule matches";
}

} // namespace followup
