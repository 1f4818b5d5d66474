// `{field}` templates (SPEC §4): fmt syntax with the record's fields as named
// arguments. What a template means is format_row, fmt on the whole template;
// rows are written faster by the template cut once into parts, which must
// agree with it.
#include "followup/model/error.hpp"
#include "followup/output/format.hpp"
#include "output/format_out.hpp"

#include <algorithm>
#include <fmt/args.h>
#include <fmt/format.h>
#include <optional>

namespace followup {

namespace {

using arg_store = fmt::dynamic_format_arg_store<fmt::format_context>;

// fmt's argument names.
bool is_name_start(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_'; }
bool is_name_char(char ch) { return is_name_start(ch) || (ch >= '0' && ch <= '9'); }

// A template writes one line a record (SPEC §4): newlines and tabs inside
// values are written \n and \t, as tsv writes them.
struct LineText {
  static constexpr std::size_t growth = 2;
  static char* put(char* out, std::string_view text) {
    for (char ch : text) {
      const char escape = ch == '\n' ? 'n' : ch == '\t' ? 't' : ch == '\r' ? 'r' : '\0';
      if (escape == '\0') {
        *out++ = ch;
        continue;
      }
      *out++ = '\\';
      *out++ = escape;
    }
    return out;
  }
};

std::string one_line_text(std::string_view text) {
  std::string out(LineText::growth * text.size(), '\0');
  out.resize(static_cast<std::size_t>(LineText::put(out.data(), text) - out.data()));
  return out;
}

// Null is empty, lists are comma-joined, fields `key=value,key=value`; on one line.
std::string flat_text(const Value& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return one_line_text(*text);
  if (const auto* number = std::get_if<std::int64_t>(&value)) return std::to_string(*number);
  std::vector<std::string> items;
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) items = *list;
  if (const auto* fields = std::get_if<std::vector<Field>>(&value))
    for (const Field& f : *fields) items.push_back(f.key + "=" + f.value);
  for (std::string& item : items) item = one_line_text(item);
  return join(items, ",");
}

// The name fmt is given for a field: its own, unless fmt would not take it
// (`fields.phone`, SPEC §4), then `_f` and its place.
std::string fmt_name(const Records& records, std::size_t i) {
  const std::string& name = records.fields[i];
  const bool plain = !name.empty() && is_name_start(name[0]) && std::all_of(name.begin(), name.end(), is_name_char);
  return plain ? name : "_f" + std::to_string(i);
}

// Integers stay integers so that specs like `{overdue:>4}` or `{overdue:d}` work.
void push_value(arg_store& args, const std::string& name, const Value& value) {
  // fmt keeps the name's pointer: `name` must outlive the formatting.
  if (const auto* number = std::get_if<std::int64_t>(&value))
    args.push_back(fmt::arg(name.c_str(), *number));
  else
    args.push_back(fmt::arg(name.c_str(), flat_text(value)));
}

std::string fields_hint(const Records& records) {
  std::vector<std::string> names;
  for (const std::string& name : records.fields)
    if (!name.starts_with("fields.")) names.push_back(name);
  std::string hint = "fields: " + join(names, ", ");
  if (std::find(names.begin(), names.end(), "fields") != names.end()) hint += ", fields.KEY";
  return hint;
}

// A placeholder's name: from just past its `{` up to `:`, `}` or `!`.
std::size_t name_end(std::string_view templ, std::size_t start) { return templ.find_first_of(":}!{", start); }

// fmt only says "argument not found"; name the culprit instead. Positional
// placeholders (`{}`, `{0}`) are refused too: fmt would silently map them to
// the first fields.
void check_placeholder_names(std::string_view templ, const Records& records) {
  for (const Placeholder& p : template_placeholders(templ)) {
    if (p.stop == '\0' || p.stop == '{') return; // fmt reports it
    if (std::find(records.fields.begin(), records.fields.end(), p.name) == records.fields.end())
      throw_usage(p.name.empty() ? "bad template: empty placeholder {}, name a field such as {name}"
                                 : fmt::format("bad template: unknown field \"{}\"", p.name),
                  "--format", fields_hint(records));
  }
}

// The dummy value of a field type, to try a template without any row.
Value dummy_value(ValueType type) {
  if (type == ValueType::integer) return std::int64_t{0};
  return std::string{};
}

// The template with each placeholder named as fmt_name names its field.
std::string fmt_template(std::string_view templ, const Records& records) {
  std::string out;
  std::size_t copied = 0; // templ before this is in out
  for (const Placeholder& p : template_placeholders(templ)) {
    const auto found = std::find(records.fields.begin(), records.fields.end(), p.name);
    if (p.stop == '\0' || found == records.fields.end()) continue;
    out += templ.substr(copied, p.at - copied);
    out += fmt_name(records, static_cast<std::size_t>(found - records.fields.begin()));
    copied = p.at + p.name.size();
  }
  out += templ.substr(copied);
  return out;
}

// One row through fmt, the whole template, every field a named argument.
std::string format_row(const std::string& templ, const Records& records, const std::vector<Value>& row) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < records.fields.size(); ++i) names.push_back(fmt_name(records, i));
  arg_store args;
  for (std::size_t i = 0; i < records.fields.size(); ++i) push_value(args, names[i], i < row.size() ? row[i] : Value());
  return fmt::vformat(fmt_template(templ, records), args);
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


// `name}` or `name:spec}` at the start of text (just past a `{`): sets the
// part's field and spec and returns the length taken; nullopt where fmt's
// own parsing is needed.
std::optional<std::size_t> split_field(std::string_view text, const Records& records, TemplatePart& part) {
  std::size_t end = 0;
  while (end < text.size() && is_name_char(text[end])) ++end;
  // `fields.KEY`: the name runs to the spec or the brace.
  if (text.substr(0, end) == "fields" && end < text.size() && text[end] == '.') end = name_end(text, end);
  if (end == 0 || !is_name_start(text[0]) || end == std::string_view::npos || end == text.size()) return std::nullopt;
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
  case Cell::Kind::text: scratch = one_line_text(cell.text); return scratch;
  case Cell::Kind::fields: scratch = flat_text(value_of(cell)); return scratch;
  case Cell::Kind::date:
    scratch.resize(date_room);
    scratch.resize(static_cast<std::size_t>(put_date(scratch.data(), cell.date) - scratch.data()));
    return scratch;
  case Cell::Kind::list: scratch = flat_text(*cell.list); return scratch;
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
        out.advance(put_flat<LineText>(out.room(cell_room(cell, LineText::growth)), cell, out.dates));
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

std::vector<Placeholder> template_placeholders(std::string_view templ) {
  std::vector<Placeholder> found;
  for (std::size_t i = 0; i < templ.size(); ++i) {
    if (templ[i] != '{') continue;
    if (i + 1 < templ.size() && templ[i + 1] == '{') {
      ++i; // `{{` is a literal brace
      continue;
    }
    const std::size_t end = name_end(templ, i + 1);
    if (end == std::string_view::npos) {
      found.push_back({i + 1, templ.substr(i + 1), '\0'});
      break;
    }
    found.push_back({i + 1, templ.substr(i + 1, end - i - 1), templ[end]});
    i = end - 1; // a `{` that ends the name starts the next
  }
  return found;
}

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
