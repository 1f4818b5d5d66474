// Reading and writing the data file's JSON (SPEC §1).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "followup/model/model.hpp"

namespace followup {

// How much of the book a command needs. Every level checks every value the
// same way; `summary` drops, after checking them, the notes of contacts and
// check-ins, `by`, unknown members of check-ins, and every check-in but the
// latest of each kind: what due dates, `last`, `last_kind` and `kind:` need,
// for read-only commands over large books. `summary_last_note` keeps the
// note of the latest check-in too (the records' `last_note`, SPEC §4); a
// copy a contact, which the table and tsv need not pay for. A summary book
// cannot be saved.
enum class LoadDetail { full, summary, summary_last_note };
inline bool is_summary(LoadDetail d) { return d != LoadDetail::full; }

// Parses and validates a whole book. `source` names the file in messages.
// Throws Error{data}: syntax errors name line and column; invalid content
// names the contact id (or rule name) and key. A `followup` version newer
// than kFormatVersion is refused. The book holds no reference to `text`.
Book parse_book(std::string_view text, std::string_view source, LoadDetail detail = LoadDetail::full);

// The book as the file holds it: 2-space pretty JSON, keys in the order they
// were read (known keys that are new go to their canonical place), unknown
// members kept, a trailing newline.
std::string serialize_book(const Book& book);

// A contact's "interactions" array exactly as serialize_book lays it out for
// a contact of the "contacts" array (the array opens at depth 3).
std::string serialize_interactions(const std::vector<Interaction>& items);

// A JSON value in the file's layout (nlohmann's dump(2) but for numbers
// under unknown keys, which it prints as written): for `show --format json`
// and the editor. No newline at the end.
std::string json_text(const Json& j);

// One contact as a JSON object (as stored), for `show --format json` and
// edit; numbers under unknown keys as written (see written_number).
Json contact_to_json(const Contact& c);
// The reverse, validating as parse_book does; `where` prefixes messages.
Contact contact_from_json(const Json& j, std::string_view where);
// The same from the object's text (one contact's span of a book).
Contact contact_from_text(std::string_view text, std::string_view where);

} // namespace followup
