// Reading the data file: one pass of a json::Cursor (book_reader.hpp) over
// the text straight into the model, with every check of SPEC §1 (the shape:
// book_schema.hpp), each naming the contact id (or rule name) and the key.
// Here the book and its rules; syntax errors are worded and placed by
// json_errors.cpp; the contacts array is walked by read_contacts.cpp, each
// contact read by read_contact.cpp. Members the program does not know are kept as nlohmann
// values, their numbers as written (json_value.cpp), to be written back in place.
#include <cstdint>
#include <limits>

#include "followup/rules/expr.hpp"
#include "book/read_members.hpp"

namespace followup {
namespace loader {
namespace {

Rule read_rule(Reader& r, std::size_t index) {
  const Where index_place("rules", index);
  r.expect('{', "an object", index_place);
  json::Cursor& cur = r.cursor();
  Rule rule;
  KeyOrder<keys_of<kRule>> keys;
  auto place = [&] { return rule.name.empty() ? index_place : Where("rule ", std::string_view(rule.name)); };
  auto key_place = [&](std::string_view k) { return place().at_key(k); };
  for (bool more = cur.begin_object(); more; more = cur.next_member()) {
    std::string_view key = r.key();
    switch (keys.see(key)) {
    case rank(kRule, "name"): rule.name = checked_str(r, Type::rule_name, index_place.at_key("name"sv)); break;
    case rank(kRule, "match"): rule.match = r.str(key_place("match"sv)); break;
    case rank(kRule, "every"): rule.every = r.duration(key_place("every"sv), true); break;
    case rank(kRule, "counts"): rule.counts = r.str_list(key_place("counts"sv)); break;
    case rank(kRule, "warn"): rule.warn = r.duration(key_place("warn"sv), false); break;
    case rank(kRule, "attempts"): rule.attempts = r.str_list(key_place("attempts"sv)); break;
    case rank(kRule, "retry"): rule.retry = r.duration(key_place("retry"sv), false); break;
    default: keep_unknown(rule.unknown, key, r.raw());
    }
  }
  check_members<kRule>(r, keys, place);
  // After the loop, so that the place names the rule wherever its name is.
  if (auto problem = schema::problem_with(Type::match, rule.match)) r.fail(*problem, key_place("match"sv));
  keys.finish(rule.unknown);
  return rule;
}

// A whole number from 1 up, in an int64 (as the writer writes it back).
int read_version(Reader& r, std::string_view source) {
  const Where place = "key followup";
  json::Cursor& cur = r.cursor();
  auto refuse = [&] { r.fail(say::version_not_positive(), place); };
  if (cur.type() != json::Type::number) {
    cur.skip(kMaxDepth);
    refuse();
  }
  const std::string_view token = cur.number();
  if (token.find_first_of("-.eE") != std::string_view::npos) refuse();
  std::int64_t n = 0;
  for (char digit : token) {
    const int d = digit - '0';
    if (n > (std::numeric_limits<std::int64_t>::max() - d) / 10) refuse();
    n = n * 10 + d;
  }
  if (n < 1) refuse();
  if (n > kFormatVersion)
    throw_data(say::version_too_new(static_cast<std::uint64_t>(n)), fmt::format("{}, key followup", source), "upgrade followup to use this file");
  return static_cast<int>(n);
}

Book read_book(Reader& r, std::string_view source) {
  json::Cursor& cur = r.cursor();
  if (const json::Type top = cur.type(); top != json::Type::object) {
    cur.skip(kMaxDepth);
    throw_data(say::top_not_object(type_name(top)), std::string(source));
  }
  Book book;
  KeyOrder<keys_of<schema::kBook>> keys;
  for (bool more = cur.begin_object(); more; more = cur.next_member()) {
    std::string_view key = r.key();
    switch (keys.see(key)) {
    case rank(schema::kBook, "followup"):
      book.version = read_version(r, source);
      break;
    case rank(schema::kBook, "rules"): {
      r.expect(json::Type::array, "an array", "key rules");
      std::size_t n = 0;
      for (bool item = cur.begin_array(); item; item = cur.next_element()) {
        Rule rule = read_rule(r, n++);
        if (book.find_rule(rule.name))
          r.fail(say::rule_named_twice(rule.name), Where("rule ", std::string_view(rule.name)));
        book.rules.push_back(std::move(rule));
      }
      if (book.rules.empty()) keys.not_canonical();
      break;
    }
    case rank(schema::kBook, "contacts"):
      r.expect('[', "an array", "key contacts");
      read_contacts(r, book);
      break;
    default: keep_unknown(book.unknown, key, r.raw());
    }
  }
  if (keys.duplicate()) r.fail(say::twice(*keys.duplicate()), "the top level");
  if (!keys.seen(rank(schema::kBook, "followup")))
    throw_data(say::missing_version(), std::string(source),
               "a followup book starts with {\"followup\": 1, ...}");
  keys.finish(book.unknown);
  return book;
}

} // namespace
} // namespace loader

using loader::Reader;

Book parse_book(std::string_view text, std::string_view source, LoadDetail detail, const ParseOptions& options) {
  if (auto fault = encoding_fault(text)) throw_data(fault->what, fmt::format("{}:1:1", source), fault->hint);
  Reader r(source, text, detail, &options);
  try {
    Book book = loader::read_book(r, source);
    // Past the book's closing brace only blanks may follow.
    if (!r.cursor().at_end()) throw_json_syntax(text, source, "unexpected text after the book", r.cursor().offset());
    book.summary = is_summary(detail);
    return book;
  } catch (const json::SyntaxError& e) {
    throw_json_syntax(text, source, e);
  }
}

Contact contact_from_text(std::string_view text, std::string_view where) {
  Reader r(where, text, LoadDetail::full);
  try {
    Contact c = loader::read_contact(r, "contact");
    if (!r.cursor().at_end()) throw_json_syntax(text, where, "unexpected text after the contact", r.cursor().offset());
    return c;
  } catch (const json::SyntaxError& e) {
    throw_json_syntax(text, where, e);
  }
}

Book parse_book(std::string_view text, std::string_view source, LoadDetail detail) {
  return parse_book(text, source, detail, ParseOptions{});
}

// Through the writer's text, not dump(): numbers under unknown keys stay as written.
Contact contact_from_json(const Json& j, std::string_view where) { return contact_from_text(json_text(j), where); }

} // namespace followup
