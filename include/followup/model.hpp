// The book in memory: what the data file holds (SPEC §1), typed, plus what
// the program does not know, kept so that it is written back in place.
#pragma once

#include <optional>
#include <string>
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
struct Unknown {
  std::vector<std::string> order;
  Json members; // an object of the unknown members, or null when none

  bool has(std::string_view key) const;
};

struct Interaction {
  Date date;
  std::optional<std::string> kind;
  std::optional<std::string> note;
  std::optional<std::string> by;
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
  std::optional<std::string> notes;
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
