// parse_iso_date and parse_date_phrase on arbitrary text. The first two bytes
// choose "today" (within years 1000..9999) and past/future; the rest is the
// phrase. Invariants: an ISO date round-trips through to_iso byte for byte;
// a phrase either gives a date or throws Error{usage}; every date a phrase
// gives reads back through parse_iso_date(to_iso(d)); weekday phrases land
// 1..7 days from today on the named side; `ago` phrases never land after today.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "followup/model/date.hpp"
#include "followup/model/error.hpp"

using namespace followup;

namespace {
[[noreturn]] void die(const char* what, std::string_view text) {
  std::fprintf(stderr, "%s: \"%.*s\"\n", what, static_cast<int>(text.size()), text.data());
  std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);

  // Strict ISO on the whole input.
  if (auto d = parse_iso_date(all)) {
    if (to_iso(*d) != all) die("parse_iso_date does not round-trip", all);
    Ymd ymd = to_ymd(*d);
    if (!is_valid_ymd(ymd.year, ymd.month, ymd.day) || ymd.year < 1000 || ymd.year > 9999)
      die("parse_iso_date gave an impossible date", all);
    if (from_ymd(ymd.year, ymd.month, ymd.day) != *d) die("from_ymd(to_ymd(d)) != d", all);
  }

  if (size < 2) return 0;
  // today: 1000-01-01 .. about 9999-12-31, picked from two bytes.
  const Date lo = from_ymd(1000, 1, 1), hi = from_ymd(9999, 12, 31);
  const int span = hi.days - lo.days;
  const unsigned pick = (static_cast<unsigned>(data[0]) << 8) | data[1];
  const Date today{lo.days + static_cast<int>((static_cast<long long>(pick) * span) / 65535)};
  const When when = (data[0] & 1) ? When::future : When::past;
  std::string_view phrase = all.substr(2);

  Date got;
  try {
    got = parse_date_phrase(phrase, today, when, "--date");
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::usage) die("parse_date_phrase threw a non-usage error", phrase);
    if (e.where() != "--date") die("parse_date_phrase error does not name the option", phrase);
    return 0;
  }
  Ymd ymd = to_ymd(got);
  if (!is_valid_ymd(ymd.year, ymd.month, ymd.day)) die("parse_date_phrase gave an impossible date", phrase);
  if (from_ymd(ymd.year, ymd.month, ymd.day) != got) die("date does not round-trip through Ymd", phrase);
  // Every date accepted on the command line must be one the book's reader
  // reads back (parse_iso_date, years 1000..9999), or `log --date` writes a
  // book that no command can open again.
  const std::string iso = to_iso(got);
  auto again = parse_iso_date(iso);
  if (!again) die("parse_date_phrase gave a date the reader refuses", phrase);
  if (*again != got) die("parse_date_phrase gave a date that reads back as another", phrase);
  (void)weekday(got);

  // Only an ISO date may land after today for a past phrase (`tomorrow`,
  // weekdays and `ago` are refused or go back), and only an ISO date may land
  // on or before today for a future phrase other than `today`/`yesterday`.
  bool iso_inside = false;
  for (std::size_t i = 0; i + 10 <= phrase.size(); ++i)
    if (parse_iso_date(phrase.substr(i, 10))) iso_inside = true;
  if (when == When::past && got > today && !iso_inside) die("a past phrase landed after today", phrase);
  if (days_between(today, got) > 7 && !iso_inside) die("a phrase landed more than a week ahead", phrase);
  return 0;
}
