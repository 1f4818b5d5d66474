#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "followup/model/error.hpp"
#include "followup/rules/expr.hpp"

using namespace followup;

namespace {

Interaction check_in(std::optional<std::string> kind) {
  Interaction it;
  it.kind = std::move(kind);
  return it;
}

// Ana: tags family, Client; city New York, phone; a call and an untyped check-in.
Contact ana() {
  Contact c;
  c.id = "ana";
  c.name = "Ana";
  c.tags = {"family", "Client"};
  c.fields = {Field{"City", "New York"}, Field{"phone", "123"}};
  c.interactions = {check_in("Call"), check_in(std::nullopt)};
  return c;
}

// Bob: no tags, no fields, no check-ins.
Contact bob() {
  Contact c;
  c.id = "bob";
  c.name = "Bob";
  return c;
}

bool m(std::string_view text, const Contact& c) { return parse_expr(text).matches(c); }

ExprError error_of(std::string_view text) {
  try {
    parse_expr(text);
  } catch (const ExprError& e) {
    return e;
  }
  FAIL("no error for: " << text);
  return {};
}

void check_error(std::string_view text, int column, const std::string& message) {
  CAPTURE(text);
  auto e = error_of(text);
  CHECK(e.message == message);
  CHECK(e.column == column);
}

std::string norm(std::string_view text) { return parse_expr(text).to_string(); }

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

} // namespace

TEST_CASE("default expression is * and matches everyone") {
  Expr e;
  CHECK(e.to_string() == "*");
  CHECK(e.matches(ana()));
  CHECK(e.matches(bob()));
  CHECK(e.explain(bob()) == "matches everyone");
  CHECK_FALSE(e.never_matches());
}

TEST_CASE("atoms") {
  SUBCASE("tag") {
    CHECK(m("tag:family", ana()));
    CHECK_FALSE(m("tag:friend", ana()));
    CHECK_FALSE(m("tag:family", bob()));
    CHECK(m("tag:FAMILY", ana()));
    CHECK(m("tag:client", ana()));
  }
  SUBCASE("field presence") {
    CHECK(m("field:city", ana()));
    CHECK(m("field:PHONE", ana()));
    CHECK_FALSE(m("field:email", ana()));
    CHECK_FALSE(m("field:city", bob()));
  }
  SUBCASE("field value") {
    CHECK(m("field:city=\"New York\"", ana()));
    CHECK(m("field:CITY=\"new york\"", ana()));
    CHECK_FALSE(m("field:city=Boston", ana()));
    CHECK_FALSE(m("field:city=New", ana()) );
    CHECK(m("field:phone=123", ana()));
    CHECK_FALSE(m("field:phone=123", bob()));
  }
  SUBCASE("kind") {
    CHECK(m("kind:call", ana()));
    CHECK(m("kind:CALL", ana()));
    CHECK_FALSE(m("kind:email", ana()));
    CHECK_FALSE(m("kind:call", bob()));
  }
  SUBCASE("never") {
    CHECK_FALSE(m("never", ana()));
    CHECK(m("never", bob()));
    CHECK(m("NEVER", bob()));
  }
  SUBCASE("star") {
    CHECK(m("*", ana()));
    CHECK(m("*", bob()));
  }
  SUBCASE("prefixes are case-insensitive") {
    CHECK(m("TAG:family", ana()));
    CHECK(m("Field:city", ana()));
    CHECK(m("KIND:call", ana()));
    CHECK(norm("TAG:Family") == "tag:Family");
  }
}

TEST_CASE("quoting") {
  Contact c = bob();
  c.tags = {"old school", "a\"b", "x\\y", "p(q)"};
  c.fields = {Field{"my key", "say \"hi\""}, Field{"a=b", "c=d"}};
  CHECK(m("tag:\"old school\"", c));
  CHECK(m(R"(tag:"a\"b")", c));
  CHECK(m(R"(tag:"x\\y")", c));
  CHECK(m(R"(tag:x\y)", c)); // unquoted backslash is literal
  CHECK(m("tag:\"p(q)\"", c));
  CHECK(m(R"(field:"my key"="say \"hi\"")", c));
  CHECK(m(R"(field:"a=b"=c=d)", c)); // an unquoted value may hold '='
  CHECK_FALSE(m(R"(field:a=b=c=d)", c)); // key "a", value "b=c=d"
  CHECK(m("kind:\"phone call\"", [] {
    Contact d = bob();
    d.interactions = {check_in("Phone Call")};
    return d;
  }()));
  SUBCASE("empty quoted value") {
    Contact d = bob();
    d.fields = {Field{"nick", ""}};
    CHECK(m("field:nick=\"\"", d));
    CHECK_FALSE(m("field:nick=\"\"", ana()));
    CHECK(norm("field:nick=\"\"") == "field:nick=\"\"");
  }
  SUBCASE("no spaces needed around parentheses and quoted names") {
    CHECK(m("(tag:\"old school\")and(tag:x\\y)", c));
  }
}

TEST_CASE("precedence and associativity") {
  // a or (b and c): true for a contact with only tag a; (a or b) and c would be false.
  Contact only_a = bob();
  only_a.tags = {"a"};
  CHECK(m("tag:a or tag:b and tag:c", only_a));
  CHECK_FALSE(m("(tag:a or tag:b) and tag:c", only_a));
  CHECK(norm("tag:a or tag:b and tag:c") == "tag:a or tag:b and tag:c");
  CHECK(norm("(tag:a or tag:b) and tag:c") == "(tag:a or tag:b) and tag:c");
  CHECK(norm("tag:a or (tag:b and tag:c)") == "tag:a or tag:b and tag:c");
  // not binds tighter than and: `not a and b` is `(not a) and b`.
  Contact only_b = bob();
  only_b.tags = {"b"};
  CHECK(m("not tag:a and tag:b", only_b));
  CHECK_FALSE(m("not tag:a and tag:b", bob()));
  CHECK(m("not (tag:a and tag:b)", bob()));
  CHECK(norm("not (tag:a and tag:b)") == "not (tag:a and tag:b)");
  CHECK(norm("not tag:a and tag:b") == "not tag:a and tag:b");
  // Case-insensitive keywords.
  CHECK(m("tag:a OR tag:b AND tag:c", only_a));
  CHECK(m("NOT tag:x And tag:a", only_a));
}

TEST_CASE("not chains and parentheses") {
  CHECK(m("not tag:x", ana()));
  CHECK_FALSE(m("not not tag:x", ana()));
  CHECK(m("not not not tag:x", ana()));
  CHECK(m("not not tag:family", ana()));
  CHECK(m("((tag:family))", ana()));
  CHECK(m("not(tag:x)", ana()));
  CHECK_FALSE(m("not (not (tag:x or tag:family))", bob()));
  CHECK(norm("not not tag:a") == "not not tag:a");
  CHECK(norm("((tag:a))") == "tag:a");
  CHECK(norm("not (not tag:a)") == "not not tag:a");
  CHECK(m(repeat("not ", 200) + "tag:x", bob()) == false); // even count: not^200 x == x
  CHECK(parse_expr(repeat("(", 200) + "*" + repeat(")", 200)).to_string() == "*");
}

TEST_CASE("errors and their columns") {
  check_error("", 1, "empty expression");
  check_error("   ", 1, "empty expression");
  check_error("tag:a and", 10, "expected a term after \"and\"");
  check_error("tag:a and   ", 13, "expected a term after \"and\"");
  check_error("tag:a AND or tag:b", 11, "expected a term after \"AND\"");
  check_error("tag:a or", 9, "expected a term after \"or\"");
  check_error("not", 4, "expected a term after \"not\"");
  check_error("tag:a and )", 11, "expected a term after \"and\"");
  check_error("()", 2, "expected a term after \"(\"");
  check_error("and tag:a", 1, "expected a term before \"and\"");
  check_error("  OR tag:a", 3, "expected a term before \"OR\"");
  check_error("  )", 3, "unexpected \")\"");
  check_error("foo", 1, "unknown term \"foo\" (use tag:, field:, kind:, occasion:, owner:, name~, note~, plan, never or *)");
  check_error("tag:a or tags:x", 10, "unknown term \"tags:x\" (use tag:, field:, kind:, occasion:, owner:, name~, note~, plan, never or *)");
  check_error("nevermore", 1, "unknown term \"nevermore\" (use tag:, field:, kind:, occasion:, owner:, name~, note~, plan, never or *)");
  check_error("(tag:a", 7, "missing \")\"");
  check_error("((tag:a) or tag:b", 18, "missing \")\"");
  check_error("tag:a)", 6, "unexpected \")\"");
  check_error(")", 1, "unexpected \")\"");
  check_error("(tag:a))", 8, "unexpected \")\"");
  check_error("tag:\"abc", 5, "unterminated quote");
  check_error("field:x=\"a\\\"", 9, "unterminated quote");
  check_error("tag:", 1, "empty tag name");
  check_error("tag:a and tag:\"\"", 11, "empty tag name");
  check_error("kind:", 1, "empty kind name");
  check_error("field:", 1, "empty field name");
  check_error("field:=x", 1, "empty field name");
  check_error("field:city=", 1, "empty value for field city");
  check_error("tag:a tag:b", 7, "expected \"and\" or \"or\" before \"tag:b\"");
  check_error("tag:a (tag:b)", 7, "expected \"and\" or \"or\" before \"(\"");
  check_error("(tag:a not tag:b)", 8, "expected \"and\" or \"or\" before \"not\"");
  check_error("field:city=New York", 16, "expected \"and\" or \"or\" before \"York\"");
  check_error("tag:\"a\"b", 8, "unexpected text after closing quote");
  check_error("tag:a\"b\"", 6, "unexpected quote (quotes go around a whole name or value)");
  check_error("tag:\"a\\nb\"", 7, "bad escape in quotes (only \\\" and \\\\ are escapes)");
  // Columns count characters, not bytes: "é" is two bytes.
  check_error("tag:café tag:b", 10, "expected \"and\" or \"or\" before \"tag:b\"");
}

TEST_CASE("hostile nesting raises ExprError instead of crashing") {
  check_error(repeat("(", 100000), 201, "expression nested too deeply");
  check_error(repeat("not ", 100000) + "*", 801, "expression nested too deeply");
  check_error(repeat("(", 201) + "*" + repeat(")", 201), 201, "expression nested too deeply");
  check_error(repeat(")", 100000), 1, "unexpected \")\"");
  // Long flat chains are fine: they are not nesting.
  std::string chain = "tag:x";
  for (int i = 0; i < 20000; ++i) chain += " and tag:x";
  auto e = parse_expr(chain);
  CHECK_FALSE(e.matches(bob()));
  CHECK(e.explain(bob()) == "has no tag x");
  CHECK_FALSE(e.never_matches());
  CHECK(parse_expr(e.to_string()).to_string() == e.to_string());
}

TEST_CASE("explain") {
  auto ex = [](std::string_view text, const Contact& c) { return parse_expr(text).explain(c); };
  CHECK(ex("tag:family", ana()) == "has tag family");
  CHECK(ex("tag:FAMILY", ana()) == "has tag FAMILY"); // as written in the expression
  CHECK(ex("tag:family", bob()) == "has no tag family");
  CHECK(ex("field:city", ana()) == "has field city");
  CHECK(ex("field:city", bob()) == "has no field city");
  CHECK(ex("field:city=\"new york\"", ana()) == "field city is \"New York\"");
  CHECK(ex("field:city=Boston", ana()) == "field city is \"New York\", not \"Boston\"");
  CHECK(ex("field:city=Boston", bob()) == "has no field city");
  CHECK(ex("kind:call", ana()) == "has a check-in of kind call");
  CHECK(ex("kind:email", ana()) == "has no check-in of kind email");
  CHECK(ex("never", bob()) == "has no check-in at all");
  CHECK(ex("never", ana()) == "has check-ins");
  CHECK(ex("*", ana()) == "matches everyone");
  // not: the child's reason, which already states the fact.
  CHECK(ex("not tag:vip", ana()) == "has no tag vip");
  CHECK(ex("not tag:family", ana()) == "has tag family");
  // true and: all reasons.
  CHECK(ex("tag:family and not tag:vip", ana()) == "has tag family and has no tag vip");
  // false and: the first false child.
  CHECK(ex("tag:family and tag:vip and tag:x", ana()) == "has no tag vip");
  // true or: the first true child.
  CHECK(ex("tag:x or kind:call or tag:family", ana()) == "has a check-in of kind call");
  // false or: all reasons.
  CHECK(ex("tag:a or tag:b", bob()) == "has no tag a and has no tag b");
  // not over a compound: not (a or b) is true when the or is false.
  CHECK(ex("not (tag:a or tag:b)", bob()) == "has no tag a and has no tag b");
  CHECK(ex("(tag:x or tag:family) and never", ana()) == "has check-ins");
  CHECK(ex("(tag:x or tag:family) and kind:call", ana()) == "has tag family and has a check-in of kind call");
}

TEST_CASE("to_string normalises and round-trips") {
  CHECK(norm("  tag:a   AND   NOT   tag:b  ") == "tag:a and not tag:b");
  CHECK(norm("(tag:a OR tag:b)AND not tag:c") == "(tag:a or tag:b) and not tag:c");
  CHECK(norm("tag:a or (tag:b or tag:c)") == "tag:a or tag:b or tag:c");
  CHECK(norm("(tag:a and tag:b) and tag:c") == "tag:a and tag:b and tag:c");
  CHECK(norm("tag:a and (tag:b or tag:c) and tag:d") == "tag:a and (tag:b or tag:c) and tag:d");
  CHECK(norm("not (not tag:a or tag:b)") == "not (not tag:a or tag:b)");
  CHECK(norm("Never or *") == "never or *");
  CHECK(norm("tag:\"a\"") == "tag:a");
  CHECK(norm("field:\"city\"=\"Boston\"") == "field:city=Boston");
  CHECK(norm("field:city=\"New York\"") == "field:city=\"New York\"");
  CHECK(norm("tag:\"p(q)\"") == "tag:\"p(q)\"");
  CHECK(norm(R"(tag:"a\"b")") == R"(tag:"a\"b")");
  CHECK(norm(R"(tag:"a \\ b")") == R"(tag:"a \\ b")");
  CHECK(norm(R"(field:"a=b"=c)") == R"(field:"a=b"=c)");
  CHECK(norm("kind:\"phone call\"") == "kind:\"phone call\"");

  const std::vector<std::string> samples = {
      "*", "never", "tag:a", "not *",
      "tag:a or tag:b and tag:c",
      "(tag:a or tag:b) and not (tag:c or never)",
      "not not (field:x=\"1 2\" and kind:\"a b\")",
      R"~(field:"k=\"v\""="(x)" or tag:"\\")~",
      "((tag:a and (tag:b or (tag:c and (tag:d or tag:e)))))",
  };
  for (const auto& s : samples) {
    CAPTURE(s);
    auto once = norm(s);
    CHECK(norm(once) == once);
  }
  // Round trip keeps meaning too.
  Contact c = bob();
  c.tags = {"a b"};
  c.fields = {Field{"k=v", "(x)"}};
  auto e = parse_expr(R"~(tag:"a b" and field:"k=v"="(x)")~");
  CHECK(e.matches(c));
  CHECK(parse_expr(e.to_string()).matches(c));
}

TEST_CASE("never_matches") {
  auto never = [](std::string_view text) { return parse_expr(text).never_matches(); };
  CHECK(never("not *"));
  CHECK(never("tag:a and not tag:a"));
  CHECK(never("tag:a and not TAG:A"));
  CHECK(never("never and kind:call"));
  CHECK(never("(tag:a and not tag:a) or (not *)"));
  CHECK(never("field:city=Boston and not field:city"));
  CHECK(never("field:city=Boston and field:CITY=Paris"));
  CHECK(never("(tag:a or tag:b) and not tag:a and not tag:b"));

  CHECK_FALSE(never("*"));
  CHECK_FALSE(never("tag:a"));
  CHECK_FALSE(never("not tag:a"));
  CHECK_FALSE(never("never"));
  CHECK_FALSE(never("never and not kind:call"));
  CHECK_FALSE(never("tag:a and not tag:b"));
  CHECK_FALSE(never("tag:a and not tag:A or tag:b"));
  CHECK_FALSE(never("field:city=Boston and field:city"));
  CHECK_FALSE(never("field:city=Boston and field:city=boston"));
  CHECK_FALSE(never("field:city=Boston and field:town=Paris"));
  CHECK_FALSE(never("field:city=Boston and not field:city=Paris"));
  CHECK_FALSE(never("kind:call and kind:email"));
  CHECK_FALSE(never("kind:call and not never"));
  CHECK_FALSE(never("tag:never and never"));
  // Too many atoms to try: the benefit of the doubt, even if unsatisfiable.
  std::string many = "not *";
  for (int i = 0; i < 13; ++i) many += " and tag:t" + std::to_string(i);
  CHECK_FALSE(never(many));
  // 12 atoms are still checked.
  std::string twelve = "not *";
  for (int i = 0; i < 12; ++i) twelve += " and tag:t" + std::to_string(i);
  CHECK(never(twelve));
}

TEST_CASE("parse_expr_option") {
  CHECK(parse_expr_option("tag:a", "--where").to_string() == "tag:a");
  try {
    parse_expr_option("tag:a tag:b", "--where");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "bad expression at column 7: expected \"and\" or \"or\" before \"tag:b\"");
    CHECK(e.where() == "--where");
  }
}

// SPEC §7: `plan` (an open plan) and `occasion:LABEL`.
TEST_CASE("plan and occasion:LABEL") {
  Contact c;
  c.id = "x";
  c.name = "X";
  CHECK_FALSE(m("plan", c));
  CHECK_FALSE(m("occasion:birthday", c));
  c.plans.push_back(CallPlan{*parse_iso_date("2026-12-10"), std::nullopt, {}});
  Occasion o = *parse_occasion_date("--06-14");
  o.label = "birthday";
  c.occasions.push_back(o);
  CHECK(m("plan", c));
  CHECK(m("PLAN and occasion:Birthday", c));
  CHECK_FALSE(m("occasion:anniversary", c));
  // A voicemail after the plan's date does not close it; a call does.
  c.insert_interaction(Interaction{*parse_iso_date("2026-12-11"), std::string("voicemail"), std::nullopt, std::nullopt, {}});
  CHECK(m("plan", c));
  c.insert_interaction(Interaction{*parse_iso_date("2026-12-10"), std::string("call"), std::nullopt, std::nullopt, {}});
  CHECK_FALSE(m("plan", c));
  CHECK(parse_expr("plan or occasion:name-day").to_string() == "plan or occasion:name-day");
  CHECK(parse_expr("plan").explain(c) == "has no open plan");
}

// SPEC §8: owner:WHO and owner:none, as --owner and --mine build them too.
TEST_CASE("owner") {
  Contact maya = ana();
  maya.owner = "Maya";
  const Contact nobody = bob();
  Contact none_named = bob();
  none_named.owner = "none";

  CHECK(m("owner:maya", maya));
  CHECK(m("OWNER:MAYA", maya));
  CHECK_FALSE(m("owner:sam", maya));
  CHECK_FALSE(m("owner:maya", nobody));
  CHECK(m("owner:none", nobody));
  CHECK_FALSE(m("owner:none", maya));
  // Quoted, none is a name like any other.
  CHECK(m("owner:\"none\"", none_named));
  CHECK_FALSE(m("owner:\"none\"", nobody));
  CHECK_FALSE(m("owner:none", none_named));
  CHECK(m("owner:\"Maya Lee\" or owner:maya", maya));

  CHECK(norm("owner:Maya") == "owner:Maya");
  CHECK(norm("owner:NONE") == "owner:none");
  CHECK(norm("owner:\"none\"") == "owner:\"none\"");
  CHECK(norm("owner:\"Maya Lee\"") == "owner:\"Maya Lee\"");
  CHECK(parse_expr(norm("owner:\"none\"")).matches(none_named));

  CHECK(parse_expr("owner:maya").explain(maya) == "is Maya's");
  CHECK(parse_expr("owner:sam").explain(maya) == "is Maya's");
  CHECK(parse_expr("owner:sam").explain(nobody) == "has no owner");

  check_error("owner:", 1, "empty owner name (owner:none for contacts without one)");
  check_error("owner:\"\"", 1, "empty owner name (owner:none for contacts without one)");

  // One owner at most.
  CHECK(parse_expr("owner:a and owner:b").never_matches());
  CHECK(parse_expr("owner:a and owner:none").never_matches());
  CHECK_FALSE(parse_expr("owner:a and owner:A").never_matches());
  CHECK_FALSE(parse_expr("owner:a or owner:b").never_matches());
  CHECK_FALSE(parse_expr("owner:a and not owner:b").never_matches());
}

TEST_CASE("owners_expr and both") {
  Contact maya = ana();
  maya.owner = "maya";
  Contact sam = bob();
  sam.owner = "sam";
  const Contact nobody = bob();

  const Expr one = owners_expr({"maya"});
  CHECK(one.to_string() == "owner:maya");
  CHECK(one.matches(maya));
  CHECK_FALSE(one.matches(sam));

  const Expr two = owners_expr({"maya", "none"});
  CHECK(two.to_string() == "owner:maya or owner:none");
  CHECK(two.matches(maya));
  CHECK(two.matches(nobody));
  CHECK_FALSE(two.matches(sam));

  const Expr narrowed = both(parse_expr("tag:family or never"), owners_expr({"sam"}));
  CHECK(narrowed.to_string() == "(tag:family or never) and owner:sam");
  CHECK(narrowed.matches(sam)); // never checked in, and sam's
  CHECK_FALSE(narrowed.matches(maya));
  CHECK_FALSE(narrowed.matches(nobody));
}

// SPEC §3: substring tests, case- and accent-insensitive.
TEST_CASE("substring tests: field:KEY~TEXT, name~TEXT, note~TEXT") {
  Contact c = ana();
  c.name = "Ana López";
  c.fields.push_back(Field{"car", "Volvo XC90"});
  c.notes = "Likes Café au lait";
  c.interactions.back().note = "Talked about the KITCHEN project";

  CHECK(m("field:car~volvo", c));
  CHECK(m("field:CAR~xc", c));
  CHECK(m("field:car~\"o X\"", c));
  CHECK_FALSE(m("field:car~tesla", c));
  CHECK_FALSE(m("field:boat~volvo", c));
  CHECK_FALSE(m("field:car=volvo", c)); // = is the whole value
  CHECK(m("name~lopez", c));
  CHECK(m("name~LÓP", c));
  CHECK(m("name~\"ana l\"", c));
  CHECK_FALSE(m("name~bob", c));
  CHECK(m("note~cafe", c));       // the contact's notes
  CHECK(m("note~kitchen", c));    // a check-in's note
  CHECK_FALSE(m("note~garden", c));
  CHECK_FALSE(m("note~cafe", bob()));
  CHECK(m("name~\"\"", bob())); // quoted empty text: everyone

  CHECK(norm("field:car~volvo") == "field:car~volvo");
  CHECK(norm("NAME~Ana") == "name~Ana");
  CHECK(norm("note~\"the kitchen\"") == "note~\"the kitchen\"");
  CHECK(norm("field:\"a~b\"~x") == "field:\"a~b\"~x");
  CHECK(parse_expr(norm("field:\"a~b\"~x")).to_string() == "field:\"a~b\"~x");

  CHECK(parse_expr("field:car~volvo").explain(c) == "field car is \"Volvo XC90\", with \"volvo\"");
  CHECK(parse_expr("field:car~saab").explain(c) == "field car is \"Volvo XC90\", without \"saab\"");
  CHECK(parse_expr("field:car~saab").explain(bob()) == "has no field car");
  CHECK(parse_expr("name~ana").explain(c) == "name contains \"ana\"");
  CHECK(parse_expr("note~garden").explain(c) == "no note contains \"garden\"");

  check_error("name~", 1, "empty text after name~");
  check_error("note~", 1, "empty text after note~");
  check_error("field:car~", 1, "empty text for field car");
  check_error("names~x", 1,
              "unknown term \"names~x\" (use tag:, field:, kind:, occasion:, owner:, name~, note~, plan, never or *)");

  CHECK(parse_expr("note~x").reads_notes());
  CHECK(parse_expr("tag:a and not (note~x)").reads_notes());
  CHECK_FALSE(parse_expr("name~x or field:a~b").reads_notes());

  CHECK(parse_expr("field:car~a and not field:car").never_matches());
  CHECK_FALSE(parse_expr("field:car~a and field:car~b").never_matches());
  CHECK_FALSE(parse_expr("field:car~a and field:car=b").never_matches());
}
