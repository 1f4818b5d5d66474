#include <doctest/doctest.h>

#include <string>

#include "followup/model/date.hpp"
#include "followup/model/error.hpp"

using namespace followup;

namespace {

Date iso(const char* text) {
  const auto date = parse_iso_date(text);
  REQUIRE(date.has_value());
  return *date;
}

// A Monday, so weekday phrases have a known anchor.
const Date monday_nov_23 = from_ymd(2026, 11, 23);

std::string past(const char* phrase) {
  return to_iso(parse_date_phrase(phrase, monday_nov_23, When::past, "--date"));
}

std::string future(const char* phrase) {
  return to_iso(parse_date_phrase(phrase, monday_nov_23, When::future, "--until"));
}

// Runs the phrase and returns the usage error it raised.
Error phrase_error(const char* phrase, When when, const char* option) {
  try {
    parse_date_phrase(phrase, monday_nov_23, when, option);
  } catch (const Error& e) {
    return e;
  }
  FAIL("no error for \"" << phrase << "\"");
  return Error(ErrorKind::io, "unreachable");
}

} // namespace

TEST_SUITE("calendar") {
  TEST_CASE("days since the epoch") {
    CHECK(from_ymd(1970, 1, 1).days == 0);
    CHECK(from_ymd(1970, 1, 2).days == 1);
    CHECK(from_ymd(1969, 12, 31).days == -1);
    CHECK(from_ymd(2000, 3, 1).days == 11017);
    CHECK(from_ymd(2026, 11, 23).days == 20780);
    CHECK(from_ymd(1000, 1, 1).days == -354285);
    CHECK(from_ymd(9999, 12, 31).days == 2932896);
  }

  TEST_CASE("to_ymd inverts from_ymd over whole years") {
    // Every day from 1899 to 2101 round-trips and follows the day before.
    auto follows = [](const Ymd& ymd, const Ymd& previous) {
      if (ymd.day == previous.day + 1) return ymd.month == previous.month && ymd.year == previous.year;
      if (ymd.day != 1) return false;
      if (ymd.month == 1) return previous.month == 12 && ymd.year == previous.year + 1;
      return ymd.month == previous.month + 1 && ymd.year == previous.year;
    };
    const Date end = from_ymd(2101, 12, 31);
    Date d = from_ymd(1899, 1, 1);
    Ymd previous = to_ymd(add_days(d, -1));
    int checked = 0;
    for (; d <= end; d = add_days(d, 1), ++checked) {
      const Ymd ymd = to_ymd(d);
      const bool ok = is_valid_ymd(ymd.year, ymd.month, ymd.day) && from_ymd(ymd.year, ymd.month, ymd.day) == d &&
                      follows(ymd, previous);
      if (!ok) {
        FAIL_CHECK("bad day " << d.days << ": " << ymd.year << "-" << ymd.month << "-" << ymd.day);
        break;
      }
      previous = ymd;
    }
    CHECK(checked == 74144); // 203 years, 49 of them leap
    CHECK(to_ymd(end).year == 2101);
  }

  TEST_CASE("days_in_month and leap years") {
    CHECK(days_in_month(2026, 1) == 31);
    CHECK(days_in_month(2026, 2) == 28);
    CHECK(days_in_month(2024, 2) == 29);
    CHECK(days_in_month(1900, 2) == 28);
    CHECK(days_in_month(2000, 2) == 29);
    CHECK(days_in_month(2100, 2) == 28);
    CHECK(days_in_month(2026, 4) == 30);
    CHECK(days_in_month(2026, 12) == 31);
    CHECK(days_in_month(2026, 0) == 0);
    CHECK(days_in_month(2026, 13) == 0);
  }

  TEST_CASE("is_valid_ymd") {
    CHECK(is_valid_ymd(2024, 2, 29));
    CHECK(is_valid_ymd(2000, 2, 29));
    CHECK_FALSE(is_valid_ymd(1900, 2, 29));
    CHECK_FALSE(is_valid_ymd(2025, 2, 29));
    CHECK_FALSE(is_valid_ymd(2026, 4, 31));
    CHECK_FALSE(is_valid_ymd(2026, 1, 0));
    CHECK_FALSE(is_valid_ymd(2026, 0, 1));
    CHECK_FALSE(is_valid_ymd(2026, 13, 1));
  }

  TEST_CASE("weekday, Monday = 0") {
    CHECK(weekday(from_ymd(1970, 1, 1)) == 3); // Thursday
    CHECK(weekday(from_ymd(1969, 12, 29)) == 0); // Monday before the epoch
    CHECK(weekday(from_ymd(1969, 12, 28)) == 6);
    CHECK(weekday(from_ymd(2026, 11, 23)) == 0);
    CHECK(weekday(from_ymd(2026, 11, 29)) == 6);
    CHECK(weekday(from_ymd(2024, 2, 29)) == 3);
    CHECK(weekday(from_ymd(1000, 1, 1)) == 2); // proleptic Gregorian Wednesday
  }

  TEST_CASE("days_between") {
    CHECK(days_between(iso("2026-01-01"), iso("2026-03-01")) == 59);
    CHECK(days_between(iso("2024-01-01"), iso("2024-03-01")) == 60);
    CHECK(days_between(iso("2026-03-01"), iso("2026-01-01")) == -59);
  }
}

TEST_SUITE("add_months") {
  TEST_CASE("plain months") {
    CHECK(to_iso(add_months(iso("2026-01-15"), 1)) == "2026-02-15");
    CHECK(to_iso(add_months(iso("2026-01-15"), 0)) == "2026-01-15");
    CHECK(to_iso(add_months(iso("2026-11-15"), 2)) == "2027-01-15");
    CHECK(to_iso(add_months(iso("2026-01-15"), 24)) == "2028-01-15");
  }

  TEST_CASE("clamps to the end of the month") {
    CHECK(to_iso(add_months(iso("2026-01-31"), 1)) == "2026-02-28");
    CHECK(to_iso(add_months(iso("2024-01-31"), 1)) == "2024-02-29");
    CHECK(to_iso(add_months(iso("2026-03-31"), 1)) == "2026-04-30");
    CHECK(to_iso(add_months(iso("2024-02-29"), 12)) == "2025-02-28");
    CHECK(to_iso(add_months(iso("2024-02-29"), 48)) == "2028-02-29");
  }

  TEST_CASE("negative months") {
    CHECK(to_iso(add_months(iso("2026-03-31"), -1)) == "2026-02-28");
    CHECK(to_iso(add_months(iso("2026-01-15"), -1)) == "2025-12-15");
    CHECK(to_iso(add_months(iso("2026-01-15"), -13)) == "2024-12-15");
    CHECK(to_iso(add_months(iso("2024-03-31"), -1)) == "2024-02-29");
    CHECK(to_iso(add_months(iso("2026-05-31"), -12)) == "2025-05-31");
  }
}

TEST_SUITE("iso dates") {
  TEST_CASE("valid dates parse and print back") {
    for (const char* text : {"2026-11-23", "2024-02-29", "2000-02-29", "1000-01-01", "9999-12-31", "1970-01-01"}) {
      CAPTURE(text);
      const auto date = parse_iso_date(text);
      REQUIRE(date.has_value());
      CHECK(to_iso(*date) == text);
    }
    CHECK(parse_iso_date("2026-11-23")->days == 20780);
  }

  TEST_CASE("impossible or malformed dates are rejected") {
    for (const char* text : {"2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-01-00",
                             "2026-04-31", "2026-01-32", "0999-12-31", "0000-01-01", "", "2026-1-5", "2026-01-5",
                             "26-01-05", "20260105", "2026/01/05", "2026-01-05 ", " 2026-01-05", "2026-01-05T00",
                             "+026-01-05", "2026-+1-05", "2026-01--5", "abcd-ef-gh", "12026-01-05"}) {
      CAPTURE(text);
      CHECK_FALSE(parse_iso_date(text).has_value());
    }
  }

  TEST_CASE("to_iso pads") {
    CHECK(to_iso(from_ymd(2026, 1, 5)) == "2026-01-05");
    CHECK(to_iso(Date{0}) == "1970-01-01");
    CHECK(to_iso(Date{-1}) == "1969-12-31");
  }
}

TEST_SUITE("date phrases") {
  TEST_CASE("ISO dates, in the past or the future") {
    CHECK(past("2026-11-01") == "2026-11-01");
    CHECK(future("2027-01-01") == "2027-01-01");
    // Callers refuse future dates for --date themselves, with context.
    CHECK(past("2027-01-01") == "2027-01-01");
  }

  TEST_CASE("today, yesterday, tomorrow") {
    CHECK(past("today") == "2026-11-23");
    CHECK(future("today") == "2026-11-23");
    CHECK(past("yesterday") == "2026-11-22");
    CHECK(future("tomorrow") == "2026-11-24");
  }

  TEST_CASE("case and blanks do not matter") {
    CHECK(past("  Today ") == "2026-11-23");
    CHECK(past("YESTERDAY") == "2026-11-22");
    CHECK(past("\t3   Days  AGO  ") == "2026-11-20");
    CHECK(past(" FRI") == "2026-11-20");
    CHECK(past(" 2026-11-01\t") == "2026-11-01");
  }

  TEST_CASE("N days / weeks ago") {
    CHECK(past("3 days ago") == "2026-11-20");
    CHECK(past("1 day ago") == "2026-11-22");
    CHECK(past("3 day ago") == "2026-11-20");
    CHECK(past("0 days ago") == "2026-11-23");
    CHECK(past("3d ago") == "2026-11-20");
    CHECK(past("30d ago") == "2026-10-24");
    CHECK(past("2 weeks ago") == "2026-11-09");
    CHECK(past("1 week ago") == "2026-11-16");
    CHECK(past("2w ago") == "2026-11-09");
    CHECK(past("100000 days ago") == "1753-02-07");
  }

  TEST_CASE("weekdays: strictly before today for past, strictly after for future") {
    SUBCASE("same weekday as today is a week away") {
      CHECK(past("monday") == "2026-11-16");
      CHECK(future("monday") == "2026-11-30");
      CHECK(past("mon") == "2026-11-16");
      CHECK(future("mon") == "2026-11-30");
    }
    SUBCASE("past") {
      CHECK(past("sunday") == "2026-11-22");
      CHECK(past("sat") == "2026-11-21");
      CHECK(past("fri") == "2026-11-20");
      CHECK(past("friday") == "2026-11-20");
      CHECK(past("thursday") == "2026-11-19");
      CHECK(past("wed") == "2026-11-18");
      CHECK(past("tue") == "2026-11-17");
      CHECK(past("Tuesday") == "2026-11-17");
    }
    SUBCASE("future") {
      CHECK(future("tuesday") == "2026-11-24");
      CHECK(future("wed") == "2026-11-25");
      CHECK(future("thu") == "2026-11-26");
      CHECK(future("fri") == "2026-11-27");
      CHECK(future("saturday") == "2026-11-28");
      CHECK(future("sun") == "2026-11-29");
    }
    SUBCASE("from a Sunday") {
      const Date sunday = from_ymd(2026, 11, 29);
      CHECK(to_iso(parse_date_phrase("sunday", sunday, When::past)) == "2026-11-22");
      CHECK(to_iso(parse_date_phrase("monday", sunday, When::future)) == "2026-11-30");
      CHECK(to_iso(parse_date_phrase("monday", sunday, When::past)) == "2026-11-23");
    }
  }

  TEST_CASE("not a date: usage error naming the option") {
    for (const char* text : {"2026-02-30", "2025-02-29", "2026-13-01", "2026-01-00", "", "   ", "now", "3 days",
                             "days ago", "3 ago", "3 months ago", "3 days  later", "-3 days ago", "3.5 days ago",
                             "100001 days ago", "99999999999 days ago", "3x ago", "d ago", "3dago", "3 d ago",
                             "last monday", "mondays", "mo", "tues", "2026-11-23 today", "today today"}) {
      CAPTURE(text);
      const Error e = phrase_error(text, When::past, "--date");
      CHECK(e.kind() == ErrorKind::usage);
      CHECK(e.where() == "--date");
      CHECK(std::string(e.what()).find("not a date") != std::string::npos);
      CHECK(e.hint() == "use YYYY-MM-DD, today, yesterday, \"3 days ago\" or a weekday");
    }
  }

  TEST_CASE("the message quotes the phrase") {
    const Error e = phrase_error("2026-02-30", When::past, "--since");
    CHECK(std::string(e.what()) == "not a date: \"2026-02-30\"");
    CHECK(e.where() == "--since");
  }

  TEST_CASE("tomorrow is not a past date") {
    const Error e = phrase_error("tomorrow", When::past, "--date");
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(e.where() == "--date");
    CHECK(std::string(e.what()).find("must not be in the future") != std::string::npos);
  }

  TEST_CASE("N ago is not a future date") {
    for (const char* text : {"3 days ago", "2w ago", "0d ago"}) {
      CAPTURE(text);
      const Error e = phrase_error(text, When::future, "--until");
      CHECK(e.kind() == ErrorKind::usage);
      CHECK(e.where() == "--until");
      CHECK(std::string(e.what()).find("must not be in the past") != std::string::npos);
    }
  }

  TEST_CASE("future hint lists the future forms") {
    const Error e = phrase_error("soon", When::future, "--until");
    CHECK(std::string(e.what()) == "not a date: \"soon\"");
    CHECK(e.hint() == "use YYYY-MM-DD, today, tomorrow or a weekday");
  }
}

TEST_CASE("system_today is a plausible date") {
  const Ymd today = to_ymd(system_today());
  CHECK(today.year >= 2024);
  CHECK(today.year <= 9999);
}
