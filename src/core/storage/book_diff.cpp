// What changed between two versions of a book, in words (for `undo`).
// Contacts are matched by id, rules by name; everything is listed in book
// order so that the same two books always give the same lines.
#include "followup/storage/book_diff.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "followup/output/format.hpp"
#include "followup/book/json_io.hpp"

namespace followup {
namespace {

using Lines = std::vector<std::string>;

bool same_interaction(const Interaction& a, const Interaction& b) {
  return a.date == b.date && a.kind == b.kind && a.note == b.note && a.by == b.by;
}

std::string interaction_text(const Interaction& it, const std::string& name) {
  return fmt::format("the {} with {} on {}", it.kind.value_or("check-in"), name, to_iso(it.date));
}

// The interactions of `a` that have no partner in `b`, pairing equal ones
// off one by one: two identical calls on one day are two calls.
std::vector<const Interaction*> unmatched(const std::vector<Interaction>& a, const std::vector<Interaction>& b) {
  std::vector<bool> taken(b.size(), false);
  std::vector<const Interaction*> left;
  for (const auto& x : a) {
    bool found = false;
    for (std::size_t i = 0; i < b.size() && !found; ++i) {
      if (!taken[i] && same_interaction(x, b[i])) found = taken[i] = true;
    }
    if (!found) left.push_back(&x);
  }
  return left;
}

bool same_interactions(const std::vector<Interaction>& a, const std::vector<Interaction>& b) {
  return a.size() == b.size() && unmatched(a, b).empty();
}

// Keys whose value differs, as the file shows them (unknown keys included),
// in `to`'s order, then keys only `from` had. `interactions` is reported
// only when no interaction was added or removed (its unknown members or
// order changed): additions and removals get lines of their own.
std::vector<std::string> changed_keys(const Contact& from, const Contact& to) {
  const Json a = contact_to_json(from), b = contact_to_json(to);
  std::vector<std::string> keys;
  auto consider = [&](const std::string& key) {
    if (key == "id" || std::find(keys.begin(), keys.end(), key) != keys.end()) return;
    if (a.contains(key) && b.contains(key) && a.at(key) == b.at(key)) return;
    if (key == "interactions" && !same_interactions(from.interactions, to.interactions)) return;
    keys.push_back(key);
  };
  for (auto it = b.begin(); it != b.end(); ++it) consider(it.key());
  for (auto it = a.begin(); it != a.end(); ++it) consider(it.key());
  return keys;
}

std::string label(const Contact& c) { return fmt::format("{} ({})", c.name, c.id); }

void describe_contact(const Contact& from, const Contact& to, Lines& out) {
  for (const Interaction* it : unmatched(from.interactions, to.interactions))
    out.push_back("removed " + interaction_text(*it, from.name));
  for (const Interaction* it : unmatched(to.interactions, from.interactions))
    out.push_back("added " + interaction_text(*it, to.name));
  auto keys = changed_keys(from, to);
  if (!keys.empty()) out.push_back(fmt::format("changed {}: {}", label(to), join(keys, ", ")));
}

// Rules have no JSON form of their own; compare what the file holds.
std::vector<std::string> changed_rule_keys(const Rule& a, const Rule& b) {
  std::vector<std::string> keys;
  if (a.match != b.match) keys.emplace_back("match");
  if (a.every.text != b.every.text) keys.emplace_back("every");
  if (a.counts != b.counts) keys.emplace_back("counts");
  auto warn_text = [](const Rule& r) { return r.warn ? std::optional<std::string>(r.warn->text) : std::nullopt; };
  if (warn_text(a) != warn_text(b)) keys.emplace_back("warn");
  if (a.attempts != b.attempts) keys.emplace_back("attempts");
  auto retry_text = [](const Rule& r) { return r.retry ? std::optional<std::string>(r.retry->text) : std::nullopt; };
  if (retry_text(a) != retry_text(b)) keys.emplace_back("retry");
  if (a.unknown.members() != b.unknown.members()) keys.emplace_back("other keys");
  return keys;
}

// Whether the items both books hold come in a different order.
template <class T, class Key>
bool reordered(const std::vector<T>& from, const std::vector<T>& to, Key key) {
  std::set<std::string> in_from, in_to;
  for (const auto& x : from) in_from.insert(key(x));
  for (const auto& x : to) in_to.insert(key(x));
  std::vector<std::string> a, b;
  for (const auto& x : from)
    if (in_to.count(key(x))) a.push_back(key(x));
  for (const auto& x : to)
    if (in_from.count(key(x))) b.push_back(key(x));
  return a != b;
}

void describe_rules(const Book& from, const Book& to, Lines& out) {
  for (const auto& r : from.rules)
    if (!to.find_rule(r.name)) out.push_back("removed the rule " + r.name);
  for (const auto& r : to.rules) {
    const Rule* old = from.find_rule(r.name);
    if (!old) {
      out.push_back("added the rule " + r.name);
      continue;
    }
    auto keys = changed_rule_keys(*old, r);
    if (!keys.empty()) out.push_back(fmt::format("changed the rule {}: {}", r.name, join(keys, ", ")));
  }
  if (reordered(from.rules, to.rules, [](const Rule& r) { return r.name; })) out.emplace_back("reordered the rules");
}

// Contacts by id: a look-up per contact of a 100k book must not be a scan.
class ById {
public:
  explicit ById(const Book& b) {
    index_.reserve(b.contacts.size());
    for (const auto& c : b.contacts) index_.emplace(c.id, &c);
  }
  const Contact* find(std::string_view id) const {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : it->second;
  }

private:
  std::unordered_map<std::string_view, const Contact*> index_;
};

// Whether two versions of a contact hold the same, member by member: most
// contacts are unchanged, and this spares them the JSON comparison.
bool same_contact(const Contact& a, const Contact& b) {
  auto every_text = [](const Contact& c) { return c.every ? std::optional<std::string>(c.every->text) : std::nullopt; };
  auto same_fields = [](const Contact& x, const Contact& y) {
    return std::equal(x.fields.begin(), x.fields.end(), y.fields.begin(), y.fields.end(),
                      [](const Field& f, const Field& g) { return f.key == g.key && f.value == g.value; });
  };
  auto same_list = [](const std::vector<Interaction>& x, const std::vector<Interaction>& y) {
    return std::equal(x.begin(), x.end(), y.begin(), y.end(), [](const Interaction& i, const Interaction& j) {
      return same_interaction(i, j) && i.unknown.order() == j.unknown.order() &&
             i.unknown.members() == j.unknown.members();
    });
  };
  return a.id == b.id && a.name == b.name && a.tags == b.tags && every_text(a) == every_text(b) &&
         a.counts == b.counts && same_fields(a, b) && a.notes == b.notes && a.added == b.added &&
         a.snoozed_until == b.snoozed_until && a.unknown.order() == b.unknown.order() &&
         a.unknown.members() == b.unknown.members() && same_list(a.interactions, b.interactions);
}

// A contact whose id changed looks like one removed and one added. When that
// is the only such pair and it carries the same history, it is a rename. With
// no history to compare, the name or the `added` date must match too, so that
// replacing one new contact with another is not called a rename.
struct Rename {
  const Contact* from = nullptr;
  const Contact* to = nullptr;
};

Rename find_rename(const Book& from, const Book& to, const ById& in_from, const ById& in_to) {
  std::vector<const Contact*> gone, fresh;
  for (const auto& c : from.contacts)
    if (!in_to.find(c.id)) gone.push_back(&c);
  for (const auto& c : to.contacts)
    if (!in_from.find(c.id)) fresh.push_back(&c);
  if (gone.size() != 1 || fresh.size() != 1) return {};
  const Contact& a = *gone.front();
  const Contact& b = *fresh.front();
  if (!same_interactions(a.interactions, b.interactions)) return {};
  bool same_added = a.added && a.added == b.added;
  if (a.interactions.empty() && a.name != b.name && !same_added) return {};
  return {&a, &b};
}

void describe_contacts(const Book& from, const Book& to, Lines& out) {
  const ById in_from(from), in_to(to);
  const Rename rename = find_rename(from, to, in_from, in_to);
  for (const auto& c : from.contacts)
    if (&c != rename.from && !in_to.find(c.id)) out.push_back("removed the contact " + label(c));
  for (const auto& c : to.contacts) {
    if (&c == rename.to) {
      out.push_back(fmt::format("renamed the id {} to {}", rename.from->id, c.id));
      describe_contact(*rename.from, c, out);
    } else if (const Contact* old = in_from.find(c.id)) {
      if (!same_contact(*old, c)) describe_contact(*old, c, out);
    } else {
      out.push_back("added the contact " + label(c));
    }
  }
  if (reordered(from.contacts, to.contacts, [](const Contact& c) { return c.id; }))
    out.emplace_back("reordered the contacts");
}

// The book's own members other than rules and contacts: the format version
// and keys this program does not know.
void describe_book(const Book& from, const Book& to, Lines& out) {
  if (from.version != to.version)
    out.push_back(fmt::format("changed the format version from {} to {}", from.version, to.version));
  std::vector<std::string> keys;
  const Json none = Json::object();
  const Json& a = from.unknown.members().is_object() ? from.unknown.members() : none;
  const Json& b = to.unknown.members().is_object() ? to.unknown.members() : none;
  for (const Json* side : {&b, &a})
    for (auto it = side->begin(); it != side->end(); ++it) {
      const std::string& k = it.key();
      bool same = a.contains(k) && b.contains(k) && a.at(k) == b.at(k);
      if (!same && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    }
  if (!keys.empty()) out.push_back("changed the book's other keys: " + join(keys, ", "));
}

} // namespace

std::vector<std::string> describe_changes(const Book& from, const Book& to) {
  Lines out;
  describe_book(from, to, out);
  describe_rules(from, to, out);
  describe_contacts(from, to, out);
  return out;
}

} // namespace followup
