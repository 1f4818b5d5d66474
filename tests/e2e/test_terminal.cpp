// Control characters in what the book holds (names, notes, fields, kinds,
// `by`) reach the human formats visibly (`^[`, `<U+009B>`, as less shows
// them), never raw: an OSC 52 in a note must not write the clipboard, a
// clear-screen in a name must not clear it. Machine formats keep their own
// escaping. Today is 2026-11-23.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "run.hpp"

using namespace e2e;

namespace {

// ESC ] 52 ... BEL writes the clipboard; ESC [ 2 J clears the screen; ESC ] 0
// sets the title; U+009B is the one-byte CSI; DEL and a tab for good measure.
const char* const kBook = R"({
  "followup": 1,
  "contacts": [
    {"id": "eve", "name": "Eve\u001b[2J Evil", "tags": ["x"], "every": "1w", "added": "2026-01-01",
     "fields": {"site": "\u001b]0;pwned\u0007home", "csi": "a\u009b31mb"},
     "notes": "line one\u001b]52;c;ZXZpbA==\u0007\nline two\u007f",
     "interactions": [{"date": "2026-10-01", "kind": "call", "by": "m\u001b[8m", "note": "tab\there \u001b]52;c;ZXZpbA==\u0007"}]},
    {"id": "bo", "name": "Bo", "every": "1w", "added": "2026-01-01"}
  ]
})";

bool has_raw_controls(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto u = static_cast<unsigned char>(text[i]);
    if ((u < 0x20 && u != '\n') || u == 0x7f) return true;
    if (u == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) < 0xA0)
      return true;
  }
  return false;
}

// Where `word` starts on the line that begins with `start`, after it.
std::size_t column_of(const std::string& out, const std::string& start, const std::string& word) {
  for (const auto& l : lines(out))
    if (l.rfind(start, 0) == 0) return l.find(word, start.size());
  return std::string::npos;
}

} // namespace

TEST_CASE("terminal: due, list, show and history show control characters visibly") {
  Book b;
  b.write(kBook);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"due"}, {"due", "--explain"}, {"list"}, {"show", "eve"}, {"history", "eve"}}) {
    CAPTURE(args[0]);
    CAPTURE(args.size());
    Result r = b(args);
    REQUIRE(r.code == 0);
    CHECK_FALSE(has_raw_controls(r.out));
    CHECK(r.out.find("Eve^[[2J Evil") != std::string::npos);
  }
  Result show = b({"show", "eve"});
  CHECK(show.out.find("  site: ^[]0;pwned^Ghome\n") != std::string::npos);
  CHECK(show.out.find("  csi: a<U+009B>31mb\n") != std::string::npos);
  // A note's lines stay lines on the card; what is in them is shown.
  CHECK(show.out.find("  notes: line one^[]52;c;ZXZpbA==^G\n         line two^?\n") != std::string::npos);
  CHECK(show.out.find("m^[[8m") != std::string::npos);
  CHECK(show.out.find("tab here ^[]52;c;ZXZpbA==^G") != std::string::npos); // a tab in a table cell: a space
  Result history = b({"history", "eve"});
  CHECK(history.out.find("2026-10-01  call  m^[[8m  tab here ^[]52;c;ZXZpbA==^G\n") != std::string::npos);
}

TEST_CASE("terminal: shown control characters keep the table's columns aligned") {
  Book b;
  b.write(kBook);
  // "Eve^[[2J Evil" is 13 columns wide: the next column starts after it on every row.
  Result due = b({"due"});
  REQUIRE(due.code == 0);
  std::size_t at = column_of(due.out, "ID", "DUE");
  REQUIRE(at != std::string::npos);
  CHECK(column_of(due.out, "eve", "2026") == at);
  CHECK(column_of(due.out, "bo", "2026") == at);
  Result list = b({"list"});
  REQUIRE(list.code == 0);
  at = column_of(list.out, "ID", "STATUS");
  REQUIRE(at != std::string::npos);
  CHECK(column_of(list.out, "eve", "due") == at);
  CHECK(column_of(list.out, "bo", "due") == at);
}

TEST_CASE("terminal: with colour, the only escape sequences are followup's own colours") {
  Book b;
  b.write(kBook);
  Result r = b({"due", "--color", "always"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Eve^[[2J Evil") != std::string::npos);
  CHECK(r.out.find("\x1b[2J") == std::string::npos);
  CHECK(r.out.find("\x1b[31m") != std::string::npos);
}

TEST_CASE("terminal: machine formats keep their escaping") {
  Book b;
  b.write(kBook);
  Result json = b({"due", "-o", "json"});
  CHECK(json.out.find(R"("name": "Eve\u001b[2J Evil")") != std::string::npos);
  Result tsv = b({"due", "-o", "tsv"});
  CHECK(tsv.out.find("Eve\x1b[2J Evil") != std::string::npos);
  Result history = b({"history", "eve", "-o", "tsv"});
  CHECK(history.out.find("tab\\there \x1b]52;c;ZXZpbA==\x07") != std::string::npos);
  Result templ = b({"list", "-o", "{name}"});
  CHECK(templ.out.find("Eve\x1b[2J Evil") != std::string::npos);
}

// Issue 16: an empty book on a terminal says how to add someone; piped, or in
// a machine format, nothing is said (cron mails nothing).
TEST_CASE("terminal: an empty book's due and list say how to add someone, on a terminal only") {
  const std::string script = "/usr/bin/script";
  REQUIRE_MESSAGE(std::filesystem::exists(script), "script (util-linux) runs the command on a terminal");
  Book b;
  b.write(R"({"followup": 1, "contacts": []})");
  for (const char* command : {"due", "list"}) {
    CAPTURE(command);
    const std::string line = "'" + binary() + "' --file '" + b.file.string() + "' " + command;
    Result tty = run_program({script, "-qec", line, "/dev/null"});
    CHECK(tty.code == 0);
    CHECK(tty.out.find("The book has no one in it yet. Add someone:") != std::string::npos);
    CHECK(tty.out.find("followup add \"Ana López\" --tag friend --every 2w") != std::string::npos);
    // A machine format on the terminal: nothing.
    Result json = run_program({script, "-qec", line + " -o jsonl", "/dev/null"});
    CHECK(json.out.find("no one") == std::string::npos);
    // Piped: nothing at all.
    Result piped = b({command});
    CHECK(piped.code == 0);
    CHECK(piped.out == "");
  }
  // A book with someone in it: no hint.
  b.write(R"({"followup": 1, "contacts": [{"id": "a", "name": "A"}]})");
  Result tty = run_program({script, "-qec", "'" + binary() + "' --file '" + b.file.string() + "' list", "/dev/null"});
  CHECK(tty.out.find("no one") == std::string::npos);
}

// Columns of a line of narrow characters: its code points.
std::size_t display_width_of(const std::string& line) {
  return static_cast<std::size_t>(
      std::count_if(line.begin(), line.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

// Issue 16: on a terminal, tables fit $COLUMNS (else the terminal's width),
// names and reasons cut with "…", never ids, dates or numbers; piped,
// nothing changes.
TEST_CASE("terminal: due's and list's tables fit $COLUMNS on a terminal, and only there") {
  const std::string script = "/usr/bin/script";
  REQUIRE_MESSAGE(std::filesystem::exists(script), "script (util-linux) runs the command on a terminal");
  Book b;
  b.write(R"({"followup": 1, "contacts": [
    {"id": "ana", "name": "Ana María López de la Vega y Fernández", "added": "2026-01-01"},
    {"id": "bo", "name": "Bo", "added": "2026-01-01"}]})");
  for (const char* command : {"due", "list"}) {
    CAPTURE(command);
    const std::string line = "'" + binary() + "' --file '" + b.file.string() + "' --color never " + command;
    Result tty = run_program({script, "-qec", line, "/dev/null"}, {{"COLUMNS", "64"}});
    CHECK(tty.code == 0);
    std::string out = tty.out;
    out.erase(std::remove(out.begin(), out.end(), '\r'), out.end()); // the terminal's line ends
    CHECK(out.find("\u2026") != std::string::npos);
    CHECK(out.find("ana  ") != std::string::npos);          // the id whole
    CHECK(out.find("2026-01-31") != std::string::npos);     // the date whole
    for (std::size_t start = 0, nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
      const std::string l = out.substr(start, nl - start);
      if (l.find("ana") != std::string::npos || l.rfind("ID", 0) == 0) CHECK(display_width_of(l) <= 64);
    }
    // Piped, the whole name.
    CHECK(b({command}).out.find("Ana María López de la Vega y Fernández") != std::string::npos);
  }
}
