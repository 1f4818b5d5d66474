// Checks of values given on the command line, shared by several commands.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "followup/date.hpp"
#include "followup/model.hpp"

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
// `a,b,c` into kinds.
std::vector<std::string> parse_kinds(std::string_view text, std::string_view option);

} // namespace followup::cli
