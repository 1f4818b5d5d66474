#include "followup/model/date.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <vector>

#include <fmt/format.h>

#include "followup/model/duration.hpp"
#include "followup/model/error.hpp"
#include "followup/text/text.hpp"

namespace followup {

namespace {

// The reverse of detail::days_from_civil (date.hpp), after Howard Hinnant's
// `civil_from_days`: plain integer arithmetic, so no chrono unsigned/int casts.
using detail::days_from_civil;
using detail::floor_div;
using detail::is_leap_year;

constexpr Ymd civil_from_days(int days) {
  days += 719468;
  const int era = floor_div(days, 146097);
  const int day_of_era = days - era * 146097;
  const int year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int shifted_month = (5 * day_of_year + 2) / 153; // 0 = March
  const int day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const int month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const int year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return Ymd{year, month, day};
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);
static_assert(civil_from_days(-1).year == 1969);

bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
bool is_blank(char ch) { return ch == ' ' || ch == '\t'; }

// Largest N accepted in `N days ago` (same bound as durations).
constexpr int max_count = 100000;

// Digits only, value 0..max_count; nullopt otherwise (also on overflow).
std::optional<int> parse_count(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int value = 0;
  for (char ch : text) {
    if (!is_digit(ch)) return std::nullopt;
    value = value * 10 + (ch - '0');
    if (value > max_count) return std::nullopt;
  }
  return value;
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split_blanks(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_blank(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_blank(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

// Index 0 = Monday, matching weekday().
constexpr std::array<std::string_view, 7> weekday_names = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

std::optional<int> parse_weekday(std::string_view word) {
  for (int i = 0; i < 7; ++i) {
    const std::string_view name = weekday_names[static_cast<std::size_t>(i)];
    if (word == name || word == name.substr(0, 3)) return i;
  }
  return std::nullopt;
}

// Unit word of `N days ago` / `N weeks ago`: days per unit, or nullopt.
std::optional<int> parse_unit_word(std::string_view word) {
  if (word == "day" || word == "days") return 1;
  if (word == "week" || word == "weeks") return 7;
  return std::nullopt;
}

// `N days ago`, `N weeks ago`, `Nd ago`, `Nw ago`: the number of days back.
std::optional<int> parse_ago(const std::vector<std::string_view>& words) {
  if (words.empty() || words.back() != "ago") return std::nullopt;
  std::optional<int> count;
  std::optional<int> unit;
  if (words.size() == 3) {
    count = parse_count(words[0]);
    unit = parse_unit_word(words[1]);
  } else if (words.size() == 2 && words[0].size() >= 2) {
    const std::string_view word = words[0];
    count = parse_count(word.substr(0, word.size() - 1));
    if (word.back() == 'd') unit = 1;
    if (word.back() == 'w') unit = 7;
  }
  if (!count || !unit) return std::nullopt;
  return *count * *unit;
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  out += text;
  out += '"';
  return out;
}

std::string phrase_hint(When when) {
  return when == When::past ? "use YYYY-MM-DD, today, yesterday, \"3 days ago\" or a weekday"
                            : "use YYYY-MM-DD, today, tomorrow or a weekday";
}

} // namespace

Date from_ymd(int year, int month, int day) { return Date{days_from_civil(year, month, day)}; }

Ymd to_ymd(Date d) { return civil_from_days(d.days); }

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> lengths = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && is_leap_year(year)) return 29;
  return lengths[static_cast<std::size_t>(month - 1)];
}

bool is_valid_ymd(int year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

std::string to_iso(Date d) {
  const Ymd ymd = to_ymd(d);
  if (ymd.year >= 0 && ymd.year <= 9999) { // by hand: the lists print tens of thousands
    std::string out(10, '-');
    auto put = [&](std::size_t at, int value, int digits) {
      for (int i = digits - 1; i >= 0; --i, value /= 10) out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    };
    put(0, ymd.year, 4);
    put(5, ymd.month, 2);
    put(8, ymd.day, 2);
    return out;
  }
  std::array<char, 40> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02d", ymd.year, ymd.month, ymd.day);
  return std::string(buffer.data());
}

int weekday(Date d) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  return ((d.days % 7) + 7 + 3) % 7;
}

Date add_months(Date d, int months) {
  const Ymd ymd = to_ymd(d);
  const int index = ymd.year * 12 + (ymd.month - 1) + months; // months since year 0
  const int year = floor_div(index, 12);
  const int month = index - year * 12 + 1;
  const int day = std::min(ymd.day, days_in_month(year, month));
  return from_ymd(year, month, day);
}

void require_storable(Date d, std::string_view where) {
  if (!is_storable(d))
    throw_usage(fmt::format("the date {} is out of range: a book holds dates from {} to {}", to_iso(d),
                            to_iso(kFirstStorableDate), to_iso(kLastStorableDate)),
                std::string(where));
}

namespace {

Date parse_phrase(std::string_view text, Date today, When when, std::string_view option) {
  const std::string_view trimmed = trim_blanks(text);
  const std::string folded = lower(trimmed);
  const std::vector<std::string_view> words = split_blanks(folded);
  const std::string where(option);

  if (words.size() == 1) {
    const std::string_view word = words[0];
    if (auto date = parse_iso_date(word)) return *date;
    if (word == "today") return today;
    if (word == "yesterday") return add_days(today, -1);
    if (word == "tomorrow") {
      if (when == When::past)
        throw_usage("the date must not be in the future: " + quoted(trimmed), where, phrase_hint(when));
      return add_days(today, 1);
    }
    if (auto target = parse_weekday(word)) {
      const int now = weekday(today);
      // Strictly before/after today: the same weekday means a week away.
      if (when == When::past) {
        const int back = (now - *target + 7) % 7;
        return add_days(today, -(back == 0 ? 7 : back));
      }
      const int ahead = (*target - now + 7) % 7;
      return add_days(today, ahead == 0 ? 7 : ahead);
    }
  }
  if (auto back = parse_ago(words)) {
    if (when == When::future)
      throw_usage("the date must not be in the past: " + quoted(trimmed), where, phrase_hint(when));
    return add_days(today, -*back);
  }
  throw_usage("not a date: " + quoted(trimmed), where, phrase_hint(when));
}

} // namespace

Date parse_date_phrase(std::string_view text, Date today, When when, std::string_view option) {
  const Date d = parse_phrase(text, today, when, option);
  require_storable(d, option);
  return d;
}

Date parse_future_phrase(std::string_view text, Date from, Date today, std::string_view option) {
  const std::string_view trimmed = trim_blanks(text);
  const std::string folded = lower(trimmed);
  std::vector<std::string_view> words = split_blanks(folded);
  const std::string where(option);
  const char* hint = "use YYYY-MM-DD, tomorrow, a weekday, \"in 2w\", \"in 3 days\", \"in 1 month\" or 2w";
  std::optional<Date> out;
  if (words.size() == 1 && words[0] != "in") {
    const std::string_view word = words[0];
    if (auto date = parse_iso_date(word)) out = *date;
    else if (word == "today") out = today;
    else if (word == "tomorrow") out = add_days(today, 1);
    else if (auto target = parse_weekday(word)) {
      const int ahead = (*target - weekday(today) + 7) % 7;
      out = add_days(today, ahead == 0 ? 7 : ahead);
    }
  }
  if (!out) {
    // `in 2w`, `in 3 days`, `in 1 month`, or a bare duration `2w`.
    if (!words.empty() && words[0] == "in") words.erase(words.begin());
    std::string duration;
    if (words.size() == 1) {
      duration = words[0];
    } else if (words.size() == 2) {
      std::string_view unit = words[1];
      if (unit.size() > 1 && unit.back() == 's') unit.remove_suffix(1);
      const char* letter = unit == "day" ? "d" : unit == "week" ? "w" : unit == "month" ? "m" : unit == "year" ? "y" : nullptr;
      if (letter && !words[0].empty() &&
          std::all_of(words[0].begin(), words[0].end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        duration = std::string(words[0]) + letter;
    }
    auto d = duration.empty() ? std::nullopt : parse_duration(duration, false);
    if (!d) throw_usage("not a date or a time from now: " + quoted(trimmed), where, hint);
    // 100000y: past the years a book can hold, refused below.
    const long long months = static_cast<long long>(d->years) * 12 + d->months;
    if (months > 12 * 9999) throw_usage("the date is out of range (years 1000 to 9999): " + quoted(trimmed), where);
    out = add(from, *d);
  }
  const int year = to_ymd(*out).year;
  if (year < 1000 || year > 9999) throw_usage("the date is out of range (years 1000 to 9999): " + quoted(trimmed), where);
  return *out;
}

Date system_today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  // localtime_r only fails for times outside the tm range; UTC is then as
  // good a guess as any.
  if (localtime_r(&now, &local) == nullptr) gmtime_r(&now, &local);
  return from_ymd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

} // namespace followup
