// parse_book on several threads (ParseOptions::threads): the "contacts"
// array read in parts. Whatever the parts, the book must be the one a single
// pass reads, byte for byte once written, and a bad book must fail with the
// very message a single pass gives. Parts start where the layout suggests a
// contact starts; the tests also plant lines that only look like one.
#include <doctest/doctest.h>

#include <algorithm>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "followup/model/error.hpp"
#include "book/fast_read.hpp"
#include "followup/book/json_io.hpp"

using namespace followup;

namespace {

// A book in followup's own layout: UTF-8 and escapes in names and notes,
// tags, fields, own cadences, check-ins of several kinds, unknown members
// (one an array of objects), a rule.
std::string make_book(std::size_t contacts, unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const char* names[] = {"Ana L\xC3\xB3pez", "Bo \"the boss\" Kim", "Zo\xC3\xAB\tM\xC3\xBCller", "Back\\slash Smith", "Plain Name"};
  const char* kinds[] = {"call", "visit", "email", "Call", "meeting"};
  const char* notes[] = {"Kitchen project.", "Line one\nline two", "caf\xC3\xA9 \xE2\x82\xAC", "ctrl \x01 char", "quote \" here"};
  Book book;
  Rule rule;
  rule.name = "clients";
  rule.match = "tag:client";
  rule.every = *parse_duration("3m", false);
  rule.counts = std::vector<std::string>{"call", "visit"};
  book.rules.push_back(rule);
  for (std::size_t i = 0; i < contacts; ++i) {
    Contact c;
    c.id = "c-" + std::to_string(i);
    c.name = names[pick(5)];
    if (pick(3) == 0) c.tags = {"client"};
    if (pick(4) == 0) c.tags.push_back("friend");
    if (pick(8) == 0) c.every = *parse_duration("6w", true);
    if (pick(2) == 0) c.fields.push_back(Field{"phone", "+1 555 " + std::to_string(pick(10000))});
    if (pick(5) == 0) c.notes = notes[pick(5)];
    c.added = from_ymd(2022 + static_cast<int>(pick(4)), 1 + static_cast<int>(pick(12)), 1 + static_cast<int>(pick(28)));
    if (pick(10) == 0) c.unknown.edit().members = Json::parse(R"({"extra": [{"a": 1}, {"b": [true, null]}]})");
    const std::size_t n = pick(12);
    for (std::size_t k = 0; k < n; ++k) {
      Interaction it;
      it.date = from_ymd(2023 + static_cast<int>(pick(3)), 1 + static_cast<int>(pick(12)), 1 + static_cast<int>(pick(28)));
      if (pick(6) != 0) it.kind = kinds[pick(5)];
      if (pick(2) == 0) it.note = notes[pick(5)];
      if (pick(3) == 0) it.by = "kris";
      c.insert_interaction(it);
    }
    book.contacts.push_back(c);
  }
  return serialize_book(book);
}

ParseOptions parts(unsigned threads, std::size_t min_part_bytes, unsigned* taken, unsigned per_thread = 1) {
  ParseOptions o;
  o.threads = threads;
  o.min_part_bytes = min_part_bytes;
  o.parts_per_thread = per_thread;
  o.parts_taken = taken;
  return o;
}

// What a summary load holds, as text: ids, names, tags, the kept check-ins
// and where each contact lay in the file.
std::string summary_of(const Book& b) {
  std::string out;
  for (std::size_t i = 0; i < b.contacts.size(); ++i) {
    const Contact& c = b.contacts[i];
    out += c.id + "|" + c.name + "|" + std::to_string(c.tags.size()) + "|" + std::to_string(b.spans[i].first) + "-" +
           std::to_string(b.spans[i].second);
    for (const auto& it : c.interactions) out += " " + to_iso(it.date) + ":" + it.kind.value_or("-");
    out += "\n";
  }
  return out;
}

// The message and place parse_book throws, or "" when it reads the book.
std::string failure(const std::string& text, const ParseOptions& o = {}) {
  try {
    parse_book(text, "book.json", LoadDetail::full, o);
  } catch (const Error& e) {
    return std::string(e.what()) + " @ " + e.where();
  }
  return "";
}

} // namespace

TEST_CASE("parallel load: the parts give the book a single pass reads") {
  const std::string text = make_book(400, 7);
  const Book one = parse_book(text, "book.json");
  REQUIRE(serialize_book(one) == text); // the layout the parts are guessed from
  const Book one_summary = parse_book(text, "book.json", LoadDetail::summary);
  for (unsigned threads : {2u, 3u, 4u, 7u}) {
    for (unsigned per_thread : {1u, 4u}) {
      for (std::size_t min_bytes : {std::size_t{1}, std::size_t{5000}, std::size_t{40000}}) {
        CAPTURE(threads);
        CAPTURE(per_thread);
        CAPTURE(min_bytes);
        unsigned taken = 0;
        const Book full = parse_book(text, "book.json", LoadDetail::full, parts(threads, min_bytes, &taken, per_thread));
        CHECK(serialize_book(full) == text);
        CHECK(full.spans == one.spans);
        const unsigned full_taken = taken;
        taken = 0;
        const Book summary =
            parse_book(text, "book.json", LoadDetail::summary, parts(threads, min_bytes, &taken, per_thread));
        CHECK(summary_of(summary) == summary_of(one_summary));
        // Every guess is a contact's start here: each is taken, unless the
        // parts would be too small.
        const unsigned most = threads * per_thread - 1;
        if (min_bytes == 1) CHECK(full_taken == most);
        CHECK(full_taken >= 1);
        CHECK(full_taken <= most);
        CHECK(full_taken <= text.size() / min_bytes);
        CHECK(taken == full_taken);
      }
    }
  }
}

TEST_CASE("parallel load: a small book, or one laid out otherwise, is read in one pass") {
  unsigned taken = 0;
  const std::string small = make_book(3, 1);
  CHECK(serialize_book(parse_book(small, "b", LoadDetail::full, parts(4, 1 << 20, &taken))) == small);
  CHECK(taken == 0);
  // All on one line: no line tells where a contact starts.
  std::string flat;
  for (char ch : make_book(200, 2))
    if (ch != '\n') flat += ch;
  const Book one = parse_book(flat, "b");
  CHECK(serialize_book(parse_book(flat, "b", LoadDetail::full, parts(4, 1, &taken))) == serialize_book(one));
  CHECK(taken == 0);
}

TEST_CASE("parallel load: a line that only looks like a contact's start is not taken for one") {
  // The first contact opens a line indented by four, the others by two:
  // the only lines indented by four that open an object after a ',' are the
  // planted ones, inside an unknown member, where no contact starts.
  std::string text = "{\n  \"followup\": 1,\n  \"contacts\": [\n    {\"id\": \"c-0\", \"name\": \"First\"}";
  for (int i = 1; i < 300; ++i)
    text += ",\n  {\"id\": \"c-" + std::to_string(i) + "\", \"name\": \"N\", \"x\": [1,\n    {\"id\": \"fake\", \"name\": \"F\"}]}";
  text += "\n  ]\n}\n";
  const Book one = parse_book(text, "b");
  for (unsigned threads : {2u, 4u}) {
    unsigned taken = 0;
    const Book split = parse_book(text, "b", LoadDetail::full, parts(threads, 1, &taken, 4));
    CHECK(taken == 0);
    CHECK(split.contacts.size() == 300);
    CHECK(serialize_book(split) == serialize_book(one));
  }
  // Rules after the contacts, laid out like them, and more of them than of
  // contacts: the guess falls among the rules, and is dropped too.
  std::string late = make_book(100, 3);
  const std::size_t end = late.rfind("\n  ]\n}");
  REQUIRE(end != std::string::npos);
  std::string rules = ",\n  \"rules\": [\n    {\"name\": \"r0\", \"match\": \"*\", \"every\": \"1w\"}";
  for (int i = 1; i < 4000; ++i) rules += ",\n    {\"name\": \"r" + std::to_string(i) + "\", \"match\": \"*\", \"every\": \"1w\"}";
  late.insert(end + 4, rules + "\n  ]");
  late.erase(late.find("  \"rules\": ["), late.find("  \"contacts\"") - late.find("  \"rules\": ["));
  const Book late_one = parse_book(late, "b");
  REQUIRE(late_one.rules.size() == 4000);
  unsigned taken = 0;
  CHECK(serialize_book(parse_book(late, "b", LoadDetail::full, parts(2, 1, &taken))) == serialize_book(late_one));
  CHECK(taken == 0);
}

TEST_CASE("parallel load: an error in any part is the error a single pass reports") {
  const std::string good = make_book(300, 11);
  auto contact_at = [&](int i) { return good.find("\"id\": \"c-" + std::to_string(i) + "\""); };
  struct Fault {
    const char* what;
    std::string text;
  };
  std::vector<Fault> faults;
  for (int i : {5, 150, 290}) {
    const std::size_t at = contact_at(i);
    REQUIRE(at != std::string::npos);
    std::string bad_date = good;
    const std::size_t added = bad_date.find("\"added\": \"", at) + 10;
    bad_date.replace(added, 10, "2026-02-30");
    faults.push_back({"an impossible date", bad_date});
    std::string no_id = good;
    no_id.replace(at, 4, "\"ID\"");
    faults.push_back({"no id: the index names it", no_id});
    std::string syntax = good;
    syntax.erase(syntax.find(',', at), 1);
    faults.push_back({"a missing comma", syntax});
    std::string twice = good;
    twice.replace(at, std::string("\"id\": \"c-" + std::to_string(i) + "\"").size(), "\"id\": \"c-1\"");
    faults.push_back({"an id used twice", twice});
  }
  std::string tail = good;
  tail.insert(tail.rfind("\n}"), ",\n  \"x\": [1,]");
  faults.push_back({"a syntax error after the contacts", tail});
  // "contacts" twice (fuzz_book, 2026-12-04): a single pass numbers the
  // second array's contacts from 0, and so must a part read again.
  std::string second = good;
  const std::size_t array = second.find("\"contacts\": [");
  second.insert(array, "\"contacts\": [\n    {\"id\": \"x-1\", \"name\": \"X\"},\n    {\"id\": \"x-2\", \"name\": \"Y\"}\n  ],\n  ");
  second.replace(second.find("\"id\": \"c-150\"") + 6, 7, "\"BAD-1\""); // not a valid id: named by its index
  faults.push_back({"a bad id in the second of two contacts arrays", second});
  for (const auto& f : faults) {
    CAPTURE(f.what);
    const std::string expected = failure(f.text);
    REQUIRE(!expected.empty());
    for (unsigned threads : {2u, 3u, 5u}) {
      CAPTURE(threads);
      CHECK(failure(f.text, parts(threads, 1, nullptr)) == expected);
      CHECK(failure(f.text, parts(threads, 1, nullptr, 4)) == expected);
    }
  }
}

TEST_CASE("parallel load: every byte read is let go of, in one pass or in parts") {
  // done_with lets a caller drop the text behind the readers: the ranges
  // must cover the text from the start to past the contacts' ']', each byte
  // once, or a large book would stay resident (or lose bytes still read).
  const std::string text = make_book(400, 7);
  for (unsigned threads : {1u, 2u, 3u}) {
    CAPTURE(threads);
    std::mutex m;
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    ParseOptions o = parts(threads, 1, nullptr, 4);
    o.done_with = [&](std::size_t begin, std::size_t end) {
      const std::lock_guard<std::mutex> lock(m);
      ranges.emplace_back(begin, end);
    };
    parse_book(text, "book.json", LoadDetail::summary, o);
    std::sort(ranges.begin(), ranges.end());
    REQUIRE(!ranges.empty());
    CHECK(ranges.front().first == 0);
    for (std::size_t i = 1; i < ranges.size(); ++i) CHECK(ranges[i].first == ranges[i - 1].second);
    CHECK(ranges.back().second > text.rfind(']'));
    CHECK(ranges.back().second <= text.size());
    if (threads > 1) CHECK(ranges.size() > 1);
  }
}
