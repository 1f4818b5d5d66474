// The human table (SPEC §4): aligned columns by display width, colour only
// when asked, no trailing blanks.
#include "followup/format.hpp"
#include "followup/text.hpp"
#include "format_out.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

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

// Every cell's display width, measured once: `count` a line, the header's
// line first, then each row's (0 where a row is short).
struct Widths {
  std::size_t count;
  std::vector<std::uint32_t> cells;
  std::vector<std::size_t> columns; // the widest cell of each column

  Widths(const TextTable& table, std::size_t count_) : count(count_), columns(count_, 0) {
    cells.reserve((table.rows.size() + 1) * count);
    measure(table.headers);
    for (const auto& row : table.rows) measure(row);
  }
  const std::uint32_t* line(std::size_t index) const { return cells.data() + index * count; }

private:
  void measure(const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < count; ++i) {
      std::size_t width = display_width(cell_at(row, i));
      columns[i] = std::max(columns[i], width);
      cells.push_back(static_cast<std::uint32_t>(width));
    }
  }
};

char* put_spaces(char* out, std::size_t n) {
  std::memset(out, ' ', n);
  return out + n;
}

// One line: cells padded by display width, the padding outside the colour
// codes. Trailing empty cells are dropped and the last cell is not padded,
// so no line ends in blanks.
void put_table_line(OutBuffer& out, const std::vector<std::string>& cells, const std::uint32_t* cell_widths,
                    const TextTable& table, const Widths& widths, const char* code, bool color) {
  const std::string_view reset = reset_code;
  const std::string_view start = code;
  std::size_t used = widths.count;
  while (used > 0 && trim_right(cell_at(cells, used - 1)).empty()) --used;
  for (std::size_t i = 0; i < used; ++i) {
    bool last = i + 1 == used;
    std::string_view whole = cell_at(cells, i);
    std::string_view cell = last ? trim_right(whole) : whole;
    std::size_t width = cell_widths[i] - (whole.size() - cell.size()); // a blank is a column
    std::size_t pad = widths.columns[i] - std::min(widths.columns[i], width);
    bool right = i < table.right_align.size() && table.right_align[i];
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

} // namespace

void write_table(std::ostream& stream, const TextTable& table, bool color) {
  if (table.rows.empty()) return;
  OutBuffer out(stream);
  const Widths widths(table, column_count(table));
  put_table_line(out, table.headers, widths.line(0), table, widths, bold_code, color);
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    Tone tone = r < table.tones.size() ? table.tones[r] : Tone::plain;
    put_table_line(out, table.rows[r], widths.line(r + 1), table, widths, tone_code(tone), color);
  }
  out.finish();
}

std::string paint(std::string_view text, Tone tone, bool color) {
  const char* code = tone_code(tone);
  if (!painted(text, code, color)) return std::string(text);
  return std::string(code) + std::string(text) + reset_code;
}

} // namespace followup
