#include "validate.hpp"

#include <fmt/format.h>

#include "followup/model/error.hpp"
#include "followup/text/text.hpp"

namespace followup::cli {

void check_text(std::string_view text, std::string_view option) {
  if (!is_valid_utf8(text)) throw_usage("the text is not valid UTF-8", std::string(option));
}

void check_name(std::string_view name, std::string_view option) {
  if (name.find_first_not_of(" \t") == std::string_view::npos) throw_usage("the name is empty", std::string(option));
  check_text(name, option);
  if (has_control_chars(name))
    throw_usage("the name contains a control character (tab, newline...)", std::string(option));
}

void check_word(std::string_view word, std::string_view option) {
  if (word.empty()) throw_usage("empty value", std::string(option));
  check_text(word, option);
  if (has_control_chars(word) || word.find_first_of(" ,") != std::string_view::npos)
    throw_usage(fmt::format("\"{}\" must be one word, without blanks or commas", word), std::string(option));
}

Date past_date(std::string_view text, Date today, std::string_view option) {
  Date d = parse_date_phrase(text, today, When::past, option);
  if (d > today)
    throw_usage(fmt::format("{} is in the future; a check-in can only be logged once it happened", to_iso(d)),
                std::string(option));
  return d;
}

Field parse_field(std::string_view text, std::string_view option) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw_usage(fmt::format("\"{}\" is not KEY=VALUE", text), std::string(option), "for example --field phone=\"+1 555 0100\"");
  Field f{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
  check_word(f.key, option);
  check_text(f.value, option);
  return f;
}

Occasion parse_occasion_option(std::string_view text, std::string_view option) {
  const std::string where(option);
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw_usage(fmt::format("\"{}\" is not LABEL=DATE", text), where, "for example --occasion birthday=1989-06-14 or birthday=--06-14");
  const std::string label = lower(text.substr(0, eq));
  if (!is_valid_label(label))
    throw_usage(fmt::format("\"{}\" is not an occasion label", text.substr(0, eq)), where,
                "a label is a word: letters, digits, '-' or '_' (birthday, anniversary, name-day)");
  const std::string_view date = text.substr(eq + 1);
  auto o = parse_occasion_date(date);
  if (!o)
    throw_usage(fmt::format("\"{}\" is not an occasion date", date), where,
                "use YYYY-MM-DD (the year it began) or --MM-DD (no year)");
  o->label = label;
  return *o;
}

std::vector<std::string> parse_kinds(std::string_view text, std::string_view option) {
  std::vector<std::string> kinds;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view k = text.substr(start, comma - start);
    check_word(k, option);
    kinds.emplace_back(k);
    start = comma + 1;
  }
  return kinds;
}

CLI::Validator count_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        bool digits = !text.empty() && text.size() <= 10 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || std::stoull(text) > 1'000'000'000ULL)
          return fmt::format("\"{}\" is not a count (a whole number from 0 to 1000000000)", text);
        return {};
      },
      "COUNT");
}

} // namespace followup::cli
