// Reading and writing the data file's JSON (SPEC §1).
#pragma once

#include <string>
#include <string_view>

#include "followup/model.hpp"

namespace followup {

// Parses and validates a whole book. `source` names the file in messages.
// Throws Error{data}: syntax errors name line and column; invalid content
// names the contact id (or rule name) and key. A `followup` version newer
// than kFormatVersion is refused.
Book parse_book(std::string_view text, std::string_view source);
// The same, parsing in place: `buffer` is grown for the parser's padding
// (no copy of a large file) and must not be used as the book's text after.
Book parse_book_buffer(std::string& buffer, std::string_view source);

// The book as the file holds it: 2-space pretty JSON, keys in the order they
// were read (known keys that are new go to their canonical place), unknown
// members kept, a trailing newline.
std::string serialize_book(const Book& book);

// One contact as a JSON object (as stored), for `show --format json` and edit.
Json contact_to_json(const Contact& c);
// The reverse, validating as parse_book does; `where` prefixes messages.
Contact contact_from_json(const Json& j, std::string_view where);

} // namespace followup
