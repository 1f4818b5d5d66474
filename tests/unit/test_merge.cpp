// The merge of SPEC §8: each rule, then a randomized property test (random
// base, two random edit sequences, merged both ways round).
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>

#include <fmt/format.h>

#include "followup/model/error.hpp"
#include "followup/book/json_io.hpp"
#include "followup/team/merge.hpp"

using namespace followup;

namespace {

std::string book_text(const std::string& contacts, const std::string& rules = "[]", const std::string& extra = "") {
  return R"({"followup": 1, )" + extra + R"("rules": )" + rules + R"(, "contacts": )" + contacts + "}";
}

MergeResult merge3(const std::string& base, const std::string& ours, const std::string& theirs) {
  return merge_books(BookSource{base, "base"}, BookSource{ours, "ours"}, BookSource{theirs, "theirs"});
}

Json tree(const MergeResult& r) { return book_tree(r.book); }

std::vector<std::string> ids(const Json& t) {
  std::vector<std::string> out;
  for (const auto& c : t["contacts"]) out.push_back(c["id"]);
  return out;
}

const Json& contact(const Json& t, const std::string& id) {
  for (const auto& c : t["contacts"])
    if (c["id"] == id) return c;
  throw std::runtime_error("no contact " + id);
}

std::vector<std::string> dates(const Json& c) {
  std::vector<std::string> out;
  if (c.contains("interactions"))
    for (const auto& it : c["interactions"]) out.push_back(it["date"].get<std::string>() + " " + it.value("note", ""));
  return out;
}

const std::string kAna = R"({"id": "ana", "name": "Ana", "tags": ["friend"], "fields": {"phone": "1", "email": "a@x"},
  "notes": "n", "interactions": [{"date": "2026-11-01", "kind": "call", "note": "a"}]})";
const std::string kBo = R"({"id": "bo", "name": "Bo"})";
const std::string kCy = R"({"id": "cy", "name": "Cy"})";

// Ana as in kAna with `change` applied to its JSON.
std::string ana_with(const std::function<void(Json&)>& change) {
  Json j = Json::parse(kAna);
  change(j);
  return j.dump();
}

} // namespace

TEST_CASE("contacts added on one side are kept: ours' order, then theirs-only in theirs' order") {
  const std::string base = book_text("[" + kAna + "]");
  auto r = merge3(base, book_text("[" + kBo + "," + kAna + "]"), book_text("[" + kAna + "," + kCy + "]"));
  CHECK(r.conflicts.empty());
  CHECK(ids(tree(r)) == std::vector<std::string>{"bo", "ana", "cy"});
}

TEST_CASE("removed on one side and unchanged on the other: removed; changed on the other: kept") {
  const std::string base = book_text("[" + kAna + "," + kBo + "]");
  // ours removed bo, theirs left it alone
  CHECK(ids(tree(merge3(base, book_text("[" + kAna + "]"), base))) == std::vector<std::string>{"ana"});
  // theirs removed bo, ours left it alone
  CHECK(ids(tree(merge3(base, base, book_text("[" + kAna + "]")))) == std::vector<std::string>{"ana"});
  // ours removed ana, theirs logged a check-in with her: she stays, with it
  const std::string logged = ana_with([](Json& j) {
    j["interactions"].push_back(Json::parse(R"({"date": "2026-11-05", "kind": "visit", "note": "b"})"));
  });
  auto r = merge3(base, book_text("[" + kBo + "]"), book_text("[" + logged + "," + kBo + "]"));
  CHECK(ids(tree(r)) == std::vector<std::string>{"bo", "ana"});
  CHECK(dates(contact(tree(r), "ana")) == std::vector<std::string>{"2026-11-01 a", "2026-11-05 b"});
  // both removed it
  CHECK(ids(tree(merge3(base, book_text("[" + kBo + "]"), book_text("[" + kBo + "]")))) == std::vector<std::string>{"bo"});
}

TEST_CASE("interactions: the union, each identical check-in once, less what one side deleted, sorted by date") {
  const std::string base = book_text(R"([{"id": "ana", "name": "Ana", "interactions": [
    {"date": "2026-11-01", "note": "a"}, {"date": "2026-11-03", "note": "c"}]}])");
  const std::string ours = book_text(R"([{"id": "ana", "name": "Ana", "interactions": [
    {"date": "2026-11-01", "note": "a"}, {"date": "2026-11-03", "note": "c"},
    {"date": "2026-11-04", "note": "ours"}, {"date": "2026-11-02", "note": "both"}]}])");
  const std::string theirs = book_text(R"([{"id": "ana", "name": "Ana", "interactions": [
    {"date": "2026-11-03", "note": "c"}, {"date": "2026-11-02", "note": "theirs"},
    {"date": "2026-11-02", "note": "both"}]}])");
  auto r = merge3(base, ours, theirs);
  CHECK(r.conflicts.empty());
  // theirs deleted "a"; "both" was logged on both sides and is kept once;
  // same-date ones keep ours' order, then theirs'.
  CHECK(dates(contact(tree(r), "ana")) ==
        std::vector<std::string>{"2026-11-02 both", "2026-11-02 theirs", "2026-11-03 c", "2026-11-04 ours"});
}

TEST_CASE("interactions: two identical check-ins are two, and deleting one of them deletes one") {
  const std::string call = R"({"date": "2026-11-01", "kind": "call"})";
  auto with = [&](int n) {
    std::string items;
    for (int i = 0; i < n; ++i) items += (i ? "," : "") + call;
    if (n == 0) return book_text(R"([{"id": "ana", "name": "Ana"}])");
    return book_text(R"([{"id": "ana", "name": "Ana", "interactions": [)" + items + "]}]");
  };
  CHECK(contact(tree(merge3(with(2), with(1), with(2))), "ana")["interactions"].size() == 1);
  CHECK(contact(tree(merge3(with(1), with(2), with(1))), "ana")["interactions"].size() == 2);
  CHECK(contact(tree(merge3(with(1), with(2), with(2))), "ana")["interactions"].size() == 2);
  CHECK(contact(tree(merge3(with(2), with(1), with(1))), "ana")["interactions"].size() == 1);
  // every check-in deleted on one side, none added on the other: the key goes
  CHECK_FALSE(contact(tree(merge3(with(1), with(0), with(1))), "ana").contains("interactions"));
}

TEST_CASE("tags and plans merge as sets") {
  const std::string base = book_text(R"([{"id": "ana", "name": "Ana", "tags": ["a", "b"],
    "plans": [{"date": "2027-01-01", "note": "x"}]}])");
  const std::string ours = book_text(R"([{"id": "ana", "name": "Ana", "tags": ["a", "b", "o"],
    "plans": [{"date": "2027-01-01", "note": "x"}, {"date": "2027-02-01"}]}])");
  const std::string theirs = book_text(R"([{"id": "ana", "name": "Ana", "tags": ["b", "t", "o"], "plans": []}])");
  auto r = merge3(base, ours, theirs);
  CHECK(r.conflicts.empty());
  const Json t = tree(r);
  const Json& ana = contact(t, "ana");
  CHECK(ana["tags"] == Json::parse(R"(["b", "o", "t"])"));
  CHECK(ana["plans"] == Json::parse(R"([{"date": "2027-02-01"}])"));
}

TEST_CASE("fields and occasions merge key by key; a key both changed differently is a conflict") {
  const std::string base = book_text("[" + ana_with([](Json& j) { j["occasions"] = {{"birthday", "--06-14"}}; }) + "]");
  const std::string ours = book_text("[" + ana_with([](Json& j) {
    j["fields"]["phone"] = "2";
    j["fields"]["car"] = "red";
    j["occasions"] = {{"birthday", "--06-14"}, {"anniversary", "2015-09-03"}};
  }) + "]");
  const std::string theirs = book_text("[" + ana_with([](Json& j) {
    j["fields"]["phone"] = "3";
    j["fields"].erase("email");
    j["occasions"] = {{"birthday", "--06-15"}};
  }) + "]");
  auto r = merge3(base, ours, theirs);
  const Json t = tree(r);
  const Json& ana = contact(t, "ana");
  CHECK(ana["fields"] == Json::parse(R"({"phone": "2", "car": "red"})"));
  CHECK(ana["occasions"] == Json::parse(R"({"birthday": "--06-15", "anniversary": "2015-09-03"})"));
  REQUIRE(r.conflicts.size() == 1);
  CHECK(r.conflicts[0].owner == "contact ana");
  CHECK(r.conflicts[0].key == "fields.phone");
  CHECK(ana["conflicts"] == Json::parse(R"([{"key": "fields.phone", "theirs": "3", "base": "1"}])"));
}

TEST_CASE("every other member takes the side that changed it; both changed differently: ours and a conflict") {
  const std::string base = book_text("[" + kAna + "]");
  const std::string ours = book_text("[" + ana_with([](Json& j) {
    j["notes"] = "ours";
    j["every"] = "2w";
    j["owner"] = "kris";
  }) + "]");
  const std::string theirs = book_text("[" + ana_with([](Json& j) {
    j["name"] = "Ana López";
    j["notes"] = "theirs";
    j["every"] = "2w";
    j["x-color"] = "blue";
    j["owner"] = "sam";
  }) + "]");
  auto r = merge3(base, ours, theirs);
  const Json t = tree(r);
  const Json& ana = contact(t, "ana");
  CHECK(ana["name"] == "Ana López");
  CHECK(ana["notes"] == "ours");
  CHECK(ana["every"] == "2w");
  CHECK(ana["x-color"] == "blue");
  CHECK(ana["owner"] == "kris");
  CHECK(ana["conflicts"] == Json::parse(R"([{"key": "notes", "theirs": "theirs", "base": "n"},
                                            {"key": "owner", "theirs": "sam", "base": null}])"));
  // a member one side removed and the other left alone goes
  auto removed = merge3(base, book_text("[" + ana_with([](Json& j) { j.erase("notes"); }) + "]"), base);
  CHECK_FALSE(contact(tree(removed), "ana").contains("notes"));
  // removed on one side, changed on the other: a conflict without "theirs"
  auto both = merge3(base, book_text("[" + ana_with([](Json& j) { j["notes"] = "new"; }) + "]"),
                     book_text("[" + ana_with([](Json& j) { j.erase("notes"); }) + "]"));
  CHECK(contact(tree(both), "ana")["conflicts"] == Json::parse(R"([{"key": "notes", "theirs": null, "base": "n"}])"));
}

TEST_CASE("rules pair by name: added kept, removed-unchanged removed, both changed a conflict on the rule") {
  const std::string family = R"({"name": "family", "match": "tag:family", "every": "2w"})";
  const std::string vip = R"({"name": "vip", "match": "tag:vip", "every": "1m"})";
  const std::string base = book_text("[]", "[" + family + "," + vip + "]");
  const std::string ours = book_text("[]", R"([{"name": "family", "match": "tag:family", "every": "3w"},
    {"name": "new", "match": "*", "every": "1y"}])");
  const std::string theirs = book_text("[]", R"([{"name": "family", "match": "tag:family", "every": "4w"}, )" + vip +
                                                 R"(, {"name": "other", "match": "*", "every": "6m"}])");
  auto r = merge3(base, ours, theirs);
  const Json t = tree(r);
  std::vector<std::string> names;
  for (const auto& rule : t["rules"]) names.push_back(rule["name"]);
  CHECK(names == std::vector<std::string>{"family", "new", "other"});
  CHECK(t["rules"][0]["every"] == "3w");
  CHECK(t["rules"][0]["conflicts"] == Json::parse(R"([{"key": "every", "theirs": "4w", "base": "2w"}])"));
  REQUIRE(r.conflicts.size() == 1);
  CHECK(r.conflicts[0].owner == "rule family");
}

TEST_CASE("the book's own unknown keys merge by the same rule") {
  const std::string base = book_text("[]", "[]", R"("team": "a", "x": 1, )");
  auto r = merge3(base, book_text("[]", "[]", R"("team": "b", "x": 1, )"), book_text("[]", "[]", R"("team": "a", "x": 2, )"));
  CHECK(r.conflicts.empty());
  CHECK(tree(r)["team"] == "b");
  CHECK(tree(r)["x"] == 2);
}

TEST_CASE("without a base (or with a blank one): the union, and each difference a conflict") {
  const std::string ours = book_text("[" + ana_with([](Json& j) { j["fields"]["phone"] = "2"; }) + "," + kBo + "]");
  const std::string theirs = book_text("[" + ana_with([](Json& j) {
    j["tags"] = {"friend", "soccer"};
    j["interactions"].push_back(Json::parse(R"({"date": "2026-11-09", "note": "t"})"));
  }) + "," + kCy + "]");
  for (const std::optional<BookSource>& base : {std::optional<BookSource>(), std::optional(BookSource{" \n", "base"})}) {
    auto r = merge_books(base, BookSource{ours, "ours"}, BookSource{theirs, "theirs"});
    const Json t = tree(r);
    CHECK(ids(t) == std::vector<std::string>{"ana", "bo", "cy"});
    const Json& ana = contact(t, "ana");
    CHECK(ana["tags"] == Json::parse(R"(["friend", "soccer"])"));
    CHECK(dates(ana) == std::vector<std::string>{"2026-11-01 a", "2026-11-09 t"});
    CHECK(ana["fields"]["phone"] == "2");
    CHECK(ana["conflicts"] == Json::parse(R"([{"key": "fields.phone", "theirs": "1", "base": null}])"));
  }
}

TEST_CASE("a member theirs adds goes to its place in the written book") {
  const std::string base = book_text("[" + kBo + "]");
  const std::string theirs = book_text(R"([{"id": "bo", "name": "Bo", "notes": "new"}])");
  auto r = merge3(base, base, theirs);
  CHECK(serialize_book(r.book) == serialize_book(parse_book(theirs, "t")));
  // and the merge of three equal books is the book
  CHECK(serialize_book(merge3(base, base, base).book) == serialize_book(parse_book(base, "b")));
}

TEST_CASE("conflicts already in the books merge as a set: one side settling them settles them") {
  const std::string with = book_text(R"([{"id": "bo", "name": "Bo", "conflicts": [{"key": "notes", "theirs": "x"}]}])");
  CHECK_FALSE(contact(tree(merge3(with, book_text("[" + kBo + "]"), with)), "bo").contains("conflicts"));
  CHECK(contact(tree(merge3(book_text("[" + kBo + "]"), with, book_text("[" + kBo + "]"))), "bo").contains("conflicts"));
}

TEST_CASE("malformed input throws a data error naming the side") {
  const std::string good = book_text("[]");
  for (int bad = 0; bad < 3; ++bad) {
    std::string texts[3] = {good, good, good};
    texts[bad] = bad == 1 ? "{\"followup\": 1, \"contacts\": [" : R"({"followup": 1, "contacts": [{"id": "Bad!", "name": "x"}]})";
    try {
      merge3(texts[0], texts[1], texts[2]);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::data);
      const std::string names[3] = {"base", "ours", "theirs"};
      CHECK(std::string(e.where()).find(names[bad]) != std::string::npos);
    }
  }
}

TEST_CASE("resolve_conflicts: --ours drops the entries, --theirs puts theirs in place") {
  const Json start = Json::parse(R"({"id": "ana", "name": "Ana", "fields": {"phone": "2"}, "notes": "o",
    "conflicts": [{"key": "fields.phone", "theirs": "3", "base": "1"}, {"key": "notes", "base": "n"},
                  {"key": "owner", "theirs": "sam"}]})");
  Json j = start;
  CHECK(resolve_conflicts(j, std::string("fields.phone"), Side::theirs, "contact ana") ==
        std::vector<std::string>{"fields.phone"});
  CHECK(j["fields"]["phone"] == "3");
  CHECK(j["conflicts"].size() == 2);
  CHECK(resolve_conflicts(j, std::nullopt, Side::theirs, "contact ana") == std::vector<std::string>{"notes", "owner"});
  CHECK_FALSE(j.contains("notes")); // theirs had none
  CHECK(j["owner"] == "sam");
  CHECK_FALSE(j.contains("conflicts"));

  Json k = start;
  resolve_conflicts(k, std::nullopt, Side::ours, "contact ana");
  Json expected = start;
  expected.erase("conflicts");
  CHECK(k == expected);

  Json none = Json::parse(R"({"id": "bo", "name": "Bo"})");
  CHECK_THROWS_AS(resolve_conflicts(none, std::nullopt, Side::ours, "contact bo"), Error);
  Json m = start;
  CHECK_THROWS_AS(resolve_conflicts(m, std::string("tags"), Side::ours, "contact ana"), Error);
  CHECK(m == start);
  Json bad = Json::parse(R"({"id": "bo", "name": "Bo", "conflicts": [{"theirs": 1}]})");
  CHECK_THROWS_AS(read_conflicts(bad, "contact bo"), Error);
}

// ---- the property test ----

namespace {

struct Rng {
  std::mt19937 gen;
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(gen); }
  bool chance(int percent) { return below(100) < percent; }
};

Interaction random_interaction(Rng& rng) {
  Interaction it;
  it.date = *parse_iso_date(fmt::format("2026-01-{:02}", 1 + rng.below(9)));
  const char* kinds[] = {"call", "visit", "email"};
  it.kind = kinds[rng.below(3)];
  if (rng.chance(60)) it.note = fmt::format("n{}", rng.below(4));
  if (rng.chance(30)) it.by = rng.chance(50) ? "kris" : "sam";
  return it;
}

Contact random_contact(Rng& rng, const std::string& id) {
  Contact c;
  c.id = id;
  c.name = "Name " + id;
  if (rng.chance(50)) c.tags.push_back(rng.chance(50) ? "friend" : "client");
  if (rng.chance(50)) c.fields.push_back({"phone", fmt::format("{}", rng.below(5))});
  if (rng.chance(30)) c.notes = fmt::format("note {}", rng.below(3));
  for (int i = rng.below(4); i > 0; --i) c.insert_interaction(random_interaction(rng));
  return c;
}

void random_edit(Rng& rng, Book& b) {
  const int op = rng.below(9);
  if (op == 0 || b.contacts.empty()) {
    const std::string id = fmt::format("n{}", rng.below(6)); // both sides may add the same id
    if (!b.find_id(id)) b.contacts.push_back(random_contact(rng, id));
    return;
  }
  Contact& c = b.contacts[static_cast<std::size_t>(rng.below(static_cast<int>(b.contacts.size())))];
  switch (op) {
  case 1: b.contacts.erase(b.contacts.begin() + (&c - b.contacts.data())); break;
  case 2:
  case 3: c.insert_interaction(random_interaction(rng)); break;
  case 4:
    if (!c.interactions.empty())
      c.interactions.erase(c.interactions.begin() + rng.below(static_cast<int>(c.interactions.size())));
    break;
  case 5:
    if (rng.chance(70)) {
      c.fields.clear();
      c.fields.push_back({"phone", fmt::format("{}", rng.below(5))});
    } else c.fields.clear();
    break;
  case 6: {
    const std::string tag = rng.chance(50) ? "friend" : "vip";
    auto it = std::find(c.tags.begin(), c.tags.end(), tag);
    if (it == c.tags.end()) c.tags.push_back(tag);
    else c.tags.erase(it);
    break;
  }
  case 7: c.notes = fmt::format("note {}", rng.below(3)); break;
  default: c.name = fmt::format("Renamed {}", rng.below(3));
  }
}

// How many times each check-in (as its canonical text) a contact holds.
std::map<std::string, int> checkins(const Contact& c) {
  std::map<std::string, int> out;
  Json j = contact_to_json(c);
  if (j.contains("interactions"))
    for (const auto& it : j["interactions"]) ++out[it.dump()];
  return out;
}

int count_of(const std::map<std::string, int>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

// A result with the order of contacts, tags and same-date check-ins left
// out, and with each conflicted member and its entry's "theirs" as an
// unordered pair: what must be the same whichever side is "ours".
Json normalized(const Book& book) {
  Json t = book_tree(book);
  Json contacts = Json::array();
  std::vector<Json> list(t["contacts"].begin(), t["contacts"].end());
  std::sort(list.begin(), list.end(), [](const Json& a, const Json& b) { return a["id"] < b["id"]; });
  for (Json c : list) {
    if (c.contains("tags")) {
      std::vector<std::string> tags = c["tags"];
      std::sort(tags.begin(), tags.end());
      c["tags"] = tags;
    }
    if (c.contains("interactions")) {
      std::vector<std::string> items;
      for (const auto& it : c["interactions"]) items.push_back(it.dump());
      std::sort(items.begin(), items.end());
      c["interactions"] = items;
    }
    if (c.contains("fields")) c["fields"] = Json::parse(nlohmann::json::parse(c["fields"].dump()).dump()); // sorted keys
    if (c.contains("conflicts")) {
      std::vector<std::string> entries;
      for (const auto& e : c["conflicts"]) {
        const std::string key = e["key"];
        Json* place = &c;
        std::string member = key;
        if (key.starts_with("fields.")) {
          place = &c["fields"];
          member = key.substr(7);
        }
        std::vector<std::string> pair{place->contains(member) ? (*place)[member].dump() : "absent",
                                      e.value("theirs", Json()).is_null() ? "absent" : e["theirs"].dump()};
        std::sort(pair.begin(), pair.end());
        (*place)[member] = pair;
        entries.push_back(key + (e.contains("base") ? e["base"].dump() : "none"));
      }
      std::sort(entries.begin(), entries.end());
      c["conflicts"] = entries;
    }
    contacts.push_back(Json::parse(nlohmann::json::parse(c.dump()).dump()));
  }
  return contacts;
}

} // namespace

TEST_CASE("property: random edits on both sides lose no check-in, load, and merge the same both ways round") {
  for (unsigned seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    Rng rng{std::mt19937(seed)};
    Book base;
    for (int i = rng.below(5); i >= 0; --i) base.contacts.push_back(random_contact(rng, fmt::format("c{}", i)));
    Book ours = base, theirs = base;
    for (int i = rng.below(6); i >= 0; --i) random_edit(rng, ours);
    for (int i = rng.below(6); i >= 0; --i) random_edit(rng, theirs);
    const std::string b = serialize_book(base), o = serialize_book(ours), t = serialize_book(theirs);
    CAPTURE(b);
    CAPTURE(o);
    CAPTURE(t);

    MergeResult one = merge3(b, o, t);
    MergeResult two = merge3(b, t, o);
    // It is a book: written and read back the same.
    CHECK(serialize_book(parse_book(serialize_book(one.book), "again")) == serialize_book(one.book));

    // No check-in is lost that one side has and the other did not delete.
    for (const auto& [side, other] : {std::pair{&ours, &theirs}, std::pair{&theirs, &ours}}) {
      for (const Contact& c : side->contacts) {
        const Contact* in_base = base.find_id(c.id);
        const Contact* in_other = other->find_id(c.id);
        const bool unchanged = in_base && contact_to_json(*in_base) == contact_to_json(c);
        if (!in_other && in_base && unchanged) continue; // the other side removed it
        const Contact* merged = one.book.find_id(c.id);
        REQUIRE(merged);
        const auto mine = checkins(c), theirs_now = in_other ? checkins(*in_other) : std::map<std::string, int>(),
                   before = in_base ? checkins(*in_base) : std::map<std::string, int>(), result = checkins(*merged);
        for (const auto& [it, n] : mine) {
          const int deleted_by_other = in_other ? std::max(0, count_of(before, it) - count_of(theirs_now, it)) : 0;
          CHECK(count_of(result, it) >= n - deleted_by_other);
        }
      }
    }
    // Nothing appears that neither side had.
    for (const Contact& c : one.book.contacts)
      for (const auto& [it, n] : checkins(c)) {
        const Contact* a = ours.find_id(c.id);
        const Contact* z = theirs.find_id(c.id);
        CHECK(n <= std::max(a ? count_of(checkins(*a), it) : 0, z ? count_of(checkins(*z), it) : 0));
      }
    CHECK(one.conflicts.size() == two.conflicts.size());
    CHECK(normalized(one.book) == normalized(two.book));
  }
}
