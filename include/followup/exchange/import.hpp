// `import`: contacts from vCard and CSV exports (phones, Google, Apple,
// Outlook, Thunderbird...), parsed into records, then merged into a book
// without duplicating anyone already there.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "followup/model/date.hpp"
#include "followup/model/duration.hpp"
#include "followup/model/model.hpp"

namespace followup {

// One contact as the file gives it, before it meets the book.
struct ImportRecord {
  std::size_t line = 0; // where the record starts in the file, 1-based
  std::string name;
  std::optional<std::string> id; // CSV `--map id=...`
  std::vector<std::string> tags;
  std::optional<std::string> notes;
  std::optional<Duration> every;
  std::optional<Date> last; // a past check-in
  std::vector<Field> fields;
  // What only followup's own vCards carry (`export --to vcard`): every
  // check-in, oldest first, and the contact's dates and counted kinds.
  std::vector<Interaction> checkins;
  std::optional<Date> added, snoozed_until;
  std::optional<std::vector<std::string>> counts;
  // What was left out of a record that is still good (a bad `last` date),
  // to be said; empty when nothing was.
  std::string dropped;
};

// A record that cannot be imported, and why (a malformed card, no name, a bad date).
struct BadRecord {
  std::size_t line = 0;
  std::string what;
  bool kept = false; // the contact is imported all the same, without what was bad (a date)
};

struct ParseResult {
  std::vector<ImportRecord> records;
  std::vector<BadRecord> bad;
  // CSV: what each column feeds ("Customer → name"), then the columns left
  // unread ("ignored: Segment, Cadence"), for --dry-run.
  std::vector<std::string> columns;
};

enum class ImportFormat { vcard, csv };

// From the file name: .vcf/.vcard → vcard, .csv → csv (any case), else nullopt.
std::optional<ImportFormat> format_from_name(std::string_view path);
// From the content: `BEGIN:VCARD` (any case) as the first line that is not
// blank or a `#` comment → vcard, else csv.
ImportFormat sniff_format(std::string_view bytes);

// Reading options shared by both formats.
// How a CSV writes its dates (--date-format): `any` takes ISO, D.M.YYYY,
// YYYY/M/D and M/D/YYYY or D/M/YYYY where only one reading is a date; the
// others say the order of the parts, separated by '/', '.' or '-', with
// four- or two-digit years (two: the latest such year not after today's).
enum class DateOrder { any, ymd, dmy, mdy };

struct ReadOptions {
  std::optional<std::string> charset; // --charset: for bytes that name none
  Date today;                         // `last` may not be after it
  DateOrder date_order = DateOrder::any;
};

// vCard 2.1, 3.0 and 4.0 (see import_vcard_read.cpp for the quirks handled).
// Malformed cards and cards without a usable name go to `bad`; a file with
// no card at all throws Error{data} naming `source`.
ParseResult parse_vcards(std::string_view bytes, std::string_view source, const ReadOptions& options);

// `--map FIELD=COLUMN`: FIELD is name, id, tags, notes, last, every or any
// other word (a field); COLUMN a header name (case-insensitive).
struct ColumnMap {
  std::string target;
  std::string column;
};
// Parses one `FIELD=COLUMN`; throws Error{usage} naming --map.
ColumnMap parse_column_map(std::string_view text);

// CSV with a header line (RFC 4180; `,` or `;`; UTF-8 with or without BOM,
// UTF-16 with BOM). Without maps, Google Contacts, Outlook and Thunderbird
// headers are recognised (maps add to or override that). Throws
// Error{usage} for a map naming a column the header lacks, Error{data} when
// no name column can be found or the file is malformed (unclosed quote).
ParseResult parse_csv(std::string_view bytes, std::string_view source, const std::vector<ColumnMap>& maps,
                      const ReadOptions& options);

// A date in an imported file: YYYY-MM-DD (a time after it is ignored),
// YYYY/MM/DD, D.M.YYYY, and M/D/YYYY or D/M/YYYY when only one reading is a
// date (or both give the same day). nullopt otherwise.
std::optional<Date> parse_import_date(std::string_view text, DateOrder order = DateOrder::any, int this_year = 9999);
const char* to_string(DateOrder order);

// A tag as imported: blanks trimmed, inner runs of blanks to '-', ASCII
// lower-cased, commas dropped. May be empty.
std::string import_tag(std::string_view text);

// Helpers the two parsers share (import_fields.cpp; normalise_birthday:
// import_date.cpp).

// A multi-valued field (phones, e-mails, addresses): the first value is
// `base`, later ones `base_<type>` or, without a type or when that key is
// taken, `base_2`, `base_3`... A value already stored under `base*` is not
// added again.
void add_numbered_field(std::vector<Field>& fields, std::string_view base, std::string_view type, std::string value);

// A phone or e-mail type label as a key part: `_$!<Mobile>!$_` → cell,
// "Home Fax" → home_fax; lower-case [a-z0-9_], mobile phones called `cell`.
std::string type_key(std::string_view label);

// A birthday as YYYY-MM-DD (from 19800322 or 1980-03-22, a time after it
// dropped) or --MM-DD (from --0322 or --03-22); anything else kept as written.
std::string normalise_birthday(std::string_view text);

// One line of text: control characters and runs of blanks become one space,
// trimmed. For names and single-line fields.
std::string clean_line(std::string_view text);

// Sets a plain field (uid, org, birthday...) unless the record already has it.
void set_field(std::vector<Field>& fields, std::string_view key, std::string value);

struct MergeOptions {
  Date today;
  std::string kind = "visit";    // the kind of `last` check-ins
  bool skip_existing = false;    // --on-conflict skip
  std::optional<int> spread_days; // --spread
  bool spread_backlog = false;    // --spread-backlog: the overdue ones too
};

enum class MergeAction { add, update, unchanged, skip };
const char* to_string(MergeAction a);

struct MergeOutcome {
  MergeAction action;
  std::string id;
  std::string name;
  std::size_t line = 0;
  std::string matched_by;           // uid, email, phone or id (not for add)
  std::vector<std::string> changes; // what an update changed: "fields phone, email", "tags vip"...
};

struct MergeReport {
  std::vector<MergeOutcome> outcomes;
  std::size_t count(MergeAction a) const;
};

// Merges records into the book in order. A record matching a contact (same
// `uid` field, else the same id (its id column), else the same name (ASCII
// case aside), else the id its name slugs to among the contacts there
// before the import and not taken by an earlier record, else a shared
// e-mail, else a shared phone number by its digits) updates it (fields
// filled or overwritten, tags added, notes, cadence, counted kinds and
// snooze filled when missing, the `last` check-in added unless one of that
// date and kind is there, each of `checkins` added unless it is there) or,
// with skip_existing, is skipped; anything else is added with a fresh id
// and `added` = today (or the record's). Records earlier in the same
// import count as present for uid, id and name (not for e-mail and phone:
// a household shares those), so a file listing a person twice adds them
// once and a re-import changes nothing, while two names that only differ
// in accents ("Zoë Ng", "Zoe Ng") stay two people. An update whose changes
// later records undo is reported as unchanged.
MergeReport merge_records(Book& book, const std::vector<ImportRecord>& records, const MergeOptions& options);

} // namespace followup
