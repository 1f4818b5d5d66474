// The book in memory: what the data file holds (SPEC §1), typed, plus what
// the program does not know, kept so that it is written back in place.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "followup/date.hpp"
#include "followup/duration.hpp"

namespace followup {

using Json = nlohmann::ordered_json;

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

  Unknown() = default;
  Unknown(const Unknown& o) : data_(o.data_ ? std::make_unique<Data>(*o.data_) : nullptr) {}
  Unknown(Unknown&&) noexcept = default;
  Unknown& operator=(const Unknown& o) {
    if (this != &o) data_ = o.data_ ? std::make_unique<Data>(*o.data_) : nullptr;
    return *this;
  }
  Unknown& operator=(Unknown&&) noexcept = default;

  const std::vector<std::string>& order() const;
  const Json& members() const; // null when none
  Data& edit();                // to change them (made on first use)
  bool has(std::string_view key) const;

private:
  std::unique_ptr<Data> data_;
};

// An optional string one pointer wide: most check-ins have no note and no
// `by`, and summary loads keep none. Reads like std::optional<std::string>.
class OptText {
public:
  OptText() = default;
  OptText(std::nullopt_t) {}
  OptText(std::string s) : p_(std::make_unique<std::string>(std::move(s))) {}
  OptText(const char* s) : OptText(std::string(s)) {}
  OptText(const std::optional<std::string>& s) : p_(s ? std::make_unique<std::string>(*s) : nullptr) {}
  OptText(const OptText& o) : p_(o.p_ ? std::make_unique<std::string>(*o.p_) : nullptr) {}
  OptText(OptText&&) noexcept = default;
  OptText& operator=(const OptText& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<std::string>(*o.p_) : nullptr;
    return *this;
  }
  OptText& operator=(OptText&&) noexcept = default;
  OptText& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return p_ != nullptr; }
  const std::string& operator*() const { return *p_; }
  std::string& operator*() { return *p_; }
  const std::string* operator->() const { return p_.get(); }
  std::string* operator->() { return p_.get(); }
  std::string value_or(std::string_view other) const { return p_ ? *p_ : std::string(other); }
  void reset() { p_.reset(); }
  operator std::optional<std::string>() const { return p_ ? std::optional<std::string>(*p_) : std::nullopt; }

  friend bool operator==(const OptText& a, const OptText& b) {
    return a.p_ && b.p_ ? *a.p_ == *b.p_ : a.p_ == b.p_;
  }
  friend bool operator==(const OptText& a, std::nullopt_t) { return !a.p_; }
  friend bool operator==(const OptText& a, const std::string& b) { return a.p_ && *a.p_ == b; }
  friend bool operator==(const OptText& a, const char* b) { return a.p_ && *a.p_ == b; }

private:
  std::unique_ptr<std::string> p_;
};

struct Interaction {
  Date date;
  std::optional<std::string> kind;
  OptText note;
  OptText by;
  Unknown unknown;
};

struct Field {
  std::string key;
  std::string value;
};

struct Contact {
  std::string id;
  std::string name;
  std::vector<std::string> tags;
  std::optional<Duration> every;
  std::optional<std::vector<std::string>> counts;
  std::vector<Field> fields;
  OptText notes;
  std::optional<Date> added;
  std::optional<Date> snoozed_until;
  std::vector<Interaction> interactions; // sorted by date, stable
  Unknown unknown;

  bool has_tag(std::string_view tag) const;             // case-insensitive
  const Field* field(std::string_view key) const;       // case-insensitive key
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
