#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using Json = nlohmann::ordered_json;

namespace {

// Accents, a comma and a semicolon in values, a multi-line note long enough
// to fold (with a multi-byte character near the fold), typed phones, a
// birthday, a plain field, a never-due contact and a snoozed one.
const char* const kBook = R"({
  "followup": 1,
  "rules": [{"name": "clients", "match": "tag:client", "every": "3m", "counts": ["call", "visit"]}],
  "contacts": [
    {"id": "ana-lopez", "name": "Ana López", "tags": ["friend", "soccer"], "every": "6w",
     "fields": {"phone": "+1 555 0100", "phone_work": "+1 555 0199", "email": "ana@example.org",
                "birthday": "1990-06-14", "city": "Lisbon, PT"},
     "notes": "Getting married in June; fiancé is Tom.\nLikes: jazz, Portuguese food, long walks by the river é é é é.",
     "added": "2026-01-10",
     "interactions": [{"date": "2026-10-01", "kind": "call", "note": "Wedding; venue fell through."}]},
    {"id": "mike-reno", "name": "Mike Reno", "tags": ["client"], "fields": {"car": "2014 Civic"},
     "added": "2024-03-02",
     "interactions": [{"date": "2026-06-28", "kind": "visit", "note": "Brakes, oil; wants new tyres."},
                      {"date": "2026-10-01", "kind": "email"}]},
    {"id": "zoe", "name": "Zoë", "every": "never", "added": "2026-01-01"},
    {"id": "kenji-kim", "name": "Kenji Kim", "added": "2026-11-01", "snoozed_until": "2027-01-15"}
  ]
})";

void write_book(const Book& b) { b.write(Json::parse(kBook).dump(2) + "\n"); }

Json contacts_of(const Book& b) { return Json::parse(b.text())["contacts"]; }

// The contacts as a round trip through import gives them back: a birthday
// field becomes an occasion (SPEC §7), placed where the writer puts it
// (before the check-ins).
Json birthday_as_occasion(const Json& contacts) {
  Json out = Json::array();
  for (const auto& c : contacts) {
    const bool moves = c.contains("fields") && c["fields"].contains("birthday");
    Json copy = Json::object();
    for (const auto& [k, v] : c.items()) {
      if (moves && k == "interactions") copy["occasions"] = Json{{"birthday", c["fields"]["birthday"]}};
      if (moves && k == "fields") {
        Json fields = v;
        fields.erase("birthday");
        if (!fields.empty()) copy[k] = fields;
      } else {
        copy[k] = v;
      }
    }
    if (moves && !copy.contains("occasions")) copy["occasions"] = Json{{"birthday", c["fields"]["birthday"]}};
    out.push_back(copy);
  }
  return out;
}

const Json* find(const Json& contacts, const std::string& name) {
  for (const auto& c : contacts)
    if (c["name"] == name) return &c;
  return nullptr;
}

// Fields as a map: the order may differ (CSV columns are sorted).
// Fields but the uid, with the occasions: import makes a birthday field an
// occasion (SPEC §7), so a round trip may move it from one to the other.
std::map<std::string, std::string> fields_without_uid(const Json& c) {
  std::map<std::string, std::string> out;
  const Json fields = c.value("fields", Json::object());
  for (const auto& [k, v] : fields.items())
    if (k != "uid") out[k] = v.get<std::string>();
  const Json occasions = c.value("occasions", Json::object());
  for (const auto& [k, v] : occasions.items()) out[k] = v.get<std::string>();
  return out;
}

// The round trips need `import`; say so plainly when it is not there yet.
void require_import() {
  Result r = run({"import", "--help"});
  if (r.code != 0)
    FAIL("`followup import --help` exits " << r.code << ": the importer is missing, so the export round trip "
                                              "cannot be checked (stderr: " << r.err << ")");
}

std::vector<std::string> property_lines(const std::string& text, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& l : lines(text))
    if (l.rfind(name, 0) == 0) out.push_back(l);
  return out;
}

// RFC 5545 §3.1 / RFC 6350 §3.2: a CRLF followed by one space or tab is a fold.
std::string unfold(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "\r\n") == 0 && i + 2 < text.size() && (text[i + 2] == ' ' || text[i + 2] == '\t')) {
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

} // namespace

TEST_CASE("export: --to json is the book exactly as stored") {
  Book b;
  write_book(b);
  Result r = b({"export", "--to", "json"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == b.text());
}

TEST_CASE("export: --to is required and checked") {
  Book b;
  Result r = b({"export"});
  CHECK(r.code == 64);
  CHECK(r.out == "");
  r = b({"export", "--to", "pdf"});
  CHECK(r.code == 64);
  CHECK(r.err.find("pdf") != std::string::npos);
}

TEST_CASE("export: a missing book exports nothing, in each format's shape") {
  Book b;
  CHECK(b({"export", "--to", "vcard"}).out == "");
  CHECK(b({"export", "--to", "csv"}).out == "id,name,tags,every,notes,added,last\r\n");
  Result r = b({"export", "--to", "ics"});
  CHECK(r.code == 0);
  CHECK(r.out.find("BEGIN:VCALENDAR\r\n") == 0);
  CHECK(r.out.find("VEVENT") == std::string::npos);
  CHECK_FALSE(b.exists());
}

TEST_CASE("export: a malformed book exits 65") {
  Book b;
  b.write("{\"followup\": 1, \"contacts\": [}\n");
  for (const char* to : {"json", "vcard", "csv", "ics"}) {
    Result r = b({"export", "--to", to});
    CHECK(r.code == 65);
    CHECK(r.out == "");
  }
}

TEST_CASE("export: vcard lines are CRLF, at most 75 octets, one card per contact") {
  Book b;
  write_book(b);
  Result r = b({"export", "--to", "vcard"});
  REQUIRE(r.code == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == std::count(r.out.begin(), r.out.end(), '\r'));
  std::size_t start = 0, cards = 0;
  while (start < r.out.size()) {
    std::size_t end = r.out.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    CHECK(end - start <= 75);
    if (r.out.compare(start, end - start, "BEGIN:VCARD") == 0) ++cards;
    start = end + 2;
  }
  CHECK(cards == 4);
  CHECK(r.out.find("TEL;TYPE=work;X-KEY=phone_work:+1 555 0199\r\n") != std::string::npos);
  CHECK(r.out.find("X-FOLLOWUP-FIELD;X-KEY=city:Lisbon\\, PT\r\n") != std::string::npos);
}

TEST_CASE("export: vcard round-trips through import into an empty book") {
  require_import();
  Book src;
  write_book(src);
  Result r = src({"export", "--to", "vcard"});
  REQUIRE(r.code == 0);
  TempDir dir;
  write_file(dir / "book.vcf", r.out);

  Book dst;
  r = dst({"import", (dir / "book.vcf").string()});
  INFO("import stdout: " << r.out << "\nimport stderr: " << r.err);
  REQUIRE(r.code == 0);
  // The same contacts, ids, fields (no made-up uid), notes and check-ins.
  CHECK(contacts_of(dst).dump(2) == birthday_as_occasion(contacts_of(src)).dump(2));
  // Exported again, the cards hold the same lines; BDAY now comes from the
  // occasion (after the fields) rather than from the field, so the order
  // within a card may differ. Exported a third time, byte for byte.
  auto sorted_lines = [](const std::string& text) {
    auto l = lines(text);
    std::sort(l.begin(), l.end());
    return l;
  };
  const std::string again = dst({"export", "--to", "vcard"}).out;
  CHECK(sorted_lines(again) == sorted_lines(src({"export", "--to", "vcard"}).out));
  TempDir third;
  write_file(third / "again.vcf", again);
  Book dst2;
  REQUIRE(dst2({"import", (third / "again.vcf").string()}).code == 0);
  CHECK(dst2({"export", "--to", "vcard"}).out == again);
}

// A book with everything a contact can hold that a vCard has a place for,
// standard (TEL, EMAIL, ADR, ORG, BDAY, NOTE, CATEGORIES, UID) or followup's
// own (X-FOLLOWUP-*): several check-ins with kinds, notes and `by`.
const char* const kFullBook = R"({
  "followup": 1,
  "contacts": [
    {"id": "ana", "name": "Ana López", "tags": ["friend", "Soccer-Club"], "every": "6w", "counts": ["call", "visit"],
     "fields": {"phone": "+1 555 0100", "phone_grand_central": "+1 555 0142", "email": "ana@example.org",
                "email_2": "ana.lopez@work.example", "org": "Acme; Sales, EMEA", "address": "Rua Augusta 12\n1100-053 Lisboa, PT",
                "address_work": "1 Main St, Springfield", "birthday": "1990-06-14", "shoe size": "38",
                "Website": "https://ana.example/a:b;c"},
     "notes": "Getting married in June; fiancé is Tom.\nLikes: jazz, \"fado\" ^ long walks.",
     "added": "2026-01-10", "snoozed_until": "2026-12-20",
     "interactions": [
       {"date": "2026-03-01", "kind": "visit", "note": "Lunch at \"O Tasco\"; paid: me, then her", "by": "kris"},
       {"date": "2026-03-01", "kind": "email"},
       {"date": "2026-06-15", "note": "no kind, only a note\nover two lines"},
       {"date": "2026-10-01", "kind": "call", "note": "Wedding; venue fell through.", "by": "Sam Lee"}]},
    {"id": "bo", "name": "Bo", "fields": {"uid": "abc-123", "phone_2": "555 0199"}, "added": "2026-11-01"},
    {"id": "contact", "name": "王小明", "added": "2026-11-02",
     "interactions": [{"date": "2026-11-20", "kind": "visit"}]}
  ]
})";

TEST_CASE("export: vcard keeps standard properties standard and round-trips a full book exactly") {
  require_import();
  Book src;
  src.write(kFullBook);
  Result r = src({"export", "--to", "vcard"});
  REQUIRE(r.code == 0);
  const std::string cards = unfold(r.out);
  for (const char* line :
       {"TEL:+1 555 0100\r\n", "TEL;TYPE=grand_central;X-KEY=phone_grand_central:+1 555 0142\r\n",
        "EMAIL:ana@example.org\r\n", "EMAIL;X-KEY=email_2:ana.lopez@work.example\r\n",
        "ORG:Acme\\; Sales\\, EMEA\r\n",
        "ADR;LABEL=\"Rua Augusta 12^n1100-053 Lisboa, PT\";X-KEY=address:;;Rua Augusta 12\\n1100-053 Lisboa\\, PT;;;;\r\n", "ADR;TYPE=work;LABEL=\"1 Main St, Springfield\";X-KEY=address_work:;;1 Main St\\, Springfield;;;;\r\n",
        "TEL;X-KEY=phone_2:555 0199\r\n", "UID:abc-123\r\n",
        "X-FOLLOWUP-CHECKIN;X-KIND=call;X-BY=Sam Lee;X-NOTE=\"Wedding; venue fell through.\":2026-10-01\r\n"}) {
    CAPTURE(line);
    CHECK(cards.find(line) != std::string::npos);
  }
  CHECK(cards.find("X-FOLLOWUP-FIELD;X-KEY=org") == std::string::npos);
  CHECK(cards.find("X-FOLLOWUP-FIELD;X-KEY=address") == std::string::npos);
  CHECK(cards.find("TYPE=2") == std::string::npos);

  TempDir dir;
  write_file(dir / "book.vcf", r.out);
  Book dst;
  r = dst({"import", (dir / "book.vcf").string()});
  INFO("import stdout: " << r.out << "\nimport stderr: " << r.err);
  REQUIRE(r.code == 0);
  CHECK(contacts_of(dst).dump(2) == birthday_as_occasion(contacts_of(src)).dump(2));

  // Again: nothing changes.
  std::string before = dst.text();
  r = dst({"import", (dir / "book.vcf").string()});
  REQUIRE(r.code == 0);
  CHECK(dst.text() == before);
}

TEST_CASE("export: csv has the fixed columns then the field keys, and round-trips through import --map") {
  Book src;
  write_book(src);
  Result r = src({"export", "--to", "csv"});
  REQUIRE(r.code == 0);
  CHECK(lines(r.out).front() == "id,name,tags,every,notes,added,last,birthday,car,city,email,phone,phone_work\r");
  CHECK(r.out.find("\r\nana-lopez,Ana López,\"friend,soccer\",6w,\"Getting married") != std::string::npos);

  require_import();
  TempDir dir;
  write_file(dir / "book.csv", r.out);
  // id, name, tags, every, notes, last, phone, email and birthday are
  // recognised by their header; the other field columns are mapped.
  Book dst;
  r = dst({"import", (dir / "book.csv").string(), "--map", "car=car", "--map", "city=city", "--map",
           "phone_work=phone_work"});
  INFO("import stdout: " << r.out << "\nimport stderr: " << r.err);
  REQUIRE(r.code == 0);
  Json before = contacts_of(src), after = contacts_of(dst);
  REQUIRE(after.size() == before.size());
  for (const auto& c : before) {
    INFO("contact " << c["id"]);
    const Json* got = find(after, c["name"]);
    REQUIRE(got);
    CHECK((*got)["id"] == c["id"]);
    CHECK((*got).value("tags", Json::array()) == c.value("tags", Json::array()));
    CHECK((*got).value("notes", Json()) == c.value("notes", Json()));
    CHECK((*got).value("every", Json()) == c.value("every", Json()));
    CHECK(fields_without_uid(*got) == fields_without_uid(c));
    Json last = c.contains("interactions") ? c["interactions"].back()["date"] : Json();
    Json got_last = got->contains("interactions") ? (*got)["interactions"].back()["date"] : Json();
    CHECK(got_last == last);
  }
}

TEST_CASE("export: ics has one all-day event per contact with a due date") {
  Book b;
  write_book(b);
  Result r = b({"export", "--to", "ics"});
  REQUIRE(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out.find("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//followup//followup ") == 0);
  CHECK(property_lines(r.out, "UID") ==
        std::vector<std::string>{"UID:ana-lopez@followup\r", "UID:mike-reno@followup\r", "UID:kenji-kim@followup\r"});
  // Ana is overdue (due 2026-11-12): on today. Mike's email does not count:
  // 2026-06-28 + 3m = 2026-09-28, overdue too. Kenji is snoozed to 2027-01-15.
  CHECK(property_lines(r.out, "DTSTART") ==
        std::vector<std::string>{"DTSTART;VALUE=DATE:20261123\r", "DTSTART;VALUE=DATE:20261123\r",
                                 "DTSTART;VALUE=DATE:20270115\r"});
  CHECK(property_lines(r.out, "DTSTAMP") == std::vector<std::string>(3, "DTSTAMP:20261123T000000Z\r"));
  CHECK(r.out.find("SUMMARY:Check in with Zoë") == std::string::npos);
  CHECK(unfold(r.out).find("DESCRIPTION:Every 3m (rule clients).\\nOverdue: was due 2026-09-28\\, 56 days ago") !=
        std::string::npos);
}

TEST_CASE("export: ics UIDs stay the same across exports; DTSTAMP is the current UTC time unless today is pinned") {
  Book b;
  write_book(b);
  Result first = b({"export", "--to", "ics"});
  Result later = b({"export", "--to", "ics", "--today", "2026-12-20"});
  CHECK(property_lines(first.out, "UID") == property_lines(later.out, "UID"));
  CHECK(property_lines(later.out, "DTSTAMP").front() == "DTSTAMP:20261220T000000Z\r");

  Result now = b({"export", "--to", "ics"}, {{"FOLLOWUP_TODAY", "\x01"}});
  REQUIRE(now.code == 0);
  auto stamps = property_lines(now.out, "DTSTAMP");
  REQUIRE_FALSE(stamps.empty());
  CHECK(std::regex_match(stamps.front(), std::regex(R"(DTSTAMP:20[0-9]{6}T[0-9]{6}Z\r)")));
}

TEST_CASE("export: ics parses with python3-icalendar") {
  Book b;
  write_book(b);
  Result r = b({"export", "--to", "ics"});
  REQUIRE(r.code == 0);
  TempDir dir;
  write_file(dir / "followup.ics", r.out);
  if (!std::filesystem::exists("/usr/bin/python3") ||
      run_program({"/usr/bin/python3", "-c", "import icalendar"}).code != 0)
    FAIL("cannot validate the ics export: /usr/bin/python3 with the icalendar module is needed "
         "(apt-get install python3-icalendar)");
  const char* script = R"(
import icalendar, sys
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
for ev in cal.walk("VEVENT"):
    print(ev["UID"], ev.decoded("DTSTART").isoformat(), ev.decoded("DTEND").isoformat(),
          "|".join(str(c) for c in ev.get("CATEGORIES").cats) if ev.get("CATEGORIES") else "-")
    print(ev["SUMMARY"])
    print(ev["DESCRIPTION"])
)";
  Result py = run_program({"/usr/bin/python3", "-c", script, (dir / "followup.ics").string()});
  INFO("python stderr: " << py.err);
  REQUIRE(py.code == 0);
  CHECK(py.out ==
        "ana-lopez@followup 2026-11-23 2026-11-24 friend|soccer\n"
        "Check in with Ana López\n"
        "Every 6w (own cadence).\nOverdue: was due 2026-11-12, 11 days ago; shown on 2026-11-23, the day of the "
        "export.\nLast: call on 2026-10-01 \u2014 \"Wedding; venue fell through.\"\n"
        "mike-reno@followup 2026-11-23 2026-11-24 client\n"
        "Check in with Mike Reno\n"
        "Every 3m (rule clients).\nOverdue: was due 2026-09-28, 56 days ago; shown on 2026-11-23, the day of the "
        "export.\nLast: email on 2026-10-01.\n"
        "kenji-kim@followup 2027-01-15 2027-01-16 -\n"
        "Check in with Kenji Kim\n"
        "Every 30d (default).\nSnoozed until 2027-01-15.\nNo check-in yet.\n");
}

TEST_CASE("export: a followup card with a bad check-in line is a bad record: exit 65, the book untouched") {
  Book b;
  b.write(kFullBook);
  TempDir dir;
  write_file(dir / "bad.vcf", "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cy\r\nX-FOLLOWUP-ID:cy\r\n"
                              "X-FOLLOWUP-CHECKIN;X-KIND=call:2026-02-30\r\nEND:VCARD\r\n");
  check_refused_untouched(b, {"import", (dir / "bad.vcf").string()}, 65,
                          {"X-FOLLOWUP-CHECKIN \"2026-02-30\" is not a date", "bad.vcf:1"});
}
