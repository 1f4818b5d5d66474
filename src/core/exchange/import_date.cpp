// Dates as imported files write them: ISO, D.M.YYYY, YYYY/M/D, M/D/YYYY or
// D/M/YYYY where only one reading is a date, or in an order --date-format
// states; and birthdays as vCards and CSV columns write them.
#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "followup/exchange/import.hpp"

namespace followup {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

int to_int(std::string_view s) { return std::stoi(std::string(s)); }

std::vector<std::string_view> split3(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t pos; (pos = s.find(sep, start)) != std::string_view::npos; start = pos + 1)
    parts.push_back(s.substr(start, pos - start));
  parts.push_back(s.substr(start));
  bool ok = parts.size() == 3 && std::all_of(parts.begin(), parts.end(), [](auto p) { return all_digits(p) && p.size() <= 4; });
  return ok ? parts : std::vector<std::string_view>{};
}

std::optional<Date> ymd(int y, int m, int d) {
  if (y < 1000 || !is_valid_ymd(y, m, d)) return std::nullopt;
  return from_ymd(y, m, d);
}

// A year of four digits, or of two: the latest such year not after this one.
std::optional<int> full_year(std::string_view y, int this_year) {
  if (y.size() == 4) return to_int(y);
  if (y.size() != 2) return std::nullopt;
  int year = this_year / 100 * 100 + to_int(y);
  return year > this_year ? year - 100 : year;
}

// The three parts of a date in a stated order, apart by '/', '.' or '-'.
std::optional<Date> in_order(std::string_view t, DateOrder order, int this_year) {
  const auto sep = t.find_first_of("/.-");
  if (sep == std::string_view::npos) return std::nullopt;
  const auto p = split3(t, t[sep]);
  if (p.empty()) return std::nullopt;
  const std::string_view y = order == DateOrder::ymd ? p[0] : p[2];
  const std::string_view m = order == DateOrder::dmy ? p[1] : order == DateOrder::mdy ? p[0] : p[1];
  const std::string_view d = order == DateOrder::dmy ? p[0] : order == DateOrder::mdy ? p[1] : p[2];
  if (m.size() > 2 || d.size() > 2) return std::nullopt;
  const auto year = full_year(y, this_year);
  if (!year) return std::nullopt;
  return ymd(*year, to_int(m), to_int(d));
}

} // namespace

const char* to_string(DateOrder order) {
  switch (order) {
  case DateOrder::ymd: return "ymd";
  case DateOrder::dmy: return "dmy";
  case DateOrder::mdy: return "mdy";
  case DateOrder::any: break;
  }
  return "any";
}

std::optional<Date> parse_import_date(std::string_view text, DateOrder order, int this_year) {
  auto b = text.find_first_not_of(" \t"), e = text.find_last_not_of(" \t");
  if (b == std::string_view::npos) return std::nullopt;
  std::string_view t = text.substr(b, e - b + 1);
  if (t.size() > 10 && (t[10] == 'T' || t[10] == ' ')) t = t.substr(0, 10); // a time after the date
  if (auto d = parse_iso_date(t)) return d;
  if (order != DateOrder::any) return in_order(t, order, this_year);
  if (auto p = split3(t, '.'); !p.empty() && p[2].size() == 4) return ymd(to_int(p[2]), to_int(p[1]), to_int(p[0]));
  auto p = split3(t, '/');
  if (p.empty()) return std::nullopt;
  if (p[0].size() == 4) return ymd(to_int(p[0]), to_int(p[1]), to_int(p[2]));
  if (p[2].size() != 4) return std::nullopt;
  // M/D/YYYY (US) or D/M/YYYY (most elsewhere): only when one reading is a date, or both give the same day.
  auto md = ymd(to_int(p[2]), to_int(p[0]), to_int(p[1]));
  auto dm = ymd(to_int(p[2]), to_int(p[1]), to_int(p[0]));
  if (md && dm && *md != *dm) return std::nullopt;
  return md ? md : dm;
}

std::string normalise_birthday(std::string_view text) {
  std::string_view t = text;
  if (auto tpos = t.find('T'); tpos != std::string_view::npos && tpos >= 6) t = t.substr(0, tpos);
  if (t.size() == 8 && all_digits(t)) {
    std::string iso = fmt::format("{}-{}-{}", t.substr(0, 4), t.substr(4, 2), t.substr(6, 2));
    if (parse_iso_date(iso)) return iso;
  } else if (parse_iso_date(t)) {
    return std::string(t);
  } else if (t.size() >= 6 && t.substr(0, 2) == "--") {
    std::string md(t.substr(2));
    if (md.size() == 5 && md[2] == '-') md.erase(2, 1);
    // 2000 is a leap year, so --02-29 passes.
    if (md.size() == 4 && all_digits(md) && is_valid_ymd(2000, to_int(md.substr(0, 2)), to_int(md.substr(2))))
      return fmt::format("--{}-{}", md.substr(0, 2), md.substr(2));
  }
  return std::string(text);
}

} // namespace followup
