// Bad command-line input (SPEC §4, §5): every option with invalid values gives
// the right exit code, one `followup: ...` line on stderr (plus an optional
// hint), nothing on stdout, and leaves the book as it was. Hostile but valid
// text (control characters, 10k-character notes, quotes, backslashes) round
// trips through every output format of `history`.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "run.hpp"

using namespace e2e;

namespace {

// A small book: Ana with check-ins, Bo without, and a rule.
void seed(const Book& b) {
  b.write(R"({
  "followup": 1,
  "rules": [
    {"name": "family", "match": "tag:family", "every": "2w"}
  ],
  "contacts": [
    {
      "id": "ana-lopez",
      "name": "Ana López",
      "tags": ["friend"],
      "added": "2026-01-10",
      "interactions": [
        {"date": "2026-10-01", "kind": "call", "note": "first"},
        {"date": "2026-11-01", "kind": "visit", "note": "second"}
      ]
    },
    {"id": "bo", "name": "Bo Berg", "tags": ["family"], "added": "2026-02-01"}
  ]
}
)");
}

// The error shape of SPEC §5: one line `followup: <what> (<where>)` or, for
// errors that have no place (CLI11's), `followup: <what>`; then at most a hint.
void check_error_shape(const Result& r) {
  auto ls = lines(r.err);
  REQUIRE(!ls.empty());
  CHECK(ls.size() <= 2);
  CHECK(ls[0].rfind("followup: ", 0) == 0);
  if (ls.size() == 2) CHECK(ls[1].rfind("hint: ", 0) == 0);
  CHECK(r.err.back() == '\n');
  CHECK(printable_utf8(r.err));
}

struct BadCase {
  std::vector<std::string> args;
  int code;
  std::string fragment; // expected in the first stderr line
};

void expect_refused(const Book& b, const BadCase& c, const Env& env = {}) {
  std::string before = b.text();
  Result r = b(c.args, env);
  std::string shown;
  for (const auto& a : c.args) shown += "[" + a + "] ";
  INFO("followup ", shown, "\nstderr: ", r.err);
  CHECK(r.code == c.code);
  CHECK(r.out == "");
  check_error_shape(r);
  CHECK(lines(r.err).at(0).find(c.fragment) != std::string::npos);
  CHECK(b.text() == before);
  CHECK(!std::filesystem::exists(b.dir / "contacts.json.bak"));
}

// Parses RFC 4180 CSV (quoted fields may hold commas, quotes, CR and LF).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, cell_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch == '"' && !cell_started) {
      quoted = cell_started = true;
    } else if (ch == ',') {
      row.push_back(cell);
      cell.clear();
      cell_started = false;
    } else if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(cell);
      rows.push_back(row);
      row.clear();
      cell.clear();
      cell_started = false;
      ++i;
    } else {
      cell += ch;
      cell_started = true;
    }
  }
  if (cell_started || !row.empty()) {
    row.push_back(cell);
    rows.push_back(row);
  }
  return rows;
}

// Undoes the tsv escapes of SPEC §4 (`\t`, `\n`, `\r`, `\\`).
std::string unescape_tsv(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos - start));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return out;
}

} // namespace

TEST_CASE("cli: unknown commands, options and missing arguments are usage errors") {
  Book b;
  seed(b);
  for (const BadCase& c : std::vector<BadCase>{
           {{}, 64, ""},
           {{"frobnicate"}, 64, ""},
           {{""}, 64, ""},
           {{"due", "--frobnicate"}, 64, "frobnicate"},
           {{"due", "-z"}, 64, ""},
           {{"log"}, 64, "CONTACT"},
           {{"log", "ana", "--kind"}, 64, "kind"},
           {{"add"}, 64, "NAME"},
           {{"history"}, 64, "CONTACT"},
           {{"snooze", "ana"}, 64, "--until"},
           {{"snooze", "ana", "--until", "2026-12-01", "--for", "2w"}, 64, ""},
           {{"rm", "ana"}, 64, "--yes"},
           {{"--color", "sometimes", "due"}, 64, "sometimes"},
           {{"list", "--status", "late"}, 64, "late"},
           {{"list", "--sort", "age"}, 64, "age"},
           {{"completion", "powershell"}, 64, ""},
           {{"export", "--to", "xml"}, 64, ""},
       })
    expect_refused(b, c);
}

TEST_CASE("cli: the command is found wherever the global options stand") {
  // main.cpp declares only the command argv names (start-up time): the word
  // it picks must be the one CLI11 runs, whatever options come first.
  Book b;
  seed(b);
  const std::string f = b.file.string();
  const std::string expected = run({"--file", f, "list", "-o", "{id}"}).out;
  REQUIRE(expected == "ana-lopez\nbo\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"-f", f, "list", "-o", "{id}"},
           {"--file=" + f, "list", "-o", "{id}"},
           {"-f" + f, "list", "-o", "{id}"},
           {"--today", "2026-11-23", "--color", "never", "--file", f, "list", "-o", "{id}"},
           {"list", "-o", "{id}", "--file", f},
           {"list", "--file", f, "-o", "{id}", "--today", "2026-11-23"},
       }) {
    std::string shown;
    for (const auto& a : args) shown += "[" + a + "] ";
    INFO("followup ", shown);
    const Result r = run(args);
    CHECK(r.code == 0);
    CHECK(r.out == expected);
    CHECK(r.err.empty());
  }
  // A command's name as an option's value is that value.
  CHECK(b({"log", "bo", "--note", "due", "--date", "2026-11-20"}).code == 0);
  CHECK(b({"history", "bo", "-o", "{note}"}).out == "due\n");
  CHECK(run({"--today", "due"}).code == 64); // --today took "due": no command is left
  // unsnooze shares its file with snooze; the help lists every command.
  CHECK(b({"snooze", "bo", "--for", "2w"}).code == 0);
  CHECK(b({"unsnooze", "bo"}).code == 0);
  const Result help = run({"--help"});
  CHECK(help.code == 0);
  for (const char* command : {"add", "log", "due", "history", "snooze", "unsnooze", "list", "show", "edit", "rm", "tag",
                              "rules", "check", "undo", "import", "export", "completion"})
    CHECK_MESSAGE(help.out.find(std::string("\n  ") + command + " ") != std::string::npos, command);
  const Result due_help = run({"due", "--help"});
  CHECK(due_help.code == 0);
  CHECK(due_help.out.find("--within") != std::string::npos);
}

TEST_CASE("cli: bad dates are usage errors (exit 64), future check-ins too") {
  Book b;
  seed(b);
  for (const BadCase& c : std::vector<BadCase>{
           {{"log", "ana", "--date", "2026-02-30"}, 64, "--date"},
           {{"log", "ana", "--date", "2026-13-01"}, 64, "--date"},
           {{"log", "ana", "--date", "26-11-01"}, 64, "--date"},
           {{"log", "ana", "--date", ""}, 64, "--date"},
           {{"log", "ana", "--date", "   "}, 64, "--date"},
           {{"log", "ana", "--date", "someday"}, 64, "--date"},
           {{"log", "ana", "--date", "3 fortnights ago"}, 64, "--date"},
           {{"log", "ana", "--date", "-3 days ago"}, 64, "--date"},
           {{"log", "ana", "--date", "100001 days ago"}, 64, "--date"},
           {{"log", "ana", "--date", "99999999999999999999 days ago"}, 64, "--date"},
           {{"log", "ana", "--date", "tomorrow"}, 64, "--date"},
           {{"log", "ana", "--date", "2026-11-24"}, 64, "future"},
           {{"log", "ana", "--date", "2027-01-01"}, 64, "future"},
           {{"add", "Cy", "--last", "2026-02-29"}, 64, "--last"},
           {{"add", "Cy", "--last", "tomorrow"}, 64, "--last"},
           {{"history", "ana", "--since", "2026-02-30"}, 64, "--since"},
           {{"history", "ana", "--since", "soon"}, 64, "--since"},
           {{"snooze", "ana", "--until", "2026-04-31"}, 64, "--until"},
           {{"snooze", "ana", "--until", "3 days ago"}, 64, "--until"},
           {{"snooze", "ana", "--until", "2026-01-01"}, 64, "--until"},
           {{"--today", "2026-02-30", "due"}, 64, "--today"},
           {{"--today", "", "due"}, 64, "--today"},
           {{"--today", "not a date", "list"}, 64, "--today"},
       })
    expect_refused(b, c);
  expect_refused(b, {{"due"}, 64, "$FOLLOWUP_TODAY"}, {{"FOLLOWUP_TODAY", "2026-02-30"}});
}

TEST_CASE("cli: bad durations are usage errors") {
  Book b;
  seed(b);
  for (const BadCase& c : std::vector<BadCase>{
           {{"add", "Cy", "--every", "3x"}, 64, "--every"},
           {{"add", "Cy", "--every", ""}, 64, "--every"},
           {{"add", "Cy", "--every", "-3d"}, 64, "--every"},
           {{"add", "Cy", "--every", "3"}, 64, "--every"},
           {{"add", "Cy", "--every", "d"}, 64, "--every"},
           {{"add", "Cy", "--every", "1m1m"}, 64, "--every"},
           {{"add", "Cy", "--every", "2w1m"}, 64, "--every"},
           {{"add", "Cy", "--every", "3D"}, 64, "--every"},
           {{"add", "Cy", "--every", "1.5w"}, 64, "--every"},
           {{"add", "Cy", "--every", "100001d"}, 64, "--every"},
           {{"add", "Cy", "--every", "99999999999999999999d"}, 64, "--every"},
           {{"add", "Cy", "--every", " 3d"}, 64, "--every"},
           {{"due", "--within", "never"}, 64, "--within"},
           {{"due", "--within", "soon"}, 64, "--within"},
           {{"due", "--within", ""}, 64, "--within"},
           {{"snooze", "ana", "--for", "never"}, 64, "--for"},
           {{"snooze", "ana", "--for", "0d"}, 64, "--for"},
           {{"snooze", "ana", "--for", "2 weeks"}, 64, "--for"},
           {{"rules", "add", "r", "--match", "tag:x", "--every", "often"}, 64, "--every"},
           {{"rules", "add", "r", "--match", "tag:x", "--every", "2w", "--warn", "never"}, 64, "--warn"},
       })
    expect_refused(b, c);
}

TEST_CASE("cli: bad formats, expressions and limits are usage errors") {
  Book b;
  seed(b);
  for (const BadCase& c : std::vector<BadCase>{
           {{"due", "--format", "xml"}, 64, "--format"},
           {{"due", "--format", ""}, 64, "--format"},
           {{"due", "--format", "TSV "}, 64, "--format"},
           {{"due", "--format", "{nope}"}, 64, "nope"},
           {{"due", "--format", "{}"}, 64, "--format"},
           {{"due", "--format", "{0}"}, 64, "--format"},
           {{"due", "--format", "{name"}, 64, "--format"},
           {{"due", "--format", "{name:d}"}, 64, "--format"},
           {{"history", "ana", "--format", "{when}"}, 64, "when"},
           {{"history", "ana", "--format", "yaml"}, 64, "--format"},
           {{"list", "--format", "{overdue:q}"}, 64, "--format"},
           {{"due", "--where", ""}, 64, "--where"},
           {{"due", "--where", "tag:"}, 64, "--where"},
           {{"due", "--where", "tag:a and"}, 64, "column"},
           {{"due", "--where", "(tag:a"}, 64, "--where"},
           {{"due", "--where", "tag:a)"}, 64, "--where"},
           {{"due", "--where", "friend"}, 64, "--where"},
           {{"due", "--where", "field:city=\"New York"}, 64, "--where"},
           {{"due", "--where", std::string(300, '(') + "tag:a" + std::string(300, ')')}, 64, "--where"},
           {{"list", "--where", "not"}, 64, "--where"},
           {{"tag", "--where", "tag:", "--add", "x"}, 64, "--where"},
           {{"rules", "test", "tag:a or or tag:b"}, 64, ""},
           {{"rules", "add", "r", "--match", "tag:a and", "--every", "2w"}, 64, "--match"},
           {{"due", "--limit", "-1"}, 64, "limit"},
           {{"due", "--limit", "abc"}, 64, "limit"},
           {{"due", "--limit", ""}, 64, "limit"},
           {{"due", "--limit", "1.5"}, 64, "limit"},
           {{"due", "--limit", "99999999999999999999999"}, 64, "limit"},
           {{"history", "ana", "--limit", "-1"}, 64, "limit"},
           {{"history", "ana", "--limit", "x"}, 64, "limit"},
       })
    expect_refused(b, c);
  expect_refused(b, {{"log", "ana"}, 64, "FOLLOWUP_LOCK_TIMEOUT"}, {{"FOLLOWUP_LOCK_TIMEOUT", "abc"}});
  expect_refused(b, {{"log", "ana"}, 64, "FOLLOWUP_LOCK_TIMEOUT"}, {{"FOLLOWUP_LOCK_TIMEOUT", "-1"}});
}

TEST_CASE("cli: bad ids, names, kinds, tags, fields and texts are refused") {
  Book b;
  seed(b);
  const std::string bad_utf8 = "An\xff\xfe";
  for (const BadCase& c : std::vector<BadCase>{
           {{"add", ""}, 64, "NAME"},
           {{"add", "   "}, 64, "NAME"},
           {{"add", "Ana\tLópez"}, 64, "NAME"},
           {{"add", "Ana\nLópez"}, 64, "NAME"},
           {{"add", std::string("Ana\x01") + "x"}, 64, "NAME"},
           {{"add", std::string("Ana\x1b[31mRed")}, 64, "NAME"},
           {{"add", "Ana\x7f"}, 64, "NAME"},
           {{"add", bad_utf8}, 64, "NAME"},
           {{"add", "Cy", "--id", "Cy"}, 64, "--id"},
           {{"add", "Cy", "--id", ""}, 64, "--id"},
           {{"add", "Cy", "--id", "-cy"}, 64, "--id"},
           {{"add", "Cy", "--id", "c y"}, 64, "--id"},
           {{"add", "Cy", "--id", "cé"}, 64, "--id"},
           {{"add", "Cy", "--id", "ana-lopez"}, 64, "taken"},
           {{"add", "Cy", "--tag", ""}, 64, "--tag"},
           {{"add", "Cy", "--tag", "a b"}, 64, "--tag"},
           {{"add", "Cy", "--tag", "a,b"}, 64, "--tag"},
           {{"add", "Cy", "--tag", "a\tb"}, 64, "--tag"},
           {{"add", "Cy", "--field", "phone"}, 64, "--field"},
           {{"add", "Cy", "--field", "=1"}, 64, "--field"},
           {{"add", "Cy", "--field", "a b=1"}, 64, "--field"},
           {{"add", "Cy", "--field", "k=" + bad_utf8}, 64, "--field"},
           {{"add", "Cy", "--field", "k=1", "--field", "K=2"}, 64, "--field"},
           {{"add", "Cy", "--note", bad_utf8}, 64, "--note"},
           {{"add", "Cy", "--last", "2026-01-01", "--kind", ""}, 64, "--kind"},
           {{"log", "ana", "--kind", ""}, 64, "--kind"},
           {{"log", "ana", "--kind", "phone call"}, 64, "--kind"},
           {{"log", "ana", "--kind", "call\n"}, 64, "--kind"},
           {{"log", "ana", "--kind", "a,b"}, 64, "--kind"},
           {{"log", "ana", "--note", bad_utf8}, 64, "--note"},
           {{"log", "ana", "--by", ""}, 64, "--by"},
           {{"log", "ana", "--by", "kris\nroot"}, 64, "--by"},
           {{"history", "ana", "--kind", ""}, 64, "--kind"},
           {{"due", "--tag", ""}, 64, "--tag"},
           {{"due", "--tag", "a b"}, 64, "--tag"},
       })
    expect_refused(b, c);
  expect_refused(b, {{"log", "ana"}, 64, "--by"}, {{"FOLLOWUP_USER", "kris\tx"}});
}

TEST_CASE("cli: unknown or ambiguous contacts exit 67 and name the candidates") {
  Book b;
  seed(b);
  REQUIRE(b({"add", "Ana Berg"}).code == 0); // now "ana" and "berg" are ambiguous
  std::filesystem::remove(b.dir / "contacts.json.bak"); // so that a refused write would show
  const std::string before = b.text();
  for (const BadCase& c : std::vector<BadCase>{
           {{"log", "zed"}, 67, "zed"},
           {{"log", "ana"}, 67, "ana"},
           {{"log", "bo", "zed"}, 67, "zed"},
           {{"history", "berg"}, 67, "berg"},
           {{"history", "nobody"}, 67, "nobody"},
           {{"snooze", "zed", "--for", "2w"}, 67, "zed"},
           {{"rm", "zed", "--yes"}, 67, "zed"},
       })
    expect_refused(b, c);
  Result r = b({"log", "ana"});
  CHECK(r.err.find("ana-lopez") != std::string::npos);
  CHECK(r.err.find("ana-berg") != std::string::npos);
  // One unknown name among good ones: nothing is written (SPEC §4 `log`).
  CHECK(b.text() == before);
}

TEST_CASE("cli: bytes that are not UTF-8 and control characters are quoted escaped in messages") {
  Book b;
  seed(b);
  for (const BadCase& c : std::vector<BadCase>{
           {{"log", "z\xff\x1b[2J"}, 67, "z\\xff\\x1b[2J"},
           {{"show", "\xC0\xAF\xC2\x85"}, 67, "\\xc0\\xaf\\xc2\\x85"},
           {{"due", "--match", "tag:\xff("}, 64, "\\xff"},
           {{"log", "ana", "--date", "2026-\xfe"}, 64, "2026-\\xfe"},
           {{"snooze", "bo", "--for", "2\xffw"}, 64, "2\\xffw"},
       })
    expect_refused(b, c);
}

TEST_CASE("cli: 10k-character notes and notes with tabs, newlines, quotes and backslashes round-trip") {
  Book b;
  seed(b);
  const std::string long_note(10000, 'x');
  const std::string hostile = "tab\there, \"quoted\", 'single', back\\slash, \\t literal,\nsecond line\r\nthird; {braces} "
                              "%s %n, comma, semicolon; ü ñ 漢字 🙂";
  REQUIRE(b({"log", "bo", "--date", "2026-11-20", "--note", long_note}).code == 0);
  Result r = b({"log", "bo", "--date", "2026-11-21", "--note", hostile, "--by", "Kris \"K\" O'Brien"});
  REQUIRE(r.code == 0);
  CHECK(r.err == "");

  // The file itself holds the exact texts.
  auto book = nlohmann::json::parse(b.text());
  const auto& items = book["contacts"][1]["interactions"];
  REQUIRE(items.size() == 2);
  CHECK(items[0]["note"] == long_note);
  CHECK(items[1]["note"] == hostile);
  CHECK(items[1]["by"] == "Kris \"K\" O'Brien");

  SUBCASE("json") {
    r = b({"history", "bo", "--format", "json"});
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.size() == 2);
    CHECK(j[0]["note"] == hostile); // newest first
    CHECK(j[1]["note"] == long_note);
    CHECK(j[0]["by"] == "Kris \"K\" O'Brien");
    CHECK(j[0]["date"] == "2026-11-21");
  }
  SUBCASE("jsonl") {
    r = b({"history", "bo", "--format", "jsonl"});
    REQUIRE(r.code == 0);
    auto ls = lines(r.out);
    REQUIRE(ls.size() == 2);
    CHECK(nlohmann::json::parse(ls[0])["note"] == hostile);
    CHECK(nlohmann::json::parse(ls[1])["note"] == long_note);
  }
  SUBCASE("tsv") {
    r = b({"history", "bo", "--format", "tsv"});
    REQUIRE(r.code == 0);
    auto ls = lines(r.out);
    REQUIRE(ls.size() == 2); // newlines in values are escaped: one record a line
    auto cells = split(ls[0], '\t');
    REQUIRE(cells.size() == 6); // date, kind, note, by, id, name
    CHECK(cells[0] == "2026-11-21");
    CHECK(unescape_tsv(cells[2]) == hostile);
    CHECK(unescape_tsv(cells[3]) == "Kris \"K\" O'Brien");
    CHECK(cells[4] == "bo");
    CHECK(unescape_tsv(split(ls[1], '\t').at(2)) == long_note);
  }
  SUBCASE("csv") {
    r = b({"history", "bo", "--format", "csv"});
    REQUIRE(r.code == 0);
    auto rows = parse_csv(r.out);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == std::vector<std::string>{"date", "kind", "note", "by", "id", "name"});
    REQUIRE(rows[1].size() == 6);
    CHECK(rows[1][2] == hostile);
    CHECK(rows[1][3] == "Kris \"K\" O'Brien");
    CHECK(rows[2][2] == long_note);
  }
  SUBCASE("template") {
    r = b({"history", "bo", "--limit", "1", "--format", "<{note}>|{by}"});
    REQUIRE(r.code == 0);
    // One line a record: tabs and line ends inside a value are written \t, \n, \r.
    std::string one_line;
    for (char ch : hostile) one_line += ch == '\t' ? "\\t" : ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : std::string(1, ch);
    CHECK(r.out == "<" + one_line + ">|Kris \"K\" O'Brien\n");
    CHECK(lines(r.out).size() == 1);
    r = b({"history", "bo", "--format", "{date}\\t{kind}"});
    REQUIRE(r.code == 0);
    CHECK(r.out == "2026-11-21\tcall\n2026-11-20\tcall\n");
  }
  SUBCASE("table") {
    r = b({"history", "bo"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find(long_note) != std::string::npos);
  }
}

TEST_CASE("cli: a name with every kind of accent and script is kept exactly") {
  Book b;
  const std::string name = "Zoë Ångström-Łukasz 漢字 O'Brien \"Jr\" \\ {x}";
  Result r = b({"add", name, "--note", "line1\nline2\t\\"});
  REQUIRE(r.code == 0);
  r = b({"list", "--format", "json"});
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["name"] == name);
  r = b({"list", "--format", "{name}"});
  CHECK(r.out == name + "\n");
  r = b({"show", j[0]["id"].get<std::string>(), "--format", "json"});
  REQUIRE(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["notes"] == "line1\nline2\t\\");
}
