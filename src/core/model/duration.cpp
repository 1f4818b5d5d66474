#include "followup/model/duration.hpp"

#include <array>
#include <cstddef>

#include "followup/model/error.hpp"

namespace followup {

namespace {

constexpr int max_count = 100000;

// Units in the only order they may appear; each at most once.
constexpr std::array<char, 4> unit_order = {'y', 'm', 'w', 'd'};

int* field_for(Duration& dur, char unit) {
  switch (unit) {
  case 'y': return &dur.years;
  case 'm': return &dur.months;
  case 'w': return &dur.weeks;
  case 'd': return &dur.days;
  default: return nullptr;
  }
}

bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

} // namespace

std::optional<Duration> parse_duration(std::string_view text, bool allow_never) {
  Duration dur;
  dur.text = std::string(text);
  if (text == "never") {
    if (!allow_never) return std::nullopt;
    dur.never = true;
    return dur;
  }
  if (text.empty()) return std::nullopt;

  std::size_t next_unit = 0; // index in unit_order the next group may use
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    int value = 0;
    while (i < text.size() && is_digit(text[i])) {
      value = value * 10 + (text[i] - '0');
      if (value > max_count) return std::nullopt; // also guards int overflow
      ++i;
    }
    if (i == start || i == text.size()) return std::nullopt; // no number, or no unit
    const char unit = text[i++];
    while (next_unit < unit_order.size() && unit_order[next_unit] != unit) ++next_unit;
    if (next_unit == unit_order.size()) return std::nullopt; // unknown, repeated or out of order
    ++next_unit;
    *field_for(dur, unit) = value;
  }
  return dur;
}

Duration parse_duration_option(std::string_view text, std::string_view option, bool allow_never) {
  if (auto dur = parse_duration(text, allow_never)) return *dur;
  std::string hint = "use N followed by d, w, m or y (3d, 2w, 6m, 1y, 1m2w)";
  if (allow_never) hint += " or never";
  throw_usage("not a duration: \"" + std::string(text) + "\"", std::string(option), hint);
}

Date add(Date d, const Duration& dur) {
  const Date shifted = add_months(d, dur.years * 12 + dur.months);
  return add_days(shifted, dur.weeks * 7 + dur.days);
}

} // namespace followup
