// CSV rows (import_csv_rows.cpp) made records by what their columns feed
// (import_csv_columns.cpp): names, fields, tags, notes, cadence and the
// last check-in, and what is wrong with a row that cannot be one.
#include <algorithm>
#include <variant>

#include <fmt/format.h>

#include "followup/model/error.hpp"
#include "followup/exchange/import.hpp"
#include "followup/text/text.hpp"
#include "book/book_schema.hpp"
#include "exchange/import_csv.hpp"

namespace followup {
namespace {

using csv::Plan;
using csv::Row;

std::vector<std::string> split_tags(std::string text) {
  for (auto pos = text.find(":::"); pos != std::string::npos; pos = text.find(":::")) text.replace(pos, 3, ",");
  std::replace(text.begin(), text.end(), ';', ',');
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = std::min(text.find(',', start), text.size());
    std::string piece = clean_line(std::string_view(text).substr(start, comma - start));
    // Google marks its system groups with "* "; "My Contacts" is everyone.
    if (piece.starts_with("*")) piece.erase(0, 1);
    std::string tag = import_tag(piece);
    bool everyone = tag == "my-contacts" || tag == "mycontacts";
    if (!tag.empty() && !everyone && std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
    start = comma + 1;
  }
  return tags;
}

struct RowReader {
  const Row& row;
  std::string cell(std::optional<std::size_t> i) const {
    if (!i || *i >= row.cells.size()) return {};
    return clean_line(row.cells[*i]);
  }
  std::string lines(std::optional<std::size_t> i, std::string_view sep) const { // each line cleaned
    std::string out, t = text(i);
    for (std::size_t start = 0; start <= t.size();) {
      std::size_t nl = std::min(t.find('\n', start), t.size());
      std::string l = clean_line(std::string_view(t).substr(start, nl - start));
      if (!l.empty()) out += (out.empty() ? "" : std::string(sep)) + l;
      start = nl + 1;
    }
    return out;
  }
  std::string text(std::optional<std::size_t> i) const { // keeps the lines of notes
    if (!i || *i >= row.cells.size()) return {};
    std::string s;
    for (std::size_t k = 0; k < row.cells[*i].size(); ++k) {
      char ch = row.cells[*i][k];
      if (ch == '\r' && k + 1 < row.cells[*i].size() && row.cells[*i][k + 1] == '\n') continue;
      s += ch == '\r' ? '\n' : ch;
    }
    auto b = s.find_first_not_of(" \t\n"), e = s.find_last_not_of(" \t\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  }
};

int year_of(Date d) { return to_ymd(d).year; }

std::string birthday_of(const Plan& p, const RowReader& r, const ReadOptions& o) {
  std::string b = r.cell(p.birthday);
  if (!b.empty() && b.find_first_of("123456789") == std::string::npos) return {}; // Outlook's "0/0/00"
  if (!b.empty()) {
    auto d = parse_import_date(b, o.date_order, year_of(o.today));
    return d ? to_iso(*d) : normalise_birthday(b);
  }
  std::string y = r.cell(p.year), m = r.cell(p.month), d = r.cell(p.day);
  if (m.empty() || d.empty()) return {};
  auto two = [](const std::string& s) { return s.size() == 1 ? "0" + s : s; };
  return normalise_birthday(y.empty() ? fmt::format("--{}-{}", two(m), two(d)) : fmt::format("{}-{}-{}", y, two(m), two(d)));
}

void read_contact_fields(const Plan& p, const RowReader& r, ImportRecord& rec, const ReadOptions& o) {
  for (const auto& [list, base] : {std::pair{&p.emails, "email"}, {&p.phones, "phone"}, {&p.addresses, "address"}})
    for (const auto& t : *list) {
      std::string v = r.cell(t.value);
      if (list == &p.addresses) v = r.lines(t.value, ", "); // Google's formatted address has one line per part
      std::string type = t.type_col ? type_key(r.cell(t.type_col)) : t.type;
      if (!v.empty()) add_numbered_field(rec.fields, base, type, v);
    }
  if (std::string org = r.cell(p.org); !org.empty()) set_field(rec.fields, "org", org);
  if (std::string b = birthday_of(p, r, o); !b.empty()) set_field(rec.fields, "birthday", b);
  for (const auto& [key, col] : p.fields) {
    std::string v = r.cell(col);
    if (v.empty()) continue;
    // Named anew: clang before 16 cannot capture a structured binding.
    std::erase_if(rec.fields, [&name = key](const Field& f) { return iequals(f.key, name); });
    rec.fields.push_back(Field{key, v});
  }
}

// Given + family, else the organisation, else the first e-mail.
std::string fallback_name(const Plan& p, const RowReader& r, const ImportRecord& rec) {
  std::string given = r.cell(p.given), family = r.cell(p.family);
  std::string n = given.empty() || family.empty() ? given + family : given + " " + family;
  if (!n.empty()) return n;
  for (const char* key : {"org", "email"})
    for (const auto& f : rec.fields)
      if (f.key == key) return f.value;
  return {};
}

// One row as a record; a string saying what is wrong when it cannot be one.
std::variant<ImportRecord, std::string> read_record(const Plan& p, const Row& row, const ReadOptions& o) {
  RowReader r{row};
  ImportRecord rec;
  rec.line = row.line;
  read_contact_fields(p, r, rec, o);
  rec.name = r.cell(p.name);
  if (rec.name.empty()) rec.name = fallback_name(p, r, rec);
  if (rec.name.empty()) return std::string("no name");
  if (std::string id = r.cell(p.id); !id.empty()) {
    if (auto problem = schema::problem_with(schema::Type::id, id)) return *problem;
    rec.id = id;
  }
  for (auto col : p.tags)
    for (auto& t : split_tags(r.cell(col)))
      if (std::find(rec.tags.begin(), rec.tags.end(), t) == rec.tags.end()) rec.tags.push_back(std::move(t));
  if (std::string notes = r.text(p.notes); !notes.empty()) rec.notes = notes;
  if (std::string every = r.cell(p.every); !every.empty()) {
    rec.every = parse_duration(every);
    if (!rec.every) return fmt::format("\"{}\" is not a duration (3d, 2w, 6m, 1y, never)", every);
  }
  // A bad date costs the check-in, not the customer: the record is kept
  // without it (under --skip-bad) and the date is said.
  if (std::string last = r.cell(p.last); !last.empty()) {
    rec.last = parse_import_date(last, o.date_order, year_of(o.today));
    if (!rec.last)
      rec.dropped = o.date_order == DateOrder::any
                        ? fmt::format("\"{}\" is not a date (YYYY-MM-DD; D.M.YYYY; M/D/YYYY only when unambiguous; "
                                      "--date-format says the order)", last)
                        : fmt::format("\"{}\" is not a date in the order {}", last, to_string(o.date_order));
    else if (*rec.last > o.today) rec.dropped = fmt::format("the last check-in {} is in the future", to_iso(*rec.last));
    if (!rec.dropped.empty()) rec.last.reset();
  }
  return rec;
}

} // namespace

ParseResult parse_csv(std::string_view bytes, std::string_view source, const std::vector<ColumnMap>& maps,
                      const ReadOptions& options) {
  std::vector<Row> rows = csv::read_rows(bytes, source, options.charset);
  if (rows.empty()) throw_data("the file is empty (no header line)", std::string(source));
  Plan plan = csv::plan_columns(rows[0].cells, maps, source);
  if (!plan.name && !plan.given && !plan.family)
    throw_usage(fmt::format("no name column in {}", source), "--map",
                "say which column holds the name: --map name=COLUMN");
  ParseResult result;
  result.columns = csv::describe(plan, rows[0].cells);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& cells = rows[i].cells;
    if (std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return clean_line(c).empty(); })) continue;
    auto rec = read_record(plan, rows[i], options);
    if (auto* r = std::get_if<ImportRecord>(&rec)) {
      if (!r->dropped.empty()) result.bad.push_back({rows[i].line, r->dropped, true});
      result.records.push_back(std::move(*r));
    } else {
      result.bad.push_back({rows[i].line, std::get<std::string>(rec)});
    }
  }
  return result;
}

} // namespace followup
