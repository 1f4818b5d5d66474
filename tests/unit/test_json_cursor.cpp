// json::Cursor, the strict JSON reader under the book loader: what it
// accepts (exactly RFC 8259 in UTF-8), where it says a text goes wrong, how
// it unescapes strings, and its 8-bytes-at-a-time scans at every alignment.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "followup/book/json_cursor.hpp"

using followup::json::Cursor;
using followup::json::SyntaxError;
using followup::json::Type;

namespace {

// Skips one value and what follows it must be blanks only.
bool accepts(const std::string& text) {
  Cursor c(text);
  try {
    c.skip(256);
    return c.at_end();
  } catch (const SyntaxError&) {
    return false;
  }
}

// The offset of the SyntaxError skipping `text` raises (-1: none).
long error_at(const std::string& text, std::size_t depth = 256) {
  Cursor c(text);
  try {
    c.skip(depth);
  } catch (const SyntaxError& e) {
    return static_cast<long>(e.offset);
  }
  return -1;
}

// The string value that `text` holds, read with string().
std::string read_string(const std::string& text) {
  Cursor c(text);
  REQUIRE(c.type() == Type::string);
  std::string scratch;
  return std::string(c.string(scratch));
}

} // namespace

TEST_CASE("json cursor: valid JSON of every kind is accepted") {
  const char* valid[] = {
      "{}", "[]", "  {\n\t\"a\" : 1 ,\r\n \"b\":[true,false,null]}  ", "0", "-0", "12", "-12.5e+3", "1E-2", "0.0",
      "\"\"", "\"plain\"", R"("esc \" \\ \/ \b \f \n \r \t")", R"("\u00e9\uD83D\uDE00\u0000")",
      "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"", R"({"a": {"b": [{"c": []}, {}]}})", "[1, [2, [3]], {\"x\": \"y\"}]",
  };
  for (const char* text : valid) {
    INFO(text);
    CHECK(accepts(text));
    CHECK(nlohmann::json::accept(text)); // the same verdict as a reference parser
  }
}

TEST_CASE("json cursor: a syntax error is raised at the byte where it is") {
  struct Case {
    std::string text;
    long at;
  };
  const Case cases[] = {
      {"", 0},
      {"   ", 3},
      {"{", 1},
      {"[1,]", 3},
      {"{\"a\":1,}", 7},
      {"{\"a\" 1}", 5},
      {"{a:1}", 1},
      {"'x'", 0},
      {"tru", 0},
      {"nul", 0},
      {"-", 1},
      {"1.", 2},
      {"1e", 2},
      {"1e+", 3},
      {"+1", 0},
      {".5", 0},
      {"NaN", 0},
      {"[1 2]", 3},
      {"\"abc", 4},
      {"\"a\\x\"", 2},
      {"\"\\u12\"", 3},
      {"\"\\uD800\"", 1},
      {"\"\\uDC00\"", 1},
      {"\"\\uD800\\u0041\"", 1},
      {"\"a\x01z\"", 2},
      {"\"a\nz\"", 2},
      {"\"\xC0\x80\"", 1},         // overlong
      {"\"\xED\xA0\x80\"", 1},     // a surrogate in UTF-8
      {"\"\xF4\x90\x80\x80\"", 1}, // past U+10FFFF
      {"\"ab\xE2\x82\"", 3},       // cut short
      {"\"\x80\"", 1},             // a lone continuation byte
      {"\xC3\xA9", 0},             // UTF-8 outside a string
      {std::string("[1,\0]", 5), 3},
  };
  for (const auto& c : cases) {
    INFO(nlohmann::json(c.text).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace));
    CHECK(error_at(c.text) == c.at);
    CHECK_FALSE(nlohmann::json::accept(c.text));
  }
}

TEST_CASE("json cursor: what follows a complete value is left for the caller") {
  Cursor c(std::string_view("01"));
  c.skip(256);
  CHECK(c.offset() == 1);
  CHECK_FALSE(c.at_end());
  CHECK_FALSE(accepts("{} {}"));
  CHECK_FALSE(accepts("falsey"));
  CHECK(accepts("false \n"));
}

TEST_CASE("json cursor: strings are unescaped, and viewed in place when they have no escape") {
  CHECK(read_string(R"("a\n\t\"\\\/\b\f\r")") == "a\n\t\"\\/\b\f\r");
  CHECK(read_string(R"("\u00e9")") == "\xC3\xA9");
  CHECK(read_string(R"("\u20AC")") == "\xE2\x82\xAC");
  CHECK(read_string(R"("\uD83D\uDE00")") == "\xF0\x9F\x98\x80");
  CHECK(read_string(R"("x\u0000y")") == std::string("x\0y", 3));
  CHECK(read_string("\"caf\xC3\xA9\"") == "caf\xC3\xA9");

  const std::string text = R"(["plain", "with \n escape"])";
  Cursor c(text);
  std::string scratch;
  REQUIRE(c.type() == Type::array);
  REQUIRE(c.begin_array());
  std::string_view plain = c.string(scratch);
  CHECK(plain == "plain");
  CHECK(plain.data() == text.data() + 2); // no copy
  REQUIRE(c.next_element());
  REQUIRE(c.type() == Type::string);
  CHECK(c.string(scratch) == "with \n escape");
  CHECK_FALSE(c.next_element());
  CHECK(c.at_end());
}

TEST_CASE("json cursor: objects give their keys, unescaped, and their values") {
  const std::string text = R"({"a": 1, "b\u0041": [true], "c": null})";
  Cursor c(text);
  std::string scratch;
  std::vector<std::string> keys;
  REQUIRE(c.type() == Type::object);
  for (bool more = c.begin_object(); more; more = c.next_member()) {
    keys.emplace_back(c.key(scratch));
    c.skip(256);
  }
  CHECK(keys == std::vector<std::string>{"a", "bA", "c"});
  CHECK(c.at_end());

  Cursor n(std::string_view("-12.5e3 true false null"));
  REQUIRE(n.type() == Type::number);
  CHECK(n.number() == "-12.5e3");
  REQUIRE(n.type() == Type::boolean);
  CHECK(n.boolean());
  REQUIRE(n.type() == Type::boolean);
  CHECK_FALSE(n.boolean());
  REQUIRE(n.type() == Type::null);
  n.null();
  CHECK(n.at_end());
}

TEST_CASE("json cursor: nesting deeper than the limit is its own error, at the bracket") {
  CHECK(error_at("[[[1]]]", 3) == -1);
  CHECK(error_at("[[[[1]]]]", 3) == 3);
  CHECK(error_at(R"({"a": {"b": {"c": {}}}})", 3) == 18);
  Cursor c(std::string_view("[[[[]]]]"));
  try {
    c.skip(2);
    FAIL("not refused");
  } catch (const SyntaxError& e) {
    CHECK(e.deep);
    CHECK(e.offset == 2);
  }
  // Hostile nesting is refused without a deep recursion.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK(error_at(deep) == 256);
}

TEST_CASE("json cursor: the 8-byte scans find a special byte at every position and never read past the end") {
  // Strings of every length up to 40 with a special byte at every position,
  // each followed by nothing but the closing quote: the scans look at 8
  // bytes at a time, so each case sits differently across their blocks.
  for (std::size_t before = 0; before < 40; ++before) {
    for (std::size_t after = 0; after < 12; ++after) {
      const std::string a(before, 'a'), b(after, 'b');
      CAPTURE(before);
      CAPTURE(after);
      CHECK(read_string("\"" + a + b + "\"") == a + b);
      CHECK(read_string("\"" + a + "\\n" + b + "\"") == a + "\n" + b);
      CHECK(read_string("\"" + a + "\xC3\xA9" + b + "\"") == a + "\xC3\xA9" + b);
      CHECK(error_at("\"" + a + "\x1F" + b + "\"") == static_cast<long>(1 + before));
      CHECK(error_at("\"" + a + "\xFF" + b + "\"") == static_cast<long>(1 + before));
      CHECK(error_at("\"" + a + b) == static_cast<long>(1 + before + after)); // unterminated
      // Blanks: runs of spaces of every length before a value.
      CHECK(accepts(std::string(before, ' ') + "[" + std::string(after, ' ') + "1" + std::string(before, ' ') + "]"));
    }
  }
}

TEST_CASE("json cursor: the same verdict as nlohmann on mutated documents") {
  // Random byte changes, insertions and deletions in small documents: the
  // cursor accepts exactly what nlohmann accepts (the fuzz target checks the
  // same at length; this keeps it in every test run).
  const std::vector<std::string> seeds = {
      R"({"followup": 1, "contacts": [{"id": "ana", "name": "Ana", "tags": ["a"], "x": [1.5e3, -0, null]}]})",
      R"(["\u00e9\uD83D\uDE00", "caf)" "\xC3\xA9" R"(", {"k": true, "l": false}, 0.25])",
      R"({"a": {"b": {"c": [[], {}, "\\\"\/"]}}})",
  };
  const std::string alphabet = "{}[],:\"\\ -+.eE0123456789tfnulrsaxu\n\t\x01\x7F\xC3\xA9\xED\xA0\x80\xF4\x90";
  std::mt19937 rng(20261123);
  int agreed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text = seeds[static_cast<std::size_t>(round) % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = rng() % text.size();
      const char ch = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
      case 0: text[at] = ch; break;
      case 1: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), ch); break;
      default: text.erase(at, 1);
      }
    }
    const bool reference = text.find('\0') == std::string::npos && nlohmann::json::accept(text);
    if (accepts(text) != reference) {
      INFO(nlohmann::json(text).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace));
      CHECK(accepts(text) == reference);
      break;
    }
    ++agreed;
  }
  CHECK(agreed == 20000);
}
