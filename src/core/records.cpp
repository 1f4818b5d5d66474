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
  r.rows.reserve(entries.size());
  for (const auto& e : entries) {
    const Contact& c = *e.contact;
    std::vector<Value> row{c.id,
                           c.name,
                           opt_date(e.info.due_on),
                           static_cast<std::int64_t>(e.info.overdue),
                           opt_date(e.info.last),
                           opt_text(e.info.last_kind),
                           e.info.cadence.every.text,
                           e.info.cadence.rule,
                           c.tags};
    if (with_explain) row.emplace_back(explain_due(c, e.info, today));
    r.rows.push_back(std::move(row));
  }
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
  for (const auto& e : entries) {
    const Contact& c = *e.contact;
    r.rows.push_back({c.id, c.name, c.tags, e.info.cadence.every.text, e.info.cadence.rule, opt_date(e.info.last),
                      opt_date(e.info.due_on),
                      e.info.due_on ? Value(static_cast<std::int64_t>(e.info.overdue)) : Value(),
                      std::string(to_string(e.status))});
  }
  return r;
}

} // namespace followup
