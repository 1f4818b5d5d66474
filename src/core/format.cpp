// Output formats (SPEC §4). Machine formats render Records; the human table
// renders a TextTable. Nothing here knows which command is printing.
#include "followup/format.hpp"

#include "followup/error.hpp"
#include "followup/text.hpp"

#include <algorithm>
#include <fmt/args.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace followup {

namespace {

using ordered_json = nlohmann::ordered_json;

const std::string format_hint = "use table, tsv, csv, json, jsonl or a template such as '{name}\\t{due}'";

// A row may be shorter than the field list (defensive): missing means null.
const Value& value_at(const std::vector<Value>& row, std::size_t i) {
  static const Value null_value;
  return i < row.size() ? row[i] : null_value;
}

// tsv, csv and templates: null is empty, lists are comma-joined.
std::string flat_text(const Value& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* number = std::get_if<std::int64_t>(&value)) return std::to_string(*number);
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) return join(*list, ",");
  return {};
}

ordered_json to_json(const Value& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* number = std::get_if<std::int64_t>(&value)) return *number;
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) return *list;
  return nullptr;
}

ordered_json to_json_object(const Records& records, const std::vector<Value>& row) {
  ordered_json object = ordered_json::object();
  for (std::size_t i = 0; i < records.fields.size(); ++i) object[records.fields[i]] = to_json(value_at(row, i));
  return object;
}

// Invalid UTF-8 must not abort the output: replace it with U+FFFD; keep
// non-ASCII raw (ensure_ascii = false).
std::string dump(const ordered_json& json, int indent) {
  return json.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

void write_tsv(std::ostream& out, const Records& records) {
  records.each([&](const std::vector<Value>& row) {
    for (std::size_t i = 0; i < records.fields.size(); ++i) {
      if (i > 0) out << '\t';
      out << escape_tsv(flat_text(value_at(row, i)));
    }
    out << '\n';
  });
}

void write_csv_line(std::ostream& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) out << (i > 0 ? "," : "") << quote_csv(cells[i]);
  out << "\r\n";
}

// The header is written even without rows, so the columns stay known.
void write_csv(std::ostream& out, const Records& records) {
  write_csv_line(out, records.fields);
  records.each([&](const std::vector<Value>& row) {
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < records.fields.size(); ++i) cells.push_back(flat_text(value_at(row, i)));
    write_csv_line(out, cells);
  });
}

void write_json(std::ostream& out, const Records& records) {
  ordered_json array = ordered_json::array();
  records.each([&](const std::vector<Value>& row) { array.push_back(to_json_object(records, row)); });
  out << dump(array, 2) << '\n';
}

void write_jsonl(std::ostream& out, const Records& records) {
  records.each([&](const std::vector<Value>& row) { out << dump(to_json_object(records, row), -1) << '\n'; });
}

using arg_store = fmt::dynamic_format_arg_store<fmt::format_context>;

// Integers stay integers so that specs like `{overdue:>4}` or `{overdue:d}` work.
void push_value(arg_store& args, const std::string& name, const Value& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value))
    args.push_back(fmt::arg(name.c_str(), *number));
  else
    args.push_back(fmt::arg(name.c_str(), flat_text(value)));
}

std::string fields_hint(const Records& records) { return "fields: " + join(records.fields, ", "); }

// fmt only says "argument not found"; name the culprit instead. Positional
// placeholders (`{}`, `{0}`) are refused too: fmt would silently map them to
// the first fields.
void check_placeholder_names(std::string_view templ, const Records& records) {
  for (std::size_t i = 0; i < templ.size(); ++i) {
    if (templ[i] != '{') continue;
    if (i + 1 < templ.size() && templ[i + 1] == '{') {
      ++i; // `{{` is a literal brace
      continue;
    }
    auto end = templ.find_first_of(":}!", i + 1);
    if (end == std::string_view::npos) return; // unterminated: fmt reports it
    std::string name(templ.substr(i + 1, end - i - 1));
    if (std::find(records.fields.begin(), records.fields.end(), name) == records.fields.end())
      throw_usage(name.empty() ? "bad template: empty placeholder {}, name a field such as {name}"
                               : fmt::format("bad template: unknown field \"{}\"", name),
                  "--format", fields_hint(records));
    i = end;
  }
}

// The dummy value of a field type, to try a template without any row.
Value dummy_value(ValueType type) {
  if (type == ValueType::integer) return std::int64_t{0};
  return std::string{};
}

std::string format_row(const std::string& templ, const Records& records, const std::vector<Value>& row) {
  arg_store args;
  for (std::size_t i = 0; i < records.fields.size(); ++i) push_value(args, records.fields[i], value_at(row, i));
  return fmt::vformat(templ, args);
}

// Formats everything before writing: a record that fails (e.g. a null under
// `{overdue:d}`) leaves no partial output behind.
void write_template(std::ostream& out, const Records& records, const std::string& templ) {
  std::string text;
  std::size_t r = 0;
  records.each([&](const std::vector<Value>& row) {
    ++r;
    try {
      text += format_row(templ, records, row);
    } catch (const fmt::format_error& e) {
      throw_usage(fmt::format("bad template for record {}: {}", r, e.what()), "--format",
                  "absent values are empty text, so a spec such as :d cannot format them");
    }
    text += '\n';
  });
  out << text;
}

const char* tone_code(Tone tone) {
  switch (tone) {
  case Tone::alert: return "\x1b[31m";
  case Tone::warn: return "\x1b[33m";
  case Tone::dim: return "\x1b[2m";
  case Tone::good: return "\x1b[32m";
  case Tone::plain: break;
  }
  return "";
}

const char* const bold_code = "\x1b[1m";
const char* const reset_code = "\x1b[0m";

std::string wrap(std::string_view text, const char* code, bool color) {
  if (!color || *code == '\0' || text.empty()) return std::string(text);
  return std::string(code) + std::string(text) + reset_code;
}

std::string_view cell_at(const std::vector<std::string>& cells, std::size_t i) {
  return i < cells.size() ? std::string_view(cells[i]) : std::string_view();
}

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

std::size_t column_count(const TextTable& table) {
  std::size_t count = table.headers.size();
  for (const auto& row : table.rows) count = std::max(count, row.size());
  return count;
}

std::vector<std::size_t> column_widths(const TextTable& table, std::size_t count) {
  std::vector<std::size_t> widths(count, 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) widths[i] = std::max(widths[i], display_width(cells[i]));
  };
  measure(table.headers);
  for (const auto& row : table.rows) measure(row);
  return widths;
}

// One line: cells padded by display width, the padding outside the colour
// codes. Trailing empty cells are dropped and the last cell is not padded,
// so no line ends in blanks.
std::string table_line(const std::vector<std::string>& cells, const TextTable& table,
                       const std::vector<std::size_t>& widths, const char* code, bool color) {
  std::size_t used = widths.size();
  while (used > 0 && trim_right(cell_at(cells, used - 1)).empty()) --used;
  std::string line;
  for (std::size_t i = 0; i < used; ++i) {
    bool last = i + 1 == used;
    std::string_view cell = last ? trim_right(cell_at(cells, i)) : cell_at(cells, i);
    std::string pad(widths[i] - std::min(widths[i], display_width(cell)), ' ');
    bool right = i < table.right_align.size() && table.right_align[i];
    if (i > 0) line += "  ";
    if (right) line += pad;
    line += wrap(cell, code, color);
    if (!right && !last) line += pad;
  }
  return line;
}

} // namespace

Format parse_format(std::string_view text) {
  if (text == "table") return {FormatKind::table, {}};
  if (text == "tsv") return {FormatKind::tsv, {}};
  if (text == "csv") return {FormatKind::csv, {}};
  if (text == "json") return {FormatKind::json, {}};
  if (text == "jsonl") return {FormatKind::jsonl, {}};
  if (text.find('{') != std::string_view::npos) return {FormatKind::templ, unescape_template(text)};
  throw_usage(fmt::format("unknown format \"{}\"", text), "--format", format_hint);
}

void check_template(const Format& format, const Records& records) {
  if (format.kind != FormatKind::templ) return;
  check_placeholder_names(format.templ, records);
  std::vector<Value> dummy;
  for (std::size_t i = 0; i < records.fields.size(); ++i)
    dummy.push_back(dummy_value(i < records.types.size() ? records.types[i] : ValueType::text));
  try {
    (void)format_row(format.templ, records, dummy);
  } catch (const fmt::format_error& e) {
    throw_usage(fmt::format("bad template: {}", e.what()), "--format", fields_hint(records));
  }
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

void write_table(std::ostream& out, const TextTable& table, bool color) {
  if (table.rows.empty()) return;
  auto widths = column_widths(table, column_count(table));
  out << table_line(table.headers, table, widths, bold_code, color) << '\n';
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    Tone tone = r < table.tones.size() ? table.tones[r] : Tone::plain;
    out << table_line(table.rows[r], table, widths, tone_code(tone), color) << '\n';
  }
}

std::string paint(std::string_view text, Tone tone, bool color) { return wrap(text, tone_code(tone), color); }

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

std::string escape_tsv(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
    case '\t': out += "\\t"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\\': out += "\\\\"; break;
    default: out += ch;
    }
  }
  return out;
}

std::string quote_csv(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char ch : text) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
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
