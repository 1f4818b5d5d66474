// Output formats (SPEC §4): table, tsv, csv, json, jsonl and `{field}` templates.
// Commands build Records (machine formats) or a TextTable (the human table);
// nothing here knows which command is printing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "followup/model/date.hpp"
#include "followup/model/field.hpp"

namespace followup {

// null, text (dates are ISO text), integer, a list of text (tags), or a
// contact's fields (an object in JSON).
using Value = std::variant<std::monostate, std::string, std::int64_t, std::vector<std::string>, std::vector<Field>>;

enum class ValueType { text, integer, list, fields };

// One value of a row as the writers read it: seen, not owned, so that making
// a row of a long list copies no text. A date is kept as a date and written
// as ISO text (YYYY-MM-DD), like the Value text it stands for.
struct Cell {
  enum class Kind : std::uint8_t { null, text, integer, date, list, fields };
  Kind kind = Kind::null;
  Date date;                                      // Kind::date
  std::string_view text;                          // Kind::text
  std::int64_t integer = 0;                       // Kind::integer
  const std::vector<std::string>* list = nullptr; // Kind::list
  const std::vector<Field>* fields = nullptr;     // Kind::fields
};

inline Cell text_cell(std::string_view text) {
  Cell c;
  c.kind = Cell::Kind::text;
  c.text = text;
  return c;
}
inline Cell integer_cell(std::int64_t n) {
  Cell c;
  c.kind = Cell::Kind::integer;
  c.integer = n;
  return c;
}
inline Cell date_cell(Date d) {
  Cell c;
  c.kind = Cell::Kind::date;
  c.date = d;
  return c;
}
inline Cell list_cell(const std::vector<std::string>& items) {
  Cell c;
  c.kind = Cell::Kind::list;
  c.list = &items;
  return c;
}
inline Cell fields_cell(const std::vector<Field>& fields) {
  Cell c;
  c.kind = Cell::Kind::fields;
  c.fields = &fields;
  return c;
}
inline Cell optional_date_cell(const std::optional<Date>& d) { return d ? date_cell(*d) : Cell{}; }

// A view of a value (which must outlive it), and a value from a view.
Cell cell_of(const Value& value);
Value value_of(const Cell& cell);

struct Records {
  std::vector<std::string> fields; // names, in contract order
  std::vector<ValueType> types;    // one per field; used to check templates up front
  std::vector<std::vector<Value>> rows;
  // Long lists make their rows one at a time instead of holding them all
  // (`due` on 100k contacts): when set, `count` rows, row i filled in by
  // make_cells(i, cells), views into data that outlives the records, valid
  // until the next row is made; `rows` is then unused.
  std::size_t count = 0;
  std::function<void(std::size_t, std::vector<Cell>&)> make_cells;

  // Calls fn(row) for each row, in order.
  template <class Fn>
  void each(Fn&& fn) const {
    if (!make_cells) {
      for (const auto& row : rows) fn(row);
      return;
    }
    std::vector<Cell> cells;
    std::vector<Value> row;
    for (std::size_t i = 0; i < count; ++i) {
      make_cells(i, cells);
      row.resize(cells.size());
      for (std::size_t f = 0; f < cells.size(); ++f) row[f] = value_of(cells[f]);
      fn(static_cast<const std::vector<Value>&>(row));
    }
  }

  // Calls fn(cells) for each row, in order, with one cell a field (a row
  // shorter than the fields is padded with nulls): what the writers read.
  template <class Fn>
  void each_cells(Fn&& fn) const {
    std::vector<Cell> cells;
    if (!make_cells) {
      for (const auto& row : rows) {
        cells.assign(fields.size(), Cell{});
        for (std::size_t f = 0; f < fields.size() && f < row.size(); ++f) cells[f] = cell_of(row[f]);
        fn(static_cast<const std::vector<Cell>&>(cells));
      }
      return;
    }
    for (std::size_t i = 0; i < count; ++i) {
      make_cells(i, cells);
      cells.resize(fields.size());
      fn(static_cast<const std::vector<Cell>&>(cells));
    }
  }
};

enum class FormatKind { table, tsv, csv, json, jsonl, templ };

struct Format {
  FormatKind kind = FormatKind::table;
  std::string templ; // for templ: the template, escapes (\t \n \\) already interpreted
};

// `table`, `tsv`, `csv`, `json`, `jsonl`; anything containing `{` is a template.
// Throws Error{usage} for anything else.
Format parse_format(std::string_view text);

// A placeholder of a `{field}` template: each `{` but a `{{`, its name
// running to the next `:` `}` `!` or `{`, or to the end of the template
// (`stop` '\0': fmt refuses the template).
struct Placeholder {
  std::size_t at;        // where the name starts, just past its `{`
  std::string_view name; // a view of the template
  char stop;             // the byte after the name, or '\0'
};
std::vector<Placeholder> template_placeholders(std::string_view templ);

// Checks a template against the fields (unknown names, bad fmt syntax or a
// spec that does not fit the field's type) with a dummy record; throws
// Error{usage} naming --format.
void check_template(const Format& format, const Records& records);

// Writes records in a machine format (not table). tsv: no header, `\t` `\n`
// `\r` `\\` escaped; csv: RFC 4180 with header and CRLF; json: one array
// (`[]` when empty); jsonl: one object a line; templ: one line a record.
// Lists are comma-joined except in json/jsonl, null is empty except in json.
void write_records(std::ostream& out, const Records& records, const Format& format);

enum class Tone { plain, alert, warn, dim, good };

// A table for people: aligned columns (by display width), two spaces apart,
// no trailing blanks, header underlined/bold only with colour.
struct TextTable {
  std::vector<std::string> headers;
  std::vector<bool> right_align; // per column; missing means left
  std::vector<std::vector<std::string>> rows;
  std::vector<Tone> tones; // per row; missing means plain
  // On a terminal `max_width` columns wide (0: no limit), the widest of the
  // `shrink` columns (names, notes; never ids, dates or numbers) are cut
  // with "…" until the lines fit, none below its header or 8 columns.
  std::vector<bool> shrink;
  std::size_t max_width = 0;
};

void write_table(std::ostream& out, const TextTable& table, bool color);

// The same table made from rows of cells on demand, each row asked for
// twice (to measure, then to write): a long list builds no string a cell.
// Cells print as in tsv, unescaped: dates ISO, lists comma-joined, null empty.
struct CellTable {
  std::vector<std::string> headers; // as many columns
  std::vector<bool> right_align;    // per column; missing means left
  std::size_t count = 0;            // rows
  // Row i's cells, as Records::make_cells: views valid until the next call.
  // A long table is made on up to `threads` threads, each with a copy of
  // make_cells (which may keep its row's text) and calling `tone`.
  std::function<void(std::size_t, std::vector<Cell>&)> make_cells;
  std::function<Tone(std::size_t)> tone; // row i's; plain when unset
  unsigned threads = 1;
  std::vector<bool> shrink; // as TextTable's
  std::size_t max_width = 0;
};

void write_table(std::ostream& out, const CellTable& table, bool color);

// ANSI colouring of one string (no-op when !color).
std::string paint(std::string_view text, Tone tone, bool color);

// Interprets `\t`, `\n` and `\\` in a template given on the command line.
std::string unescape_template(std::string_view text);

// Appends text as a JSON string, quotes included: `"`, `\\` and control
// characters escaped (\b \f \n \r \t, else \u00xx), every other byte as it
// is (what is not UTF-8 too). The book's strings (json_write.cpp); the json
// format instead writes U+FFFD for what is not UTF-8, as nlohmann's dump.
void append_json_string(std::string& out, std::string_view text);

std::string escape_tsv(std::string_view text);
std::string quote_csv(std::string_view text);
std::string join(const std::vector<std::string>& items, std::string_view sep);

} // namespace followup
