// The records commands print in machine formats, with the fields and order
// of the contract (SPEC §4). One place, so tsv, csv, json and templates agree.
#pragma once

#include <vector>

#include "followup/rules/due.hpp"
#include "followup/output/format.hpp"
#include "followup/model/model.hpp"

namespace followup {

// Beyond the fixed fields (SPEC §4): json, jsonl and templates of due and
// list end with `last_note` (the latest check-in's note) and `fields` (an
// object); a template may also name `{fields.KEY}` (empty when absent).
// tsv and csv keep exactly the fixed columns.
struct RecordExtras {
  bool last_note_and_fields = false;
  std::vector<std::string> keys; // the KEYs of the template's fields.KEY, as written
};
RecordExtras record_extras(const Format& format);

// id, name, due, overdue, last, last_kind, every, rule, tags, reason, about,
// owner [, explain] [, last_note, fields, fields.KEY...].
// Made one row at a time as they are written: `entries` (and the book it
// points into) must outlive the records. So for list_records.
Records due_records(const std::vector<DueEntry>& entries, bool with_explain, Date today,
                    const RecordExtras& extras = {});

// date, kind, note, by, id, name
Records history_records(const Contact& c, const std::vector<const Interaction*>& items);

struct ListEntry {
  const Contact* contact;
  DueInfo info;
  Status status;
};

// id, name, tags, every, rule, last, due, overdue, status, reason, owner
// [, last_note, fields, fields.KEY...]
Records list_records(const std::vector<ListEntry>& entries, const RecordExtras& extras = {});

} // namespace followup
