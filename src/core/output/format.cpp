// Output formats (SPEC §4): which format, and the dispatch to its writer.
// Machine formats render Records: tsv and csv in format_delimited.cpp, json
// and jsonl in format_json.cpp, templates in format_template.cpp; the human
// table renders a TextTable (format_table.cpp). Nothing here knows which
// command is printing.
#include "followup/output/format.hpp"

#include "followup/model/error.hpp"
#include "followup/text/text.hpp"
#include "output/format_out.hpp"

#include <fmt/format.h>
#include <stdexcept>

namespace followup {

namespace {

const std::string format_hint = "use table, tsv, csv, json, jsonl or a template such as '{name}\\t{due}'";

} // namespace

Cell cell_of(const Value& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return text_cell(*text);
  if (const auto* number = std::get_if<std::int64_t>(&value)) return integer_cell(*number);
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) return list_cell(*list);
  if (const auto* fields = std::get_if<std::vector<Field>>(&value)) return fields_cell(*fields);
  return {};
}

Value value_of(const Cell& cell) {
  switch (cell.kind) {
  case Cell::Kind::null: break;
  case Cell::Kind::text: return std::string(cell.text);
  case Cell::Kind::integer: return cell.integer;
  case Cell::Kind::date: return to_iso(cell.date);
  case Cell::Kind::list: return *cell.list;
  case Cell::Kind::fields: return *cell.fields;
  }
  return {};
}

// Names in any case (`-o JSON`), as SPEC §4 says.
Format parse_format(std::string_view text) {
  if (text.find('{') != std::string_view::npos) return {FormatKind::templ, unescape_template(text)};
  if (iequals(text, "table")) return {FormatKind::table, {}};
  if (iequals(text, "tsv")) return {FormatKind::tsv, {}};
  if (iequals(text, "csv")) return {FormatKind::csv, {}};
  if (iequals(text, "json")) return {FormatKind::json, {}};
  if (iequals(text, "jsonl")) return {FormatKind::jsonl, {}};
  throw_usage(fmt::format("unknown format \"{}\"", text), "--format", format_hint);
}

void write_records(std::ostream& out, const Records& records, const Format& format) {
  switch (format.kind) {
  case FormatKind::tsv: return write_tsv(out, records);
  case FormatKind::csv: return write_csv(out, records);
  case FormatKind::json: return write_json(out, records);
  case FormatKind::jsonl: return write_jsonl(out, records);
  case FormatKind::templ: return write_template(out, records, format.templ);
  case FormatKind::table: break;
  }
  // The table needs a TextTable; a caller reaching here has a bug.
  throw std::logic_error("write_records called with the table format");
}

std::string unescape_template(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (text[i] == '\\' && (next == 't' || next == 'n' || next == '\\')) {
      out += next == 't' ? '\t' : next == 'n' ? '\n' : '\\';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

} // namespace followup
