// Checks of values given on the command line, shared by several commands.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "followup/model/date.hpp"
#include "followup/model/model.hpp"

namespace followup::cli {

// A name: not empty, valid UTF-8, no control characters.
void check_name(std::string_view name, std::string_view option);
// A tag or kind: not empty, no blanks, commas or control characters.
void check_word(std::string_view word, std::string_view option);
// Free text (notes): valid UTF-8; newlines and tabs allowed.
void check_text(std::string_view text, std::string_view option);
// A past date phrase that must not be after today.
Date past_date(std::string_view text, Date today, std::string_view option);
// `K=V` into a field.
Field parse_field(std::string_view text, std::string_view option);
// `LABEL=DATE` into an occasion: a word, then YYYY-MM-DD or --MM-DD.
Occasion parse_occasion_option(std::string_view text, std::string_view option);
// `a,b,c` into kinds.
std::vector<std::string> parse_kinds(std::string_view text, std::string_view option);

// For --limit: a whole number from 0 to a billion, digits only (CLI11 alone
// would take -1 as a huge count and saturate 10^23).
CLI::Validator count_validator();

} // namespace followup::cli
