// What the writers of format.cpp, format_template.cpp and format_table.cpp
// share: one output buffer, integers and dates as text, a cell's flat text.
//
// `due -o json` on a large book prints tens of thousands of rows, so the
// writers build no string a field: they ask the buffer for room once a row,
// write through a plain pointer, and the stream gets 64 KB at a time.
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "followup/model/date.hpp"
#include "followup/output/format.hpp"

namespace followup {

// ------------------------------------------------------------- integers, dates

inline constexpr std::size_t integer_room = 20; // -9223372036854775808
inline constexpr std::size_t date_room = 40;    // to_iso of any int year

// "00" to "99", two bytes a number.
inline constexpr std::array<char, 200> two_digit_table = [] {
  std::array<char, 200> table{};
  for (int i = 0; i < 100; ++i) {
    table[static_cast<std::size_t>(2 * i)] = static_cast<char>('0' + i / 10);
    table[static_cast<std::size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
  }
  return table;
}();

inline char* put_two_digits(char* out, unsigned n) {
  std::memcpy(out, &two_digit_table[2 * n], 2);
  return out + 2;
}

// Decimal, as std::to_chars writes it; by hand below 10 000 (days overdue).
inline char* put_integer(char* out, std::int64_t n) {
  if (n <= -10000 || n >= 10000) return std::to_chars(out, out + integer_room, n).ptr;
  if (n < 0) *out++ = '-';
  const auto u = static_cast<unsigned>(n < 0 ? -n : n);
  if (u < 10) {
    *out = static_cast<char>('0' + u);
    return out + 1;
  }
  if (u < 100) return put_two_digits(out, u);
  if (u < 1000) {
    *out++ = static_cast<char>('0' + u / 100);
    return put_two_digits(out, u % 100);
  }
  return put_two_digits(put_two_digits(out, u / 100), u % 100);
}

// YYYY-MM-DD as to_iso writes it, without a string for the usual years.
inline char* put_date(char* out, Date d) {
  const Ymd ymd = to_ymd(d);
  if (ymd.year < 0 || ymd.year > 9999) {
    const std::string iso = to_iso(d);
    std::memcpy(out, iso.data(), iso.size());
    return out + iso.size();
  }
  const auto year = static_cast<unsigned>(ymd.year);
  out = put_two_digits(put_two_digits(out, year / 100), year % 100);
  *out++ = '-';
  out = put_two_digits(out, static_cast<unsigned>(ymd.month));
  *out++ = '-';
  return put_two_digits(out, static_cast<unsigned>(ymd.day));
}

// The text of the dates already written, a slot a day (the day modulo the
// slots): a due list is sorted by due date and check-ins cluster, so most
// dates repeat, and to_ymd is the dearest part of a row.
class DateTexts {
public:
  char* put(char* out, Date d) {
    Slot& slot = slots_[static_cast<std::uint32_t>(d.days) % slots_.size()];
    if (slot.filled && slot.days == d.days) {
      std::memcpy(out, slot.text, iso_size);
      return out + iso_size;
    }
    char* end = put_date(out, d);
    if (end - out == iso_size) { // years 0 to 9999; others are not kept
      std::memcpy(slot.text, out, iso_size);
      slot.days = d.days;
      slot.filled = true;
    }
    return end;
  }

private:
  static constexpr std::ptrdiff_t iso_size = 10;
  struct Slot {
    int days = 0;
    bool filled = false;
    char text[iso_size];
  };
  std::array<Slot, 1024> slots_{}; // 16 KB: any 2.8 years without a clash
};

// ------------------------------------------------------------------ the buffer

// Output gathered in one buffer and handed to the stream a piece at a time.
// A writer asks room(n) for the most it may write, writes through the
// pointer and passes the end to advance(). With keep_all nothing reaches the
// stream before finish(): a template that fails leaves no partial output.
class OutBuffer {
public:
  explicit OutBuffer(std::ostream& out, bool keep_all = false) : out_(out), keep_all_(keep_all) {
    grow(2 * piece);
  }

  char* room(std::size_t n) {
    if (n > static_cast<std::size_t>(end_ - pos_)) make_room(n);
    promised_ = pos_ + n;
    return pos_;
  }
  void advance(char* to) {
    assert(to >= pos_ && to <= promised_); // a writer that took more than it asked for has a bug
    pos_ = to;
  }
  void put(std::string_view text) {
    if (text.empty()) return; // an empty view may have no data to copy from
    char* at = room(text.size());
    std::memcpy(at, text.data(), text.size());
    pos_ = at + text.size();
  }
  void put(char ch) {
    *room(1) = ch;
    ++pos_;
  }
  // Between rows: a full piece goes to the stream.
  void row_done() {
    if (!keep_all_ && used() >= piece) flush();
  }
  void finish() { flush(); }

  DateTexts dates; // the writers' cache, kept with the buffer they write to

private:
  static constexpr std::size_t piece = 64 * 1024;

  std::size_t used() const { return static_cast<std::size_t>(pos_ - data_.get()); }
  void flush() {
    out_.write(data_.get(), static_cast<std::streamsize>(used()));
    pos_ = data_.get();
  }
  void make_room(std::size_t n) {
    if (!keep_all_) flush();
    if (static_cast<std::size_t>(end_ - pos_) < n) grow(std::max(2 * size_, used() + n));
  }
  // Not zeroed: every byte handed on was written first.
  void grow(std::size_t size) {
    const std::size_t kept = data_ ? used() : 0;
    std::unique_ptr<char[]> bigger(new char[size]);
    if (kept > 0) std::memcpy(bigger.get(), data_.get(), kept);
    data_ = std::move(bigger);
    size_ = size;
    pos_ = data_.get() + kept;
    end_ = data_.get() + size;
  }

  std::ostream& out_;
  bool keep_all_;
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  char* pos_ = nullptr;
  char* end_ = nullptr;
  char* promised_ = nullptr; // the end of the last room() given
};

// --------------------------------------------------------------------- cells

// What a cell may take besides its text grown by escaping: a separator,
// quotes, a date or an integer, `null`; a list item besides its text: a
// comma, quotes, indentation; a row besides its cells: its line end, or the
// json around it.
inline constexpr std::size_t cell_slack = 48, item_slack = 16, row_slack = 32;

// The most a cell takes in any format, its text grown `growth` times by
// escaping (1 for templates, 2 for tsv and csv, 6 for json).
inline std::size_t cell_room(const Cell& cell, std::size_t growth) {
  std::size_t room = cell_slack;
  if (cell.kind == Cell::Kind::text) room += growth * cell.text.size();
  if (cell.kind == Cell::Kind::list)
    for (const auto& item : *cell.list) room += item_slack + growth * item.size();
  if (cell.kind == Cell::Kind::fields)
    for (const Field& f : *cell.fields) room += 2 * item_slack + growth * (f.key.size() + f.value.size());
  return room;
}

inline char* put_text(char* out, std::string_view text) {
  if (!text.empty()) std::memcpy(out, text.data(), text.size()); // an empty view may have no data
  return out + text.size();
}

// Text as it is (templates), for put_flat.
struct PlainText {
  static constexpr std::size_t growth = 1;
  static char* put(char* out, std::string_view text) { return put_text(out, text); }
};

// tsv and templates: null is empty, lists are comma-joined, each text
// written by Text::put (escaped for tsv).
template <class Text>
[[gnu::always_inline]] inline char* put_flat(char* out, const Cell& cell, DateTexts& dates) {
  switch (cell.kind) {
  case Cell::Kind::null: break;
  case Cell::Kind::text: return Text::put(out, cell.text);
  case Cell::Kind::integer: return put_integer(out, cell.integer);
  case Cell::Kind::date: return dates.put(out, cell.date);
  case Cell::Kind::list:
    for (std::size_t i = 0; i < cell.list->size(); ++i) {
      if (i > 0) *out++ = ',';
      out = Text::put(out, (*cell.list)[i]);
    }
    break;
  case Cell::Kind::fields: // `{fields}` in a template: key=value,key=value
    for (std::size_t i = 0; i < cell.fields->size(); ++i) {
      if (i > 0) *out++ = ',';
      out = Text::put(out, (*cell.fields)[i].key);
      *out++ = '=';
      out = Text::put(out, (*cell.fields)[i].value);
    }
    break;
  }
  return out;
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
inline void write_rows(OutBuffer& out, const Records& records, std::size_t growth, std::size_t extra, PutRow put_row) {
  RowRoom room(out, growth, extra);
  records.each_cells([&](const std::vector<Cell>& row) { room.done(put_row(room.start(row), row, room)); });
}

// Each cell and its separator; the separator after the last becomes the
// line end. Range loops: a store through char* may alias anything, so the
// row's size is not read again after each.
template <class PutCell>
inline char* put_separated(char* at, const std::vector<Cell>& row, RowRoom& room, char separator, PutCell put_cell) {
  for (const Cell& cell : row) {
    at = put_cell(room.fit(at, cell), cell, room.dates());
    *at++ = separator;
  }
  return row.empty() ? at : at - 1;
}

// ------------------------------------------------------------------ writers

// tsv and csv (format_delimited.cpp), json and jsonl (format_json.cpp).
void write_tsv(std::ostream& out, const Records& records);
void write_csv(std::ostream& out, const Records& records);
void write_json(std::ostream& out, const Records& records);
void write_jsonl(std::ostream& out, const Records& records);

// Templates (format_template.cpp); everything before writing, so that a
// record that fails leaves no partial output.
void write_template(std::ostream& out, const Records& records, const std::string& templ);

} // namespace followup
