// The records commands print in machine formats, with the fields and order
// of the contract (SPEC §4). One place, so tsv, csv, json and templates agree.
#pragma once

#include <vector>

#include "followup/due.hpp"
#include "followup/format.hpp"
#include "followup/model.hpp"

namespace followup {

// id, name, due, overdue, last, last_kind, every, rule, tags, reason, about,
// owner [, explain].
// Made one row at a time as they are written: `entries` (and the book it
// points into) must outlive the records. So for list_records.
Records due_records(const std::vector<DueEntry>& entries, bool with_explain, Date today);

// date, kind, note, by, id, name
Records history_records(const Contact& c, const std::vector<const Interaction*>& items);

struct ListEntry {
  const Contact* contact;
  DueInfo info;
  Status status;
};

// id, name, tags, every, rule, last, due, overdue, status, reason, owner
Records list_records(const std::vector<ListEntry>& entries);

} // namespace followup
