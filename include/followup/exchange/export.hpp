// `export`: the book as vCard 4.0 (RFC 6350), CSV (RFC 4180) or an iCalendar
// feed of next due dates (RFC 5545). Each returns the whole text; the CLI
// prints it. `--to json` is serialize_book (json_io.hpp).
#pragma once

#include <string>
#include <string_view>

#include "followup/rules/cadence.hpp"
#include "followup/model/date.hpp"
#include "followup/model/model.hpp"

namespace followup {

// One vCard 4.0 per contact, in book order, CRLF line ends: FN, N, UID,
// CATEGORIES, TEL/EMAIL (fields `phone`, `phone_<type>`, `email`,
// `email_<type>`), BDAY (field `birthday`), NOTE, other fields as
// X-FOLLOWUP-FIELD;X-KEY=<key>, and X-FOLLOWUP-ID/-EVERY/-LAST.
std::string export_vcard(const Book& book);

// Header `id,name,tags,every,notes,added,last` then one column per distinct
// field key (byte order); a key that clashes with a fixed column is written
// `field:<key>`. `last` is the latest check-in of any kind. RFC 4180, CRLF.
std::string export_csv(const Book& book);

struct IcsOptions {
  Date today;
  std::string dtstamp; // UTC, basic format: 20261123T000000Z (see ics_timestamp)
  std::string version; // for PRODID
};

// A VCALENDAR with one all-day VEVENT per contact that has a due date
// (never-due contacts are left out), on its next due date, or today when
// overdue. UID `<id>@followup` stays the same across exports, so a subscribed
// calendar updates its events instead of duplicating them.
std::string export_ics(const Book& book, const RuleSet& rules, const IcsOptions& options);

// `YYYYMMDDTHHMMSSZ` for a UTC date and the seconds since its midnight.
std::string ics_timestamp(Date utc_date, int seconds_of_day);

// Content-line helpers shared by vCard and iCalendar (same syntax).
namespace content_line {

// TEXT value escaping: `\` `,` `;` and newlines (`\n`; CR LF and lone CR too).
std::string escape_text(std::string_view text);
// A parameter value: quoted when it holds `:` `;` or `,`; `"`, `^` and
// newlines caret-encoded (RFC 6868).
std::string param_value(std::string_view text);
// Folds one unfolded line at 75 octets (CRLF then a space; a continuation's
// leading space counts), never inside a UTF-8 sequence or a `\x` escape, and
// ends it with CRLF.
std::string fold(std::string_view line);

} // namespace content_line

} // namespace followup
