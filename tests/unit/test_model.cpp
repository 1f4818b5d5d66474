#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <utility>

#include "followup/model/model.hpp"

using namespace followup;

// OptText and Unknown keep their contents out of line to keep a check-in
// small; copies must still be deep and comparisons by value.

TEST_CASE("OptText: empty, set, reset, like std::optional<std::string>") {
  OptText t;
  CHECK_FALSE(t.has_value());
  CHECK_FALSE(static_cast<bool>(t));
  CHECK(t == std::nullopt);
  CHECK(t.value_or("-") == "-");
  CHECK(static_cast<std::optional<std::string>>(t) == std::nullopt);

  t = std::string("the wedding");
  REQUIRE(t.has_value());
  CHECK(*t == "the wedding");
  CHECK(t->size() == 11);
  CHECK(t == "the wedding");
  CHECK(t == std::string("the wedding"));
  CHECK_FALSE(t == "the kitchen");
  CHECK(t.value_or("-") == "the wedding");
  CHECK(static_cast<std::optional<std::string>>(t) == std::optional<std::string>("the wedding"));

  *t += ", in June";
  CHECK(*t == "the wedding, in June");
  t = std::nullopt;
  CHECK_FALSE(t.has_value());
  t = "again";
  t.reset();
  CHECK(t == std::nullopt);
}

TEST_CASE("OptText: copies are deep, moves leave the source empty, equality is by value") {
  OptText a("sourdough");
  OptText b = a;
  *b += " bread";
  CHECK(*a == "sourdough");
  CHECK(*b == "sourdough bread");
  CHECK_FALSE(a == b);
  b = a;
  CHECK(a == b);
  CHECK(&*a != &*b);

  OptText none, other_none;
  CHECK(none == other_none);
  CHECK_FALSE(a == none);
  CHECK_FALSE(none == a);
  CHECK(OptText(std::optional<std::string>()) == none);
  CHECK(OptText(std::optional<std::string>("x")) == "x");

  OptText moved = std::move(a);
  CHECK(*moved == "sourdough");
}

TEST_CASE("Unknown: nothing until edited; copies are deep") {
  Unknown u;
  CHECK(u.order().empty());
  CHECK(u.members().is_null());
  CHECK_FALSE(u.has("pronouns"));

  u.edit().order = {"id", "pronouns", "name"};
  u.edit().members = Json::object({{"pronouns", "she/her"}});
  CHECK(u.has("pronouns"));
  CHECK(u.members().at("pronouns") == "she/her");

  Unknown copy = u;
  copy.edit().members["pronouns"] = "they/them";
  copy.edit().order.pop_back();
  CHECK(u.members().at("pronouns") == "she/her");
  CHECK(u.order().size() == 3);
  CHECK(copy.members().at("pronouns") == "they/them");
  CHECK(copy.order().size() == 2);

  Unknown assigned;
  assigned = u;
  CHECK(assigned.members() == u.members());
  assigned = Unknown();
  CHECK(assigned.members().is_null());
  CHECK(u.has("pronouns"));
}

TEST_CASE("a copied Interaction owns its note, by and unknown members") {
  Interaction it;
  it.date = *parse_iso_date("2026-11-02");
  it.kind = "call";
  it.note = "New hobby: sourdough.";
  it.by = "kris";
  it.unknown.edit().members = Json::object({{"mood", "happy"}});
  Interaction copy = it;
  *copy.note = "changed";
  copy.by.reset();
  copy.unknown.edit().members["mood"] = "tired";
  CHECK(*it.note == "New hobby: sourdough.");
  CHECK(*it.by == "kris");
  CHECK(it.unknown.members().at("mood") == "happy");
}

TEST_CASE("OptBox of a list and of a duration: a contact's own counts and every") {
  Contact c;
  CHECK_FALSE(c.counts.has_value());
  CHECK_FALSE(c.every.has_value());
  c.counts = std::vector<std::string>{"call", "visit"};
  c.every = *parse_duration("2w");
  Contact copy = c;
  copy.counts->push_back("meeting");
  copy.every = *parse_duration("3m");
  CHECK(c.counts->size() == 2);
  CHECK(copy.counts->size() == 3);
  CHECK(c.every->text == "2w");
  CHECK(copy.every->text == "3m");
  CHECK_FALSE(c.counts == copy.counts);
  copy.counts = c.counts;
  CHECK(c.counts == copy.counts);
  CHECK(c.counts == std::vector<std::string>{"call", "visit"});
  copy.counts = std::nullopt;
  CHECK(copy.counts == std::nullopt);
  CHECK(c.counts.has_value());
}
