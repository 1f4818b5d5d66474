// Writing the data file: 2-space pretty JSON in the layout of Python's
// json.dump(indent=2, ensure_ascii=False), keys in the order they were read,
// so that rewriting an unchanged book gives the same bytes and one new
// interaction is a small diff.
#include <algorithm>
#include <array>

#include "followup/output/format.hpp"
#include "followup/book/json_io.hpp"
#include "book/book_schema.hpp"
#include "book/json_value.hpp"

namespace followup {
namespace {

void indent(std::string& out, int depth) { out.append(static_cast<std::size_t>(depth) * 2, ' '); }

// The escaping shared with `-o json` (format_json.cpp): `"`, `\\`, control
// characters; other bytes as they are, so a book's bytes round-trip.
void write_string(std::string& out, std::string_view s) { append_json_string(out, s); }

void write_json(std::string& out, const Json& j, int depth) {
  if (j.is_object()) {
    if (j.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!first) out += ",\n";
      first = false;
      indent(out, depth + 1);
      write_string(out, it.key());
      out += ": ";
      write_json(out, it.value(), depth + 1);
    }
    out += "\n";
    indent(out, depth);
    out += "}";
  } else if (j.is_array()) {
    if (j.empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    bool first = true;
    for (const auto& item : j) {
      if (!first) out += ",\n";
      first = false;
      indent(out, depth + 1);
      write_json(out, item, depth + 1);
    }
    out += "\n";
    indent(out, depth);
    out += "]";
  } else if (j.is_string()) {
    write_string(out, j.get_ref<const std::string&>());
  } else if (auto number = number_text(j)) {
    out += *number; // an unknown member's number, as it was written
  } else {
    out += j.dump();
  }
}

// Writes one object: `present(key)` says whether a known key has a value,
// `value(key, depth)` writes it. Keys come in the order they were read
// (`unknown.order`), known keys new to the object at their canonical place.
template <std::size_t N, class Present, class Value>
void write_object(std::string& out, int depth, const std::array<std::string_view, N>& canonical,
                  const Unknown& unknown, Present&& present, Value&& value) {
  std::vector<std::string_view> keys;
  keys.reserve(N + unknown.order().size());
  for (const auto& k : unknown.order()) keys.push_back(k);
  for (std::size_t rank = 0; rank < N; ++rank) {
    std::string_view k = canonical[rank];
    if (!present(k) || std::find(keys.begin(), keys.end(), k) != keys.end()) continue;
    // Before the first known key that comes later in canonical order.
    auto pos = std::find_if(keys.begin(), keys.end(), [&](std::string_view other) {
      auto r = std::find(canonical.begin(), canonical.end(), other);
      return r != canonical.end() && static_cast<std::size_t>(r - canonical.begin()) > rank;
    });
    keys.insert(pos, k);
  }

  out += "{\n";
  bool first = true;
  for (std::string_view k : keys) {
    bool known = std::find(canonical.begin(), canonical.end(), k) != canonical.end();
    if (known ? !present(k) : !(unknown.members().is_object() && unknown.members().contains(k))) continue;
    if (!first) out += ",\n";
    first = false;
    indent(out, depth + 1);
    write_string(out, k);
    out += ": ";
    if (known) value(k, depth + 1);
    else write_json(out, unknown.members().at(std::string(k)), depth + 1);
  }
  out += "\n";
  indent(out, depth);
  out += "}";
}

// An array (`open` '[') or an object ('{') of `items`, one a line; each(item,
// depth) writes an element, or a member's key and value.
template <class T, class Each>
void write_items(std::string& out, int depth, const std::vector<T>& items, char open, Each&& each) {
  const char close = open == '[' ? ']' : '}';
  out.push_back(open);
  if (items.empty()) {
    out.push_back(close);
    return;
  }
  out += "\n";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ",\n";
    indent(out, depth + 1);
    each(items[i], depth + 1);
  }
  out += "\n";
  indent(out, depth);
  out.push_back(close);
}

template <class T, class Each>
void write_array(std::string& out, int depth, const std::vector<T>& items, Each&& each) {
  write_items(out, depth, items, '[', std::forward<Each>(each));
}

// An object of strings (fields, occasions), in the order of `items`.
template <class T, class Key, class Value>
void write_string_map(std::string& out, int depth, const std::vector<T>& items, Key&& key, Value&& value) {
  write_items(out, depth, items, '{', [&](const T& item, int) {
    write_string(out, key(item));
    out += ": ";
    write_string(out, value(item));
  });
}

void write_strings(std::string& out, int depth, const std::vector<std::string>& items) {
  write_array(out, depth, items, [&](const std::string& s, int) { write_string(out, s); });
}

// The last guard against a date the reader would refuse: a book it cannot
// read back would be bricked (issue 12), so no such book is ever written.
void write_date(std::string& out, Date d) {
  require_storable(d, "");
  write_string(out, to_iso(d));
}

// Each object's known keys in the order they are written (book_schema.hpp).
constexpr const auto& kInteractionKeys = schema::keys_of<schema::kCheckIn>;
constexpr const auto& kContactKeys = schema::keys_of<schema::kContact>;
constexpr const auto& kPlanKeys = schema::keys_of<schema::kPlan>;
constexpr const auto& kRuleKeys = schema::keys_of<schema::kRule>;
constexpr const auto& kBookKeys = schema::keys_of<schema::kBook>;

void write_interaction(std::string& out, int depth, const Interaction& it) {
  auto present = [&](std::string_view k) {
    return k == "date" || (k == "kind" && it.kind) || (k == "note" && it.note) || (k == "by" && it.by);
  };
  write_object(out, depth, kInteractionKeys, it.unknown, present, [&](std::string_view k, int) {
    if (k == "date") write_date(out, it.date);
    else if (k == "kind") write_string(out, *it.kind);
    else if (k == "note") write_string(out, *it.note);
    else write_string(out, *it.by);
  });
}

void write_plan(std::string& out, int depth, const CallPlan& p) {
  auto present = [&](std::string_view k) { return k == "date" || (k == "note" && p.note); };
  write_object(out, depth, kPlanKeys, p.unknown, present, [&](std::string_view k, int) {
    if (k == "date") write_date(out, p.date);
    else write_string(out, *p.note);
  });
}

void write_contact(std::string& out, int depth, const Contact& c) {
  auto present = [&](std::string_view k) {
    if (k == "id" || k == "name") return true;
    if (k == "tags") return !c.tags.empty() || c.unknown.has(k);
    if (k == "every") return c.every.has_value();
    if (k == "counts") return c.counts.has_value();
    if (k == "fields") return !c.fields.empty() || c.unknown.has(k);
    if (k == "notes") return c.notes.has_value();
    if (k == "added") return c.added.has_value();
    if (k == "snoozed_until") return c.snoozed_until.has_value();
    if (k == "owner") return c.owner.has_value();
    if (k == "occasions") return !c.occasions.empty() || c.unknown.has(k);
    if (k == "plans") return !c.plans.empty() || c.unknown.has(k);
    return !c.interactions.empty() || c.unknown.has(k);
  };
  write_object(out, depth, kContactKeys, c.unknown, present, [&](std::string_view k, int d) {
    if (k == "id") write_string(out, c.id);
    else if (k == "name") write_string(out, c.name);
    else if (k == "tags") write_strings(out, d, c.tags);
    else if (k == "every") write_string(out, c.every->text);
    else if (k == "counts") write_strings(out, d, *c.counts);
    else if (k == "fields")
      write_string_map(out, d, c.fields, [](const Field& f) -> const std::string& { return f.key; },
                       [](const Field& f) -> const std::string& { return f.value; });
    else if (k == "notes") write_string(out, *c.notes);
    else if (k == "added") write_date(out, *c.added);
    else if (k == "snoozed_until") write_date(out, *c.snoozed_until);
    else if (k == "owner") write_string(out, *c.owner);
    else if (k == "occasions")
      write_string_map(out, d, c.occasions, [](const Occasion& o) -> const std::string& { return o.label; },
                       [](const Occasion& o) { return o.date_text(); });
    else if (k == "plans") write_array(out, d, c.plans, [&](const CallPlan& p, int dd) { write_plan(out, dd, p); });
    else write_array(out, d, c.interactions, [&](const Interaction& it, int dd) { write_interaction(out, dd, it); });
  });
}

void write_rule(std::string& out, int depth, const Rule& r) {
  auto present = [&](std::string_view k) {
    return k == "name" || k == "match" || k == "every" || (k == "counts" && r.counts) || (k == "warn" && r.warn) ||
           (k == "attempts" && r.attempts) || (k == "retry" && r.retry);
  };
  write_object(out, depth, kRuleKeys, r.unknown, present, [&](std::string_view k, int d) {
    if (k == "name") write_string(out, r.name);
    else if (k == "match") write_string(out, r.match);
    else if (k == "every") write_string(out, r.every.text);
    else if (k == "counts") write_strings(out, d, *r.counts);
    else if (k == "warn") write_string(out, r.warn->text);
    else if (k == "attempts") write_strings(out, d, *r.attempts);
    else write_string(out, r.retry->text);
  });
}

} // namespace

std::string serialize_book(const Book& book) {
  // A summary lacks notes and most check-ins: writing it would lose them.
  if (book.summary) throw std::logic_error("serialize_book: a summary book cannot be saved");
  std::string out;
  out.reserve(1024 + book.contacts.size() * 1024);
  auto present = [&](std::string_view k) {
    if (k == "followup") return true;
    if (k == "rules") return !book.rules.empty() || book.unknown.has(k);
    return true; // contacts: always, so a new book is a complete example of the format
  };
  write_object(out, 0, kBookKeys, book.unknown, present, [&](std::string_view k, int d) {
    if (k == "followup") out += std::to_string(book.version);
    else if (k == "rules") write_array(out, d, book.rules, [&](const Rule& r, int dd) { write_rule(out, dd, r); });
    else write_array(out, d, book.contacts, [&](const Contact& c, int dd) { write_contact(out, dd, c); });
  });
  out += "\n";
  return out;
}

std::string serialize_interactions(const std::vector<Interaction>& items) {
  std::string out;
  // {"contacts": [ {"interactions": [ ... : the book at 0, contacts 1, a contact 2.
  constexpr int kDepth = 3;
  write_array(out, kDepth, items, [&](const Interaction& it, int d) { write_interaction(out, d, it); });
  return out;
}

std::string json_text(const Json& j) {
  std::string out;
  write_json(out, j, 0);
  return out;
}

Json contact_to_json(const Contact& c) {
  std::string text;
  write_contact(text, 0, c);
  json::Cursor cursor(text); // our own text: valid, its numbers those read
  return loader::value_as_written(cursor);
}

} // namespace followup
