// Merging books member by member on their JSON trees (SPEC §8; the rules
// are summed up in merge.hpp). A member is "absent" as well as any value, so
// one side removing a member is a change like any other.
#include "followup/team/merge.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "followup/model/error.hpp"
#include "followup/book/json_io.hpp"

namespace followup {
namespace {

// ---- values ----

// A value's text with object keys sorted: equal for equal values whatever
// order their keys were written in.
void canon_into(std::string& out, const Json& j) {
  if (j.is_object()) {
    std::vector<std::pair<const std::string*, const Json*>> members;
    for (auto it = j.begin(); it != j.end(); ++it) members.emplace_back(&it.key(), &it.value());
    std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return *a.first < *b.first; });
    out += '{';
    for (const auto& [k, v] : members) {
      out += Json(*k).dump();
      out += ':';
      canon_into(out, *v);
      out += ',';
    }
    out += '}';
  } else if (j.is_array()) {
    out += '[';
    for (const auto& item : j) {
      canon_into(out, item);
      out += ',';
    }
    out += ']';
  } else {
    out += j.dump();
  }
}

std::string canon(const Json& j) {
  std::string out;
  canon_into(out, j);
  return out;
}

// Equal values, or both absent.
bool same(const Json* a, const Json* b) {
  if (!a || !b) return a == b;
  if (a->type() != b->type() && !(a->is_number() && b->is_number())) return false;
  if (!a->is_structured()) return *a == *b;
  return canon(*a) == canon(*b);
}

const Json* get(const Json* object, const std::string& key) {
  if (!object || !object->is_object()) return nullptr;
  auto it = object->find(key);
  return it == object->end() ? nullptr : &*it;
}

// ---- conflicts found ----

struct Found {
  std::vector<MergeConflict>& all;
  std::string owner;
  Json entries = Json::array(); // for the object's `conflicts`

  void add(const std::string& key, const Json* base, const Json* theirs) {
    Json e = Json::object();
    e["key"] = key;
    // Both always there (null: that side has no such member), as SPEC §8 shows them.
    e["theirs"] = theirs ? *theirs : Json(nullptr);
    e["base"] = base ? *base : Json(nullptr);
    entries.push_back(std::move(e));
    all.push_back({owner, key});
  }
};

// The side that changed the member; ours, and a conflict, when both did.
const Json* pick(const Json* b, const Json* o, const Json* t, const std::string& key, Found& found) {
  if (same(o, t)) return o;
  if (same(o, b)) return t;
  if (same(t, b)) return o;
  found.add(key, b, t);
  return o;
}

std::optional<Json> value_of(const Json* v) { return v ? std::optional<Json>(*v) : std::nullopt; }

// A member both sides lack, or one removed while the other left it alone,
// stays out even where the merged value would be empty.
bool dropped(const Json* b, const Json* o, const Json* t) {
  if (!o && !t) return true;
  if (!o) return same(t, b);
  if (!t) return same(o, b);
  return false;
}

// ---- the shapes of members ----

// Sets (tags, plans, conflicts): what either side added, less what either removed.
std::optional<Json> merge_set(const Json* b, const Json* o, const Json* t, const std::string& key, Found& found) {
  if ((o && !o->is_array()) || (t && !t->is_array())) return value_of(pick(b, o, t, key, found));
  if (dropped(b, o, t)) return std::nullopt;
  std::unordered_set<std::string> in_base, in_ours, in_theirs, taken;
  if (b && b->is_array())
    for (const auto& x : *b) in_base.insert(canon(x));
  if (o)
    for (const auto& x : *o) in_ours.insert(canon(x));
  if (t)
    for (const auto& x : *t) in_theirs.insert(canon(x));
  Json out = Json::array();
  if (o)
    for (const auto& x : *o) {
      std::string c = canon(x);
      bool theirs_removed = in_base.contains(c) && !in_theirs.contains(c);
      if (!theirs_removed && taken.insert(c).second) out.push_back(x);
    }
  if (t)
    for (const auto& x : *t) {
      std::string c = canon(x);
      if (!in_base.contains(c) && taken.insert(c).second) out.push_back(x);
    }
  return out;
}

// Interactions: each distinct check-in as many times as the side that has
// most of it (one side's added copy is not lost, the same check-in logged
// on both is kept once), less as many as the side that deleted most
// deleted. Ours' order, then theirs'; sorted by date, stable.
std::optional<Json> merge_interactions(const Json* b, const Json* o, const Json* t, const std::string& key,
                                       Found& found) {
  if ((o && !o->is_array()) || (t && !t->is_array())) return value_of(pick(b, o, t, key, found));
  std::unordered_map<std::string, std::array<int, 3>> counts; // base, ours, theirs
  const std::array<const Json*, 3> sides{b && b->is_array() ? b : nullptr, o, t};
  for (std::size_t s = 0; s < sides.size(); ++s)
    if (sides[s])
      for (const auto& x : *sides[s]) ++counts[canon(x)][s];
  std::unordered_map<std::string, int> budget;
  for (const auto& [c, n] : counts) {
    const int added = std::max({0, n[1] - n[0], n[2] - n[0]});
    const int deleted = std::max({0, n[0] - n[1], n[0] - n[2]});
    budget[c] = n[0] - deleted + added;
  }
  Json out = Json::array();
  for (const Json* side : {o, t})
    if (side)
      for (const auto& x : *side)
        if (int& left = budget[canon(x)]; left > 0) {
          out.push_back(x);
          --left;
        }
  std::stable_sort(out.begin(), out.end(), [](const Json& x, const Json& y) {
    return x.value("date", std::string()) < y.value("date", std::string());
  });
  if (out.empty() && (!o || !t)) return std::nullopt; // an empty array only where both had one
  return out;
}

// Keys in ours' order; a key only theirs has goes after the key it follows there.
std::vector<std::string> member_order(const Json& o, const Json& t) {
  std::vector<std::string> keys;
  for (auto it = o.begin(); it != o.end(); ++it) keys.push_back(it.key());
  std::ptrdiff_t at = 0;
  for (auto it = t.begin(); it != t.end(); ++it) {
    auto pos = std::find(keys.begin(), keys.end(), it.key());
    if (pos != keys.end()) {
      at = pos - keys.begin() + 1;
      continue;
    }
    keys.insert(keys.begin() + at, it.key());
    ++at;
  }
  return keys;
}

// Objects merged key by key (fields, occasions): "fields.phone" in conflicts.
std::optional<Json> merge_keys(const Json* b, const Json* o, const Json* t, const std::string& key, Found& found) {
  if ((o && !o->is_object()) || (t && !t->is_object())) return value_of(pick(b, o, t, key, found));
  if (dropped(b, o, t)) return std::nullopt;
  const Json empty = Json::object();
  Json out = Json::object();
  for (const auto& k : member_order(o ? *o : empty, t ? *t : empty))
    if (const Json* v = pick(get(b, k), get(o, k), get(t, k), key + "." + k, found)) out[k] = *v;
  return out;
}

// ---- objects ----

enum class Level { book, rule, contact };

std::optional<Json> merge_list(const Json* b, const Json* o, const Json* t, Level level, const std::string& key,
                               std::vector<MergeConflict>& all, Found& found);

Json merge_object(const Json* b, const Json& o, const Json& t, Level level, std::vector<MergeConflict>& all,
                  std::string owner) {
  Found found{all, std::move(owner)};
  Json out = Json::object();
  for (const auto& k : member_order(o, t)) {
    const Json *bk = get(b, k), *ok = get(&o, k), *tk = get(&t, k);
    std::optional<Json> v;
    if (k == kConflictsKey) v = merge_set(bk, ok, tk, k, found);
    else if (level == Level::book && (k == "rules" || k == "contacts"))
      v = merge_list(bk, ok, tk, k == "rules" ? Level::rule : Level::contact, k, all, found);
    else if (level == Level::contact && k == "interactions") v = merge_interactions(bk, ok, tk, k, found);
    else if (level == Level::contact && (k == "tags" || k == "plans")) v = merge_set(bk, ok, tk, k, found);
    else if (level == Level::contact && (k == "fields" || k == "occasions")) v = merge_keys(bk, ok, tk, k, found);
    else v = value_of(pick(bk, ok, tk, k, found));
    if (v) out[k] = std::move(*v);
  }
  if (!found.entries.empty()) {
    Json& list = out[std::string(kConflictsKey)];
    if (!list.is_array()) list = Json::array();
    for (auto& e : found.entries)
      if (std::none_of(list.begin(), list.end(), [&](const Json& x) { return same(&x, &e); }))
        list.push_back(std::move(e));
  }
  return out;
}

std::string id_of(const Json& item, Level level) {
  const char* key = level == Level::rule ? "name" : "id";
  return item.is_object() ? item.value(key, std::string()) : std::string();
}

// Contacts by id, rules by name: ours' order, then those only theirs has.
std::optional<Json> merge_list(const Json* b, const Json* o, const Json* t, Level level, const std::string& key,
                               std::vector<MergeConflict>& all, Found& found) {
  if (!o || !t || !o->is_array() || !t->is_array()) {
    // One side has no such list: the other's items are each added or removed.
    if (!o && !t) return std::nullopt;
    if ((o && !o->is_array()) || (t && !t->is_array())) return value_of(pick(b, o, t, key, found));
  }
  const Json empty = Json::array();
  const Json& ours = o ? *o : empty;
  const Json& theirs = t ? *t : empty;
  std::map<std::string, const Json*> base_by, theirs_by, ours_by;
  if (b && b->is_array())
    for (const auto& x : *b) base_by.emplace(id_of(x, level), &x);
  for (const auto& x : theirs) theirs_by.emplace(id_of(x, level), &x);
  for (const auto& x : ours) ours_by.emplace(id_of(x, level), &x);
  auto base_of = [&](const std::string& id) -> const Json* {
    auto it = base_by.find(id);
    return it == base_by.end() ? nullptr : it->second;
  };
  const char* word = level == Level::rule ? "rule " : "contact ";
  Json out = Json::array();
  for (const auto& x : ours) {
    const std::string id = id_of(x, level);
    const Json* bx = base_of(id);
    if (auto it = theirs_by.find(id); it != theirs_by.end()) out.push_back(merge_object(bx, x, *it->second, level, all, word + id));
    else if (!bx || !same(&x, bx)) out.push_back(x); // added by ours, or changed while theirs removed it
  }
  for (const auto& y : theirs) {
    const std::string id = id_of(y, level);
    if (ours_by.contains(id)) continue;
    const Json* by = base_of(id);
    if (!by || !same(&y, by)) out.push_back(y);
  }
  if (out.empty() && dropped(b, o, t)) return std::nullopt;
  return out;
}

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Where a key lives in an object: "fields.phone" is the member phone of
// fields (and occasions likewise); any other key is a member of its own.
std::pair<std::string, std::optional<std::string>> split_key(const std::string& key) {
  const auto dot = key.find('.');
  if (dot != std::string::npos) {
    std::string head = key.substr(0, dot);
    if (head == "fields" || head == "occasions") return {head, key.substr(dot + 1)};
  }
  return {key, std::nullopt};
}

void put(Json& object, const std::string& key, const std::optional<Json>& value) {
  auto [head, sub] = split_key(key);
  if (!sub) {
    if (value) object[head] = *value;
    else object.erase(head);
    return;
  }
  if (!object.contains(head) || !object[head].is_object()) {
    if (!value) return;
    object[head] = Json::object();
  }
  if (value) object[head][*sub] = *value;
  else object[head].erase(*sub);
}

} // namespace

Json book_tree(const Book& book) { return Json::parse(serialize_book(book)); }

Json merge_trees(const Json* base, const Json& ours, const Json& theirs, std::vector<MergeConflict>& found) {
  return merge_object(base, ours, theirs, Level::book, found, "the book");
}

MergeResult merge_books(const std::optional<BookSource>& base, const BookSource& ours, const BookSource& theirs) {
  // Each is read as any book is (and refused as any book is) first.
  std::optional<Json> base_tree;
  if (base && !blank(base->text)) base_tree = book_tree(parse_book(base->text, base->name));
  const Json ours_tree = book_tree(parse_book(ours.text, ours.name));
  const Json theirs_tree = book_tree(parse_book(theirs.text, theirs.name));
  MergeResult result;
  Json merged = merge_trees(base_tree ? &*base_tree : nullptr, ours_tree, theirs_tree, result.conflicts);
  result.book = parse_book(merged.dump(), "the merged book");
  return result;
}

std::vector<ConflictEntry> read_conflicts(const Json& object, std::string_view where) {
  std::vector<ConflictEntry> out;
  auto it = object.find(kConflictsKey);
  if (it == object.end()) return out;
  auto bad = [&] {
    throw_data("\"conflicts\" is not a list of {\"key\": ..., \"theirs\": ..., \"base\": ...} objects",
               fmt::format("{}, key conflicts", where));
  };
  if (!it->is_array()) bad();
  for (const auto& e : *it) {
    if (!e.is_object() || !e.contains("key") || !e["key"].is_string()) bad();
    ConflictEntry c{e["key"].get<std::string>(), std::nullopt, std::nullopt};
    if (e.contains("theirs") && !e["theirs"].is_null()) c.theirs = e["theirs"];
    if (e.contains("base") && !e["base"].is_null()) c.base = e["base"];
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> resolve_conflicts(Json& object, const std::optional<std::string>& key, Side side,
                                           std::string_view where) {
  std::vector<ConflictEntry> entries = read_conflicts(object, where);
  if (entries.empty()) throw_usage("there is no merge conflict to resolve", std::string(where));
  std::vector<std::string> keys, settled;
  for (const auto& e : entries)
    if (std::find(keys.begin(), keys.end(), e.key) == keys.end()) keys.push_back(e.key);
  if (key && std::find(keys.begin(), keys.end(), *key) == keys.end())
    throw_usage(fmt::format("there is no merge conflict on \"{}\"", *key), std::string(where),
                fmt::format("its conflicts are on: {}", fmt::join(keys, ", ")));
  Json kept = Json::array();
  const Json list = object[std::string(kConflictsKey)]; // a copy: put() may move the members
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ConflictEntry& e = entries[i];
    if (key && e.key != *key) {
      kept.push_back(list[i]);
      continue;
    }
    if (side == Side::theirs) put(object, e.key, e.theirs);
    if (std::find(settled.begin(), settled.end(), e.key) == settled.end()) settled.push_back(e.key);
  }
  if (kept.empty()) object.erase(std::string(kConflictsKey));
  else object[std::string(kConflictsKey)] = std::move(kept);
  return settled;
}

bool has_conflicts(const Unknown& unknown) {
  return unknown.members().is_object() && unknown.members().contains(kConflictsKey);
}

} // namespace followup
