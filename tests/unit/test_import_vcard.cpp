// The vCard reader on one small fixture per quirk met in real exports
// (tests/fixtures/import/vcard/, each written for this project).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "followup/model/error.hpp"
#include "followup/exchange/import.hpp"

using namespace followup;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(FOLLOWUP_SOURCE_DIR) + "/tests/fixtures/import/vcard/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ParseResult parse(const std::string& name, std::optional<std::string> charset = std::nullopt) {
  return parse_vcards(fixture(name), name, ReadOptions{charset, from_ymd(2026, 11, 23)});
}

// "key=value" for every field, in order: order and keys are part of the contract.
std::vector<std::string> fields(const ImportRecord& r) {
  std::vector<std::string> out;
  for (const auto& f : r.fields) out.push_back(f.key + "=" + f.value);
  return out;
}

using Strings = std::vector<std::string>;

// A single good record, no bad ones.
ImportRecord one(const std::string& name) {
  ParseResult p = parse(name);
  REQUIRE(p.bad.empty());
  REQUIRE(p.records.size() == 1);
  return p.records[0];
}

} // namespace

TEST_CASE("2.1 quoted-printable with soft breaks on unindented lines, one component a line") {
  ImportRecord r = one("v21-qp-softbreaks.vcf");
  CHECK(r.name == "Annika Jäger");
  CHECK(fields(r) == Strings{"address=Hauptstraße 7, Lübeck, 23552", "phone=+49 151 0000001"});
  CHECK(r.notes == "Met at the\nharbour fair.");
  CHECK(r.line == 1);
}

TEST_CASE("2.1 bare params: several TEL and EMAIL become phone, phone_<type>, email_2; duplicates dropped") {
  ImportRecord r = one("v21-bare-params.vcf");
  CHECK(r.name == "Omar Haddad");
  CHECK(fields(r) == Strings{"phone=+1 555 0101", "phone_home=+1 555 0102", "phone_fax=+1 555 0103",
                             "phone_work=+1 555 0104", "phone_cell=+1 555 0105", "email=omar@example.org",
                             "email_work=omar@work.example", "email_2=o.haddad@example.net"});
}

TEST_CASE("base64 photos, folded or not, and blank lines inside the card are skipped") {
  ImportRecord r = one("v21-photo-base64.vcf");
  CHECK(r.name == "Maja Lindqvist");
  CHECK(fields(r) == Strings{"phone=0701234567"});
  CHECK(r.notes == "Likes sailing");
}

TEST_CASE("iOS: CR CR LF line ends, item groups with X-ABLabel, lower-case repeated params") {
  ImportRecord r = one("v30-crcrlf-groups.vcf");
  CHECK(r.name == "Chidi Okafor");
  CHECK(fields(r) == Strings{"email=chidi@example.org", "phone=+234 800 000 0001",
                             "phone_assistantphone=+234 800 000 0002", "phone_fax=+234 800 000 0003",
                             "birthday=1985-07-14"});
}

TEST_CASE("mixed line ends: an LF base64 body indented by two spaces between CRLF properties") {
  ImportRecord r = one("mixed-line-endings.vcf");
  CHECK(r.name == "Elise Brun");
  CHECK(fields(r) == Strings{"email=elise@example.fr"});
}

TEST_CASE("folded lines, backslash escapes, quoted params with ':' and ';', no final newline") {
  ImportRecord r = one("v30-folded-escapes.vcf");
  CHECK(r.name == "Dr. Jean Moreau");
  CHECK(fields(r) == Strings{"org=Atelier Moreau; Fils, Ventes", "email=jean.moreau@example.fr",
                             "address=12 rue des Lilas, Lyon, 69001, France", "phone=+33 4 00 00 00 01"});
  CHECK(r.notes == "Prefers calls, not mail; speaks French\nand Italian. Path C:\\tmp");
  CHECK(r.tags == Strings{"wine-club", "clients"});
}

TEST_CASE("4.0: a birthday without year, tel: URIs, an ADR folded at a component boundary") {
  ImportRecord r = one("v40-bday-no-year.vcf");
  CHECK(r.name == "Priya Raman");
  CHECK(fields(r) == Strings{"birthday=--02-03", "phone=+1-418-555-0199;ext=12", "phone_cell=+1-418-555-0142",
                             "address=Suite 4, 2875 Laurier, Quebec, QC, G1V 2M2, Canada"});
}

TEST_CASE("raw 8-bit bytes with no CHARSET that are not UTF-8 are windows-1252") {
  ImportRecord r = one("windows1252-raw.vcf");
  CHECK(r.name == "Sören Nüßler");
  CHECK(r.notes == "Café “Zur Post” – 5€");
}

TEST_CASE("an unknown CHARSET falls back to windows-1252, in quoted-printable too") {
  ImportRecord r = one("unknown-charset.vcf");
  CHECK(r.name == "José Peña");
  CHECK(r.notes == "Señor Müller");
}

TEST_CASE("whole files in UTF-16 with a byte order mark") {
  for (const char* file : {"utf16le-bom.vcf", "utf16be-bom.vcf"}) {
    CAPTURE(file);
    ImportRecord r = one(file);
    CHECK(r.name == "Zoë Ålund");
    CHECK(fields(r) == Strings{"email=zoe@example.se", "phone=+46 8 000 00"}); // leading blank trimmed, empty label ignored
  }
}

TEST_CASE("CHARSET=SHIFT_JIS, raw and quoted-printable with a soft break") {
  ImportRecord r = one("shiftjis.vcf");
  CHECK(r.name == "山田 花子");
  CHECK(r.notes == "東京");
}

TEST_CASE("CHARSET=ISO-8859-1") { CHECK(one("iso8859-1-declared.vcf").name == "Renée Lefèvre"); }

TEST_CASE("a fold that splits a UTF-8 sequence is joined before decoding") {
  CHECK(one("utf8-split-fold.vcf").name == "Светлана Кузнецова");
}

TEST_CASE("lower-case names, empty values, VERSION late: the name comes from N") {
  ImportRecord r = one("lowercase-empty-values.vcf");
  CHECK(r.name == "Klara Weber");
  CHECK(fields(r) == Strings{"address=Gartenstraße 4, Köln, 50667, Deutschland", "phone=0221 555555",
                             "email=klara@example.de", "uid=kw-0001"});
}

TEST_CASE("Outlook 2003: blanks after BEGIN:VCARD and END:VCARD, a one-component N") {
  ImportRecord r = one("whitespace-after-begin.vcf");
  CHECK(r.name == "tomasz");
  CHECK(fields(r) == Strings{"address=Gdansk", "email=tomasz@example.pl"});
  CHECK(r.notes == "Owes me a book");
}

TEST_CASE("# comment lines are dropped, except one that continues a quoted-printable soft break") {
  ImportRecord r = one("comment-lines.vcf");
  CHECK(r.name == "Front Desk");
  CHECK(r.notes == "Ask for (room #12) first.");
  CHECK(r.line == 2);
}

TEST_CASE("nested cards are imported as separate contacts, the nested ones first") {
  ParseResult p = parse("nested.vcf");
  CHECK(p.bad.empty());
  REQUIRE(p.records.size() == 3);
  CHECK(p.records[0].name == "Child One");
  CHECK(p.records[0].line == 4);
  CHECK(p.records[1].name == "Child Two");
  CHECK(p.records[2].name == "Parent");
  CHECK(fields(p.records[2]) == Strings{"phone=555 0100 77"});
  CHECK(p.records[2].line == 1);
}

TEST_CASE("a card without END:VCARD is a bad record at its BEGIN line; the others are kept") {
  ParseResult p = parse("missing-end.vcf");
  REQUIRE(p.records.size() == 1);
  CHECK(p.records[0].name == "Complete Card");
  REQUIRE(p.bad.size() == 1);
  CHECK(p.bad[0].line == 5);
  CHECK(p.bad[0].what == "the card has no END:VCARD");
}

TEST_CASE("a bare property name with no colon is an empty value; the name falls back to ORG") {
  ImportRecord r = one("fn-without-colon.vcf");
  CHECK(r.name == "Harbour Books, Ltd.");
  CHECK(fields(r) == Strings{"org=Harbour Books, Ltd.", "email=hello@harbour.example"});
}

TEST_CASE("names: FN, else given + family from N, else ORG, else the first e-mail; else a bad record") {
  ParseResult p = parse("name-fallbacks.vcf");
  REQUIRE(p.records.size() == 3);
  CHECK(p.records[0].name == "Ken Ito");
  CHECK(p.records[1].name == "Blue Door Bakery, Orders");
  CHECK(p.records[2].name == "someone@example.com");
  REQUIRE(p.bad.size() == 1);
  CHECK(p.bad[0].line == 13);
  CHECK(p.bad[0].what == "the card has no name (no FN, N, ORG or EMAIL)");
}

TEST_CASE("CATEGORIES become tags (Google's My Contacts dropped), NOTEs are joined, UID and ORG kept") {
  ImportRecord r = one("categories-note-uid.vcf");
  CHECK(r.name == "Grace Hopper");
  CHECK(r.tags == Strings{"book-club", "vip"});
  CHECK(r.notes == "First note\nSecond note");
  CHECK(fields(r) == Strings{"uid=urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1", "org=Navy, Computing"});
}

TEST_CASE("birthdays are normalised when they are dates, kept as written otherwise") {
  ParseResult p = parse("birthdays.vcf");
  REQUIRE(p.records.size() == 5);
  CHECK(fields(p.records[0]) == Strings{"birthday=1980-03-22"});
  CHECK(fields(p.records[1]) == Strings{"birthday=19723101"}); // month 31
  CHECK(fields(p.records[2]) == Strings{"birthday=circa 1800"});
  CHECK(fields(p.records[3]) == Strings{"birthday=1990-12-01"});
  CHECK(fields(p.records[4]) == Strings{"birthday=--02-29"});
}

TEST_CASE("Thunderbird: a bare CR inside a value does not end the line; EMAIL before FN") {
  ImportRecord r = one("raw-cr-in-value.vcf");
  CHECK(r.name == "Ines Duarte");
  CHECK(fields(r) == Strings{"email=ines@invalid"});
  CHECK(r.notes == "tab\there");
}

TEST_CASE("CHARSET=UTF-8 with a stray 8-bit byte: that byte alone is windows-1252") {
  ImportRecord r = one("utf8-stray-byte.vcf");
  CHECK(r.name == "Ñandú Shop");
  CHECK(fields(r) == Strings{"org=Price € 5"});
}

TEST_CASE("one file with 4.0, 2.1 and 3.0 cards; a quoted LABEL param folded before the colon") {
  ParseResult p = parse("multiple-versions.vcf");
  REQUIRE(p.records.size() == 3);
  CHECK(fields(p.records[0]) == Strings{"phone=+420-555-111-222", "address=Dlouha 5, Praha, 110 00, Czechia",
                                        "email=petra@example.cz"});
  CHECK(fields(p.records[1]) == Strings{"phone=+420 555 111 222", "email=petra@example.cz"});
  CHECK(p.records[2].tags == Strings{"climbing"});
  for (const auto& r : p.records) CHECK(r.name == "Petra Novak");
}

TEST_CASE("CR-only line ends") {
  ImportRecord r = one("cr-only.vcf");
  CHECK(r.name == "Old Mac");
  CHECK(fields(r) == Strings{"phone=+1 555 0177"});
}

TEST_CASE("text between cards is a bad record; an ADR of empty components adds nothing") {
  ParseResult p = parse("stray-text.vcf");
  REQUIRE(p.records.size() == 2);
  CHECK(p.records[0].name == "Before");
  CHECK(p.records[0].fields.empty());
  CHECK(p.records[1].name == "After");
  REQUIRE(p.bad.size() == 1);
  CHECK(p.bad[0].line == 6);
  CHECK(p.bad[0].what == "text outside BEGIN:VCARD ... END:VCARD");
}

TEST_CASE("a file with no card at all is malformed") {
  try {
    parse_vcards("Name,Email\nAna,ana@example.org\n", "people.vcf", ReadOptions{std::nullopt, from_ymd(2026, 11, 23)});
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
    CHECK(e.where() == "people.vcf");
  }
}

TEST_CASE("--charset decides for bytes that name no charset, even when they look like UTF-8") {
  ParseResult p = parse_vcards("BEGIN:VCARD\nFN:Caf\xC3\xA9\nEND:VCARD\n", "x.vcf",
                               ReadOptions{std::string("windows-1252"), from_ymd(2026, 11, 23)});
  REQUIRE(p.records.size() == 1);
  CHECK(p.records[0].name == "CafÃ©");
}

TEST_CASE("the format from the file name, else from the content") {
  CHECK(format_from_name("people.VCF") == ImportFormat::vcard);
  CHECK(format_from_name("a/b.vcard") == ImportFormat::vcard);
  CHECK(format_from_name("export.Csv") == ImportFormat::csv);
  CHECK_FALSE(format_from_name("contacts.txt").has_value());
  CHECK_FALSE(format_from_name("dir.vcf/contacts").has_value());
  CHECK(sniff_format("\r\n  begin:vcard \r\nVERSION:3.0\r\n") == ImportFormat::vcard);
  CHECK(sniff_format(fixture("utf16le-bom.vcf")) == ImportFormat::vcard);
  CHECK(sniff_format("Name,Email\nBEGIN:VCARD\n") == ImportFormat::csv);
}

// iconv holds back the last character of windows-1255 and -1258 (a
// combining mark may follow it) until it is flushed.
TEST_CASE("windows-1255 and windows-1258 values keep their last character") {
  ParseResult p = parse("windows1255-1258-qp.vcf");
  REQUIRE(p.records.size() == 2);
  CHECK(p.records[0].name == "שלום כהן");
  CHECK(p.records[0].notes == "שלום");
  CHECK(p.records[1].name == "Lê Văn Bơ");
  CHECK(fields(p.records[1]) == Strings{"org=Công ty"});
}

TEST_CASE("followup's own check-in lines: read back whole, and a bad one makes the card bad") {
  const std::string good =
      "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\r\nUID:urn:followup:ana\r\nX-FOLLOWUP-ID:ana\r\n"
      "X-FOLLOWUP-ADDED:2026-01-10\r\nX-FOLLOWUP-SNOOZED:2026-12-20\r\nX-FOLLOWUP-COUNTS:call,visit\r\n"
      "X-FOLLOWUP-LAST:2026-10-01\r\n"
      "X-FOLLOWUP-CHECKIN;X-KIND=visit;X-BY=kris;X-NOTE=\"at ^'O Tasco^'; paid^nlater\":2026-03-01\r\n"
      "X-FOLLOWUP-CHECKIN:2026-10-01\r\nEND:VCARD\r\n";
  ParseResult p = parse_vcards(good, "own.vcf", ReadOptions{std::nullopt, from_ymd(2026, 11, 23)});
  REQUIRE(p.records.size() == 1);
  const ImportRecord& r = p.records[0];
  CHECK(r.id == "ana");
  CHECK(r.fields.empty()); // the made-up UID is the id, not a field
  CHECK_FALSE(r.last.has_value()); // the check-ins say it all
  REQUIRE(r.checkins.size() == 2);
  CHECK(r.checkins[0].kind == "visit");
  CHECK(r.checkins[0].by == "kris");
  CHECK(r.checkins[0].note == "at \"O Tasco\"; paid\nlater");
  CHECK_FALSE(r.checkins[1].kind.has_value());
  CHECK_FALSE(r.checkins[1].note.has_value());
  CHECK(r.added == from_ymd(2026, 1, 10));
  CHECK(r.snoozed_until == from_ymd(2026, 12, 20));
  CHECK(r.counts == Strings{"call", "visit"});

  for (const auto& [line, what] : std::vector<std::pair<std::string, std::string>>{
           {"X-FOLLOWUP-CHECKIN;X-KIND=call:2026-13-01", "X-FOLLOWUP-CHECKIN \"2026-13-01\" is not a date"},
           {"X-FOLLOWUP-CHECKIN:2027-01-01", "the check-in 2027-01-01 is in the future"},
           {"X-FOLLOWUP-CHECKIN;X-KIND=\"a b\":2026-01-01", "X-FOLLOWUP-CHECKIN has a bad X-KIND \"a b\""},
           {"X-FOLLOWUP-ADDED:soon", "X-FOLLOWUP-ADDED \"soon\" is not a date"},
           {"X-FOLLOWUP-COUNTS:call,,visit", "X-FOLLOWUP-COUNTS has a bad kind \"\""}}) {
    CAPTURE(line);
    ParseResult bad = parse_vcards("BEGIN:VCARD\r\nFN:Bo\r\n" + line + "\r\nEND:VCARD\r\n", "bad.vcf",
                                   ReadOptions{std::nullopt, from_ymd(2026, 11, 23)});
    CHECK(bad.records.empty());
    REQUIRE(bad.bad.size() == 1);
    CHECK(bad.bad[0].line == 1);
    CHECK(bad.bad[0].what.find(what) == 0);
    CHECK(bad.bad[0].what.find("(line 3)") != std::string::npos);
  }
}
