// `{field}` templates (SPEC §4): fmt syntax with the record's fields as named
// arguments. What a template means is format_row, fmt on the whole template;
// rows are written faster by the template cut once into parts, which must
// agree with it.
#include "followup/error.hpp"
#include "followup/format.hpp"
#include "format_out.hpp"

#include <algorithm>
#include <fmt/args.h>
#include <fmt/format.h>
#include <optional>

namespace followup {

namespace {

using arg_store = fmt::dynamic_format_arg_store<fmt::format_context>;

// Null is empty, lists are comma-joined.
std::string flat_text(const Value& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* number = std::get_if<std::int64_t>(&value)) return std::to_string(*number);
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) return join(*list, ",");
  return {};
}

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

// One row through fmt, the whole template, every field a named argument.
std::string format_row(const std::string& templ, const Records& records, const std::vector<Value>& row) {
  arg_store args;
  for (std::size_t i = 0; i < records.fields.size(); ++i)
    push_value(args, records.fields[i], i < row.size() ? row[i] : Value());
  return fmt::vformat(templ, args);
}

[[noreturn]] void throw_bad_record(std::size_t record, const fmt::format_error& e) {
  throw_usage(fmt::format("bad template for record {}: {}", record, e.what()), "--format",
              "absent values are empty text, so a spec such as :d cannot format them");
}

// A template cut once into literal text and fields, so that a row costs no
// parsing of the template, and a field without a spec no fmt at all. Only
// `{name}` and `{name:spec}` with a spec free of braces are taken; anything
// else (nested `{width}`, unknown names, syntax errors) is left to fmt whole.
struct TemplatePart {
  std::string literal;                   // before the field; `{{` `}}` halved
  std::size_t field = std::string::npos; // npos: the literal ends the template
  std::string spec;                      // "{:>4}" for fmt; empty: the flat text
};

// fmt's argument names.
bool is_name_start(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_'; }
bool is_name_char(char ch) { return is_name_start(ch) || (ch >= '0' && ch <= '9'); }

// `name}` or `name:spec}` at the start of text (just past a `{`): sets the
// part's field and spec and returns the length taken; nullopt where fmt's
// own parsing is needed.
std::optional<std::size_t> split_field(std::string_view text, const Records& records, TemplatePart& part) {
  std::size_t end = 0;
  while (end < text.size() && is_name_char(text[end])) ++end;
  if (end == 0 || !is_name_start(text[0]) || end == text.size()) return std::nullopt;
  auto found = std::find(records.fields.begin(), records.fields.end(), text.substr(0, end));
  if (found == records.fields.end()) return std::nullopt;
  part.field = static_cast<std::size_t>(found - records.fields.begin());
  if (text[end] == '}') return end + 1;
  if (text[end] != ':') return std::nullopt;
  std::size_t close = text.find_first_of("{}", end);
  if (close == std::string_view::npos || text[close] == '{') return std::nullopt;
  part.spec.assign(1, '{'); // built in place: `"{" + ...` trips GCC 12's -Wrestrict
  part.spec.append(text.substr(end, close - end));
  part.spec += '}';
  return close + 1;
}

std::optional<std::vector<TemplatePart>> split_template(std::string_view templ, const Records& records) {
  std::vector<TemplatePart> parts(1);
  for (std::size_t i = 0; i < templ.size(); ++i) {
    const char ch = templ[i];
    const char next = i + 1 < templ.size() ? templ[i + 1] : '\0';
    if ((ch == '{' || ch == '}') && next == ch) {
      parts.back().literal += ch;
      ++i;
    } else if (ch == '}') {
      return std::nullopt; // unmatched: fmt says so
    } else if (ch == '{') {
      auto taken = split_field(templ.substr(i + 1), records, parts.back());
      if (!taken) return std::nullopt;
      i += *taken;
      parts.emplace_back();
    } else {
      parts.back().literal += ch;
    }
  }
  return parts;
}

// The flat text of a cell that is not an integer, for fmt; scratch holds it
// when the cell has no text of its own.
std::string_view flat_view(const Cell& cell, std::string& scratch) {
  switch (cell.kind) {
  case Cell::Kind::text: return cell.text;
  case Cell::Kind::date:
    scratch.resize(date_room);
    scratch.resize(static_cast<std::size_t>(put_date(scratch.data(), cell.date) - scratch.data()));
    return scratch;
  case Cell::Kind::list: scratch = join(*cell.list, ","); return scratch;
  case Cell::Kind::null:
  case Cell::Kind::integer: break;
  }
  return {};
}

// One field with a spec, through fmt: integers stay integers, the rest is
// its flat text, as format_row passes them.
void put_spec_field(OutBuffer& out, const TemplatePart& part, const Cell& cell, std::string& scratch) {
  fmt::memory_buffer formatted;
  if (cell.kind == Cell::Kind::integer) {
    fmt::vformat_to(fmt::appender(formatted), part.spec, fmt::make_format_args(cell.integer));
  } else {
    std::string_view text = flat_view(cell, scratch);
    fmt::vformat_to(fmt::appender(formatted), part.spec, fmt::make_format_args(text));
  }
  out.put(std::string_view(formatted.data(), formatted.size()));
}

std::vector<Value> values_of(const std::vector<Cell>& row) {
  std::vector<Value> values;
  for (const Cell& cell : row) values.push_back(value_of(cell));
  return values;
}

// A record the parts could not format: fmt on the whole template says why,
// in its own words.
[[noreturn]] void fail_record(const std::string& templ, const Records& records, const std::vector<Cell>& row,
                              std::size_t record, const fmt::format_error& error) {
  try {
    (void)format_row(templ, records, values_of(row));
  } catch (const fmt::format_error& e) {
    throw_bad_record(record, e);
  }
  throw_bad_record(record, error);
}

void write_parts(OutBuffer& out, const Records& records, const std::string& templ,
                 const std::vector<TemplatePart>& parts) {
  std::string scratch;
  std::size_t record = 0;
  records.each_cells([&](const std::vector<Cell>& row) {
    ++record;
    for (const TemplatePart& part : parts) {
      out.put(part.literal);
      if (part.field == std::string::npos) continue;
      const Cell& cell = row[part.field];
      if (part.spec.empty()) {
        out.advance(put_flat<PlainText>(out.room(cell_room(cell, PlainText::growth)), cell, out.dates));
        continue;
      }
      try {
        put_spec_field(out, part, cell, scratch);
      } catch (const fmt::format_error& e) {
        fail_record(templ, records, row, record, e);
      }
    }
    out.put('\n');
  });
}

void write_whole(OutBuffer& out, const Records& records, const std::string& templ) {
  std::size_t record = 0;
  records.each([&](const std::vector<Value>& row) {
    ++record;
    try {
      out.put(format_row(templ, records, row));
    } catch (const fmt::format_error& e) {
      throw_bad_record(record, e);
    }
    out.put('\n');
  });
}

} // namespace

// Formats everything before writing: a record that fails (e.g. a null under
// `{overdue:d}`) leaves no partial output behind.
void write_template(std::ostream& stream, const Records& records, const std::string& templ) {
  OutBuffer out(stream, true);
  if (auto parts = split_template(templ, records)) write_parts(out, records, templ, *parts);
  else write_whole(out, records, templ);
  out.finish();
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

} // namespace followup
