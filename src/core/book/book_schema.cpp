// The words of each problem a book can have: the reader throws them, `check`
// lists them, so a book refused by one is described the same by the other.
#include "book/book_schema.hpp"

#include <fmt/format.h>

#include "followup/model/date.hpp"
#include "followup/model/duration.hpp"
#include "followup/rules/expr.hpp"
#include "followup/model/model.hpp"
#include "followup/text/text.hpp"

namespace followup::schema {

std::string_view json_type_wanted(Type t) {
  switch (t) {
  case Type::version: return "a number";
  case Type::texts: return "an array of strings";
  case Type::text_map:
  case Type::occasions: return "an object";
  case Type::plans:
  case Type::interactions:
  case Type::rules:
  case Type::contacts: return "an array";
  default: return "a string";
  }
}

std::optional<std::string> problem_with(Type t, std::string_view text) {
  switch (t) {
  case Type::id:
    if (is_valid_id(text)) return std::nullopt;
    return fmt::format("\"{}\" is not a valid id (lower-case letters, digits and '-')", text);
  case Type::name:
    if (!text.empty()) return std::nullopt;
    return "the name is empty";
  case Type::rule_name:
    if (!text.empty()) return std::nullopt;
    return "the rule name is empty";
  case Type::date:
    if (parse_iso_date(text)) return std::nullopt;
    return fmt::format("\"{}\" is not a date (YYYY-MM-DD)", text);
  case Type::duration:
  case Type::cadence: {
    const bool never = t == Type::cadence;
    if (parse_duration(text, never)) return std::nullopt;
    return fmt::format("\"{}\" is not a duration (3d, 2w, 6m, 1y{})", text, never ? ", never" : "");
  }
  case Type::match:
    try {
      parse_expr(text);
      return std::nullopt;
    } catch (const ExprError& e) {
      return say::bad_match(e.column, e.message);
    }
  default: return std::nullopt;
  }
}

namespace say {
std::string missing(std::string_view key) { return fmt::format("missing key \"{}\"", key); }
std::string wrong_type(std::string_view wanted, std::string_view got) {
  return fmt::format("expected {}, got {}", wanted, got);
}
std::string twice(std::string_view key) { return fmt::format("the key \"{}\" appears twice", key); }
std::string rule_named_twice(std::string_view name) { return fmt::format("two rules are named \"{}\"", name); }
std::string id_twice(std::string_view id) { return fmt::format("the id \"{}\" is used twice", id); }
std::string bad_label(std::string_view label) {
  return fmt::format("\"{}\" is not an occasion label (a word: letters, digits, '-')", label);
}
std::string bad_occasion_date(std::string_view text) {
  return fmt::format("\"{}\" is not an occasion date (YYYY-MM-DD or --MM-DD)", text);
}
std::string occasion_twice(std::string_view label) { return fmt::format("the occasion \"{}\" appears twice", label); }
std::string top_not_object(std::string_view got) { return fmt::format("expected a JSON object at the top, got {}", got); }
std::string version_not_positive() { return "\"followup\" must be a positive whole number"; }
std::string version_too_new(std::uint64_t version) {
  return fmt::format("the file is format version {}; this followup reads version {} at most", version, kFormatVersion);
}
std::string bad_match(int column, std::string_view message) {
  return fmt::format("bad match expression at column {}: {}", column, message);
}
std::string missing_version() { return "missing key \"followup\" (the format version)"; }
} // namespace say

} // namespace followup::schema
