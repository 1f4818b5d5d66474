// Store::add_interaction (store.hpp), the write path of `log`: in a book laid
// out as followup writes it, only the chosen contacts' "interactions" arrays
// change, and the result is byte for byte what a full rewrite gives; in any
// other layout the whole book is rewritten. Same .bak, same refusals.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "followup/model/error.hpp"
#include "followup/book/json_io.hpp"
#include "followup/storage/store.hpp"

using namespace followup;
namespace fs = std::filesystem;

namespace {

struct TempBook {
  fs::path dir, file;
  TempBook() {
    std::string pattern = (fs::temp_directory_path() / "followup-splice-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
    file = dir / "contacts.json";
  }
  ~TempBook() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void write(const std::string& text) const {
    std::ofstream out(file, std::ios::binary);
    out << text;
    REQUIRE(out.good());
  }
  std::string read(const fs::path& p) const {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string text() const { return read(file); }
  bool has_bak() const { return fs::exists(file.string() + ".bak"); }
};

// Compact one-line check-ins, an unknown member in one, an interaction out
// of date order for Cy, and Dee with no "interactions" key.
const char* const kCompact = R"({
  "followup": 1,
  "x-app": {"theme":   "dark"},
  "contacts": [
    {"id": "ana", "name": "Ana", "tags": ["client"],
     "interactions": [{"date": "2026-01-05", "kind": "call", "note": "one"},
                      {"date": "2026-03-01", "kind": "visit", "mood": "good"},
                      {"date": "2026-03-01", "kind": "email"}]},
    {"id": "bo", "name": "Bo", "notes": "line\nnext", "interactions": [{"date": "2025-12-24", "kind": "call"}]},
    {"id": "cy", "name": "Cy", "interactions": [{"date": "2026-02-01"}, {"date": "2026-01-01"}]},
    {"id": "dee", "name": "Dee"}
  ]
}
)";

Interaction checkin(const char* date, const char* note) {
  Interaction it;
  it.date = *parse_iso_date(date);
  it.kind = "call";
  it.note = note;
  it.by = "kris";
  return it;
}

// What update() would write: the whole book, re-serialised.
std::string full_rewrite(const std::string& text, const std::vector<std::size_t>& targets, const Interaction& it) {
  Book book = parse_book(text, "b");
  for (std::size_t i : targets) book.contacts.at(i).insert_interaction(it);
  return serialize_book(book);
}

// pick() that logs with the given contacts, as `log` does.
auto picking(std::vector<std::size_t> targets, const Interaction& it) {
  return [targets, it](Book& summary) {
    CHECK(summary.summary);
    for (std::size_t i : targets) summary.contacts.at(i).insert_interaction(it);
    return targets;
  };
}

} // namespace

TEST_CASE("splice: in followup's own layout, only the chosen arrays change, as a full rewrite would") {
  const std::string canonical = serialize_book(parse_book(kCompact, "b"));
  for (const auto& when : {"2026-03-01", "2025-01-01", "2026-11-23", "2026-02-01"}) {
    INFO(when);
    TempBook b;
    b.write(canonical);
    const Interaction it = checkin(when, "dinner \"at ours\"\n");
    Store(b.file).add_interaction(it, picking({2, 0}, it));
    const std::string after = b.text();
    CHECK(after == full_rewrite(canonical, {2, 0}, it));
    CHECK(b.read(b.file.string() + ".bak") == canonical);
    // Only two places differ: everything before Ana's array is untouched.
    CHECK(after.compare(0, canonical.find("\"interactions\""), canonical, 0, canonical.find("\"interactions\"")) == 0);
  }
}

TEST_CASE("splice: a contact without check-ins yet, or with them out of order, falls back to a full rewrite") {
  const std::string canonical = serialize_book(parse_book(kCompact, "b"));
  // Cy's first check-in moved after the second: followup would sort them.
  std::string unsorted = canonical;
  const auto cy = unsorted.find("\"id\": \"cy\"");
  const auto first = unsorted.find("2026-01-01", cy);
  REQUIRE(first != std::string::npos);
  unsorted.replace(first, 10, "2026-02-09");
  const Interaction it = checkin("2026-11-20", "first");
  struct Case {
    std::string text;
    std::size_t who;
  };
  for (const Case& c : {Case{canonical, 3}, Case{unsorted, 2}}) {
    TempBook b;
    b.write(c.text);
    Store(b.file).add_interaction(it, picking({c.who}, it));
    CHECK(b.text() == full_rewrite(c.text, {c.who}, it));
    CHECK(b.text() != c.text);
  }
}

TEST_CASE("splice: another layout is rewritten whole, as update() does") {
  TempBook b;
  b.write(kCompact);
  const Interaction it = checkin("2026-02-15", "mid");
  Store(b.file).add_interaction(it, picking({1, 2}, it));
  CHECK(b.text() == full_rewrite(kCompact, {1, 2}, it));
  CHECK(b.read(b.file.string() + ".bak") == kCompact);
}

TEST_CASE("splice: the rest of a hand-formatted book stays as the user wrote it") {
  // Canonical contacts, but the unknown top-level member spaced by hand.
  std::string text = serialize_book(parse_book(kCompact, "b"));
  const std::string theme = "\"theme\": \"dark\"";
  const auto at = text.find(theme);
  REQUIRE(at != std::string::npos);
  text.replace(at, theme.size(), "\"theme\":     \"dark\"");
  TempBook b;
  b.write(text);
  const Interaction it = checkin("2026-03-02", "spliced");
  Store(b.file).add_interaction(it, picking({1}, it));
  const std::string after = b.text();
  CHECK(after.find("\"theme\":     \"dark\"") != std::string::npos);
  // Same book as a full rewrite would hold, only the spacing kept.
  CHECK(serialize_book(parse_book(after, "b")) == full_rewrite(text, {1}, it));
}

TEST_CASE("splice: nothing is written when pick() throws or picks nobody") {
  const std::string canonical = serialize_book(parse_book(kCompact, "b"));
  TempBook b;
  b.write(canonical);
  Store store(b.file);
  CHECK_THROWS_AS(store.add_interaction(checkin("2026-01-01", "x"),
                                        [](Book&) -> std::vector<std::size_t> { throw_usage("no"); }),
                  Error);
  store.add_interaction(checkin("2026-01-01", "x"), [](Book&) { return std::vector<std::size_t>{}; });
  CHECK(b.text() == canonical);
  CHECK_FALSE(b.has_bak());
}

TEST_CASE("splice: a book that does not parse is refused and left alone") {
  TempBook b;
  const std::string broken = std::string(kCompact).replace(std::string(kCompact).find("2026-01-05"), 10, "2026-02-30");
  b.write(broken);
  CHECK_THROWS_AS(Store(b.file).add_interaction(checkin("2026-01-01", "x"),
                                                [](Book&) { return std::vector<std::size_t>{0}; }),
                  Error);
  CHECK(b.text() == broken);
  CHECK_FALSE(b.has_bak());
}
