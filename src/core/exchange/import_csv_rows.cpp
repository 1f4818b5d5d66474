// CSV text into rows of cells: RFC 4180 cells (quoted cells may hold the
// delimiter, `""`, CR and LF), `,`, `;` or a tab sniffed from the header,
// UTF-8 with or without a BOM, UTF-16 with a BOM, other bytes as
// windows-1252 (or --charset).
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "followup/exchange/charset.hpp"
#include "followup/model/error.hpp"
#include "followup/text/text.hpp"
#include "exchange/import_csv.hpp"

namespace followup::csv {
namespace {

std::string csv_text(std::string_view bytes, std::string_view source, const std::optional<std::string>& charset) {
  bool bom = bytes.starts_with("\xEF\xBB\xBF") || bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF");
  if (bom) return decode_bom(bytes, source);
  if (charset) return decode_text(bytes, *charset);
  if (is_valid_utf8(bytes)) return std::string(bytes);
  return windows1252_to_utf8(bytes);
}

// The delimiter the header line uses most: `,`, `;` or a tab.
char sniff_delimiter(std::string_view text) {
  std::array<std::pair<char, int>, 3> counts{{{',', 0}, {';', 0}, {'\t', 0}}};
  bool quoted = false;
  for (char ch : text) {
    if (ch == '"') quoted = !quoted;
    if (!quoted && (ch == '\n' || ch == '\r')) break;
    for (auto& [d, n] : counts)
      if (!quoted && ch == d) ++n;
  }
  auto best = std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; });
  return best->second > 0 ? best->first : ',';
}

// Rows of cells. Lenient where RFC 4180 is strict: a quote inside an
// unquoted cell, or text after a closing quote, is kept as written.
std::vector<Row> rows_of(std::string_view text, char delim, std::string_view source) {
  std::vector<Row> rows;
  Row row{1, {""}};
  std::size_t line = 1, quote_line = 0;
  bool quoted = false, at_cell_start = true;
  auto end_row = [&] {
    bool blank = row.cells.size() == 1 && row.cells[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row = Row{line, {""}};
    at_cell_start = true;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    bool newline = ch == '\n' || (ch == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        row.cells.back() += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        row.cells.back() += ch;
      }
      if (newline) ++line;
    } else if (ch == '"' && at_cell_start) {
      quoted = true;
      quote_line = line;
      at_cell_start = false;
    } else if (ch == delim) {
      row.cells.emplace_back();
      at_cell_start = true;
    } else if (newline) {
      ++line;
      end_row();
    } else if (ch != '\r') {
      row.cells.back() += ch;
      at_cell_start = false;
    }
  }
  if (quoted) throw_data("a quoted cell is never closed", fmt::format("{}:{}", source, quote_line));
  end_row();
  return rows;
}

} // namespace

std::vector<Row> read_rows(std::string_view bytes, std::string_view source, const std::optional<std::string>& charset) {
  std::string text = csv_text(bytes, source, charset);
  return rows_of(text, sniff_delimiter(text), source);
}

} // namespace followup::csv
