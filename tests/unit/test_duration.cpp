#include <doctest/doctest.h>

#include <string>

#include "followup/model/date.hpp"
#include "followup/model/duration.hpp"
#include "followup/model/error.hpp"

using namespace followup;

namespace {

Duration parsed(const char* text, bool allow_never = true) {
  const auto dur = parse_duration(text, allow_never);
  REQUIRE_MESSAGE(dur.has_value(), "not parsed: \"" << text << "\"");
  return *dur;
}

std::string plus(const char* date, const char* duration) {
  const auto start = parse_iso_date(date);
  REQUIRE(start.has_value());
  return to_iso(add(*start, parsed(duration)));
}

Error option_error(const char* text, const char* option, bool allow_never) {
  try {
    parse_duration_option(text, option, allow_never);
  } catch (const Error& e) {
    return e;
  }
  FAIL("no error for \"" << text << "\"");
  return Error(ErrorKind::io, "unreachable");
}

} // namespace

TEST_SUITE("parse_duration") {
  TEST_CASE("single units") {
    const Duration d = parsed("3d");
    CHECK(d.days == 3);
    CHECK(d.weeks == 0);
    CHECK(d.months == 0);
    CHECK(d.years == 0);
    CHECK_FALSE(d.never);
    CHECK(parsed("2w").weeks == 2);
    CHECK(parsed("6m").months == 6);
    CHECK(parsed("1y").years == 1);
    CHECK(parsed("0d").days == 0);
    CHECK(parsed("100000d").days == 100000);
    CHECK(parsed("100000y").years == 100000);
  }

  TEST_CASE("combinations in y, m, w, d order") {
    const Duration a = parsed("1y6m");
    CHECK(a.years == 1);
    CHECK(a.months == 6);
    const Duration b = parsed("1m2w");
    CHECK(b.months == 1);
    CHECK(b.weeks == 2);
    const Duration c = parsed("2w3d");
    CHECK(c.weeks == 2);
    CHECK(c.days == 3);
    const Duration all = parsed("1y2m3w4d");
    CHECK(all.years == 1);
    CHECK(all.months == 2);
    CHECK(all.weeks == 3);
    CHECK(all.days == 4);
    const Duration gaps = parsed("1y4d");
    CHECK(gaps.years == 1);
    CHECK(gaps.months == 0);
    CHECK(gaps.weeks == 0);
    CHECK(gaps.days == 4);
  }

  TEST_CASE("keeps the original text") {
    CHECK(parsed("1m2w").text == "1m2w");
    CHECK(parsed("007d").text == "007d");
    CHECK(parsed("007d").days == 7);
    CHECK(parsed("never").text == "never");
  }

  TEST_CASE("equality ignores the text") {
    CHECK(parsed("007d") == parsed("7d"));
    CHECK_FALSE(parsed("7d") == parsed("1w"));
    CHECK_FALSE(parsed("0d") == parsed("never"));
  }

  TEST_CASE("never") {
    const Duration d = parsed("never");
    CHECK(d.never);
    CHECK(d.days == 0);
    CHECK_FALSE(parse_duration("never", false).has_value());
    CHECK_FALSE(parse_duration("Never").has_value());
    CHECK_FALSE(parse_duration("NEVER").has_value());
    CHECK_FALSE(parse_duration("never ").has_value());
    CHECK_FALSE(parse_duration("1dnever").has_value());
  }

  TEST_CASE("rejections") {
    for (const char* text : {"", "5", "d", "2x", "2W", "2D", "-1d", "+1d", "1d2w", "1w1y", "2d1m", "1d1d", "1m1m",
                             "1.5d", " 2w", "2w ", "2 w", "99999999999d", "100001d", "4294967299d", "1d2", "w2",
                             "1y-2m", "1yd", "y1", "1 d", "２d"}) {
      CAPTURE(text);
      CHECK_FALSE(parse_duration(text).has_value());
      CHECK_FALSE(parse_duration(text, false).has_value());
    }
  }
}

TEST_SUITE("parse_duration_option") {
  TEST_CASE("returns the duration") {
    const Duration d = parse_duration_option("2w3d", "--every");
    CHECK(d.weeks == 2);
    CHECK(d.days == 3);
    CHECK(parse_duration_option("never", "--every").never);
  }

  TEST_CASE("usage error naming the option") {
    const Error e = option_error("2x", "--every", true);
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "not a duration: \"2x\"");
    CHECK(e.where() == "--every");
    CHECK(e.hint() == "use N followed by d, w, m or y (3d, 2w, 6m, 1y, 1m2w) or never");
  }

  TEST_CASE("never refused when not allowed; hint leaves it out") {
    const Error e = option_error("never", "--in", false);
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "not a duration: \"never\"");
    CHECK(e.where() == "--in");
    CHECK(e.hint() == "use N followed by d, w, m or y (3d, 2w, 6m, 1y, 1m2w)");
  }
}

TEST_SUITE("add") {
  TEST_CASE("days and weeks") {
    CHECK(plus("2026-11-23", "3d") == "2026-11-26");
    CHECK(plus("2026-11-23", "2w") == "2026-12-07");
    CHECK(plus("2026-12-30", "2d") == "2027-01-01");
    CHECK(plus("2024-02-28", "1d") == "2024-02-29");
    CHECK(plus("2026-02-28", "1d") == "2026-03-01");
    CHECK(plus("2026-11-23", "0d") == "2026-11-23");
  }

  TEST_CASE("months and years clamp to the month's end") {
    CHECK(plus("2026-01-31", "1m") == "2026-02-28");
    CHECK(plus("2024-01-31", "1m") == "2024-02-29");
    CHECK(plus("2024-02-29", "1y") == "2025-02-28");
    CHECK(plus("2024-02-29", "4y") == "2028-02-29");
    CHECK(plus("2026-08-31", "1m") == "2026-09-30");
    CHECK(plus("2026-11-15", "6m") == "2027-05-15");
    CHECK(plus("2026-01-15", "1y6m") == "2027-07-15");
  }

  TEST_CASE("months first, then weeks and days") {
    CHECK(plus("2026-01-31", "1m2w") == "2026-03-14");
    // 01-30 + 1m = 02-28, + 1d = 03-01; adding the day first would give
    // 01-31 + 1m = 02-28.
    CHECK(plus("2026-01-30", "1m1d") == "2026-03-01");
  }
}
