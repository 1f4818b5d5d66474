// Output formats (SPEC §4). Machine formats render Records; the human table
// renders a TextTable (format_table.cpp); templates are in
// format_template.cpp. Nothing here knows which command is printing.
#include "followup/format.hpp"

#include "followup/error.hpp"
#include "followup/text.hpp"
#include "format_out.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fmt/format.h>

namespace followup {

namespace {

const std::string format_hint = "use table, tsv, csv, json, jsonl or a template such as '{name}\\t{due}'";

unsigned char byte_of(char ch) { return static_cast<unsigned char>(ch); }

// ------------------------------------------------------------ escaping

// Eight bytes at a time: most values hold nothing to escape, so a whole word
// is tested and copied at once, and only a word that may hold one is looked
// at byte by byte.
using Word = std::uint64_t;
constexpr Word ones = 0x0101010101010101ULL;
constexpr Word highs = 0x8080808080808080ULL;

// Non-zero when some byte of w is below n (n <= 0x80). Borrows only start at
// such a byte, so "some" is exact.
constexpr Word bytes_below(Word w, unsigned n) { return (w - ones * n) & ~w & highs; }
constexpr Word bytes_equal(Word w, unsigned char ch) { return bytes_below(w ^ (ones * ch), 1); }

using ByteSet = std::array<bool, 256>;

template <class Pred>
constexpr ByteSet byte_set(Pred in_set) {
  ByteSet set{};
  for (unsigned c = 0; c < 256; ++c) set[c] = in_set(static_cast<unsigned char>(c));
  return set;
}

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

// Control characters, `"`, `\` and everything not ASCII (to check its UTF-8).
struct JsonBytes {
  static constexpr ByteSet set = byte_set([](unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; });
  static bool word(Word w) {
    return ((bytes_below(w, 0x20) | bytes_equal(w, '"') | bytes_equal(w, '\\')) | (w & highs)) != 0;
  }
};

template <class T>
T load(const char* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

// The bytes of a text shorter than a word, gathered into one by overlapping
// loads (some bytes twice), so that one test covers them all.
[[gnu::always_inline]] inline Word gather_short(const char* in, std::size_t size) {
  if (size >= 4) return Word{load<std::uint32_t>(in)} | Word{load<std::uint32_t>(in + size - 4)} << 32;
  if (size == 1) return ones * byte_of(*in);
  const Word half = Word{load<std::uint16_t>(in)} | Word{load<std::uint16_t>(in + size - 2)} << 16;
  return half | half << 32;
}

// The same overlapping pieces, stored: a few moves instead of a memcpy call.
[[gnu::always_inline]] inline void copy_short(char* out, const char* in, std::size_t size) {
  if (size >= 4) {
    std::memcpy(out, in, 4);
    std::memcpy(out + size - 4, in + size - 4, 4);
  } else if (size >= 2) {
    std::memcpy(out, in, 2);
    std::memcpy(out + size - 2, in + size - 2, 2);
  } else if (size == 1) {
    *out = *in;
  }
}

// Byte by byte from i, up to the first byte in Bytes::set: the slow path.
template <class Bytes>
[[gnu::noinline]] std::size_t copy_exact(char* out, std::string_view text, std::size_t i) {
  for (; i < text.size() && !Bytes::set[byte_of(text[i])]; ++i) out[i] = text[i];
  return i;
}

// Copies text to out up to its first byte in Bytes::set; returns how many
// bytes that is. out must have room for all of text. Word by word, the last
// word overlapping the one before; byte by byte only from a word that may
// hold such a byte. Inlined: a row holds several short texts.
template <class Bytes>
[[gnu::always_inline]] inline std::size_t copy_plain(char* out, std::string_view text) {
  const char* in = text.data();
  const std::size_t size = text.size();
  if (size < sizeof(Word)) {
    if (size == 0 || Bytes::word(gather_short(in, size))) return copy_exact<Bytes>(out, text, 0);
    copy_short(out, in, size);
    return size;
  }
  std::size_t i = 0;
  for (; i + sizeof(Word) <= size; i += sizeof(Word)) {
    const Word w = load<Word>(in + i);
    if (Bytes::word(w)) return copy_exact<Bytes>(out, text, i);
    std::memcpy(out + i, &w, sizeof w);
  }
  if (i < size) {
    const Word w = load<Word>(in + size - sizeof(Word));
    if (Bytes::word(w)) return copy_exact<Bytes>(out, text, i);
    std::memcpy(out + size - sizeof(Word), &w, sizeof w);
  }
  return size;
}

// Copies text to out, each byte in Bytes::set written by escape(out, rest),
// which takes the rest of the text from that byte, consumes what it wrote
// for and returns the end of what it wrote. The loop is kept out of line:
// the usual text has nothing to escape and costs one copy_plain.
template <class Bytes, class Escape>
[[gnu::noinline]] char* copy_escaped_rest(char* out, std::string_view text, Escape escape) {
  while (!text.empty()) {
    out = escape(out, text);
    std::size_t plain = copy_plain<Bytes>(out, text);
    out += plain;
    text.remove_prefix(plain);
  }
  return out;
}

template <class Bytes, class Escape>
[[gnu::always_inline]] inline char* copy_escaped(char* out, std::string_view text, Escape escape) {
  std::size_t plain = copy_plain<Bytes>(out, text);
  if (plain == text.size()) return out + plain;
  return copy_escaped_rest<Bytes>(out + plain, text.substr(plain), escape);
}

char* put2(char* out, char a, char b) {
  out[0] = a;
  out[1] = b;
  return out + 2;
}

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

// The UTF-8 at the start of text (a lead byte >= 0x80): `length` bytes form
// one valid sequence, or, when !valid, the longest start of one (at least
// one byte). RFC 3629: no overlongs, surrogates or code points past
// U+10FFFF, as the decoder nlohmann's dump uses.
struct Utf8Run {
  std::size_t length;
  bool valid;
};

Utf8Run utf8_run(std::string_view text) {
  const unsigned char lead = byte_of(text[0]);
  std::size_t need = 0;
  unsigned char low = 0x80, high = 0xBF; // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 3;
    if (lead == 0xE0) low = 0xA0;  // else overlong
    if (lead == 0xED) high = 0x9F; // else a surrogate
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 4;
    if (lead == 0xF0) low = 0x90;  // else overlong
    if (lead == 0xF4) high = 0x8F; // else past U+10FFFF
  } else {
    return {1, false};
  }
  std::size_t n = 1;
  for (; n < need && n < text.size(); ++n, low = 0x80, high = 0xBF)
    if (byte_of(text[n]) < low || byte_of(text[n]) > high) return {n, false};
  return {n, n == need};
}

constexpr char hex_digits[] = "0123456789abcdef";

// One special byte for json, as nlohmann's dump(..., ensure_ascii = false,
// error_handler_t::replace) writes it: short escapes where JSON has them,
// other control characters as \u00xx, valid UTF-8 raw, and each invalid
// sequence (its longest valid start, or one byte) as one U+FFFD.
char* put_json_special(char* out, std::string_view& rest) {
  const unsigned char ch = byte_of(rest.front());
  if (ch >= 0x80) {
    Utf8Run run = utf8_run(rest);
    if (run.valid) std::memcpy(out, rest.data(), run.length);
    else std::memcpy(out, "\xEF\xBF\xBD", 3);
    rest.remove_prefix(run.length);
    return out + (run.valid ? run.length : 3);
  }
  rest.remove_prefix(1);
  switch (ch) {
  case '"': return put2(out, '\\', '"');
  case '\\': return put2(out, '\\', '\\');
  case '\b': return put2(out, '\\', 'b');
  case '\f': return put2(out, '\\', 'f');
  case '\n': return put2(out, '\\', 'n');
  case '\r': return put2(out, '\\', 'r');
  case '\t': return put2(out, '\\', 't');
  default: break;
  }
  std::memcpy(out, "\\u00", 4);
  return put2(out + 4, hex_digits[ch >> 4], hex_digits[ch & 0xF]);
}

// A JSON string with its quotes; at most 6n + 2 bytes (\u00xx a byte).
[[gnu::always_inline]] inline char* put_json_string(char* out, std::string_view text) {
  *out++ = '"';
  out = copy_escaped<JsonBytes>(out, text, put_json_special);
  *out++ = '"';
  return out;
}

// What put(out) writes, given the most it may write.
template <class Put>
std::string written(std::size_t room, Put put) {
  std::string out(room, '\0');
  out.resize(static_cast<std::size_t>(put(out.data()) - out.data()));
  return out;
}

std::string json_string(std::string_view text) {
  return written(6 * text.size() + 2, [&](char* out) { return put_json_string(out, text); });
}

// ------------------------------------------------------------------ the rows

// Room for one row: asked for once for the cells as most are (texts up to
// short_text bytes, dates, integers, nulls), and again by a longer text or a
// list, for itself and the rest of the row. Cheaper than measuring each row.
class RowRoom {
public:
  RowRoom(OutBuffer& out, std::size_t growth, std::size_t extra) : out_(out), growth_(growth), extra_(extra) {}

  char* start(const std::vector<Cell>& row) {
    fixed_ = row.size() * (cell_slack + growth_ * short_text) + row_slack + extra_;
    return out_.room(fixed_);
  }
  // Before each cell: where to write it.
  char* fit(char* at, const Cell& cell) {
    if (cell.kind != Cell::Kind::list && cell.kind != Cell::Kind::fields && cell.text.size() <= short_text) return at;
    out_.advance(at);
    return out_.room(cell_room(cell, growth_) + fixed_);
  }
  void done(char* at) {
    out_.advance(at);
    out_.row_done();
  }
  DateTexts& dates() { return out_.dates; }

private:
  static constexpr std::size_t short_text = 64;
  OutBuffer& out_;
  std::size_t growth_, extra_, fixed_ = 0;
};

// Writes each row with put_row(at, cells, room).
template <class PutRow>
void write_rows(OutBuffer& out, const Records& records, std::size_t growth, std::size_t extra, PutRow put_row) {
  RowRoom room(out, growth, extra);
  records.each_cells([&](const std::vector<Cell>& row) { room.done(put_row(room.start(row), row, room)); });
}

// Each cell and its separator; the separator after the last becomes the
// line end. Range loops: a store through char* may alias anything, so the
// row's size is not read again after each.
template <class PutCell>
char* put_separated(char* at, const std::vector<Cell>& row, RowRoom& room, char separator, PutCell put_cell) {
  for (const Cell& cell : row) {
    at = put_cell(room.fit(at, cell), cell, room.dates());
    *at++ = separator;
  }
  return row.empty() ? at : at - 1;
}

// ------------------------------------------------------------------ tsv, csv

struct TsvText {
  static constexpr std::size_t growth = 2;
  static char* put(char* out, std::string_view text) { return put_tsv(out, text); }
};

char* put_tsv_row(char* at, const std::vector<Cell>& row, RowRoom& room) {
  at = put_separated(at, row, room, '\t', put_flat<TsvText>);
  *at++ = '\n';
  return at;
}

void write_tsv(std::ostream& stream, const Records& records) {
  OutBuffer out(stream);
  write_rows(out, records, TsvText::growth, 0, put_tsv_row);
  out.finish();
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

// ---------------------------------------------------------------- json, jsonl

constexpr std::size_t padding = 32;

// Copies a text followed by `padding` readable bytes in blocks of that size:
// a key is one block, two moves instead of a memcpy call. Writes up to a
// block past its end.
char* put_padded(char* out, std::string_view padded) {
  for (std::size_t i = 0; i < padded.size(); i += padding) std::memcpy(out + i, padded.data() + i, padding);
  return out + padded.size();
}

// The bytes nlohmann's ordered_json dump(2) (pretty) or dump(-1) (compact)
// prints for the array of row objects, without building it. Its keys are
// escaped once: a key's `before` is all that comes before its value.
// Keys as ordered_json's operator[] sets them: a repeated name keeps its
// first place and takes its last value. Not copied: keys view `padded`.
struct JsonLayout {
  struct Key {
    std::string_view before; // followed by padding, for put_padded
    std::size_t field;       // whose value follows
  };

  JsonLayout(const Records& records, bool pretty) {
    const auto& names = records.fields;
    std::vector<std::pair<std::size_t, std::size_t>> spans; // in `padded`, before the views can be taken
    std::vector<std::size_t> fields;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (std::find(names.begin(), names.end(), names[i]) != names.begin() + static_cast<std::ptrdiff_t>(i)) continue;
      const char* separator = fields.empty() ? "" : pretty ? ",\n" : ",";
      std::string before = separator + std::string(pretty ? "    " : "") + json_string(names[i]) + (pretty ? ": " : ":");
      spans.emplace_back(padded.size(), before.size());
      padded += before;
      padded.append(padding, '\0');
      fields.push_back(static_cast<std::size_t>(names.rend() - std::find(names.rbegin(), names.rend(), names[i])) - 1);
    }
    for (std::size_t k = 0; k < fields.size(); ++k)
      keys.push_back({std::string_view(padded).substr(spans[k].first, spans[k].second), fields[k]});
  }
  JsonLayout(const JsonLayout&) = delete;
  JsonLayout& operator=(const JsonLayout&) = delete;

  // What the keys and the object around them take at the most.
  std::size_t room() const { return padded.size() + padding + 16; }

  std::string padded;
  std::vector<Key> keys;
};

// A literal: its size is known, so the copy is a move or two.
template <std::size_t N>
char* put_literal(char* out, const char (&text)[N]) {
  std::memcpy(out, text, N - 1);
  return out + N - 1;
}

// pretty is a template argument so that each literal below is one.
// Lists are the only nesting: their items sit at depth 3 of the array.
template <bool pretty>
char* put_json_list(char* out, const std::vector<std::string>& items) {
  if (items.empty()) return put_literal(out, "[]");
  *out++ = '[';
  for (const auto& item : items) {
    if (pretty) out = put_literal(out, "\n      ");
    out = put_json_string(out, item);
    *out++ = ',';
  }
  --out; // the last comma
  return pretty ? put_literal(out, "\n    ]") : put_literal(out, "]");
}

// A contact's fields, an object at depth 3 of the array, as nlohmann prints it.
template <bool pretty>
char* put_json_fields(char* out, const std::vector<Field>& fields) {
  if (fields.empty()) return put_literal(out, "{}");
  *out++ = '{';
  for (const Field& f : fields) {
    if (pretty) out = put_literal(out, "\n      ");
    out = put_json_string(out, f.key);
    out = pretty ? put_literal(out, ": ") : put_literal(out, ":");
    out = put_json_string(out, f.value);
    *out++ = ',';
  }
  --out; // the last comma
  return pretty ? put_literal(out, "\n    }") : put_literal(out, "}");
}

template <bool pretty>
char* put_json_value(char* out, const Cell& cell, DateTexts& dates) {
  switch (cell.kind) {
  case Cell::Kind::null: return put_literal(out, "null");
  case Cell::Kind::text: return put_json_string(out, cell.text);
  case Cell::Kind::integer: return put_integer(out, cell.integer);
  case Cell::Kind::date:
    *out++ = '"';
    out = dates.put(out, cell.date);
    *out++ = '"';
    return out;
  case Cell::Kind::list: return put_json_list<pretty>(out, *cell.list);
  case Cell::Kind::fields: return put_json_fields<pretty>(out, *cell.fields);
  }
  return out;
}

template <bool pretty>
char* put_json_object(char* at, const JsonLayout& layout, const std::vector<Cell>& row, RowRoom& room) {
  if (layout.keys.empty()) return pretty ? put_literal(at, "  {}") : put_literal(at, "{}");
  at = pretty ? put_literal(at, "  {\n") : put_literal(at, "{");
  for (const JsonLayout::Key& key : layout.keys) {
    const Cell& cell = row[key.field];
    at = put_padded(room.fit(at, cell), key.before);
    at = put_json_value<pretty>(at, cell, room.dates());
  }
  return pretty ? put_literal(at, "\n  }") : put_literal(at, "}");
}

constexpr std::size_t json_growth = 6; // \u00xx a byte

void write_json(std::ostream& stream, const Records& records) {
  OutBuffer out(stream);
  const JsonLayout layout(records, true);
  bool first = true;
  write_rows(out, records, json_growth, layout.room(), [&](char* at, const std::vector<Cell>& row, RowRoom& room) {
    at = first ? put_literal(at, "[\n") : put_literal(at, ",\n");
    first = false;
    return put_json_object<true>(at, layout, row, room);
  });
  out.put(first ? "[]\n" : "\n]\n");
  out.finish();
}

void write_jsonl(std::ostream& stream, const Records& records) {
  OutBuffer out(stream);
  const JsonLayout layout(records, false);
  write_rows(out, records, json_growth, layout.room(), [&](char* at, const std::vector<Cell>& row, RowRoom& room) {
    at = put_json_object<false>(at, layout, row, room);
    *at++ = '\n';
    return at;
  });
  out.finish();
}

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

// The public helpers share the writers' escaping.
std::string escape_tsv(std::string_view text) {
  return written(2 * text.size(), [&](char* out) { return put_tsv(out, text); });
}

std::string quote_csv(std::string_view text) {
  return written(2 * text.size() + 2, [&](char* out) { return put_csv(out, text); });
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
