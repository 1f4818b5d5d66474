// The book loader's reader (internal to src/core): a json::Cursor over the
// text, and the checks and messages every value gets. json_read.cpp reads a
// book with it; read_contacts.cpp its "contacts" array, in one pass or in
// parts on several threads.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "followup/model/error.hpp"
#include "followup/book/json_cursor.hpp"
#include "book/fast_read.hpp"
#include "followup/book/json_io.hpp"
#include "book/book_schema.hpp"
#include "book/json_errors.hpp"
#include "book/json_value.hpp"

namespace followup::loader {

// Unknown members may nest; the writer recurses, so their nesting is bounded.
inline constexpr int kMaxDepth = kMaxJsonDepth;

inline std::string type_name(json::Type t) {
  switch (t) {
  case json::Type::null: return "null";
  case json::Type::boolean: return "a boolean";
  case json::Type::number: return "a number";
  case json::Type::string: return "a string";
  case json::Type::array: return "an array";
  case json::Type::object: return "an object";
  }
  return "a value";
}

// Where a value sits, for messages: "contact ana, interactions[3], key date".
// Kept as views and numbers and formatted only when a message needs it: a
// book holds a million values and almost never an error, so no string is
// built for the others.
struct Where {
  std::string_view head;            // "contact ", "rule ", "contacts", "key rules"...
  std::string_view name;            // the contact id or rule name after `head`
  std::optional<std::size_t> index; // "contacts[3]"
  std::optional<std::size_t> interaction;
  std::string_view list = "interactions"; // the array `interaction` indexes
  std::string_view key, sub; // ", key fields.phone"

  Where(const char* h) : head(h) {} // NOLINT: a plain place converts
  Where(std::string_view h, std::string_view n) : head(h), name(n) {}
  Where(std::string_view h, std::size_t i) : head(h), index(i) {}

  Where at_key(std::string_view k, std::string_view s = {}) const {
    Where w = *this;
    w.key = k;
    w.sub = s;
    return w;
  }
  Where at_interaction(std::size_t i) const {
    Where w = *this;
    w.interaction = i;
    return w;
  }
  Where at_plan(std::size_t i) const {
    Where w = *this;
    w.interaction = i;
    w.list = "plans";
    return w;
  }
  std::string str() const {
    std::string out(head);
    if (index) out += fmt::format("[{}]", *index);
    out += name;
    if (interaction) out += fmt::format(", {}[{}]", list, *interaction);
    if (!key.empty()) out += fmt::format(", key {}{}{}", key, sub.empty() ? "" : ".", sub);
    return out;
  }
};

// A place in a message is a Where, or a function that makes one: the hot
// paths read a million values, and make their place only for a message.
template <class P>
Where where_of(const P& place) {
  if constexpr (std::is_invocable_v<const P&>) return place();
  else return Where(place);
}

// The place of key `k` (and `sub`) in the object at `place`, made when asked.
template <class P>
auto at_key(const P& place, std::string_view k, std::string_view sub = {}) {
  return [&place, k, sub] { return where_of(place).at_key(k, sub); };
}

// Walks the text with a json::Cursor, checking each value as it is read.
class Reader {
public:
  // Reads `text` from byte `start` on.
  Reader(std::string_view source, std::string_view text, LoadDetail detail, const ParseOptions* options = nullptr,
         std::size_t start = 0)
      : source_(source), text_(text), cursor_(text), summary_(is_summary(detail)),
        last_note_(detail == LoadDetail::summary_last_note), detail_(detail),
        options_(options), reported_(start) {
    cursor_.seek(start);
  }

  json::Cursor& cursor() { return cursor_; }
  std::string_view text() const { return text_; }
  std::string_view source() const { return source_; }
  LoadDetail detail() const { return detail_; }
  const ParseOptions* options() const { return options_; }
  // After each contact: tells the caller, a few MB at a time, which bytes
  // this reader is done with.
  void contact_done() {
    constexpr std::size_t kStep = std::size_t{4} << 20;
    if (!options_ || !options_->done_with || cursor_.offset() < reported_ + kStep) return;
    options_->done_with(reported_, cursor_.offset());
    reported_ = cursor_.offset();
  }
  // After a run of contacts: the rest of what it read (a part may be
  // shorter than a step).
  void run_done() {
    if (!options_ || !options_->done_with || cursor_.offset() <= reported_) return;
    options_->done_with(reported_, cursor_.offset());
    reported_ = cursor_.offset();
  }
  // Summary: notes and all but the latest check-in of each kind are checked
  // and dropped (see LoadDetail).
  bool summary() const { return summary_; }
  // A summary that keeps the latest check-in's note.
  bool keeps_last_note() const { return last_note_; }
  // Whether `s` is a view of the text itself (it lives as long as the
  // reader), not of the scratch an escaped string was unescaped into.
  FOLLOWUP_HOT bool in_text(std::string_view s) const {
    return s.data() >= text_.data() && s.data() <= text_.data() + text_.size();
  }

  template <class P>
  [[noreturn]] void fail(const std::string& what, const P& place) const {
    throw_data(what, fmt::format("{}, {}", source_, where_of(place).str()));
  }

  // The value here must be of type `want`. A value of another type is read
  // through first, so that a syntax error in it is what gets reported.
  template <class P>
  void expect(json::Type want, const char* what, const P& place) {
    const json::Type t = cursor_.type();
    if (t != want) wrong_type(t, what, place);
  }
  // The same when the type is told by its first byte (`open`: '{', '[' or
  // '"'): one compare on the usual path.
  template <class P>
  FOLLOWUP_HOT void expect(char open, const char* what, const P& place) {
    if (!cursor_.at(open)) wrong_type(cursor_.type(), what, place);
  }

  // Scratch for read_contact: the check-ins a summary keeps, and their
  // positions in the file.
  std::vector<Interaction>& kept() { return kept_; }
  std::vector<std::size_t>& positions() { return positions_; }

  // A member's key. It stays valid while the reader lives (objects keep
  // their keys' order): a view of the text, or of a copy when it had escapes.
  FOLLOWUP_HOT std::string_view key() {
    std::string_view k = cursor_.key(scratch_);
    if (in_text(k)) return k;
    return escaped_keys_.emplace_back(k);
  }

  // A string, unescaped: valid until the next string is read.
  template <class P>
  FOLLOWUP_HOT std::string_view view(const P& place) {
    expect('"', "a string", place);
    return cursor_.string(scratch_);
  }

  template <class P>
  std::string str(const P& place) {
    return std::string(view(place));
  }

  template <class P>
  std::vector<std::string> str_list(const P& place) {
    expect('[', "an array of strings", place);
    std::vector<std::string> out;
    for (bool more = cursor_.begin_array(); more; more = cursor_.next_element()) out.push_back(str(place));
    return out;
  }

  template <class P>
  FOLLOWUP_HOT Date date(const P& place) {
    std::string_view s = view(place);
    auto d = parse_iso_date(s);
    if (!d) fail(*schema::problem_with(schema::Type::date, s), place);
    return *d;
  }

  template <class P>
  Duration duration(const P& place, bool allow_never) {
    std::string_view s = view(place);
    auto d = parse_duration(s, allow_never);
    if (!d) fail(*schema::problem_with(allow_never ? schema::Type::cadence : schema::Type::duration, s), place);
    return *d;
  }

  // A member the program does not know, kept as it was: checked as any
  // value is, then read again into a Json, its numbers as written. Members
  // the program does not know are rare, so the second pass costs little.
  Json raw() {
    cursor_.type(); // past the blanks
    const std::size_t offset = cursor_.offset();
    cursor_.skip(kMaxDepth);
    json::Cursor again(text_.substr(0, cursor_.offset()));
    again.seek(offset);
    try {
      return value_as_written(again);
    } catch (const NumberTooLarge& e) {
      throw_data("a number too large to keep", json_place(source_, text_, e.offset));
    }
  }

private:
  // Out of the way of the usual path, which never comes here.
  template <class P>
  [[noreturn, gnu::noinline, gnu::cold]] void wrong_type(json::Type t, const char* what, const P& place) {
    cursor_.skip(kMaxDepth);
    fail(schema::say::wrong_type(what, type_name(t)), place);
  }

  std::string_view source_;
  std::string_view text_;
  json::Cursor cursor_;
  bool summary_;
  bool last_note_;
  LoadDetail detail_;
  const ParseOptions* options_;
  std::size_t reported_; // done_with() was told of the bytes before this
  std::string scratch_;                  // unescaped strings
  std::deque<std::string> escaped_keys_; // stable: keys are kept as views
  std::vector<Interaction> kept_;
  std::vector<std::size_t> positions_;
};

// One contact object, every value checked (json_read.cpp).
Contact read_contact(Reader& r, const Where& index_place);

// The "contacts" array, the cursor at its '[': every contact, checked, and
// no id used twice (read_contacts.cpp).
void read_contacts(Reader& r, Book& book);

} // namespace followup::loader
