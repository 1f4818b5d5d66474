#include <doctest/doctest.h>

#include <filesystem>

#include "run.hpp"

using namespace e2e;

namespace {

constexpr const char* kClean = R"x({
  "followup": 1,
  "rules": [
    {"name": "clients", "match": "tag:client", "every": "3m", "counts": ["call", "visit"]}
  ],
  "contacts": [
    {"id": "ana", "name": "Ana", "tags": ["client"], "interactions": [
      {"date": "2026-01-01", "kind": "call"},
      {"date": "2026-02-01", "kind": "visit"}
    ]},
    {"id": "bob", "name": "Bob", "interactions": [{"date": "2026-03-01", "kind": "email"}]}
  ]
}
)x";

constexpr const char* kBroken = R"x({
  "followup": 1,
  "rules": [
    {"name": "all", "match": "*", "every": "2w"},
    {"name": "clients", "match": "tag:client", "every": "3m"},
    {"name": "bad", "match": "tag:", "every": "1w"}
  ],
  "contacts": [
    {"id": "ana", "name": "Ana", "every": "2x"},
    {"id": "bob", "name": "Bob", "every": "never"},
    {"name": "No Id"},
    {"id": "ana", "name": "Ana again", "interactions": [{"date": "2026-02-30"}]}
  ]
}
)x";

} // namespace

TEST_CASE("check: a clean book is ok, with what it holds") {
  Book b;
  b.write(kClean);
  auto r = b({"check"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "ok: 2 contacts, 1 rule, 3 check-ins\n");
  CHECK(b.text() == kClean);
  CHECK_FALSE(std::filesystem::exists(b.dir / "contacts.json.bak"));
}

TEST_CASE("check: every error at once, with lines, then warnings and a count; exit 65") {
  Book b;
  b.write(kBroken);
  auto r = b({"check"});
  const std::string f = b.file.string();
  CHECK(r.code == 65);
  CHECK(r.err == "");
  auto out = lines(r.out);
  REQUIRE(out.size() == 8);
  // The column and wording of the expression error belong to the parser; the rest is check's.
  CHECK(out[0].rfind(f + ":6: error: bad match expression at column ", 0) == 0);
  CHECK(out[0].ends_with(" (rule bad, key match)"));
  CHECK(std::vector<std::string>(out.begin() + 1, out.end()) ==
        std::vector<std::string>{
            f + R"x(:9: error: "2x" is not a duration (3d, 2w, 6m, 1y, never) (contact ana, key every))x",
            f + R"x(:11: error: missing key "id" (contacts[2]))x",
            f + R"x(:12: error: the id "ana" is used twice (contact ana, key id))x",
            f + R"x(:12: error: "2026-02-30" is not a date (YYYY-MM-DD) (contact ana, interactions[0], key date))x",
            f + ":5: warning: shadowed by rule all: it never applies (rule clients, key match)",
            f + ":10: warning: never due: every is never (contact bob, key every)",
            "5 errors, 2 warnings",
        });
  CHECK(b.text() == kBroken);
}

TEST_CASE("check: warnings alone exit 0") {
  Book b;
  const std::string text = "{\"followup\": 1, \"contacts\": [\n  {\"id\": \"eva\", \"name\": \"Eva\", \"every\": \"never\"}\n]}\n";
  b.write(text);
  auto r = b({"check"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == b.file.string() + ":2: warning: never due: every is never (contact eva, key every)\n0 errors, 1 warning\n");
  CHECK(b.text() == text);
}

TEST_CASE("check: a syntax error is one problem") {
  Book b;
  b.write("{\n  \"followup\": 1,\n  \"contacts\": [,]\n}\n");
  auto r = b({"check"});
  CHECK(r.code == 65);
  CHECK(r.err == "");
  CHECK(r.out == b.file.string() +
                     ":3: error: malformed JSON: unexpected ','; expected '[', '{', or a literal (column 16)\n"
                     "1 error, 0 warnings\n");
}

TEST_CASE("check: a missing book is an empty one, and is not created") {
  Book b;
  auto r = b({"check"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "ok: 0 contacts, 0 rules, 0 check-ins\n");
  CHECK_FALSE(b.exists());
}

TEST_CASE("check: a book that cannot be read exits 74") {
  Book b;
  std::filesystem::create_directory(b.file);
  auto r = b({"check"});
  CHECK(r.code == 74);
  CHECK(r.out == "");
  CHECK(r.err == "followup: cannot read the book: not a regular file (" + b.file.string() + ")\n");
}

TEST_CASE("check: --help says what it prints and the exit status") {
  auto r = run({"check", "--help"});
  CHECK(r.code == 0);
  CHECK(r.out.find("FILE:LINE: error|warning: MESSAGE (WHERE)") != std::string::npos);
  CHECK(r.out.find("65 when there is one") != std::string::npos);
}

TEST_CASE("check: a number too large for a double is an error line, exit 65, as for the other commands") {
  // nlohmann's out_of_range escaped check: the process ended (exit 134).
  Book b;
  b.write("{\n  \"followup\": 1,\n  \"size\": 1e400,\n  \"contacts\": []\n}\n");
  auto r = b({"check"});
  CHECK(r.code == 65);
  CHECK(r.err == "");
  CHECK(r.out == b.file.string() + ":3: error: a number too large to read: 1e400 (column 11)\n1 error, 0 warnings\n");
  auto due = b({"due"});
  CHECK(due.code == 65);
  CHECK(due.err.find(b.file.string() + ":3:11") != std::string::npos);
}

TEST_CASE("check: a book in UTF-16 is named as such") {
  Book b;
  std::string utf16 = "\xFF\xFE";
  for (char ch : std::string("{\"followup\": 1}\n")) utf16 += std::string{ch, '\0'};
  b.write(utf16);
  auto r = b({"check"});
  CHECK(r.code == 65);
  CHECK(r.out == b.file.string() + ":1: error: the book is UTF-16 (little-endian); save it as UTF-8\n1 error, 0 warnings\n");
  auto due = b({"due"});
  CHECK(due.code == 65);
  CHECK(due.err == "followup: the book is UTF-16 (little-endian) (" + b.file.string() + ":1:1)\nhint: save it as UTF-8\n");
  CHECK(b.text() == utf16);
}

TEST_CASE("check: values quoted from the book are shown escaped, one line of valid UTF-8") {
  Book b;
  // A control character in a duration and one in an id: JSON escapes, so
  // the text is valid, but the values hold them.
  b.write("{\"followup\": 1, \"contacts\": [{\"id\": \"a\\u001b[2Jb\", \"name\": \"A\", \"every\": \"2\\nx\"}]}\n");
  auto r = b({"check"});
  CHECK(r.code == 65);
  CHECK(printable_utf8(r.out));
  CHECK(r.out.find("\"a\\x1b[2Jb\" is not a valid id") != std::string::npos);
  CHECK(r.out.find("\"2\\nx\" is not a duration") != std::string::npos);
}
