#include "followup/records.hpp"

namespace followup {
namespace {

Value opt_text(const std::optional<std::string>& s) { return s ? Value(*s) : Value(); }
Value opt_date(const std::optional<Date>& d) { return d ? Value(to_iso(*d)) : Value(); }

} // namespace

Records due_records(const std::vector<DueEntry>& entries, bool with_explain, Date today) {
  Records r;
  r.fields = {"id", "name", "due", "overdue", "last", "last_kind", "every", "rule", "tags"};
  r.types = {ValueType::text, ValueType::text, ValueType::text, ValueType::integer, ValueType::text,
             ValueType::text, ValueType::text, ValueType::text, ValueType::list};
  if (with_explain) {
    r.fields.push_back("explain");
    r.types.push_back(ValueType::text);
  }
  r.count = entries.size();
  r.make_row = [&entries, with_explain, today](std::size_t i, std::vector<Value>& row) {
    const DueEntry& e = entries[i];
    const Contact& c = *e.contact;
    row.resize(with_explain ? 10 : 9);
    row[0] = c.id;
    row[1] = c.name;
    row[2] = opt_date(e.info.due_on);
    row[3] = static_cast<std::int64_t>(e.info.overdue);
    row[4] = opt_date(e.info.last);
    row[5] = e.info.last_kind ? Value(*e.info.last_kind) : Value();
    row[6] = e.info.cadence.every->text;
    row[7] = std::string(e.info.cadence.rule);
    row[8] = c.tags;
    if (with_explain) row[9] = explain_due(c, e.info, today);
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

Records list_records(const std::vector<ListEntry>& entries) {
  Records r;
  r.fields = {"id", "name", "tags", "every", "rule", "last", "due", "overdue", "status"};
  r.types = {ValueType::text, ValueType::text, ValueType::list, ValueType::text, ValueType::text,
             ValueType::text, ValueType::text, ValueType::integer, ValueType::text};
  r.count = entries.size();
  r.make_row = [&entries](std::size_t i, std::vector<Value>& row) {
    const ListEntry& e = entries[i];
    const Contact& c = *e.contact;
    row.resize(9);
    row[0] = c.id;
    row[1] = c.name;
    row[2] = c.tags;
    row[3] = e.info.cadence.every->text;
    row[4] = std::string(e.info.cadence.rule);
    row[5] = opt_date(e.info.last);
    row[6] = opt_date(e.info.due_on);
    row[7] = e.info.due_on ? Value(static_cast<std::int64_t>(e.info.overdue)) : Value();
    row[8] = std::string(to_string(e.status));
  };
  return r;
}

} // namespace followup
