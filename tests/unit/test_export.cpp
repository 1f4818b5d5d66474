#include <doctest/doctest.h>

#include <string>

#include "followup/exchange/export.hpp"
#include "followup/book/json_io.hpp"

using namespace followup;
namespace cl = followup::content_line;

namespace {

// Ana: own cadence, phone, work e-mail, birthday, a plain field, two check-ins.
// Kenji: no check-ins, added long ago. Zoe: never due. Rules: family every 2w.
const char* const kBook = R"({
  "followup": 1,
  "rules": [{"name": "family", "match": "tag:family", "every": "2w"}],
  "contacts": [
    {"id": "ana-lopez", "name": "Ana López", "tags": ["friend", "soccer"], "every": "6w",
     "fields": {"phone": "+1 555 0100", "email_work": "ana@example.org", "birthday": "1990-06-14",
                "city": "Lisbon, PT"},
     "notes": "Getting married in June; fiancé is Tom.", "added": "2026-01-10",
     "interactions": [
       {"date": "2026-09-01", "kind": "email"},
       {"date": "2026-10-01", "kind": "call", "note": "Wedding; venue fell through."}]},
    {"id": "kenji", "name": "Kenji Kim", "tags": ["family"], "added": "2026-11-20"},
    {"id": "zoe", "name": "Zoe", "every": "never"}
  ]
})";

Book book() { return parse_book(kBook, "test"); }

} // namespace

TEST_CASE("escape_text escapes backslash, comma, semicolon and line breaks") {
  CHECK(cl::escape_text("a\\b,c;d\ne") == "a\\\\b\\,c\\;d\\ne");
  CHECK(cl::escape_text("one\r\ntwo\rthree") == "one\\ntwo\\nthree");
  CHECK(cl::escape_text("plain: text") == "plain: text");
}

TEST_CASE("param_value quotes separators and caret-encodes quotes and newlines") {
  CHECK(cl::param_value("city") == "city");
  CHECK(cl::param_value("a:b") == "\"a:b\"");
  CHECK(cl::param_value("say \"hi\"^\n") == "say ^'hi^'^^^n");
}

TEST_CASE("fold cuts at 75 octets with CRLF and a space") {
  std::string line(100, 'x');
  CHECK(cl::fold(line) == std::string(75, 'x') + "\r\n " + std::string(25, 'x') + "\r\n");
  CHECK(cl::fold(std::string(75, 'y')) == std::string(75, 'y') + "\r\n");
  CHECK(cl::fold("") == "\r\n");
  // Continuation lines hold 74 octets after their leading space.
  CHECK(cl::fold(std::string(75 + 74 + 1, 'z')) ==
        std::string(75, 'z') + "\r\n " + std::string(74, 'z') + "\r\n " + "z\r\n");
}

TEST_CASE("fold never splits a UTF-8 sequence or an escape") {
  // 74 ASCII octets then "é" (2 octets): the é would straddle octet 75.
  std::string text = std::string(74, 'a') + "\xC3\xA9" + "b";
  CHECK(cl::fold(text) == std::string(74, 'a') + "\r\n \xC3\xA9" + "b\r\n");
  // A 4-octet emoji at octet 73 moves whole to the next line.
  text = std::string(72, 'a') + "\xF0\x9F\x98\x80";
  CHECK(cl::fold(text) == std::string(72, 'a') + "\r\n \xF0\x9F\x98\x80\r\n");
  // `\n` at octets 75-76 stays together.
  text = std::string(74, 'a') + "\\n";
  CHECK(cl::fold(text) == std::string(74, 'a') + "\r\n \\n\r\n");
  // Every physical line is at most 75 octets, whatever the text.
  std::string many;
  for (int i = 0; i < 60; ++i) many += "\xE2\x80\x94\\;";
  std::string folded = cl::fold(many);
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find("\r\n", start);
    CHECK(end - start <= 75);
    start = end + 2;
  }
}

TEST_CASE("export_vcard writes one vCard 4.0 per contact") {
  std::string expected =
      "BEGIN:VCARD\r\n"
      "VERSION:4.0\r\n"
      "FN:Ana López\r\n"
      "N:López;Ana;;;\r\n"
      "UID:urn:followup:ana-lopez\r\n"
      "CATEGORIES:friend,soccer\r\n"
      "TEL:+1 555 0100\r\n"
      "EMAIL;TYPE=work;X-KEY=email_work:ana@example.org\r\n"
      "BDAY:19900614\r\n"
      "X-FOLLOWUP-FIELD;X-KEY=city:Lisbon\\, PT\r\n"
      "NOTE:Getting married in June\\; fiancé is Tom.\r\n"
      "X-FOLLOWUP-ID:ana-lopez\r\n"
      "X-FOLLOWUP-EVERY:6w\r\n"
      "X-FOLLOWUP-ADDED:2026-01-10\r\n"
      "X-FOLLOWUP-LAST:2026-10-01\r\n"
      "X-FOLLOWUP-CHECKIN;X-KIND=email:2026-09-01\r\n"
      "X-FOLLOWUP-CHECKIN;X-KIND=call;X-NOTE=\"Wedding; venue fell through.\":2026-1\r\n"
      " 0-01\r\n"
      "END:VCARD\r\n"
      "BEGIN:VCARD\r\n"
      "VERSION:4.0\r\n"
      "FN:Kenji Kim\r\n"
      "N:Kim;Kenji;;;\r\n"
      "UID:urn:followup:kenji\r\n"
      "CATEGORIES:family\r\n"
      "X-FOLLOWUP-ID:kenji\r\n"
      "X-FOLLOWUP-ADDED:2026-11-20\r\n"
      "END:VCARD\r\n"
      "BEGIN:VCARD\r\n"
      "VERSION:4.0\r\n"
      "FN:Zoe\r\n"
      "N:Zoe;;;;\r\n"
      "UID:urn:followup:zoe\r\n"
      "X-FOLLOWUP-ID:zoe\r\n"
      "X-FOLLOWUP-EVERY:never\r\n"
      "END:VCARD\r\n";
  CHECK(export_vcard(book()) == expected);
}

TEST_CASE("export_vcard: uid field, typed phones, birthdays without a year, odd keys") {
  Book b;
  Contact c;
  c.id = "x";
  c.name = "Jean-Luc de la Tour";
  c.fields = {{"uid", "abc-123"},          {"phone_work", "1"},        {"Phone-Cell", "2"},
              {"phone2", "3"},             {"birthday", "--02-29"},    {"key;with:colon", "v"},
              {"email", "a@b.c"}};
  b.contacts.push_back(c);
  std::string out = export_vcard(b);
  CHECK(out.find("N:Tour;Jean-Luc de la;;;\r\n") != std::string::npos);
  CHECK(out.find("UID:abc-123\r\n") != std::string::npos);
  CHECK(out.find("TEL;TYPE=work;X-KEY=phone_work:1\r\n") != std::string::npos);
  CHECK(out.find("TEL;TYPE=cell;X-KEY=Phone-Cell:2\r\n") != std::string::npos);
  CHECK(out.find("X-FOLLOWUP-FIELD;X-KEY=phone2:3\r\n") != std::string::npos);
  CHECK(out.find("BDAY:--0229\r\n") != std::string::npos);
  CHECK(out.find("X-FOLLOWUP-FIELD;X-KEY=\"key;with:colon\":v\r\n") != std::string::npos);
  CHECK(out.find("EMAIL:a@b.c\r\n") != std::string::npos);
  CHECK(out.find("X-KEY=uid") == std::string::npos);

  b.contacts[0].fields = {{"uid", "has,comma"}, {"birthday", "in spring"}};
  out = export_vcard(b);
  CHECK(out.find("UID;VALUE=text:has\\,comma\r\n") != std::string::npos);
  CHECK(out.find("BDAY;VALUE=text:in spring\r\n") != std::string::npos);
}

TEST_CASE("export_vcard folds long notes") {
  Book b;
  Contact c;
  c.id = "x";
  c.name = "X";
  c.notes = std::string(80, 'n');
  b.contacts.push_back(c);
  std::string out = export_vcard(b);
  CHECK(out.find("NOTE:" + std::string(70, 'n') + "\r\n " + std::string(10, 'n') + "\r\n") != std::string::npos);
}

TEST_CASE("export_csv: fixed columns, then field keys sorted; RFC 4180 with CRLF") {
  std::string expected =
      "id,name,tags,every,notes,added,last,birthday,city,email_work,phone\r\n"
      "ana-lopez,Ana López,\"friend,soccer\",6w,Getting married in June; fiancé is Tom.,2026-01-10,2026-10-01,"
      "1990-06-14,\"Lisbon, PT\",ana@example.org,+1 555 0100\r\n"
      "kenji,Kenji Kim,family,,,2026-11-20,,,,,\r\n"
      "zoe,Zoe,,never,,,,,,,\r\n";
  CHECK(export_csv(book()) == expected);
  CHECK(export_csv(Book{}) == "id,name,tags,every,notes,added,last\r\n");
}

TEST_CASE("export_csv: quotes, newlines and a field named like a column") {
  Book b;
  Contact c;
  c.id = "q";
  c.name = "Say \"Hi\"";
  c.notes = "line one\nline two";
  c.fields = {{"name", "nick"}};
  b.contacts.push_back(c);
  CHECK(export_csv(b) == "id,name,tags,every,notes,added,last,field:name\r\n"
                         "q,\"Say \"\"Hi\"\"\",,,\"line one\nline two\",,,nick\r\n");
}

TEST_CASE("ics_timestamp is basic UTC") {
  CHECK(ics_timestamp(from_ymd(2026, 11, 23), 0) == "20261123T000000Z");
  CHECK(ics_timestamp(from_ymd(2026, 1, 2), 3 * 3600 + 4 * 60 + 5) == "20260102T030405Z");
}

TEST_CASE("export_ics: one all-day event per contact with a due date") {
  Book b = book();
  RuleSet rules(b);
  IcsOptions o{from_ymd(2026, 11, 23), "20261123T000000Z", "1.2.3"};
  std::string expected =
      "BEGIN:VCALENDAR\r\n"
      "VERSION:2.0\r\n"
      "PRODID:-//followup//followup 1.2.3//EN\r\n"
      "CALSCALE:GREGORIAN\r\n"
      "X-WR-CALNAME:followup\r\n"
      "BEGIN:VEVENT\r\n"
      "UID:ana-lopez@followup\r\n"
      "DTSTAMP:20261123T000000Z\r\n"
      "DTSTART;VALUE=DATE:20261123\r\n"
      "DTEND;VALUE=DATE:20261124\r\n"
      "SUMMARY:Check in with Ana López\r\n"
      "DESCRIPTION:Every 6w (own cadence).\\nOverdue: was due 2026-11-12\\, 11 days \r\n"
      " ago\\; shown on 2026-11-23\\, the day of the export.\\nLast: call on 2026-10-\r\n"
      " 01 \xE2\x80\x94 \"Wedding\\; venue fell through.\"\r\n"
      "CATEGORIES:friend,soccer\r\n"
      "TRANSP:TRANSPARENT\r\n"
      "END:VEVENT\r\n"
      "BEGIN:VEVENT\r\n"
      "UID:kenji@followup\r\n"
      "DTSTAMP:20261123T000000Z\r\n"
      "DTSTART;VALUE=DATE:20261204\r\n"
      "DTEND;VALUE=DATE:20261205\r\n"
      "SUMMARY:Check in with Kenji Kim\r\n"
      "DESCRIPTION:Every 2w (rule family).\\nNo check-in yet.\r\n"
      "CATEGORIES:family\r\n"
      "TRANSP:TRANSPARENT\r\n"
      "END:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  CHECK(export_ics(b, rules, o) == expected);
}

TEST_CASE("export_ics: snoozed, default cadence, no note, month ends") {
  Book b = parse_book(R"({"followup": 1, "contacts": [
    {"id": "s", "name": "Sam", "added": "2026-11-01", "snoozed_until": "2026-12-31",
     "interactions": [{"date": "2026-11-10", "kind": "visit"}]}]})",
                      "test");
  RuleSet rules(b);
  std::string out = export_ics(b, rules, IcsOptions{from_ymd(2026, 11, 23), "20261123T000000Z", "0"});
  CHECK(out.find("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n") != std::string::npos);
  CHECK(out.find("DESCRIPTION:Every 30d (default).\\nSnoozed until 2026-12-31.\\nLast: visit on\r\n"
                 "  2026-11-10.\r\n") != std::string::npos);
  CHECK(out.find("CATEGORIES") == std::string::npos);
}

TEST_CASE("export_ics of an empty book is an empty calendar") {
  Book b;
  RuleSet rules(b);
  CHECK(export_ics(b, rules, IcsOptions{from_ymd(2026, 1, 1), "20260101T000000Z", "0"}) ==
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//followup//followup 0//EN\r\nCALSCALE:GREGORIAN\r\n"
        "X-WR-CALNAME:followup\r\nEND:VCALENDAR\r\n");
}
