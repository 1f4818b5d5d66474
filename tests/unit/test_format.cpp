#include "followup/model/error.hpp"
#include "followup/output/format.hpp"
#include "followup/text/text.hpp"

#include <doctest/doctest.h>

#include <sstream>

#include <fmt/args.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace followup;

namespace {

using Tags = std::vector<std::string>;

// id, name, overdue (integer), last (text, null in the second row), tags (list).
Records sample() {
  Records r;
  r.fields = {"id", "name", "overdue", "last", "tags"};
  r.types = {ValueType::text, ValueType::text, ValueType::integer, ValueType::text, ValueType::list};
  r.rows.push_back({std::string("ana"), std::string("Ana Díaz"), std::int64_t{3}, std::string("2024-05-01"),
                    Tags{"work", "friend"}});
  r.rows.push_back({std::string("bob"), std::string("Bob"), std::int64_t{-12}, std::monostate{}, Tags{}});
  return r;
}

Records empty_sample() {
  Records r = sample();
  r.rows.clear();
  return r;
}

// One row whose text holds every character the formats must escape.
Records awkward() {
  Records r;
  r.fields = {"id", "note"};
  r.types = {ValueType::text, ValueType::text};
  r.rows.push_back({std::string("x"), std::string("a\tb\nc\\d\re")});
  r.rows.push_back({std::string("y"), std::string("say \"hi\", ok")});
  return r;
}

std::string render(const Records& records, std::string_view format) {
  std::ostringstream out;
  write_records(out, records, parse_format(format));
  return out.str();
}

std::string table_text(const TextTable& table, bool color) {
  std::ostringstream out;
  write_table(out, table, color);
  return out.str();
}

// Runs f, which must throw a usage Error naming --format; returns the message.
template <typename F> std::string usage_error(F f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(e.where() == "--format");
    return std::string(e.what()) + " | " + e.hint();
  }
  FAIL("no error thrown");
  return {};
}

} // namespace

TEST_CASE("helpers") {
  CHECK(escape_tsv("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re");
  CHECK(escape_tsv("plain é") == "plain é");
  CHECK(quote_csv("plain") == "plain");
  CHECK(quote_csv("") == "");
  CHECK(quote_csv("a,b") == "\"a,b\"");
  CHECK(quote_csv("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(quote_csv("a\nb") == "\"a\nb\"");
  CHECK(quote_csv("a\rb") == "\"a\rb\"");
  CHECK(join({}, ",") == "");
  CHECK(join({"a"}, ", ") == "a");
  CHECK(join({"a", "b", "c"}, ", ") == "a, b, c");
  CHECK(unescape_template("{a}\\t{b}\\n") == "{a}\t{b}\n");
  CHECK(unescape_template("x\\\\ty") == "x\\ty"); // `\\` then a plain t
  CHECK(unescape_template("\\x\\r\\") == "\\x\\r\\");
}

TEST_CASE("parse_format") {
  CHECK(parse_format("table").kind == FormatKind::table);
  CHECK(parse_format("tsv").kind == FormatKind::tsv);
  CHECK(parse_format("csv").kind == FormatKind::csv);
  CHECK(parse_format("json").kind == FormatKind::json);
  CHECK(parse_format("jsonl").kind == FormatKind::jsonl);
  auto templ = parse_format("{name}\\t{due}");
  CHECK(templ.kind == FormatKind::templ);
  CHECK(templ.templ == "{name}\t{due}");
  CHECK(parse_format("{{literal}}").kind == FormatKind::templ);

  auto message = usage_error([] { parse_format("xml"); });
  CHECK(message == "unknown format \"xml\" | use table, tsv, csv, json, jsonl or a template such as '{name}\\t{due}'");
  // Names in any case (SPEC §4); a template keeps its case.
  CHECK(parse_format("JSON").kind == FormatKind::json);
  CHECK(parse_format("Table").kind == FormatKind::table);
  CHECK(parse_format("JsonL").kind == FormatKind::jsonl);
  CHECK(parse_format("{Name}").templ == "{Name}");
  CHECK(usage_error([] { parse_format("JSONX"); }).find("unknown format \"JSONX\"") == 0);
  CHECK(usage_error([] { parse_format(""); }).find("unknown format \"\"") == 0);
}

TEST_CASE("tsv") {
  CHECK(render(sample(), "tsv") == "ana\tAna Díaz\t3\t2024-05-01\twork,friend\n"
                                   "bob\tBob\t-12\t\t\n");
  CHECK(render(awkward(), "tsv") == "x\ta\\tb\\nc\\\\d\\re\n"
                                    "y\tsay \"hi\", ok\n");
  CHECK(render(empty_sample(), "tsv") == "");
}

TEST_CASE("csv") {
  CHECK(render(sample(), "csv") == "id,name,overdue,last,tags\r\n"
                                   "ana,Ana Díaz,3,2024-05-01,\"work,friend\"\r\n"
                                   "bob,Bob,-12,,\r\n");
  CHECK(render(awkward(), "csv") == "id,note\r\n"
                                    "x,\"a\tb\nc\\d\re\"\r\n"
                                    "y,\"say \"\"hi\"\", ok\"\r\n");
  CHECK(render(empty_sample(), "csv") == "id,name,overdue,last,tags\r\n");
}

TEST_CASE("json") {
  CHECK(render(sample(), "json") == R"([
  {
    "id": "ana",
    "name": "Ana Díaz",
    "overdue": 3,
    "last": "2024-05-01",
    "tags": [
      "work",
      "friend"
    ]
  },
  {
    "id": "bob",
    "name": "Bob",
    "overdue": -12,
    "last": null,
    "tags": []
  }
]
)");
  CHECK(render(empty_sample(), "json") == "[]\n");
  CHECK(render(awkward(), "json") == R"([
  {
    "id": "x",
    "note": "a\tb\nc\\d\re"
  },
  {
    "id": "y",
    "note": "say \"hi\", ok"
  }
]
)");
}

TEST_CASE("json escapes control characters and survives invalid UTF-8") {
  Records r;
  r.fields = {"s"};
  r.types = {ValueType::text};
  r.rows.push_back({std::string("\x01" "z")});
  r.rows.push_back({std::string("bad\xff")});
  CHECK(render(r, "jsonl") == "{\"s\":\"\\u0001z\"}\n{\"s\":\"bad\xEF\xBF\xBD\"}\n");
}

TEST_CASE("jsonl") {
  CHECK(render(sample(), "jsonl") ==
        "{\"id\":\"ana\",\"name\":\"Ana Díaz\",\"overdue\":3,\"last\":\"2024-05-01\",\"tags\":[\"work\",\"friend\"]}\n"
        "{\"id\":\"bob\",\"name\":\"Bob\",\"overdue\":-12,\"last\":null,\"tags\":[]}\n");
  CHECK(render(empty_sample(), "jsonl") == "");
}

TEST_CASE("templates") {
  CHECK(render(sample(), "{name}\\t{overdue}") == "Ana Díaz\t3\nBob\t-12\n");
  CHECK(render(sample(), "{id}:{overdue:>4}|") == "ana:   3|\nbob: -12|\n");
  CHECK(render(sample(), "{id} [{tags}]") == "ana [work,friend]\nbob []\n");
  CHECK(render(sample(), "{id}={last}.") == "ana=2024-05-01.\nbob=.\n");
  CHECK(render(sample(), "{{{id}}}") == "{ana}\n{bob}\n");
  CHECK(render(empty_sample(), "{id}") == "");
}

TEST_CASE("a template that fails on a null value throws without partial output") {
  Records r = sample();
  r.rows[1][2] = std::monostate{};
  auto format = parse_format("{overdue:d}");
  CHECK_NOTHROW(check_template(format, r));
  std::ostringstream out;
  auto message = usage_error([&] { write_records(out, r, format); });
  CHECK(message.find("record 2") != std::string::npos);
  CHECK(out.str() == "");
}

TEST_CASE("check_template") {
  auto hint = "fields: id, name, overdue, last, tags";
  auto unknown = usage_error([] { check_template(parse_format("{nme}"), empty_sample()); });
  CHECK(unknown == std::string("bad template: unknown field \"nme\" | ") + hint);
  CHECK(usage_error([] { check_template(parse_format("{id} {nme:>3}"), empty_sample()); })
            .find("unknown field \"nme\"") != std::string::npos);
  CHECK(usage_error([] { check_template(parse_format("{}"), empty_sample()); }).find("empty placeholder") !=
        std::string::npos);
  CHECK(usage_error([] { check_template(parse_format("{0}"), empty_sample()); }).find("unknown field \"0\"") !=
        std::string::npos);

  // Specs that do not fit the field's type, and broken syntax, fail up front.
  auto bad_spec = usage_error([] { check_template(parse_format("{name:d}"), empty_sample()); });
  CHECK(bad_spec.find("bad template: ") == 0);
  CHECK(bad_spec.find(hint) != std::string::npos);
  CHECK(usage_error([] { check_template(parse_format("{overdue:s}"), empty_sample()); }).find("bad template: ") ==
        0);
  CHECK(usage_error([] { check_template(parse_format("{name"), empty_sample()); }).find("bad template: ") == 0);
  CHECK(usage_error([] { check_template(parse_format("{name:>{nope}}"), empty_sample()); }).find("nope") !=
        std::string::npos);

  CHECK_NOTHROW(check_template(parse_format("{name:<10}\\t{overdue:>4d} {tags} {last}"), empty_sample()));
  CHECK_NOTHROW(check_template(parse_format("{{not a field}}"), empty_sample()));
  CHECK_NOTHROW(check_template(parse_format("json"), empty_sample()));
  CHECK_NOTHROW(check_template(Format{FormatKind::tsv, "{nme}"}, empty_sample()));
}

TEST_CASE("write_records refuses the table format") {
  std::ostringstream out;
  CHECK_THROWS_AS(write_records(out, sample(), parse_format("table")), std::logic_error);
}

TEST_CASE("paint") {
  CHECK(paint("x", Tone::alert, false) == "x");
  CHECK(paint("x", Tone::alert, true) == "\x1b[31mx\x1b[0m");
  CHECK(paint("x", Tone::warn, true) == "\x1b[33mx\x1b[0m");
  CHECK(paint("x", Tone::dim, true) == "\x1b[2mx\x1b[0m");
  CHECK(paint("x", Tone::good, true) == "\x1b[32mx\x1b[0m");
  CHECK(paint("x", Tone::plain, true) == "x");
}

namespace {

TextTable sample_table() {
  TextTable t;
  t.headers = {"ID", "NAME", "OVERDUE", "NOTE"};
  t.right_align = {false, false, true};
  t.rows = {{"ana", "José", "3", "call back"}, {"bobby", "Al", "120", ""}, {"c", "Zoë Long", "", "x"}};
  t.tones = {Tone::alert, Tone::plain};
  return t;
}

} // namespace

TEST_CASE("write_table") {
  // é and ë are 2 bytes but 1 column; OVERDUE is right-aligned; the empty
  // last cell of bobby's row leaves no trailing blanks.
  CHECK(table_text(sample_table(), false) == "ID     NAME      OVERDUE  NOTE\n"
                                             "ana    José            3  call back\n"
                                             "bobby  Al            120\n"
                                             "c      Zoë Long           x\n");
  CHECK(table_text(sample_table(), false).find("\x1b") == std::string::npos);

  TextTable empty = sample_table();
  empty.rows.clear();
  CHECK(table_text(empty, false) == "");
  CHECK(table_text(empty, true) == "");
}

TEST_CASE("write_table never ends a line with blanks") {
  TextTable t;
  t.headers = {"A", "B"};
  t.rows = {{"long value", ""}, {"x", "trailing  "}, {"y"}};
  CHECK(table_text(t, false) == "A           B\n"
                                "long value\n"
                                "x           trailing\n"
                                "y\n");
}

TEST_CASE("write_table with colour keeps alignment outside the codes") {
  std::string bold_id = "\x1b[1mID\x1b[0m";
  std::string red = "\x1b[31m", reset = "\x1b[0m";
  auto text = table_text(sample_table(), true);
  std::string first_row = red + "ana" + reset + "    " + red + "José" + reset + "      " + "      " + red + "3" +
                          reset + "  " + red + "call back" + reset + "\n";
  CHECK(text.find(bold_id + "     \x1b[1mNAME\x1b[0m") == 0);
  CHECK(text.find(first_row) != std::string::npos);
  CHECK(text.find("bobby  Al            120\n") != std::string::npos); // plain tone: no codes
  CHECK(text.find("c      Zoë Long           x\n") != std::string::npos); // no tone given: plain
}

TEST_CASE("a table of cells made on demand prints as the table of their text") {
  // Dates ISO, integers, lists comma-joined, null empty, UTF-8 by display
  // width; each row is asked for twice, and its views hold until the next.
  const std::vector<std::string> tags{"vip", "k\u00f6ln"}, none;
  const std::vector<std::string> names{"Jos\u00e9", "Al", "Zo\u00eb Long"};
  CellTable cells;
  cells.headers = {"NAME", "DUE", "DAYS", "TAGS", "NOTE"};
  cells.right_align = {false, false, true};
  cells.count = names.size();
  std::size_t calls = 0;
  cells.make_cells = [&, note = std::string()](std::size_t i, std::vector<Cell>& row) mutable {
    ++calls;
    note = "note " + std::to_string(i) + (i == 1 ? "" : "  "); // trailing blanks are trimmed
    row = {text_cell(names[i]), i == 1 ? Cell{} : date_cell(from_ymd(2026, 1 + static_cast<int>(i), 9)),
           integer_cell(i == 2 ? -12345 : static_cast<std::int64_t>(i) * 40), list_cell(i == 0 ? tags : none),
           text_cell(note)};
  };
  cells.tone = [](std::size_t i) { return i == 0 ? Tone::alert : Tone::plain; };

  TextTable text;
  text.headers = cells.headers;
  text.right_align = cells.right_align;
  text.rows = {{"Jos\u00e9", "2026-01-09", "0", "vip,k\u00f6ln", "note 0  "},
               {"Al", "", "40", "", "note 1"},
               {"Zo\u00eb Long", "2026-03-09", "-12345", "", "note 2  "}};
  text.tones = {Tone::alert};
  for (bool color : {false, true}) {
    CAPTURE(color);
    std::ostringstream out;
    write_table(out, cells, color);
    CHECK(out.str() == table_text(text, color));
  }
  CHECK(calls == 4 * names.size());
  CHECK(table_text(text, false) == "NAME      DUE           DAYS  TAGS      NOTE\n"
                                   "Jos\u00e9      2026-01-09       0  vip,k\u00f6ln  note 0\n"
                                   "Al                        40            note 1\n"
                                   "Zo\u00eb Long  2026-03-09  -12345            note 2\n");
  cells.count = 0;
  std::ostringstream empty;
  write_table(empty, cells, true);
  CHECK(empty.str() == "");
}

TEST_CASE("tables show control characters visibly, measured as shown") {
  // Text and list cells of a cell table, and a table of strings, alike.
  const std::vector<std::string> tags{"a\x1b[2J", "b"};
  CellTable cells;
  cells.headers = {"NAME", "TAGS", "N"};
  cells.count = 2;
  cells.make_cells = [&](std::size_t i, std::vector<Cell>& row) {
    row = {text_cell(i == 0 ? "Eve\x1b]0;t\x07" : "Bo"), list_cell(tags), text_cell(i == 0 ? "\xC2\x9B" : "x")};
  };
  std::ostringstream out;
  write_table(out, cells, false);
  CHECK(out.str() == "NAME         TAGS      N\n"
                     "Eve^[]0;t^G  a^[[2J,b  <U+009B>\n"
                     "Bo           a^[[2J,b  x\n");
  TextTable text;
  text.headers = cells.headers;
  text.rows = {{"Eve\x1b]0;t\x07", "a\x1b[2J,b", "\xC2\x9B"}, {"Bo", "a\x1b[2J,b", "x"}};
  CHECK(table_text(text, false) == out.str());
}

TEST_CASE("a long table of cells made on several threads prints as on one") {
  // Slices of rows on threads of their own: the widest cell may be in any
  // slice (here the last row's), each thread keeps its own row text, and
  // the lines come out in order.
  const std::size_t rows = 7001;
  CellTable cells;
  cells.headers = {"N", "NAME", "DUE"};
  cells.right_align = {true};
  cells.count = rows;
  cells.make_cells = [name = std::string()](std::size_t i, std::vector<Cell>& row) mutable {
    name = "row " + std::string(i == rows - 1 ? 30 : i % 7, 'x') + std::to_string(i);
    row = {integer_cell(static_cast<std::int64_t>(i)), text_cell(name), date_cell(from_ymd(2026, 1, 1 + static_cast<int>(i % 28)))};
  };
  cells.tone = [](std::size_t i) { return i % 3 == 0 ? Tone::warn : Tone::plain; };
  TextTable text;
  text.headers = cells.headers;
  text.right_align = cells.right_align;
  for (std::size_t i = 0; i < rows; ++i) {
    std::vector<Cell> row;
    cells.make_cells(i, row);
    text.rows.push_back({std::to_string(i), std::string(row[1].text), fmt::format("2026-01-{:02}", 1 + i % 28)});
    text.tones.push_back(cells.tone(i));
  }
  for (bool color : {false, true}) {
    const std::string expected = table_text(text, color);
    for (unsigned threads : {1u, 2u, 3u, 16u}) {
      CAPTURE(color);
      CAPTURE(threads);
      cells.threads = threads;
      std::ostringstream out;
      write_table(out, cells, color);
      CHECK(out.str() == expected);
    }
  }
}

// ---------------------------------------------------------------------------
// The writers against references built here, byte by byte: nlohmann's own
// dump for json, fmt for templates, plain loops for tsv and csv.

namespace {

using ordered_json = nlohmann::ordered_json;

// What the json writers promise to print: nlohmann's dump of the same values.
ordered_json json_of(const Value& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* number = std::get_if<std::int64_t>(&value)) return *number;
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) return *list;
  return nullptr;
}

ordered_json json_of(const Records& r, const std::vector<Value>& row) {
  ordered_json object = ordered_json::object();
  for (std::size_t i = 0; i < r.fields.size(); ++i) object[r.fields[i]] = i < row.size() ? json_of(row[i]) : nullptr;
  return object;
}

std::string nlohmann_dump(const ordered_json& json, int indent) {
  return json.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

std::string reference_json(const Records& r) {
  ordered_json array = ordered_json::array();
  for (const auto& row : r.rows) array.push_back(json_of(r, row));
  return nlohmann_dump(array, 2) + "\n";
}

std::string reference_jsonl(const Records& r) {
  std::string out;
  for (const auto& row : r.rows) out += nlohmann_dump(json_of(r, row), -1) + "\n";
  return out;
}

// One text field, one row.
Records one_text(const std::string& text) {
  Records r;
  r.fields = {"s"};
  r.types = {ValueType::text};
  r.rows.push_back({text});
  return r;
}

std::string jsonl_of_text(const std::string& text) { return render(one_text(text), "jsonl"); }
std::string nlohmann_of_text(const std::string& text) { return nlohmann_dump(ordered_json{{"s", text}}, -1) + "\n"; }

std::string reference_tsv_text(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '\t') out += "\\t";
    else if (ch == '\n') out += "\\n";
    else if (ch == '\r') out += "\\r";
    else if (ch == '\\') out += "\\\\";
    else out += ch;
  }
  return out;
}

std::string reference_csv_text(std::string_view text) {
  bool quote = false;
  std::string body;
  for (char ch : text) {
    quote = quote || ch == ',' || ch == '"' || ch == '\r' || ch == '\n';
    body += ch;
    if (ch == '"') body += '"';
  }
  return quote ? "\"" + body + "\"" : std::string(text);
}

// Texts of every length up to 40 with `special` at every position, the rest
// plain: the writers test eight bytes at a time, and a text's last word
// overlaps the one before it.
std::vector<std::string> placed(char special) {
  std::vector<std::string> texts{""};
  for (std::size_t size = 1; size <= 40; ++size) {
    texts.push_back(std::string(size, 'a'));
    for (std::size_t at = 0; at < size; ++at) {
      std::string text(size, 'a');
      text[at] = special;
      texts.push_back(text);
    }
  }
  return texts;
}

} // namespace

TEST_CASE("tsv escapes tab, LF, CR and backslash wherever they stand, and nothing else") {
  for (char special : {'\t', '\n', '\r', '\\', '\x01', '\x1f', '\x7f', '"', ',', '\xc3'})
    for (const auto& text : placed(special)) {
      CAPTURE(text);
      CHECK(escape_tsv(text) == reference_tsv_text(text));
      CHECK(render(one_text(text), "tsv") == reference_tsv_text(text) + "\n");
    }
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
  CHECK(render(one_text(every_byte), "tsv") == reference_tsv_text(every_byte) + "\n");
  CHECK(render(one_text("a\\\\b\t\t"), "tsv") == "a\\\\\\\\b\\t\\t\n");
}

TEST_CASE("csv quotes a cell only for comma, quote, CR or LF, wherever they stand") {
  for (char special : {',', '"', '\r', '\n', '\t', '\\', '\x01', ' ', '\xc3'})
    for (const auto& text : placed(special)) {
      CAPTURE(text);
      CHECK(quote_csv(text) == reference_csv_text(text));
      CHECK(render(one_text(text), "csv") == "s\r\n" + reference_csv_text(text) + "\r\n");
    }
  CHECK(quote_csv("\"\"") == "\"\"\"\"\"\"");
  CHECK(quote_csv("a\tb") == "a\tb");
  CHECK(quote_csv(" lead and trail ") == " lead and trail ");
}

TEST_CASE("csv: a list is one cell, quoted when it has two items or an item needs it") {
  Records r;
  r.fields = {"tags", "n"};
  r.types = {ValueType::list, ValueType::integer};
  r.rows.push_back({Tags{}, std::int64_t{0}});
  r.rows.push_back({Tags{"one"}, std::int64_t{-1}});
  r.rows.push_back({Tags{"a", "b"}, std::int64_t{9223372036854775807}});
  r.rows.push_back({Tags{"say \"x\""}, std::monostate{}});
  r.rows.push_back({Tags{"q\"", ""}, std::int64_t{-9223372036854775807 - 1}});
  CHECK(render(r, "csv") == "tags,n\r\n"
                            ",0\r\n"
                            "one,-1\r\n"
                            "\"a,b\",9223372036854775807\r\n"
                            "\"say \"\"x\"\"\",\r\n"
                            "\"q\"\",\",-9223372036854775808\r\n");
  CHECK(render(r, "tsv") == "\t0\none\t-1\na,b\t9223372036854775807\nsay \"x\"\t\nq\",\t-9223372036854775808\n");
}

TEST_CASE("json escapes every ASCII byte as nlohmann does") {
  for (int b = 0; b < 128; ++b) {
    std::string text{'x', static_cast<char>(b), 'y'};
    CAPTURE(b);
    CHECK(jsonl_of_text(text) == nlohmann_of_text(text));
  }
  // The short escapes, \u00xx in lower case for the other controls, DEL raw.
  CHECK(jsonl_of_text("\b\f\n\r\t\"\\/") == "{\"s\":\"\\b\\f\\n\\r\\t\\\"\\\\/\"}\n");
  CHECK(jsonl_of_text(std::string("\x00\x1f\x1b\x7f", 4)) == "{\"s\":\"\\u0000\\u001f\\u001b\x7f\"}\n");
  for (char special : {'"', '\\', '\x01', '\n', '\x7f', '\x80', '\xc3', '\xff'})
    for (const auto& text : placed(special)) {
      CAPTURE(text);
      CHECK(jsonl_of_text(text) == nlohmann_of_text(text));
    }
}

TEST_CASE("json keeps valid UTF-8 raw and replaces invalid UTF-8 as nlohmann's replace handler does") {
  const std::vector<std::string> cases{
      "Zoë 日本語 José 🎉 é́",      // valid: 2, 3 and 4 bytes, a combining mark
      "\xff",                       // never a lead byte
      "\x80\x80",                   // lone continuation bytes: one U+FFFD each
      "\xc3",                       // cut short at the end
      "ab\xe6\x97",                 // a 3-byte sequence cut short at the end
      "\xf0\x9f\x8e",               // a 4-byte sequence cut short at the end
      "\xc3x",                      // cut short by ASCII, which is kept
      "\xe6\x97x\xe6",              // cut short twice
      "\xc0\x80",                   // overlong NUL
      "\xc1\xbf",                   // overlong
      "\xe0\x80\x80",               // overlong 3-byte
      "\xe0\x9f\xbf",               // overlong 3-byte, its second byte out of range
      "\xed\xa0\x80",               // a surrogate
      "\xed\x9f\xbf",               // the last code point before the surrogates
      "\xf0\x80\x80\x80",           // overlong 4-byte
      "\xf4\x90\x80\x80",           // past U+10FFFF
      "\xf4\x8f\xbf\xbf",           // U+10FFFF
      "\xf5\x80\x80\x80",           // never a lead byte
      "\xe6\x97\xe6\x97\xa5",       // a cut sequence, then a whole one
      "\xf0\x9f\x8e\xc3\xa9",       // a cut 4-byte sequence, then é
      "a\xffz\"\x01\xc3\xa9\\",     // mixed with escapes
      "\xef\xbf\xbd",               // U+FFFD itself
      "\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", // the edges of each length
  };
  for (const auto& text : cases) {
    CAPTURE(text);
    CHECK(jsonl_of_text(text) == nlohmann_of_text(text));
    CHECK(render(one_text(text), "json") == reference_json(one_text(text)));
  }
}

TEST_CASE("json matches nlohmann on every pair of bytes") {
  // Every byte pair between ASCII neighbours: all the ways a sequence can start,
  // go on or be cut short.
  std::string failures;
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b) {
      std::string text{'x', static_cast<char>(a), static_cast<char>(b), 'y'};
      if (jsonl_of_text(text) != nlohmann_of_text(text)) failures += fmt::format("{:02x}{:02x} ", a, b);
    }
  CHECK(failures == "");
}

TEST_CASE("json matches nlohmann on random byte strings") {
  // Drawn mostly from the bytes that start, continue or break UTF-8 sequences.
  const std::string alphabet = std::string("a\"\\\x01\x1f\x7f\x80\x8f\x90\x9f\xa0\xbf\xc0\xc1\xc2\xc3\xdf\xe0\xe6\xed"
                                           "\xef\xf0\xf4\xf5\xff\xa9\x97\xa5 \t\n") +
                               std::string(1, '\0');
  std::uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    for (std::uint32_t size = next() >> 28; size > 0; --size) text += alphabet[(next() >> 16) % alphabet.size()];
    CAPTURE(text);
    REQUIRE(jsonl_of_text(text) == nlohmann_of_text(text));
  }
}

TEST_CASE("json and jsonl print what nlohmann prints for the same records") {
  Records r = sample();
  r.rows.push_back({std::string(""), std::string("Tab\there \"q\" \\ \x7f"), std::int64_t{0}, std::string("x"),
                    Tags{"a\"b", "", "日本"}});
  r.rows.push_back({std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{}});
  r.rows.push_back({std::string("short row")}); // missing values are null
  CHECK(render(r, "json") == reference_json(r));
  CHECK(render(r, "jsonl") == reference_jsonl(r));

  CHECK(render(empty_sample(), "json") == reference_json(empty_sample()));
  CHECK(render(empty_sample(), "json") == "[]\n");

  Records no_fields;
  no_fields.rows = {{}, {}};
  CHECK(render(no_fields, "json") == reference_json(no_fields));
  CHECK(render(no_fields, "jsonl") == reference_jsonl(no_fields));

  // A repeated field name keeps its first place and its last value, as
  // ordered_json's operator[] does; keys are escaped.
  Records odd;
  odd.fields = {"a", "b\"\n", "a"};
  odd.types = {ValueType::text, ValueType::text, ValueType::integer};
  odd.rows.push_back({std::string("first"), std::string("mid"), std::int64_t{7}});
  CHECK(render(odd, "json") == reference_json(odd));
  CHECK(render(odd, "jsonl") == reference_jsonl(odd));
}

TEST_CASE("output larger than the buffer, and a value larger than it") {
  Records r;
  r.fields = {"i", "s", "tags"};
  r.types = {ValueType::integer, ValueType::text, ValueType::list};
  std::string expected_tsv;
  for (int i = 0; i < 5000; ++i) {
    std::string s = "row \"" + std::to_string(i) + "\"\t\\é,\n";
    r.rows.push_back({std::int64_t{i}, s, Tags{"x", std::to_string(i)}});
    expected_tsv += std::to_string(i) + "\t" + reference_tsv_text(s) + "\tx," + std::to_string(i) + "\n";
  }
  r.rows.push_back({std::int64_t{-1}, std::string(300000, '\x01') + "\xff" + std::string(100000, 'z'), Tags{}});
  expected_tsv += "-1\t" + reference_tsv_text(std::get<std::string>(r.rows.back()[1])) + "\t\n";
  CHECK(render(r, "tsv") == expected_tsv);
  CHECK(render(r, "json") == reference_json(r));
  CHECK(render(r, "jsonl") == reference_jsonl(r));
}

namespace {

// The same records made one row at a time from views (make_cells), with
// dates as dates: what `due` and `list` hand the writers.
struct ViewedBook {
  std::vector<std::string> ids{"ana", "bob\tby", "cy"};
  std::vector<std::vector<std::string>> tags{{"work", "friend"}, {}, {"x,y"}};
  std::vector<std::optional<Date>> dates{from_ymd(2024, 5, 1), std::nullopt, from_ymd(1999, 12, 31)};

  Records records() const {
    Records r;
    r.fields = {"id", "date", "n", "tags", "none"};
    r.types = {ValueType::text, ValueType::text, ValueType::integer, ValueType::list, ValueType::text};
    r.count = ids.size();
    r.make_cells = [this](std::size_t i, std::vector<Cell>& row) {
      row.resize(5);
      row[0] = text_cell(ids[i]);
      row[1] = optional_date_cell(dates[i]);
      row[2] = integer_cell(static_cast<std::int64_t>(i) - 1);
      row[3] = list_cell(tags[i]);
      row[4] = Cell{};
    };
    return r;
  }

  // The same as plain values.
  Records values() const {
    Records r = records();
    r.make_cells = nullptr;
    r.count = 0;
    for (std::size_t i = 0; i < ids.size(); ++i)
      r.rows.push_back({ids[i], dates[i] ? Value(to_iso(*dates[i])) : Value(), static_cast<std::int64_t>(i) - 1,
                        tags[i], Value()});
    return r;
  }
};

} // namespace

TEST_CASE("rows made as views print as the same rows made as values") {
  ViewedBook book;
  for (const char* format : {"tsv", "csv", "json", "jsonl", "{id}|{date}|{n:>3}|{tags}|{none}", "{date:>12}{n:+d}"}) {
    CAPTURE(format);
    CHECK(render(book.records(), format) == render(book.values(), format));
  }
  CHECK(render(book.records(), "json") == reference_json(book.values()));
  CHECK(render(book.records(), "tsv") == "ana\t2024-05-01\t-1\twork,friend\t\n"
                                         "bob\\tby\t\t0\t\t\n"
                                         "cy\t1999-12-31\t1\tx,y\t\n");

  // each() still hands out values.
  std::vector<std::vector<Value>> seen;
  book.records().each([&](const std::vector<Value>& row) { seen.push_back(row); });
  CHECK(seen == book.values().rows);
}

TEST_CASE("dates print as to_iso prints them, however many and however far") {
  std::vector<Date> dates;
  for (int d = -800000; d <= 3000000; d += 997) dates.push_back(Date{d}); // years -220 to 10183
  for (int d = 0; d < 3000; ++d) dates.push_back(Date{(d % 2 ? 20000 : 20000 + 1024) + d % 7});
  Records r;
  r.fields = {"d"};
  r.types = {ValueType::text};
  r.count = dates.size();
  r.make_cells = [&](std::size_t i, std::vector<Cell>& row) {
    row.resize(1);
    row[0] = date_cell(dates[i]);
  };
  std::string expected;
  for (Date d : dates) expected += to_iso(d) + "\n";
  CHECK(render(r, "tsv") == expected);
  CHECK(render(r, "{d}") == expected);
}

namespace {

// A template through fmt itself, every field a named argument: integers as
// integers, null and text as text, lists comma-joined.
// A template keeps a record on one line (SPEC §4): newlines, tabs and
// carriage returns inside values are written \n, \t and \r.
std::string template_text(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '\n') out += "\\n";
    else if (ch == '\t') out += "\\t";
    else if (ch == '\r') out += "\\r";
    else out += ch;
  }
  return out;
}

std::string fmt_reference(const std::string& templ, const Records& r) {
  std::string out;
  for (const auto& row : r.rows) {
    fmt::dynamic_format_arg_store<fmt::format_context> args;
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      const Value& v = row[i];
      if (const auto* n = std::get_if<std::int64_t>(&v)) args.push_back(fmt::arg(r.fields[i].c_str(), *n));
      else if (const auto* s = std::get_if<std::string>(&v)) args.push_back(fmt::arg(r.fields[i].c_str(), template_text(*s)));
      else if (const auto* l = std::get_if<Tags>(&v)) args.push_back(fmt::arg(r.fields[i].c_str(), template_text(join(*l, ","))));
      else args.push_back(fmt::arg(r.fields[i].c_str(), std::string()));
    }
    out += fmt::vformat(templ, args) + "\n";
  }
  return out;
}

std::string fmt_message(const std::string& templ, const Records& r) {
  try {
    (void)fmt_reference(templ, r);
  } catch (const fmt::format_error& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

TEST_CASE("templates print what fmt prints") {
  Records r = sample();
  r.rows.push_back({std::string("cé"), std::string("日本 x"), std::int64_t{123456}, std::string(""), Tags{"a"}});
  for (const char* t : {"{id}", "{name}\t{overdue}", "{overdue:>4}|{overdue:<5d}|{overdue:+}|{overdue:x}|{overdue:05}",
                        "{name:^12}|{name:.2}|{name:*>10}|{tags:>12}|{last:>12}|", "{{{id}}}{{}}", "x{id}y{id}z",
                        "{overdue:>{overdue}}", "{name:>{overdue}}", "no fields {{}}", "{last_kind}"}) {
    CAPTURE(t);
    Records records = r;
    if (std::string_view(t) == "{last_kind}") records.fields[3] = "last_kind";
    if (std::string_view(t) == "{overdue:>{overdue}}" || std::string_view(t) == "{name:>{overdue}}")
      records.rows.pop_back(); // a width of 123456
    if (std::string_view(t) == "{overdue:>{overdue}}" || std::string_view(t) == "{name:>{overdue}}")
      records.rows[1][2] = std::int64_t{3}; // no negative width
    CHECK(render(records, t) == fmt_reference(t, records));
  }
}

TEST_CASE("a template failing on a record says so in fmt's words, and writes nothing") {
  Records r = sample();
  r.rows[1][2] = std::monostate{}; // null: empty text under :d
  for (const char* t : {"{overdue:d}", "{id} {overdue:>4d}", "{overdue:>{overdue}}"}) {
    CAPTURE(t);
    Records second = r;
    second.rows.erase(second.rows.begin()); // fmt on the failing row alone
    std::ostringstream out;
    auto message = usage_error([&] { write_records(out, r, parse_format(t)); });
    CHECK(message == "bad template for record 2: " + fmt_message(t, second) +
                         " | absent values are empty text, so a spec such as :d cannot format them");
    CHECK(out.str() == "");
  }
  // Without check_template first: fmt's own complaint about the syntax.
  std::ostringstream out;
  auto message = usage_error([&] { write_records(out, sample(), parse_format("{id}}")); });
  CHECK(message.find("bad template for record 1: " + fmt_message("{id}}", sample())) == 0);
  CHECK(usage_error([&] { write_records(out, sample(), parse_format("{name:d}")); })
            .find("bad template for record 1: " + fmt_message("{name:d}", sample())) == 0);
  CHECK(out.str() == "");
}

TEST_CASE("write_table measures wide and combining characters, and any number of rows") {
  TextTable t;
  t.headers = {"A", "B"};
  t.right_align = {true};
  t.rows = {{"日本", "x"}, {"e\xcc\x81", "y"}, {"\x01", "z"}};
  CHECK(table_text(t, false) == "   A  B\n"
                                "日本  x\n"
                                "   e\xcc\x81  y\n"
                                "  ^A  z\n"); // shown visibly, two columns wide
  TextTable big;
  big.headers = {"N", "V"};
  std::string expected = "N      V\n";
  for (int i = 0; i < 20000; ++i) {
    big.rows.push_back({std::to_string(i), "v"});
    expected += std::to_string(i) + std::string(7 - std::to_string(i).size(), ' ') + "v\n";
  }
  CHECK(table_text(big, false) == expected);
}

namespace {

std::string flat_of(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* l = std::get_if<Tags>(&v)) return join(*l, ",");
  return "";
}

std::string reference_tsv(const Records& r) {
  std::string out;
  for (const auto& row : r.rows) {
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      if (i > 0) out += '\t';
      out += reference_tsv_text(i < row.size() ? flat_of(row[i]) : "");
    }
    out += "\n";
  }
  return out;
}

std::string reference_csv(const Records& r) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ',';
      out += reference_csv_text(cells[i]);
    }
    out += "\r\n";
  };
  line(r.fields);
  for (const auto& row : r.rows) {
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < r.fields.size(); ++i) cells.push_back(i < row.size() ? flat_of(row[i]) : "");
    line(cells);
  }
  return out;
}

} // namespace

TEST_CASE("long values, lists and escapes anywhere in a row, in every format") {
  // Texts past the writers' short-text room (64 bytes), escapes near their
  // ends, lists of many long items, between short cells and integers.
  Records r;
  r.fields = {"a", "b", "c", "d", "e"};
  r.types = {ValueType::text, ValueType::text, ValueType::list, ValueType::integer, ValueType::text};
  for (std::size_t size : {0, 1, 7, 8, 9, 63, 64, 65, 66, 127, 128, 129, 1000, 70000}) {
    std::string plain(size, 'x');
    std::string escaped = plain + "\t\"\\,\n\r\x01\x7f\xc3\xa9\xff";
    Tags tags(size % 7 + 1, escaped);
    r.rows.push_back({escaped, std::string("s"), tags, std::int64_t{-123456789}, plain});
    r.rows.push_back({plain, escaped, Tags{plain, "", escaped}, std::monostate{}, escaped});
  }
  CHECK(render(r, "tsv") == reference_tsv(r));
  CHECK(render(r, "csv") == reference_csv(r));
  CHECK(render(r, "json") == reference_json(r));
  CHECK(render(r, "jsonl") == reference_jsonl(r));
  CHECK(render(r, "{a}|{b}|{c}|{d}|{e}") == fmt_reference("{a}|{b}|{c}|{d}|{e}", r));
  CHECK(render(r, "{a:>70}|{c:<3}|{d:>12}") == fmt_reference("{a:>70}|{c:<3}|{d:>12}", r));
}

// Issue 16: on a terminal of max_width columns the shrinkable columns give
// way, widest first, cut with "…"; never below the header or 8 columns;
// the rest keep their width. Without a limit nothing changes.
TEST_CASE("write_table fits a terminal's width by cutting the shrinkable columns") {
  TextTable t;
  t.headers = {"ID", "NAME", "DUE", "NOTE"};
  t.rows = {{"ana", "Ana María López de la Vega", "2026-01-09", "asked about the kitchen project"},
            {"bo", "Bo", "2026-02-01", "short"}};
  t.shrink = {false, true, false, true};
  const std::string wide = table_text(t, false);
  CHECK(wide == "ID   NAME                        DUE         NOTE\n"
                "ana  Ana María López de la Vega  2026-01-09  asked about the kitchen project\n"
                "bo   Bo                          2026-02-01  short\n");
  t.max_width = 200;
  CHECK(table_text(t, false) == wide); // it fits already
  t.max_width = 50;
  const std::string cut = table_text(t, false);
  // 76 columns to 50: NOTE down to NAME's 26, then the two in turn (15, 16).
  CHECK(cut == "ID   NAME             DUE         NOTE\n"
               "ana  Ana María Lópe…  2026-01-09  asked about the…\n"
               "bo   Bo               2026-02-01  short\n");
  for (std::size_t start = 0, nl; (nl = cut.find('\n', start)) != std::string::npos; start = nl + 1)
    CHECK(display_width(cut.substr(start, nl - start)) <= 50);
  // Past the floors (8 columns, or the header) the line stays long.
  t.max_width = 10;
  const std::string floor = table_text(t, false);
  CHECK(floor.find("ana  Ana Mar…  2026-01-09  asked a…\n") != std::string::npos);
  // A cell table the same way.
  CellTable cells;
  cells.headers = t.headers;
  cells.count = t.rows.size();
  cells.shrink = t.shrink;
  cells.max_width = 50;
  cells.make_cells = [&](std::size_t i, std::vector<Cell>& row) {
    row.clear();
    for (const std::string& s : t.rows[i]) row.push_back(text_cell(s));
  };
  std::ostringstream out;
  write_table(out, cells, false);
  CHECK(out.str() == cut);
}

namespace {

// The book's escaping, byte by byte (json_write.cpp's write_string).
std::string book_string(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"') out += "\\\"";
    else if (ch == '\\') out += "\\\\";
    else if (ch == '\b') out += "\\b";
    else if (ch == '\f') out += "\\f";
    else if (ch == '\n') out += "\\n";
    else if (ch == '\r') out += "\\r";
    else if (ch == '\t') out += "\\t";
    else if (u < 0x20) out += fmt::format("\\u{:04x}", u);
    else out += ch;
  }
  return out + "\"";
}

std::string appended(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

} // namespace

TEST_CASE("append_json_string escapes as the book is written, and keeps every other byte") {
  CHECK(appended("") == "\"\"");
  CHECK(appended("Zoë \"x\" \\ /") == "\"Zoë \\\"x\\\" \\\\ /\"");
  CHECK(appended(std::string("\b\f\n\r\t\x00\x1f\x7f", 8)) == "\"\\b\\f\\n\\r\\t\\u0000\\u001f\x7f\"");
  CHECK(appended("a\xff\xc3z") == "\"a\xff\xc3z\""); // not UTF-8: kept, no U+FFFD
  std::string out = "[";
  append_json_string(out, "a\"b");
  append_json_string(out, std::string(100, 'x') + "\n");
  CHECK(out == "[\"a\\\"b\"\"" + std::string(100, 'x') + "\\n\"");
  std::string failures;
  for (int b = 0; b < 256; ++b)
    for (const auto& text : placed(static_cast<char>(b)))
      if (appended(text) != book_string(text)) failures += fmt::format("{:02x} ", b);
  CHECK(failures == "");
  // Valid UTF-8 comes out as nlohmann writes it.
  const std::string valid = "Zoë 日本語 🎉 \x01\"\\ é́";
  CHECK(appended(valid) == nlohmann::json(valid).dump());
}

TEST_CASE("template_placeholders: each `{` but `{{`, the name up to : } ! { or the end") {
  auto names = [](std::string_view templ) {
    std::vector<std::string> out;
    for (const Placeholder& p : template_placeholders(templ)) {
      CHECK(templ.substr(p.at, p.name.size()) == p.name);
      out.push_back(std::string(p.name) + (p.stop == '\0' ? std::string("$") : std::string(1, p.stop)));
    }
    return out;
  };
  using Names = std::vector<std::string>;
  CHECK(names("") == Names{});
  CHECK(names("plain {{not}} text") == Names{});
  CHECK(names("{name}\t{due:>10}") == Names{"name}", "due:"});
  CHECK(names("{fields.phone!r} {{{id}}}") == Names{"fields.phone!", "id}"});
  CHECK(names("{} {0}") == Names{"}", "0}"});
  CHECK(names("{name:{width}}") == Names{"name:", "width}"}); // a nested one too
  CHECK(names("{a{b}") == Names{"a{", "b}"});                  // a `{` ending a name starts the next
  CHECK(names("{a{{b}") == Names{"a{"});                       // ... unless it is `{{`
  CHECK(names("x {fields.email") == Names{"fields.email$"});   // unterminated: to the end
  const auto placeholders = template_placeholders("ab{id}");
  REQUIRE(placeholders.size() == 1);
  CHECK(placeholders[0].at == 3);
}
