// tsv and csv (SPEC §4): one line a record, each text copied word by word
// up to what its format escapes (format_escape.hpp).
#include "followup/output/format.hpp"
#include "output/format_escape.hpp"
#include "output/format_out.hpp"

#include <cstring>

namespace followup {

namespace {

// Each format's bytes that need care: `word` may over-report (tsv stops at
// any control character), `byte` is exact.
struct TsvBytes {
  static constexpr ByteSet set = byte_set([](unsigned char c) { return c == '\t' || c == '\n' || c == '\r' || c == '\\'; });
  static bool word(Word w) { return (bytes_below(w, 0x20) | bytes_equal(w, '\\')) != 0; }
};

struct CsvBytes {
  static constexpr ByteSet set = byte_set([](unsigned char c) { return c == ',' || c == '"' || c == '\r' || c == '\n'; });
  static bool word(Word w) {
    return (bytes_equal(w, ',') | bytes_equal(w, '"') | bytes_equal(w, '\r') | bytes_equal(w, '\n')) != 0;
  }
};

struct QuoteBytes {
  static constexpr ByteSet set = byte_set([](unsigned char c) { return c == '"'; });
  static bool word(Word w) { return bytes_equal(w, '"') != 0; }
};

// tsv: `\t` `\n` `\r` `\\`; at most 2 bytes a byte.
[[gnu::always_inline]] inline char* put_tsv(char* out, std::string_view text) {
  return copy_escaped<TsvBytes>(out, text, [](char* at, std::string_view& rest) {
    char ch = rest.front();
    rest.remove_prefix(1);
    return put2(at, '\\', ch == '\t' ? 't' : ch == '\n' ? 'n' : ch == '\r' ? 'r' : '\\');
  });
}

// Inside csv quotes: `"` doubled.
char* put_csv_quoted(char* out, std::string_view text) {
  return copy_escaped<QuoteBytes>(out, text, [](char* at, std::string_view& rest) {
    rest.remove_prefix(1);
    return put2(at, '"', '"');
  });
}

// RFC 4180: quoted (with `""`) only when it holds `,` `"` CR or LF; at most
// 2n + 2 bytes. Copied plain first, as most cells are; the rare cell that
// needs quotes moves what was copied by one.
[[gnu::always_inline]] inline char* put_csv(char* out, std::string_view text) {
  std::size_t plain = copy_plain<CsvBytes>(out, text);
  if (plain == text.size()) return out + plain;
  std::memmove(out + 1, out, plain);
  out[0] = '"';
  out = put_csv_quoted(out + 1 + plain, text.substr(plain));
  *out = '"';
  return out + 1;
}

struct TsvText {
  static constexpr std::size_t growth = 2;
  static char* put(char* out, std::string_view text) { return put_tsv(out, text); }
};

char* put_tsv_row(char* at, const std::vector<Cell>& row, RowRoom& room) {
  at = put_separated(at, row, room, '\t', put_flat<TsvText>);
  *at++ = '\n';
  return at;
}

// A list is one cell of comma-joined items, so two items or more are quoted.
char* put_csv_list(char* out, const std::vector<std::string>& items) {
  if (items.size() < 2) return items.empty() ? out : put_csv(out, items[0]);
  *out++ = '"';
  for (const auto& item : items) {
    out = put_csv_quoted(out, item);
    *out++ = ',';
  }
  out[-1] = '"';
  return out;
}

char* put_csv_cell(char* out, const Cell& cell, DateTexts& dates) {
  switch (cell.kind) {
  case Cell::Kind::null: break;
  case Cell::Kind::text: return put_csv(out, cell.text);
  case Cell::Kind::integer: return put_integer(out, cell.integer);
  case Cell::Kind::date: return dates.put(out, cell.date);
  case Cell::Kind::list: return put_csv_list(out, *cell.list);
  case Cell::Kind::fields: break; // csv records keep the fixed columns (SPEC §4)
  }
  return out;
}

constexpr std::size_t csv_growth = 2; // "" for ", and the quotes

char* put_csv_row(char* at, const std::vector<Cell>& row, RowRoom& room) {
  at = put_separated(at, row, room, ',', put_csv_cell);
  std::memcpy(at, "\r\n", 2);
  return at + 2;
}

} // namespace

void write_tsv(std::ostream& stream, const Records& records) {
  OutBuffer out(stream);
  write_rows(out, records, TsvText::growth, 0, put_tsv_row);
  out.finish();
}

// The header is written even without rows, so the columns stay known.
void write_csv(std::ostream& stream, const Records& records) {
  OutBuffer out(stream);
  std::vector<Cell> header;
  for (const auto& name : records.fields) header.push_back(text_cell(name));
  RowRoom room(out, csv_growth, 0);
  room.done(put_csv_row(room.start(header), header, room));
  write_rows(out, records, csv_growth, 0, put_csv_row);
  out.finish();
}

// The public helpers share the writers' escaping.
std::string escape_tsv(std::string_view text) {
  return written(2 * text.size(), [&](char* out) { return put_tsv(out, text); });
}

std::string quote_csv(std::string_view text) {
  return written(2 * text.size() + 2, [&](char* out) { return put_csv(out, text); });
}

} // namespace followup
