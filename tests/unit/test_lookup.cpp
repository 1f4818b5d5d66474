// Which contact CONTACT means (SPEC §4): an exact id, else a case- and
// accent-insensitive unique prefix of the name or of any word in it; a
// whole-word match beats a prefix; ambiguous or unknown is not_found.
#include <doctest/doctest.h>

#include <string>

#include "followup/model/error.hpp"
#include "followup/book/json_io.hpp"
#include "followup/model/lookup.hpp"

using namespace followup;

namespace {

const char* const kBook = R"({
  "followup": 1,
  "contacts": [
    {"id": "ana-lopez", "name": "Ana López"},
    {"id": "anabel", "name": "Anabel Ruiz"},
    {"id": "hendersons", "name": "The Hendersons"},
    {"id": "ruiz", "name": "Carlos Ortega"},
    {"id": "zoe", "name": "Zoë Ærø"},
    {"id": "jean-luc", "name": "Jean-Luc Picard"},
    {"id": "mary-smith", "name": "Mary Smith"},
    {"id": "mary-jones", "name": "Mary Jones"}
  ]
})";

const Book& book() {
  static const Book b = parse_book(kBook, "test");
  return b;
}

std::string find(std::string_view query) { return book().contacts.at(find_contact(book(), query)).id; }

Error error_for(std::string_view query) {
  try {
    find_contact(book(), query);
  } catch (const Error& e) {
    return e;
  }
  FAIL("no error for \"" << std::string(query) << "\"");
  return Error(ErrorKind::io, "unreachable");
}

bool mentions(const Error& e, std::string_view text) {
  std::string all = std::string(e.what()) + " " + e.hint();
  return all.find(text) != std::string::npos;
}

} // namespace

TEST_CASE("an exact id wins over every name match") {
  CHECK(find("ana-lopez") == "ana-lopez");
  CHECK(find("anabel") == "anabel");
  // "ruiz" is Carlos's id, and also a word of Anabel Ruiz's name.
  CHECK(find("ruiz") == "ruiz");
  CHECK(find("mary-jones") == "mary-jones");
}

TEST_CASE("a whole word of the name beats a prefix of another") {
  // "ana" is a word of "Ana López" and a prefix of "Anabel": Ana it is.
  CHECK(find("ana") == "ana-lopez");
  CHECK(find("ANA") == "ana-lopez");
  CHECK(find("Ána") == "ana-lopez");
  CHECK(find("anabel ruiz") == "anabel"); // the whole name
}

TEST_CASE("case- and accent-insensitive prefixes of the name or of any word") {
  CHECK(find("lópez") == "ana-lopez");
  CHECK(find("LOPEZ") == "ana-lopez");
  CHECK(find("lop") == "ana-lopez");
  CHECK(find("anab") == "anabel");
  CHECK(find("hend") == "hendersons");     // a later word
  CHECK(find("the hend") == "hendersons"); // a prefix of the whole name
  CHECK(find("zoe") == "zoe");             // ë folds to e
  CHECK(find("AER") == "zoe");             // Æ folds to ae, ø to o
  CHECK(find("aero") == "zoe");
  CHECK(find("luc") == "jean-luc");        // '-' separates words
  CHECK(find("pic") == "jean-luc");
  CHECK(find("mary s") == "mary-smith");
  CHECK(find("jon") == "mary-jones");
  CHECK(find("carl") == "ruiz");
}

TEST_CASE("an ambiguous query is not_found naming the candidates' ids") {
  Error e = error_for("an"); // a prefix of Ana and of Anabel
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(mentions(e, "ana-lopez"));
  CHECK(mentions(e, "anabel"));
  CHECK_FALSE(mentions(e, "hendersons"));

  Error mary = error_for("mary"); // a whole word of two names
  CHECK(mary.kind() == ErrorKind::not_found);
  CHECK(mentions(mary, "mary-smith"));
  CHECK(mentions(mary, "mary-jones"));

  Error m = error_for("M");
  CHECK(m.kind() == ErrorKind::not_found);
  CHECK(mentions(m, "mary-smith"));
  CHECK(mentions(m, "mary-jones"));
}

TEST_CASE("an unknown query is not_found; an empty one is a usage error") {
  Error e = error_for("xavier");
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()).find("xavier") != std::string::npos);
  // A word's inside is not a prefix.
  CHECK(error_for("opez").kind() == ErrorKind::not_found);
  CHECK(error_for("ana-lopez-2").kind() == ErrorKind::not_found);
  CHECK(error_for("").kind() == ErrorKind::usage);

  Book empty;
  CHECK_THROWS_AS(find_contact(empty, "ana"), Error);
}
