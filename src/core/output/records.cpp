#include "followup/output/records.hpp"

#include <algorithm>
#include <string_view>

namespace followup {
namespace {

Value opt_text(const std::optional<std::string>& s) { return s ? Value(*s) : Value(); }

void add_extra_fields(Records& r, const RecordExtras& extras) {
  if (!extras.last_note_and_fields) return;
  r.fields.insert(r.fields.end(), {"last_note", "fields"});
  r.types.insert(r.types.end(), {ValueType::text, ValueType::fields});
  for (const std::string& key : extras.keys) {
    r.fields.push_back("fields." + key);
    r.types.push_back(ValueType::text);
  }
}

// Cells `first` onwards of a row: last_note, fields, then each fields.KEY.
void put_extra_cells(const Contact& c, const RecordExtras& extras, std::vector<Cell>& row, std::size_t first) {
  if (!extras.last_note_and_fields) return;
  row.resize(first + 2 + extras.keys.size());
  // The latest check-in is the last: the book keeps them by date.
  const Interaction* latest = c.interactions.empty() ? nullptr : &c.interactions.back();
  row[first] = latest && latest->note ? text_cell(*latest->note) : Cell{};
  row[first + 1] = fields_cell(c.fields);
  for (std::size_t k = 0; k < extras.keys.size(); ++k) {
    const Field* f = c.field(extras.keys[k]);
    row[first + 2 + k] = f ? text_cell(f->value) : Cell{};
  }
}

} // namespace

RecordExtras record_extras(const Format& format) {
  RecordExtras extras;
  if (format.kind != FormatKind::json && format.kind != FormatKind::jsonl && format.kind != FormatKind::templ)
    return extras;
  extras.last_note_and_fields = true;
  for (const Placeholder& p : template_placeholders(format.templ)) {
    if (!p.name.starts_with("fields.") || p.name.size() == 7) continue;
    const std::string key(p.name.substr(7));
    if (std::find(extras.keys.begin(), extras.keys.end(), key) == extras.keys.end()) extras.keys.push_back(key);
  }
  return extras;
}

Records due_records(const std::vector<DueEntry>& entries, bool with_explain, Date today, const RecordExtras& extras) {
  Records r;
  r.fields = {"id", "name", "due", "overdue", "last", "last_kind", "every", "rule", "tags", "reason", "about", "owner"};
  r.types = {ValueType::text, ValueType::text, ValueType::text, ValueType::integer, ValueType::text, ValueType::text,
             ValueType::text, ValueType::text, ValueType::list, ValueType::text, ValueType::text, ValueType::text};
  if (with_explain) {
    r.fields.push_back("explain");
    r.types.push_back(ValueType::text);
  }
  add_extra_fields(r, extras);
  r.count = entries.size();
  // Views into the entries and the book; only the explanation is made here,
  // kept in the lambda until the next row.
  r.make_cells = [&entries, with_explain, today, extras, explain = std::string(), about = std::string()](
                     std::size_t i, std::vector<Cell>& row) mutable {
    const DueEntry& e = entries[i];
    const Contact& c = *e.contact;
    row.resize(with_explain ? 13 : 12);
    row[0] = text_cell(c.id);
    row[1] = text_cell(c.name);
    row[2] = optional_date_cell(e.info.due_on);
    row[3] = integer_cell(e.info.overdue);
    row[4] = optional_date_cell(e.info.last);
    row[5] = e.info.last_kind ? text_cell(*e.info.last_kind) : Cell{};
    row[6] = text_cell(e.info.cadence.every->text);
    row[7] = text_cell(e.info.cadence.rule);
    row[8] = list_cell(c.tags);
    row[9] = text_cell(to_string(e.info.reason));
    about = e.info.about(c);
    row[10] = text_cell(about);
    row[11] = c.owner ? text_cell(*c.owner) : Cell{};
    if (with_explain) {
      explain = explain_due(c, e.info, today);
      row[12] = text_cell(explain);
    }
    put_extra_cells(c, extras, row, with_explain ? 13 : 12);
  };
  return r;
}

Records history_records(const Contact& c, const std::vector<const Interaction*>& items) {
  Records r;
  r.fields = {"date", "kind", "note", "by", "id", "name"};
  r.types = {ValueType::text, ValueType::text, ValueType::text, ValueType::text, ValueType::text, ValueType::text};
  for (const Interaction* it : items)
    r.rows.push_back({to_iso(it->date), opt_text(it->kind), opt_text(it->note), opt_text(it->by), c.id, c.name});
  return r;
}

Records list_records(const std::vector<ListEntry>& entries, const RecordExtras& extras) {
  Records r;
  r.fields = {"id", "name", "tags", "every", "rule", "last", "due", "overdue", "status", "reason", "owner"};
  r.types = {ValueType::text, ValueType::text, ValueType::list,    ValueType::text, ValueType::text, ValueType::text,
             ValueType::text, ValueType::integer, ValueType::text, ValueType::text, ValueType::text};
  add_extra_fields(r, extras);
  r.count = entries.size();
  r.make_cells = [&entries, extras](std::size_t i, std::vector<Cell>& row) {
    const ListEntry& e = entries[i];
    const Contact& c = *e.contact;
    row.resize(11);
    row[0] = text_cell(c.id);
    row[1] = text_cell(c.name);
    row[2] = list_cell(c.tags);
    row[3] = text_cell(e.info.cadence.every->text);
    row[4] = text_cell(e.info.cadence.rule);
    row[5] = optional_date_cell(e.info.last);
    row[6] = optional_date_cell(e.info.due_on);
    row[7] = e.info.due_on ? integer_cell(e.info.overdue) : Cell{};
    row[8] = text_cell(to_string(e.status));
    row[9] = text_cell(to_string(e.info.reason));
    row[10] = c.owner ? text_cell(*c.owner) : Cell{};
    put_extra_cells(c, extras, row, 11);
  };
  return r;
}

} // namespace followup
