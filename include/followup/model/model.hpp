// The book in memory: what the data file holds (SPEC §1), typed, plus what
// the program does not know, kept so that it is written back in place.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "followup/model/date.hpp"
#include "followup/model/duration.hpp"
#include "followup/model/field.hpp"

namespace followup {

using Json = nlohmann::ordered_json;

// An optional value one pointer wide, kept out of line: most check-ins have
// no note and no `by`, most contacts no own `every` or `counts`, and summary
// loads keep no notes at all. Reads like std::optional<T>; copies are deep.
template <class T>
class OptBox {
public:
  OptBox() = default;
  OptBox(std::nullopt_t) {}
  OptBox(T v) : p_(std::make_unique<T>(std::move(v))) {}
  OptBox(const char* s)
    requires std::is_same_v<T, std::string>
      : OptBox(std::string(s)) {}
  OptBox(const std::optional<T>& v) : p_(v ? std::make_unique<T>(*v) : nullptr) {}
  OptBox(const OptBox& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  OptBox(OptBox&&) noexcept = default;
  OptBox& operator=(const OptBox& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  OptBox& operator=(OptBox&&) noexcept = default;
  OptBox& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return p_ != nullptr; }
  const T& operator*() const { return *p_; }
  T& operator*() { return *p_; }
  const T* operator->() const { return p_.get(); }
  T* operator->() { return p_.get(); }
  template <class U>
  T value_or(U&& other) const {
    return p_ ? *p_ : T(std::forward<U>(other));
  }
  void reset() { p_.reset(); }
  operator std::optional<T>() const { return p_ ? std::optional<T>(*p_) : std::nullopt; }

  friend bool operator==(const OptBox& a, const OptBox& b) { return a.p_ && b.p_ ? *a.p_ == *b.p_ : a.p_ == b.p_; }
  friend bool operator==(const OptBox& a, std::nullopt_t) { return !a.p_; }
  friend bool operator==(const OptBox& a, const T& b) { return a.p_ && *a.p_ == b; }
  friend bool operator==(const OptBox& a, const char* b)
    requires std::is_same_v<T, std::string>
  {
    return a.p_ && *a.p_ == b;
  }

private:
  std::unique_ptr<T> p_;
};

using OptText = OptBox<std::string>;

// Unknown members of one JSON object, and the order its keys were read in.
// `order` empty means "the canonical order" (what new objects get); members
// not in `order` that are known and present are placed at their canonical spot.
// Most objects have neither, so both live out of line: a pointer's width in
// each of a million check-ins.
class Unknown {
public:
  struct Data {
    std::vector<std::string> order;
    Json members; // an object of the unknown members, or null when none
  };

  const std::vector<std::string>& order() const;
  const Json& members() const; // null when none
  Data& edit();                // to change them (made on first use)
  bool has(std::string_view key) const;

private:
  OptBox<Data> data_;
};

// A number under an unknown key, kept as written (SPEC §1): a double would
// print `98765432109876543210`, `1.10` or `-0` otherwise. It is held as a Json
// binary value of its own subtype whose bytes are the number's text; the
// project's writers (serialize_book, json_text) print those bytes. Two such
// numbers are equal when they are spelt the same. nlohmann's own dump() would
// print it as an object of bytes: print these values with json_text().
inline constexpr std::uint64_t kWrittenNumber = 0x4e; // 'N'
Json written_number(std::string_view text);
// The text of such a number; nullopt for any other value.
std::optional<std::string_view> number_text(const Json& j);

struct Interaction {
  Date date;
  std::optional<std::string> kind;
  OptText note;
  OptText by;
  Unknown unknown;
};

// A date to call on (SPEC §7): `{"date": ..., "note": ...}`.
struct CallPlan {
  Date date;
  OptText note;
  Unknown unknown;
};

// A yearly day (SPEC §7): `"birthday": "1989-06-14"` or year-less `"--06-14"`.
struct Occasion {
  std::string label;
  int year = 0; // 0: year-less
  int month = 1;
  int day = 1;

  std::string date_text() const; // as the file holds it
  bool operator==(const Occasion&) const = default;
};

// `YYYY-MM-DD` (years 1000..9999) or `--MM-DD` (Feb 29 allowed); nullopt
// when malformed or impossible. The label is left empty.
std::optional<Occasion> parse_occasion_date(std::string_view text);
// A label is a word: an ASCII letter, then letters, digits, '-' or '_'.
bool is_valid_label(std::string_view label);

struct Contact {
  std::string id;
  std::string name;
  std::vector<std::string> tags;
  OptBox<Duration> every;
  OptBox<std::vector<std::string>> counts;
  std::vector<Field> fields;
  OptText notes;
  std::optional<Date> added;
  std::optional<Date> snoozed_until;
  OptText owner;                         // who keeps in touch (SPEC §8)
  std::vector<Occasion> occasions;       // in file order, labels unique
  std::vector<CallPlan> plans;               // as written (not sorted)
  std::vector<Interaction> interactions; // sorted by date, stable
  Unknown unknown;

  bool has_tag(std::string_view tag) const;             // case-insensitive
  const Field* field(std::string_view key) const;       // case-insensitive key
  const Occasion* occasion(std::string_view label) const; // case-insensitive label
  bool has_kind(std::string_view kind) const;           // case-insensitive
  // Inserts after every interaction with the same or an earlier date.
  void insert_interaction(Interaction it);
};

struct Rule {
  std::string name;
  std::string match; // the expression, as written
  Duration every;
  std::optional<std::vector<std::string>> counts;
  std::optional<Duration> warn;
  // Kinds that mean "tried, did not reach them" (SPEC §7); unset: voicemail
  // and no-answer; empty: none.
  std::optional<std::vector<std::string>> attempts;
  std::optional<Duration> retry; // after an attempt; unset: 3d
  Unknown unknown;
};

inline constexpr int kFormatVersion = 1;

struct Book {
  int version = kFormatVersion;
  std::vector<Rule> rules;
  std::vector<Contact> contacts;
  Unknown unknown;
  bool summary = false; // loaded with LoadDetail::summary: never to be saved
  // Where each contact's object lay in the text the book was read from
  // ([begin, end) byte offsets; {0, 0} when unknown). Stale once changed.
  std::vector<std::pair<std::size_t, std::size_t>> spans;

  Contact* find_id(std::string_view id);
  const Contact* find_id(std::string_view id) const;
  const Rule* find_rule(std::string_view name) const;
  // An unused id: `base`, else `base-2`, `base-3`...
  std::string unique_id(std::string_view base) const;
};

// Kind comparison used by `counts`, `kind:` and `--kind` filters.
bool kind_matches(const std::optional<std::string>& kind, std::string_view wanted);

} // namespace followup
