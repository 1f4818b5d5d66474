// The human table (SPEC §4): aligned columns by display width, colour only
// when asked, no trailing blanks.
#include "followup/sys/cpus.hpp"
#include "followup/output/format.hpp"
#include "followup/text/text.hpp"
#include "output/format_out.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <sstream>

namespace followup {

namespace {

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

bool painted(std::string_view text, const char* code, bool color) { return color && *code != '\0' && !text.empty(); }

template <class Text>
std::string_view cell_at(const std::vector<Text>& cells, std::size_t i) {
  return i < cells.size() ? std::string_view(cells[i]) : std::string_view();
}

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// Every cell's display width, measured once: `count` a line, the header's
// line first, then each row's (0 where a row is short).
struct Widths {
  std::size_t count;
  std::vector<std::uint32_t> cells;
  std::vector<std::size_t> columns; // the widest cell of each column

  Widths(std::size_t count_, std::size_t lines) : count(count_), columns(count_, 0) { cells.reserve(lines * count); }
  const std::uint32_t* line(std::size_t index) const { return cells.data() + index * count; }

  template <class Cells>
  void measure_cells(const std::vector<Cell>& row, Cells& text) {
    for (std::size_t i = 0; i < count; ++i) {
      std::size_t width = i < row.size() ? text.width(row[i]) : 0;
      columns[i] = std::max(columns[i], width);
      cells.push_back(static_cast<std::uint32_t>(width));
    }
  }

  template <class Text>
  void measure(const std::vector<Text>& row) {
    for (std::size_t i = 0; i < count; ++i) {
      std::size_t width = display_width(cell_at(row, i));
      columns[i] = std::max(columns[i], width);
      cells.push_back(static_cast<std::uint32_t>(width));
    }
  }
};

// Narrows the `shrink` columns, widest first, until a line (cells two
// spaces apart) fits in max_width, none below its header or 8 columns.
void fit_columns(std::vector<std::size_t>& columns, const std::vector<bool>& shrink, std::size_t max_width,
                 const std::vector<std::size_t>& header_widths) {
  if (max_width == 0 || columns.empty()) return;
  std::size_t total = 2 * (columns.size() - 1);
  for (std::size_t w : columns) total += w;
  while (total > max_width) {
    std::optional<std::size_t> widest;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const std::size_t floor = std::max<std::size_t>(8, i < header_widths.size() ? header_widths[i] : 0);
      if (i < shrink.size() && shrink[i] && columns[i] > floor && (!widest || columns[i] > columns[*widest])) widest = i;
    }
    if (!widest) return; // nothing left to cut: the line stays long
    --columns[*widest];
    --total;
  }
}

// Padding is a few bytes a cell: a loop, not a call to memset.
char* put_spaces(char* out, std::size_t n) {
  if (n > 32) {
    std::memset(out, ' ', n);
    return out + n;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = ' ';
  return out + n;
}

// One line: cells padded by display width, the padding outside the colour
// codes. Trailing empty cells are dropped and the last cell is not padded,
// so no line ends in blanks.
template <class Text>
void put_table_line(OutBuffer& out, const std::vector<Text>& cells, const std::uint32_t* cell_widths,
                    const std::vector<bool>& right_align, const Widths& widths, const char* code, bool color) {
  const std::string_view reset = reset_code;
  const std::string_view start = code;
  std::size_t used = widths.count;
  while (used > 0 && trim_right(cell_at(cells, used - 1)).empty()) --used;
  for (std::size_t i = 0; i < used; ++i) {
    bool last = i + 1 == used;
    std::string_view whole = cell_at(cells, i);
    std::string_view cell = last ? trim_right(whole) : whole;
    std::size_t width = cell_widths[i] - (whole.size() - cell.size()); // a blank is a column
    std::string cut; // a cell wider than its (narrowed) column
    if (width > widths.columns[i]) {
      cut = fit_width(cell, widths.columns[i]);
      cell = cut;
      width = display_width(cut);
    }
    std::size_t pad = widths.columns[i] - std::min(widths.columns[i], width);
    bool right = i < right_align.size() && right_align[i];
    bool paint_it = painted(cell, code, color);
    char* at = out.room(2 + pad + start.size() + cell.size() + reset.size());
    if (i > 0) at = put_spaces(at, 2);
    if (right) at = put_spaces(at, pad);
    if (paint_it) at = put_text(at, start);
    at = put_text(at, cell);
    if (paint_it) at = put_text(at, reset);
    if (!right && !last) at = put_spaces(at, pad);
    out.advance(at);
  }
  out.put('\n');
  out.row_done();
}

// A row of cells as text: text cells seen as they are (or, holding a
// control character, shown visibly in a string of their column's), dates
// and numbers written into a few bytes of their column's, lists into a
// string of their column's (kept from row to row: no allocation once sized).
class RowText {
public:
  explicit RowText(std::size_t count) : short_(count), lists_(count), views_(count) {}

  const std::vector<std::string_view>& of(const std::vector<Cell>& cells) {
    for (std::size_t i = 0; i < views_.size(); ++i) {
      const Cell cell = i < cells.size() ? cells[i] : Cell{};
      switch (cell.kind) {
      case Cell::Kind::null:
      case Cell::Kind::fields: views_[i] = {}; break; // no table has them
      case Cell::Kind::text:
        if (!has_terminal_controls(cell.text)) {
          views_[i] = cell.text;
          break;
        }
        lists_[i].clear();
        append_visible(lists_[i], cell.text);
        views_[i] = lists_[i];
        break;
      case Cell::Kind::integer:
      case Cell::Kind::date: {
        char* at = short_[i].data();
        views_[i] = std::string_view(at, static_cast<std::size_t>(put_flat<PlainText>(at, cell, dates_) - at));
        break;
      }
      case Cell::Kind::list: {
        std::string& text = lists_[i];
        text.clear();
        for (std::size_t n = 0; n < cell.list->size(); ++n) {
          if (n > 0) text += ',';
          append_visible(text, (*cell.list)[n]);
        }
        views_[i] = text;
      }
      }
    }
    return views_;
  }

  // A cell's display width, without writing it out where that is known.
  std::size_t width(const Cell& cell) {
    switch (cell.kind) {
    case Cell::Kind::null:
    case Cell::Kind::fields: return 0;
    case Cell::Kind::text: return shown_width(cell.text);
    case Cell::Kind::integer:
    case Cell::Kind::date: {
      char text[std::max(integer_room, date_room)];
      return static_cast<std::size_t>(put_flat<PlainText>(text, cell, dates_) - text);
    }
    case Cell::Kind::list: {
      std::size_t width = cell.list->empty() ? 0 : cell.list->size() - 1;
      for (const auto& item : *cell.list) width += shown_width(item);
      return width;
    }
    }
    return 0;
  }

private:
  // The width of the text as shown: a control character takes the columns
  // of its caret notation.
  std::size_t shown_width(std::string_view text) {
    if (!has_terminal_controls(text)) return display_width(text);
    scratch_.clear();
    append_visible(scratch_, text);
    return display_width(scratch_);
  }

  std::string scratch_;
  static_assert(integer_room <= date_room);
  std::vector<std::array<char, date_room>> short_;
  std::vector<std::string> lists_;
  std::vector<std::string_view> views_;
  DateTexts dates_;
};

// A run of a cell table's rows, measured and then written by one thread.
struct Slice {
  std::size_t begin = 0, end = 0;
  // A copy of the table's: a row maker may keep the text of its row.
  std::function<void(std::size_t, std::vector<Cell>&)> make_cells;
  std::optional<Widths> widths; // of its rows
  std::ostringstream text;      // its lines, for all but the first slice
};

} // namespace

void write_table(std::ostream& stream, const CellTable& table, bool color) {
  if (table.count == 0) return;
  const std::size_t count = table.headers.size();
  // A long table in slices, one a thread (below a few thousand rows a
  // thread costs more than it saves): each measures its rows; once the
  // widest cell of each column is known, each writes its lines, the first
  // straight to the stream after the header, the others to a text of their
  // own that follows in order.
  const std::size_t n = slice_count(table.count, 2000, table.threads);
  std::vector<Slice> slices(n);
  for (std::size_t i = 0; i < n; ++i) {
    slices[i].begin = table.count * i / n;
    slices[i].end = table.count * (i + 1) / n;
    slices[i].make_cells = table.make_cells;
  }
  each_slice(n, [&slices, count](std::size_t i) {
    Slice& slice = slices[i];
    Widths& widths = slice.widths.emplace(count, slice.end - slice.begin);
    RowText text(count);
    std::vector<Cell> cells;
    for (std::size_t r = slice.begin; r < slice.end; ++r) {
      slice.make_cells(r, cells);
      widths.measure_cells(cells, text);
    }
  });
  Widths all(count, 1);
  all.measure(table.headers);
  for (const auto& slice : slices)
    for (std::size_t c = 0; c < count; ++c) all.columns[c] = std::max(all.columns[c], slice.widths->columns[c]);
  fit_columns(all.columns, table.shrink, table.max_width, std::vector<std::size_t>(all.line(0), all.line(0) + count));

  OutBuffer head(stream);
  put_table_line(head, table.headers, all.line(0), table.right_align, all, bold_code, color);
  head.finish();
  each_slice(n, [&](std::size_t i) {
    Slice& slice = slices[i];
    OutBuffer out(i == 0 ? stream : slice.text);
    RowText text(count);
    std::vector<Cell> cells;
    for (std::size_t r = slice.begin; r < slice.end; ++r) {
      slice.make_cells(r, cells);
      const Tone tone = table.tone ? table.tone(r) : Tone::plain;
      put_table_line(out, text.of(cells), slice.widths->line(r - slice.begin), table.right_align, all,
                     tone_code(tone), color);
    }
    out.finish();
  });
  for (std::size_t i = 1; i < n; ++i) {
    const std::string text = std::move(slices[i].text).str();
    stream.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
}

// A table of strings is the table of their text cells: one layout (widths,
// fitting, padding) for both. Its headers are shown as its cells are.
void write_table(std::ostream& stream, const TextTable& table, bool color) {
  std::size_t count = table.headers.size();
  for (const auto& row : table.rows) count = std::max(count, row.size());
  CellTable cells;
  cells.headers.resize(count);
  for (std::size_t c = 0; c < table.headers.size(); ++c) cells.headers[c] = visible(table.headers[c]);
  cells.right_align = table.right_align;
  cells.count = table.rows.size();
  cells.make_cells = [&table](std::size_t r, std::vector<Cell>& row) {
    row.clear();
    for (const auto& text : table.rows[r]) row.push_back(text_cell(text));
  };
  cells.tone = [&table](std::size_t r) { return r < table.tones.size() ? table.tones[r] : Tone::plain; };
  cells.shrink = table.shrink;
  cells.max_width = table.max_width;
  write_table(stream, cells, color);
}

std::string paint(std::string_view text, Tone tone, bool color) {
  const char* code = tone_code(tone);
  if (!painted(text, code, color)) return std::string(text);
  return std::string(code) + std::string(text) + reset_code;
}

} // namespace followup
