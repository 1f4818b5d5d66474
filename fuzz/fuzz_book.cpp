// parse_book on arbitrary bytes: it either returns a book or throws
// followup::Error of kind data; no other exception, crash or sanitizer report.
// nlohmann's validating parser is the oracle for JSON syntax: a text it
// rejects must not be accepted as a book (a file that fails to parse is never
// rewritten), and a text it accepts must not be called "malformed JSON"; a
// "malformed JSON" error names the line and column (SPEC §5). The summary
// load gives the same verdict and the same error, and each contact's span
// (where `log` splices) is that contact's own object.
// A book it accepts is serialised, and that text must parse again and
// serialise to the same bytes (the program never writes a file it cannot read,
// and a rewrite without changes is a no-op). Read in parts on threads
// (ParseOptions::threads, parts as small as a byte), a text gives the same
// book or the same error as one pass.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>

#include "followup/model/error.hpp"
#include "book/fast_read.hpp"
#include "followup/book/json_io.hpp"

namespace {

// nlohmann's lexer takes a NUL byte for the end of the input, so it accepts
// `{...}\0garbage`; RFC 8259 allows no NUL outside strings (nor raw inside),
// and the program refuses it. A text with a NUL is therefore not JSON here.
bool is_json(std::string_view text) {
  return text.find('\0') == std::string_view::npos && nlohmann::json::accept(text);
}

// `<source>:<line>:<column>` at the end of a place.
bool has_line_column(std::string_view where) {
  int groups = 0;
  std::size_t i = where.size();
  while (groups < 2) {
    std::size_t digits = 0;
    while (i > 0 && where[i - 1] >= '0' && where[i - 1] <= '9') --i, ++digits;
    if (digits == 0 || i == 0 || where[i - 1] != ':') return false;
    --i;
    ++groups;
  }
  return true;
}

// The summary load (LoadDetail::summary, used by `due`, `list` and `log`)
// checks every value as the full load does: the same error, or a book with
// the same contacts, rules and latest check-in of each contact.
void check_summary(std::string_view text, const followup::Book* full, const followup::Error* full_error) {
  followup::Book sum;
  try {
    sum = followup::parse_book(text, "fuzz.json", followup::LoadDetail::summary);
  } catch (const followup::Error& e) {
    if (!full_error || std::string_view(e.what()) != full_error->what() || e.where() != full_error->where()) {
      std::fprintf(stderr, "summary load refused what the full load %s: %s (%s)\n",
                   full_error ? "refused otherwise" : "accepted", e.what(), e.where().c_str());
      std::abort();
    }
    return;
  }
  if (!full) {
    std::fprintf(stderr, "summary load accepted what the full load refused: %s (%s)\n", full_error->what(),
                 full_error->where().c_str());
    std::abort();
  }
  bool same = sum.contacts.size() == full->contacts.size() && sum.rules.size() == full->rules.size();
  for (std::size_t i = 0; same && i < sum.contacts.size(); ++i) {
    const auto& a = sum.contacts[i];
    const auto& b = full->contacts[i];
    same = a.id == b.id && a.interactions.empty() == b.interactions.empty() &&
           (a.interactions.empty() || a.interactions.back().date == b.interactions.back().date);
  }
  if (!same) {
    std::fprintf(stderr, "summary load differs from the full load\n");
    std::abort();
  }
}

// The same text read in parts on three threads: the same error, or a book
// that serialises to the same bytes.
void check_parts(std::string_view text, const followup::Book* one, const followup::Error* one_error) {
  followup::ParseOptions parts;
  parts.threads = 3;
  parts.min_part_bytes = 1;
  try {
    const followup::Book split = followup::parse_book(text, "fuzz.json", followup::LoadDetail::full, parts);
    if (!one || followup::serialize_book(split) != followup::serialize_book(*one) || split.spans != one->spans) {
      std::fprintf(stderr, "the parts gave another book than one pass%s\n", one ? "" : " (which refused it)");
      std::abort();
    }
  } catch (const followup::Error& e) {
    if (!one_error || std::string_view(e.what()) != one_error->what() || e.where() != one_error->where()) {
      std::fprintf(stderr, "the parts refused the text otherwise than one pass: %s (%s)\n", e.what(), e.where().c_str());
      std::abort();
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  followup::Book book;
  try {
    book = followup::parse_book(text, "fuzz.json");
  } catch (const followup::Error& e) {
    if (e.kind() != followup::ErrorKind::data) {
      std::fprintf(stderr, "parse_book threw an error of kind %d: %s\n", static_cast<int>(e.kind()), e.what());
      std::abort();
    }
    if (e.where().empty()) {
      std::fprintf(stderr, "parse_book error without a place: %s\n", e.what());
      std::abort();
    }
    const bool malformed = std::string_view(e.what()).rfind("malformed JSON", 0) == 0;
    if (malformed && is_json(text)) {
      std::fprintf(stderr, "valid JSON called malformed: %s (%s)\n", e.what(), e.where().c_str());
      std::abort();
    }
    // SPEC §5: a syntax error names the line and column.
    if (malformed && !has_line_column(e.where())) {
      std::fprintf(stderr, "malformed JSON without line and column: %s (%s)\n", e.what(), e.where().c_str());
      std::abort();
    }
    check_summary(text, nullptr, &e);
    check_parts(text, nullptr, &e);
    return 0;
  }
  check_summary(text, &book, nullptr);
  check_parts(text, &book, nullptr);
  // `log` splices check-ins into the text at these spans: each must be the
  // contact's own object.
  for (std::size_t i = 0; i < book.spans.size() && i < book.contacts.size(); ++i) {
    auto [begin, end] = book.spans[i];
    if (begin == 0 && end == 0) continue;
    nlohmann::json j;
    if (end <= size && begin < end) j = nlohmann::json::parse(text.substr(begin, end - begin), nullptr, false);
    if (!j.is_object() || !j.contains("id") || j["id"] != book.contacts[i].id) {
      std::fprintf(stderr, "the span of contact %zu is not its object: [%zu, %zu)\n", i, begin, end);
      std::abort();
    }
  }
  if (!is_json(text)) {
    std::fprintf(stderr, "parse_book accepted text that is not JSON\n");
    std::abort();
  }
  std::string once = followup::serialize_book(book);
  if (once.empty() || once.back() != '\n') {
    std::fprintf(stderr, "serialize_book output does not end with a newline\n");
    std::abort();
  }
  followup::Book again;
  try {
    again = followup::parse_book(once, "fuzz-rewritten.json");
  } catch (const followup::Error& e) {
    std::fprintf(stderr, "the rewritten book does not parse: %s (%s)\n--- rewritten ---\n%s\n", e.what(),
                 e.where().c_str(), once.c_str());
    std::abort();
  }
  std::string twice = followup::serialize_book(again);
  if (twice != once) {
    std::fprintf(stderr, "serialize(parse(serialize(b))) differs\n--- once ---\n%s\n--- twice ---\n%s\n", once.c_str(),
                 twice.c_str());
    std::abort();
  }
  return 0;
}
