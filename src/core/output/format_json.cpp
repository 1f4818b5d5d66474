// json and jsonl (SPEC §4): the bytes nlohmann's dump prints for the same
// records, written row by row without building any json.
#include "followup/output/format.hpp"
#include "followup/text/text.hpp"
#include "output/format_escape.hpp"
#include "output/format_out.hpp"

#include <algorithm>
#include <cstring>

namespace followup {

namespace {

// Control characters, `"` and `\`: all that append_json_string escapes.
struct JsonAsciiBytes {
  static constexpr ByteSet set = byte_set([](unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; });
  static bool word(Word w) { return (bytes_below(w, 0x20) | bytes_equal(w, '"') | bytes_equal(w, '\\')) != 0; }
};

// Control characters, `"`, `\` and everything not ASCII (to check its UTF-8).
struct JsonBytes {
  static constexpr ByteSet set = byte_set([](unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; });
  static bool word(Word w) {
    return ((bytes_below(w, 0x20) | bytes_equal(w, '"') | bytes_equal(w, '\\')) | (w & highs)) != 0;
  }
};

constexpr char hex_digits[] = "0123456789abcdef";

// One ASCII byte JSON escapes (a control character, `"` or `\`): short
// escapes where JSON has them, other control characters as \u00xx.
char* put_json_escape(char* out, std::string_view& rest) {
  const unsigned char ch = byte_of(rest.front());
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

// One special byte for json, as nlohmann's dump(..., ensure_ascii = false,
// error_handler_t::replace) writes it: ASCII as put_json_escape, valid UTF-8
// raw, and each invalid sequence (its longest valid start, or one byte) as
// one U+FFFD.
char* put_json_special(char* out, std::string_view& rest) {
  if (byte_of(rest.front()) < 0x80) return put_json_escape(out, rest);
  Utf8Run run = utf8_run(rest);
  if (run.valid) std::memcpy(out, rest.data(), run.length);
  else std::memcpy(out, "\xEF\xBF\xBD", 3);
  rest.remove_prefix(run.length);
  return out + (run.valid ? run.length : 3);
}

// A JSON string with its quotes; at most 6n + 2 bytes (\u00xx a byte).
[[gnu::always_inline]] inline char* put_json_string(char* out, std::string_view text) {
  *out++ = '"';
  out = copy_escaped<JsonBytes>(out, text, put_json_special);
  *out++ = '"';
  return out;
}

std::string json_string(std::string_view text) {
  return written(6 * text.size() + 2, [&](char* out) { return put_json_string(out, text); });
}

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

} // namespace

// The bytes of text kept as they are: no U+FFFD for what is not UTF-8, as
// the book is written (json_write.cpp), so that a read and a write change
// nothing.
void append_json_string(std::string& out, std::string_view text) {
  const std::size_t before = out.size();
  out.resize(before + 6 * text.size() + 2);
  char* at = out.data() + before;
  *at++ = '"';
  at = copy_escaped<JsonAsciiBytes>(at, text, put_json_escape);
  *at++ = '"';
  out.resize(static_cast<std::size_t>(at - out.data()));
}

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

} // namespace followup
