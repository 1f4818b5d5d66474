// The CSV reader on one small fixture per quirk met in real exports
// (tests/fixtures/import/csv/, each written for this project).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "followup/model/error.hpp"
#include "followup/exchange/import.hpp"

using namespace followup;

namespace {

using Strings = std::vector<std::string>;
const Date kToday = from_ymd(2026, 11, 23);

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(FOLLOWUP_SOURCE_DIR) + "/tests/fixtures/import/csv/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<ColumnMap> maps(const Strings& texts) {
  std::vector<ColumnMap> out;
  for (const auto& t : texts) out.push_back(parse_column_map(t));
  return out;
}

ParseResult parse(const std::string& name, const Strings& map_texts = {},
                  std::optional<std::string> charset = std::nullopt) {
  return parse_csv(fixture(name), name, maps(map_texts), ReadOptions{charset, kToday});
}

std::vector<std::string> fields(const ImportRecord& r) {
  std::vector<std::string> out;
  for (const auto& f : r.fields) out.push_back(f.key + "=" + f.value);
  return out;
}

std::string iso(const std::optional<Date>& d) { return d ? to_iso(*d) : "none"; }

template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no error");
  return Error(ErrorKind::usage, "");
}

} // namespace

TEST_CASE("Google CSV: system groups dropped, ::: separators, numbered typed columns, multi-line cells") {
  ParseResult p = parse("google.csv");
  CHECK(p.bad.empty());
  REQUIRE(p.records.size() == 2);
  const ImportRecord& lena = p.records[0];
  CHECK(lena.name == "Lena Fischer");
  CHECK(lena.line == 2);
  CHECK(lena.tags == Strings{"book-club", "starred"});
  CHECK(lena.notes == "Said \"call me\" twice");
  CHECK(fields(lena) == Strings{"email=lena@home.example", "email_work=lena@work.example", "email_2=lena@other.example",
                                "phone=+49 170 0000001", "phone_home_fax=+49 30 0000002",
                                "address=Ringstr. 1, 10115 Berlin, Germany", "org=Fischer GmbH",
                                "birthday=1975-12-12"});
  const ImportRecord& tom = p.records[1];
  CHECK(tom.name == "Tom Baker"); // from Given + Family when Name is empty
  CHECK(tom.line == 5);           // the address above spans three lines
  CHECK(tom.tags.empty());
  CHECK(tom.fields.empty());
}

TEST_CASE("Google's newer layout: First/Last Name, Labels, '- Label' type columns") {
  ParseResult p = parse("google-labels.csv");
  REQUIRE(p.records.size() == 1);
  CHECK(p.records[0].name == "Aisha Khan");
  CHECK(p.records[0].tags == Strings{"clients"});
  CHECK(fields(p.records[0]) == Strings{"email=aisha@example.com", "phone=+44 7700 900001"});
}

TEST_CASE("Outlook: mobile first, typed phones, Categories split on ';', Birthday 0/0/00 ignored") {
  ParseResult p = parse("outlook.csv");
  REQUIRE(p.records.size() == 1);
  const ImportRecord& r = p.records[0];
  CHECK(r.name == "Rahul Mehta");
  CHECK(r.tags == Strings{"clients", "key-accounts"});
  CHECK(r.notes == "Line one\nline two");
  CHECK(fields(r) == Strings{"email=rahul@mehta.example", "email_2=r.mehta@example.net", "phone=+91 98 0000 0002",
                             "phone_work=+91 22 0000 0001", "phone_work_fax=+91 22 0000 0003", "org=Mehta Traders"});
}

TEST_CASE("Thunderbird: quoted TAB, bare CR, LF and \"\" in a cell; birth year, month and day") {
  ParseResult p = parse("thunderbird.csv");
  CHECK(p.bad.empty());
  REQUIRE(p.records.size() == 2);
  const ImportRecord& mei = p.records[0];
  CHECK(mei.name == "Mei Lin");
  CHECK(mei.notes == "x\ty\nz\nsaid \"hi\"…");
  CHECK(fields(mei) == Strings{"email=mei@invalid", "phone=+86 139 0000 0002", "phone_work=+86 10 0000 0001",
                               "birthday=1990-04-07"});
  const ImportRecord& bo = p.records[1];
  CHECK(bo.name == "Bo Chen");
  CHECK(bo.line == 5);
  CHECK(fields(bo) == Strings{"email=bo@invalid", "birthday=--12-24"});
}

TEST_CASE("UTF-16LE with a BOM and a trailing comma in the header") {
  ParseResult p = parse("thunderbird-utf16le.csv");
  REQUIRE(p.records.size() == 1);
  CHECK(p.records[0].name == "José Ortega");
  CHECK(fields(p.records[0]) == Strings{"email=jose@invalid"});
}

TEST_CASE("UTF-8 BOM, ';' delimiter, D.M.YYYY dates and --map to tags, last and fields") {
  ParseResult p = parse("semicolon-bom.csv", {"name=Kunde", "last=Letzter Besuch", "tags=Segment", "phone=Telefon",
                                              "city=stadt"});
  CHECK(p.bad.empty());
  REQUIRE(p.records.size() == 2);
  CHECK(p.records[0].name == "Bäckerei Schulz");
  CHECK(iso(p.records[0].last) == "2026-11-03");
  CHECK(p.records[0].tags == Strings{"gold", "stammkunde"});
  CHECK(fields(p.records[0]) == Strings{"phone=030 1234567", "city=Berlin"});
  CHECK(p.records[1].name == "Metzgerei Koch");
  CHECK(iso(p.records[1].last) == "2026-10-15");
  CHECK(p.records[1].tags.empty());
  CHECK(fields(p.records[1]) == Strings{"city=Potsdam"});
}

TEST_CASE("a CRM export with --map: ISO and unambiguous M/D/YYYY, cadence, auto-recognised email") {
  ParseResult p = parse("crm.csv", {"name=Customer", "last=Last Visit", "tags=Segment", "every=Cadence"});
  CHECK(p.bad.empty());
  REQUIRE(p.records.size() == 3);
  CHECK(iso(p.records[0].last) == "2026-10-01");
  REQUIRE(p.records[0].every.has_value());
  CHECK(p.records[0].every->text == "2w");
  CHECK(p.records[0].tags == Strings{"retail"});
  CHECK(fields(p.records[0]) == Strings{"email=alice@example.com"});
  CHECK(iso(p.records[1].last) == "2026-10-25");
  CHECK_FALSE(p.records[1].every.has_value());
  CHECK(p.records[1].tags == Strings{"retail", "wholesale"});
  CHECK(p.records[2].name == "Carla Diaz");
  CHECK(iso(p.records[2].last) == "none");
}

TEST_CASE("bad records: ambiguous, future and unreadable dates, bad cadence, no name, bad id") {
  ParseResult p = parse("bad-records.csv", {"name=Customer", "last=Last Visit", "every=Cadence", "id=Key"});
  // A bad date costs the check-in, not the customer: those three are kept
  // without `last`, and said (kept); the others are not imported.
  REQUIRE(p.records.size() == 4);
  CHECK(p.records[0].name == "Good One");
  CHECK(p.records[0].id == "good-one");
  for (std::size_t i = 1; i < 4; ++i) {
    CAPTURE(i);
    CHECK_FALSE(p.records[i].last.has_value());
    CHECK_FALSE(p.records[i].dropped.empty());
  }
  REQUIRE(p.bad.size() == 6);
  CHECK(p.bad[0].kept);
  CHECK(p.bad[1].kept);
  CHECK(p.bad[2].kept);
  CHECK_FALSE(p.bad[3].kept);
  CHECK_FALSE(p.bad[4].kept);
  CHECK_FALSE(p.bad[5].kept);
  CHECK(p.bad[0].line == 3);
  CHECK(p.bad[0].what == "\"3/4/2026\" is not a date (YYYY-MM-DD; D.M.YYYY; M/D/YYYY only when unambiguous; --date-format says the order)");
  CHECK(p.bad[1].line == 4);
  CHECK(p.bad[1].what == "the last check-in 2026-12-24 is in the future");
  CHECK(p.bad[2].line == 5);
  CHECK(p.bad[2].what == "\"last tuesday\" is not a date (YYYY-MM-DD; D.M.YYYY; M/D/YYYY only when unambiguous; --date-format says the order)");
  CHECK(p.bad[3].line == 6);
  CHECK(p.bad[3].what == "\"fortnightly\" is not a duration (3d, 2w, 6m, 1y, never)");
  CHECK(p.bad[4].line == 7);
  CHECK(p.bad[4].what == "no name");
  CHECK(p.bad[5].line == 8);
  CHECK(p.bad[5].what == "\"Not An Id\" is not a valid id (lower-case letters, digits and '-')");
}

TEST_CASE("bytes that are not UTF-8 are windows-1252, or the --charset given") {
  ParseResult p = parse("windows1252.csv");
  REQUIRE(p.records.size() == 1);
  CHECK(p.records[0].name == "François Müller");
  CHECK(p.records[0].notes == "Grüße – bis bald");
  ParseResult sj = parse("shiftjis.csv", {}, "SHIFT_JIS");
  REQUIRE(sj.records.size() == 1);
  CHECK(sj.records[0].name == "佐藤 太郎");
  CHECK(fields(sj.records[0]) == Strings{"email=taro@invalid"});
}

TEST_CASE("followup's own column names are recognised") {
  ParseResult p = parse("followup-columns.csv");
  REQUIRE(p.records.size() == 2);
  const ImportRecord& ana = p.records[0];
  CHECK(ana.id == "ana");
  CHECK(ana.name == "Ana López");
  CHECK(ana.tags == Strings{"friend", "soccer"});
  CHECK(ana.notes == "Getting married");
  REQUIRE(ana.every.has_value());
  CHECK(ana.every->text == "6w");
  CHECK(iso(ana.last) == "2026-11-20");
  CHECK(p.records[1].name == "Ben Ode");
  CHECK_FALSE(p.records[1].id.has_value());
}

TEST_CASE("blank lines and all-empty rows are skipped; line numbers stay true") {
  ParseResult p = parse("blank-rows.csv");
  CHECK(p.bad.empty());
  REQUIRE(p.records.size() == 2);
  CHECK(p.records[0].name == "Dana Scully");
  CHECK(p.records[0].line == 3);
  CHECK(p.records[1].name == "Fox Mulder");
  CHECK(p.records[1].line == 6);
}

TEST_CASE("a quote that never closes makes the file malformed, naming the line it opened on") {
  Error e = error_of([] { parse("unclosed-quote.csv"); });
  CHECK(e.kind() == ErrorKind::data);
  CHECK(e.where() == "unclosed-quote.csv:3");
}

TEST_CASE("column problems are usage errors: no name column, unknown or twice-mapped columns") {
  Error none = error_of([] { parse("semicolon-bom.csv"); });
  CHECK(none.kind() == ErrorKind::usage);
  CHECK(std::string(none.what()) == "no name column in semicolon-bom.csv");
  Error unknown = error_of([] { parse("crm.csv", {"name=Client"}); });
  CHECK(unknown.kind() == ErrorKind::usage);
  CHECK(std::string(unknown.what()) == "no column \"Client\" in crm.csv");
  Error twice = error_of([] { parse("crm.csv", {"name=Customer", "NAME=Email"}); });
  CHECK(std::string(twice.what()) == "\"NAME\" is mapped twice");
}

TEST_CASE("--map FIELD=COLUMN") {
  ColumnMap m = parse_column_map("last=Last Visit");
  CHECK(m.target == "last");
  CHECK(m.column == "Last Visit");
  for (const char* bad : {"=Customer", "name=", "name", "my field=Customer", "a,b=C"}) {
    CAPTURE(bad);
    CHECK(error_of([&] { parse_column_map(bad); }).kind() == ErrorKind::usage);
  }
}

TEST_CASE("dates in imported files") {
  CHECK(iso(parse_import_date("2026-03-04")) == "2026-03-04");
  CHECK(iso(parse_import_date(" 2026-03-04T10:00:00Z ")) == "2026-03-04");
  CHECK(iso(parse_import_date("2026-03-04 10:00")) == "2026-03-04");
  CHECK(iso(parse_import_date("2026/03/04")) == "2026-03-04");
  CHECK(iso(parse_import_date("4.3.2026")) == "2026-03-04");
  CHECK(iso(parse_import_date("04.03.2026")) == "2026-03-04");
  CHECK(iso(parse_import_date("3/25/2026")) == "2026-03-25"); // only M/D reads
  CHECK(iso(parse_import_date("25/3/2026")) == "2026-03-25"); // only D/M reads
  CHECK(iso(parse_import_date("3/3/2026")) == "2026-03-03");  // both read the same
  CHECK(iso(parse_import_date("3/4/2026")) == "none");        // March 4 or April 3?
  CHECK(iso(parse_import_date("3/4/26")) == "none");
  CHECK(iso(parse_import_date("2026-02-30")) == "none");
  CHECK(iso(parse_import_date("31.2.2026")) == "none");
  CHECK(iso(parse_import_date("13/13/2026")) == "none");
  CHECK(iso(parse_import_date("yesterday")) == "none");
  CHECK(iso(parse_import_date("")) == "none");
}

TEST_CASE("dates in a stated order (--date-format), two-digit years the latest not after this year") {
  auto d = [](const char* text, DateOrder order) { return iso(parse_import_date(text, order, 2026)); };
  CHECK(d("3/4/2026", DateOrder::mdy) == "2026-03-04");
  CHECK(d("3/4/2026", DateOrder::dmy) == "2026-04-03");
  CHECK(d("03-04-26", DateOrder::mdy) == "2026-03-04");
  CHECK(d("28.06.26", DateOrder::dmy) == "2026-06-28");
  CHECK(d("28.06.27", DateOrder::dmy) == "1927-06-28"); // 2027 is after this year
  CHECK(d("26/06/28", DateOrder::ymd) == "2026-06-28");
  CHECK(d("99-12-31", DateOrder::ymd) == "1999-12-31");
  CHECK(d("2026-06-28", DateOrder::dmy) == "2026-06-28"); // ISO is ISO whatever the order
  CHECK(d("12/31/2026 10:00", DateOrder::mdy) == "2026-12-31");
  CHECK(d("31/12/2026", DateOrder::mdy) == "none");
  CHECK(d("2/30/2026", DateOrder::mdy) == "none");
  CHECK(d("3/4/126", DateOrder::mdy) == "none");
  CHECK(d("3/4", DateOrder::mdy) == "none");
  CHECK(d("3/4-2026", DateOrder::mdy) == "none");
  CHECK(d("003/4/2026", DateOrder::mdy) == "none");
  CHECK(std::string(to_string(DateOrder::dmy)) == "dmy");
}

// A CRM's `Last` (a surname) and `Every` (a free-text frequency) are not
// followup's columns once --map says what they are.
TEST_CASE("a column headed last or every that --map sends elsewhere is only that") {
  ParseResult p = parse("last-every-as-words.csv", {"surname=Last", "frequency=every"});
  CHECK(p.bad.empty());
  REQUIRE(p.records.size() == 2);
  CHECK(iso(p.records[0].last) == "none");
  CHECK_FALSE(p.records[0].every.has_value());
  CHECK(fields(p.records[0]) == Strings{"email=ana@example.org", "surname=Ruiz", "frequency=weekly"});
  CHECK(fields(p.records[1]) == Strings{"surname=Ode", "frequency=monthly"});

  // Without the maps they are read as followup's: the file's words are bad dates.
  ParseResult plain = parse("last-every-as-words.csv");
  CHECK(plain.records.empty());
  CHECK(plain.bad.size() == 2);
}
