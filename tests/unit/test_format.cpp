#include "followup/error.hpp"
#include "followup/format.hpp"

#include <doctest/doctest.h>

#include <sstream>

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
  CHECK(usage_error([] { parse_format("JSON"); }).find("unknown format \"JSON\"") == 0);
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
