// A vCard file read into cards of properties (import_vcard_read.cpp), for
// import_vcard.cpp to map to records. Internal to the core.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "followup/exchange/import.hpp"

namespace followup::vcard {

struct Param {
  std::string name; // upper-case; a bare 2.1 param is TYPE or ENCODING
  std::string value;
};

struct Property {
  std::size_t line = 0;
  std::string group; // lower-case, "" when none
  std::string name;  // upper-case
  std::vector<Param> params;
  std::string value; // raw bytes, quoted-printable already decoded

  const Param* param(std::string_view n) const {
    for (const auto& p : params)
      if (p.name == n) return &p;
    return nullptr;
  }
};

struct Card {
  std::size_t line = 0;
  std::vector<Property> props;
  std::optional<BadRecord> malformed;
};

// Blanks (space, tab, CR, LF) trimmed from both ends.
std::string_view trim(std::string_view s);

// The parts of `s` between the `sep`s outside double quotes.
std::vector<std::string_view> split_unquoted(std::string_view s, char sep);

// The cards of a file's text (already UTF-8 or 8-bit, its BOM gone), in the
// order they end (nested ones before their parent); lines outside any card
// go to `stray`. Values are raw bytes, quoted-printable decoded.
std::vector<Card> read_cards(std::string_view text, std::vector<BadRecord>& stray);

// Decodes every value to UTF-8. Values with no CHARSET follow the file:
// UTF-8 when all of them are valid UTF-8, else windows-1252 (or --charset).
void decode_values(std::vector<Card>& cards, const ReadOptions& o);

} // namespace followup::vcard
