// Local calendar dates and the date phrases users type (SPEC §2).
#pragma once

#include <algorithm>
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

namespace detail {

// Civil-date conversion after Howard Hinnant's `days_from_civil` (proleptic
// Gregorian calendar, exact for every int year we can reach).
constexpr int floor_div(int a, int b) { return (a >= 0 ? a : a - (b - 1)) / b; }

constexpr int days_from_civil(int year, int month, int day) {
  if (month <= 2) --year;
  const int era = floor_div(year, 400);
  const int year_of_era = year - era * 400;
  const int day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

constexpr bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

} // namespace detail

// Strict `YYYY-MM-DD` (years 1000..9999); nullopt when malformed or impossible.
// Inline, with one branch for the ten bytes: a large book holds a million dates.
[[gnu::always_inline]] inline std::optional<Date> parse_iso_date(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  const auto* u = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned y0 = u[0] - 48u, y1 = u[1] - 48u, y2 = u[2] - 48u, y3 = u[3] - 48u, m0 = u[5] - 48u, m1 = u[6] - 48u,
                 d0 = u[8] - 48u, d1 = u[9] - 48u; // 48: '0'
  // Past '9' or (wrapped round) before '0', a digit is above 9: the count
  // of such tells, without a branch a byte.
  const unsigned bad = (y0 > 9u) + (y1 > 9u) + (y2 > 9u) + (y3 > 9u) + (m0 > 9u) + (m1 > 9u) + (d0 > 9u) + (d1 > 9u);
  if (bad != 0 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const unsigned year = y0 * 1000 + y1 * 100 + y2 * 10 + y3, month = m0 * 10 + m1, day = d0 * 10 + d1;
  if (year < 1000 || month - 1 > 11 || day == 0) return std::nullopt;
  // 31 in months 1, 3, 5, 7, 8, 10, 12; 30 in the others but February.
  const unsigned length = month == 2 ? (detail::is_leap_year(static_cast<int>(year)) ? 29 : 28) : 30 + ((month + (month >> 3)) & 1);
  if (day > length) return std::nullopt;
  // days_from_civil for a year past 0, in unsigned arithmetic (divisions by
  // constants become multiplications).
  const unsigned y = year - (month <= 2 ? 1 : 0);
  const unsigned era = y / 400, year_of_era = y - era * 400;
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return Date{static_cast<int>(era * 146097 + day_of_era) - 719468};
}
std::string to_iso(Date d);

// The dates a book can hold: the reader takes years 1000..9999 (four digits),
// so nothing a command computes may fall outside them, or the next command
// could not read the book it wrote (issue 12).
inline constexpr Date kFirstStorableDate{detail::days_from_civil(1000, 1, 1)};
inline constexpr Date kLastStorableDate{detail::days_from_civil(9999, 12, 31)};
inline bool is_storable(Date d) { return d >= kFirstStorableDate && d <= kLastStorableDate; }
// Throws Error{usage} naming `where` when `d` is not storable.
void require_storable(Date d, std::string_view where);

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

// A date to call on (`plan`, `log --next`): YYYY-MM-DD, today, tomorrow, a
// weekday (the next one after today), `in 2w`, `in 3 days`, `in 1 month`, or
// a bare duration `2w`; durations count from `from`. Years 1000..9999 only.
// Throws Error{usage} naming `option`. Whether the date is late enough is the
// caller's to say.
Date parse_future_phrase(std::string_view text, Date from, Date today, std::string_view option = {});

// Today's local date from the system clock.
Date system_today();

} // namespace followup
