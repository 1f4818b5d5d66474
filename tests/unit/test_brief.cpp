// The call sheet (brief.hpp, SPEC §8): what each block says, in due's order.
// The expected sheets are written out by hand from the book below.
#include <doctest/doctest.h>

#include <string>

#include "followup/output/brief.hpp"
#include "followup/book/json_io.hpp"

using namespace followup;

namespace {

const Date kToday = from_ymd(2026, 12, 4);

// Ana: a plan fulfilled by her 10-20 call (left out) and one still open, two
// occasions (the nearer one shown), four check-ins (three shown), a note on
// two lines. Bo: nothing but a check-in, more overdue, so first. Cy: an
// escape in her name and a Markdown star.
const char* const kBook = R"({
  "followup": 1,
  "rules": [{"name": "clients", "match": "tag:client", "every": "30d"}],
  "contacts": [
    {"id": "ana", "name": "Ana López", "tags": ["client", "vip"], "owner": "maya",
     "fields": {"car": "2014 Civic", "phone": "+1 555 0100", "mailing": "1 Main St", "e-mail": "ana@example.com"},
     "notes": "Prefers mornings.\nHusband: Tom.",
     "occasions": {"anniversary": "2015-06-01", "birthday": "1989-12-06"},
     "plans": [{"date": "2026-10-15", "note": "old one"}, {"date": "2026-12-20", "note": "after the wedding"}],
     "interactions": [{"date": "2026-09-01", "kind": "call", "by": "sam", "note": "asked about the kitchen"},
                      {"date": "2026-10-01", "kind": "visit", "note": "new hobby: pottery"},
                      {"date": "2026-10-20", "kind": "call", "by": "maya", "note": "wedding on 11-14"},
                      {"date": "2026-10-10", "kind": "email"}]},
    {"id": "bo", "name": "Bo Chen", "tags": ["client"], "interactions": [{"date": "2026-01-01", "kind": "call"}]},
    {"id": "cy", "name": "Cy \u001b[2J*Star*", "added": "2026-11-04"}
  ]
})";

std::string sheet(SheetStyle style) {
  const Book book = parse_book(kBook, "test");
  const RuleSet rules(book);
  return call_sheet(due_list(book, rules, kToday, DueQuery{}), kToday, style);
}

} // namespace

TEST_CASE("the text sheet: a block a contact in due order, labels aligned in each") {
  CHECK(sheet(SheetStyle::text) == "Bo Chen (bo)\n"
                                   "  why now         cadence, 307 days overdue (every 30d, rule clients)\n"
                                   "  reach           no phone or e-mail in the book\n"
                                   "  tags            client\n"
                                   "  last check-ins  2026-01-01 call\n"
                                   "\n"
                                   "Ana López (ana)\n"
                                   "  owner           maya\n"
                                   "  why now         cadence, 15 days overdue (every 30d, rule clients)\n"
                                   "  reach           phone +1 555 0100 · e-mail ana@example.com\n"
                                   "  car             2014 Civic\n"
                                   "  mailing         1 Main St\n"
                                   "  tags            client, vip\n"
                                   "  notes           Prefers mornings.\n"
                                   "                  Husband: Tom.\n"
                                   "  plan            2026-12-20: after the wedding\n"
                                   "  occasion        birthday on 2026-12-06 (37)\n"
                                   "  last check-ins  2026-10-20 call by maya: wedding on 11-14\n"
                                   "                  2026-10-10 email\n"
                                   "                  2026-10-01 visit: new hobby: pottery\n"
                                   "\n"
                                   "Cy ^[[2J*Star* (cy)\n"
                                   "  why now         cadence, due today (every 30d, rule default)\n"
                                   "  reach           no phone or e-mail in the book\n"
                                   "  last check-ins  none yet\n");
}

TEST_CASE("the Markdown sheet: a heading a contact, markup in the book escaped") {
  CHECK(sheet(SheetStyle::markdown) == "## Bo Chen (bo)\n"
                                       "\n"
                                       "- **Why now:** cadence, 307 days overdue (every 30d, rule clients)\n"
                                       "- **Reach:** no phone or e-mail in the book\n"
                                       "- **Tags:** client\n"
                                       "- **Last check-ins:** 2026-01-01 call\n"
                                       "\n"
                                       "## Ana López (ana)\n"
                                       "\n"
                                       "- **Owner:** maya\n"
                                       "- **Why now:** cadence, 15 days overdue (every 30d, rule clients)\n"
                                       "- **Reach:** phone +1 555 0100 · e-mail ana@example.com\n"
                                       "- **car:** 2014 Civic\n"
                                       "- **mailing:** 1 Main St\n"
                                       "- **Tags:** client, vip\n"
                                       "- **Notes:** Prefers mornings.\n"
                                       "  Husband: Tom.\n"
                                       "- **Plan:** 2026-12-20: after the wedding\n"
                                       "- **Occasion:** birthday on 2026-12-06 (37)\n"
                                       "- **Last check-ins:**\n"
                                       "  - 2026-10-20 call by maya: wedding on 11-14\n"
                                       "  - 2026-10-10 email\n"
                                       "  - 2026-10-01 visit: new hobby: pottery\n"
                                       "\n"
                                       "## Cy ^\\[\\[2J\\*Star\\* (cy)\n"
                                       "\n"
                                       "- **Why now:** cadence, due today (every 30d, rule default)\n"
                                       "- **Reach:** no phone or e-mail in the book\n"
                                       "- **Last check-ins:** none yet\n");
}

TEST_CASE("nothing due: an empty sheet") {
  CHECK(call_sheet({}, kToday, SheetStyle::text).empty());
  CHECK(call_sheet({}, kToday, SheetStyle::markdown).empty());
}

TEST_CASE("why now names a plan, an occasion and a retry as due does") {
  const Book book = parse_book(R"({"followup": 1,
    "rules": [{"name": "all", "match": "*", "every": "1y", "retry": "3d"}],
    "contacts": [
      {"id": "p", "name": "P", "plans": [{"date": "2026-12-02", "note": "after the wedding"}],
       "interactions": [{"date": "2026-06-01", "kind": "call"}]},
      {"id": "o", "name": "O", "occasions": {"birthday": "--12-07"}, "interactions": [{"date": "2026-06-01", "kind": "call"}]},
      {"id": "r", "name": "R", "interactions": [{"date": "2025-06-01", "kind": "call"}, {"date": "2026-12-03", "kind": "voicemail"}]}
    ]})", "test");
  const RuleSet rules(book);
  DueQuery q;
  q.within = parse_duration("1w");
  const std::string text = call_sheet(due_list(book, rules, kToday, q), kToday, SheetStyle::text);
  CHECK(text.find("P (p)\n  why now         plan: after the wedding, 2 days overdue\n") != std::string::npos);
  CHECK(text.find("R (r)\n  why now         retry: voicemail on 2026-12-03, due in 2 days\n") != std::string::npos);
  CHECK(text.find("O (o)\n  why now         occasion: birthday, due in 3 days\n") != std::string::npos);
  CHECK(text.find("  occasion        birthday on 2026-12-07\n") != std::string::npos);
}

TEST_CASE("is_contact_field: a word of the key names a way to reach someone") {
  for (const char* key : {"phone", "Phone", "work phone", "phone-2", "phone2", "mobile", "cell", "email", "E-Mail",
                          "email_home", "tel", "fax", "whatsapp"})
    CHECK_MESSAGE(is_contact_field(key), key);
  for (const char* key : {"car", "hotel", "mailing address", "telly", "city", "emailing list"})
    CHECK_MESSAGE(!is_contact_field(key), key);
}
