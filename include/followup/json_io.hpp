// Reading and writing the data file's JSON (SPEC §1).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "followup/model.hpp"

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

// How parse_book goes about a book; the result is the same either way.
struct ParseOptions {
  // Up to this many threads read the "contacts" array in parts, when the
  // book is laid out one contact a line (as followup writes it) and each
  // part would be at least `min_part_bytes`: a large book on several
  // cores. 1: one pass. Starting a thread costs less than reading a
  // quarter megabyte: even a 500-contact book (0.7 MB) is read sooner in
  // two parts (docs/performance.md).
  unsigned threads = 1;
  std::size_t min_part_bytes = std::size_t{256} << 10;
  // The text is cut in up to `threads * parts_per_thread` parts, each taken
  // by the next thread free: a thread that starts late or runs slow (a
  // busy core) leaves the others less to wait for than a half would.
  unsigned parts_per_thread = 16;
  // Each reader of the contacts (the calling thread's, a part's) readies its
  // thread's heap for what it is about to build (prepare_heap, heap.hpp).
  bool prepare_heaps = false;
  // When set, told (from any of the threads) that the reading is done with
  // text[begin, end): a caller may let go of those bytes (they are read
  // again only to place an error).
  std::function<void(std::size_t begin, std::size_t end)> done_with;
  // When set, counts up for each part read on another thread and taken
  // (none: one pass). For tests and benchmarks: the book is the same.
  unsigned* parts_taken = nullptr;
};

// Parses and validates a whole book. `source` names the file in messages.
// Throws Error{data}: syntax errors name line and column; invalid content
// names the contact id (or rule name) and key. A `followup` version newer
// than kFormatVersion is refused. The book holds no reference to `text`.
Book parse_book(std::string_view text, std::string_view source, LoadDetail detail = LoadDetail::full,
                const ParseOptions& options = {});

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
