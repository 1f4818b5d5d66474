// Local calendar dates and the date phrases users type (SPEC §2).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace followup {

// A calendar date, counted in days since 1970-01-01 (negative before).
struct Date {
  int days = 0;
  auto operator<=>(const Date&) const = default;
};

struct Ymd {
  int year;
  int month; // 1..12
  int day;   // 1..31
};

// Builds a date from year, month, day; the caller guarantees it exists.
Date from_ymd(int year, int month, int day);
Ymd to_ymd(Date d);
bool is_valid_ymd(int year, int month, int day);
int days_in_month(int year, int month);

// Strict `YYYY-MM-DD` (years 1000..9999); nullopt when malformed or impossible.
std::optional<Date> parse_iso_date(std::string_view text);
std::string to_iso(Date d);

// 0 = Monday ... 6 = Sunday.
int weekday(Date d);

inline Date add_days(Date d, int n) { return Date{d.days + n}; }
inline int days_between(Date from, Date to) { return to.days - from.days; }
// Adds calendar months, clamping to the end of the month (Jan 31 + 1 = Feb 28/29).
Date add_months(Date d, int months);

// Whether a phrase names a date in the past (--date, --since) or future (--until).
enum class When { past, future };

// Parses a date phrase: YYYY-MM-DD, today, yesterday, tomorrow (future only),
// `N days ago`, `Nd ago`, `N weeks ago`, `Nw ago` (past only), a weekday name or
// its three-letter abbreviation (the most recent one before today for past,
// the next one after today for future). Case-insensitive, surrounding blanks
// ignored. Throws Error{usage} naming `option` when the phrase is not a date.
Date parse_date_phrase(std::string_view text, Date today, When when, std::string_view option = {});

// Today's local date from the system clock.
Date system_today();

} // namespace followup
