// The shape of the book (SPEC §1), declared once: each object's members,
// their types, which are required, and the order the writer puts them in;
// and the words of every problem a value can have. The reader
// (json_read.cpp) throws the first problem, `check` (check.cpp) collects
// them all, the writer (json_write.cpp) lays members out in this order: a
// new member is a line here, a field of the model, and how it is read and
// written.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace followup::schema {

enum class Type : unsigned char {
  version,      // "followup": a whole number from 1 to kFormatVersion
  text,         // any string
  kind,         // a check-in's kind: any string (`check` counts them)
  name,         // a contact's name: a string, not empty
  rule_name,    // a rule's name: a string, not empty
  id,           // lower-case letters, digits and '-'
  texts,        // an array of strings
  duration,     // 3d, 2w, 6m, 1y
  cadence,      // a duration or "never"
  date,         // YYYY-MM-DD
  match,        // an expression of the match language
  text_map,     // an object of strings ("fields")
  occasions,    // an object of label: YYYY-MM-DD or --MM-DD
  plans,        // an array of plan objects
  interactions, // an array of check-in objects
  rules,        // an array of rule objects
  contacts,     // an array of contact objects
};

struct Member {
  std::string_view key;
  Type type;
  bool required = false;
};

inline constexpr std::array kCheckIn = std::to_array<Member>({
    {"date", Type::date, true},
    {"kind", Type::kind},
    {"note", Type::text},
    {"by", Type::text},
});

inline constexpr std::array kPlan = std::to_array<Member>({
    {"date", Type::date, true},
    {"note", Type::text},
});

inline constexpr std::array kContact = std::to_array<Member>({
    {"id", Type::id, true},
    {"name", Type::name, true},
    {"tags", Type::texts},
    {"every", Type::cadence},
    {"counts", Type::texts},
    {"fields", Type::text_map},
    {"notes", Type::text},
    {"added", Type::date},
    {"snoozed_until", Type::date},
    {"owner", Type::text},
    {"occasions", Type::occasions},
    {"plans", Type::plans},
    {"interactions", Type::interactions},
});

inline constexpr std::array kRule = std::to_array<Member>({
    {"name", Type::rule_name, true},
    {"match", Type::match, true},
    {"every", Type::cadence, true},
    {"counts", Type::texts},
    {"warn", Type::duration},
    {"attempts", Type::texts},
    {"retry", Type::duration},
});

inline constexpr std::array kBook = std::to_array<Member>({
    {"followup", Type::version, true},
    {"rules", Type::rules},
    {"contacts", Type::contacts},
});

// The position of `key` among `members`, at compile time, for the reader's
// `case rank(kContact, "id"):`. A key that is not there does not compile.
template <std::size_t N>
consteval std::size_t rank(const std::array<Member, N>& members, std::string_view key) {
  for (std::size_t i = 0; i < N; ++i)
    if (members[i].key == key) return i;
  throw "no such member"; // not a constant expression: a compile error
}

// The keys alone, in order (the reader's KeyOrder, the writer's layout).
template <const auto& Members>
inline constexpr auto keys_of = [] {
  std::array<std::string_view, Members.size()> keys{};
  for (std::size_t i = 0; i < Members.size(); ++i) keys[i] = Members[i].key;
  return keys;
}();

// What a value of the type must be, as messages say it: "an array of strings".
std::string_view json_type_wanted(Type t);

// The problem with a string value of type `t` (id, name, date, duration,
// cadence, match), or nothing when it is fine or `t` is not told by its
// text. For a match, the expression is parsed.
std::optional<std::string> problem_with(Type t, std::string_view text);

// The words of the problems that are not about one value's text.
namespace say {
std::string missing(std::string_view key);                          // missing key "id"
std::string wrong_type(std::string_view wanted, std::string_view got); // expected a string, got a number
std::string twice(std::string_view key);                            // the key "x" appears twice
std::string rule_named_twice(std::string_view name);
std::string bad_label(std::string_view label);
std::string bad_occasion_date(std::string_view text);
std::string occasion_twice(std::string_view label);
std::string top_not_object(std::string_view got);
std::string version_not_positive();
std::string version_too_new(std::uint64_t version);
std::string missing_version();
std::string bad_match(int column, std::string_view message);
std::string id_twice(std::string_view id);
} // namespace say

} // namespace followup::schema
