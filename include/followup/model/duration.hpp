// Durations: `3d`, `2w`, `6m`, `1y`, combinations such as `1m2w`, and `never`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "followup/model/date.hpp"

namespace followup {

struct Duration {
  int years = 0;
  int months = 0;
  int weeks = 0;
  int days = 0;
  bool never = false; // as a cadence: never due
  std::string text;   // as written, kept so the file is rewritten unchanged

  bool operator==(const Duration& o) const {
    return years == o.years && months == o.months && weeks == o.weeks && days == o.days && never == o.never;
  }
};

// Parses `N<unit>` groups with units y, m, w, d (each at most once, in that
// order, lower-case), or `never` when allow_never. Numbers are 0..100000.
// Returns nullopt when the text is not a duration.
std::optional<Duration> parse_duration(std::string_view text, bool allow_never = true);

// Like parse_duration, but throws Error{usage} naming `option` with a hint.
Duration parse_duration_option(std::string_view text, std::string_view option, bool allow_never = true);

// d + duration: years and months first (clamped to the month's end), then
// weeks and days. Must not be called with a `never` duration.
Date add(Date d, const Duration& dur);

} // namespace followup
