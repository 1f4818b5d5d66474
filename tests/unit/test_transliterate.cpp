#include <doctest/doctest.h>

#include <string>

#include "followup/text/text.hpp"
#include "followup/text/transliterate.hpp"

using namespace followup;

// ICU is required, not optional, for these tests: the README's quick start
// installs libicu72, and a test that skipped without it would pass on a
// machine where the feature does not work.
TEST_SUITE("to_latin_ascii") {
  TEST_CASE("ICU can be loaded") {
    REQUIRE_MESSAGE(to_latin_ascii("a").has_value(),
                    "ICU (libicui18n.so.NN) could not be loaded: install libicu72 (the README's quick start does)");
  }

  TEST_CASE("spells other scripts in ASCII") {
    CHECK(to_latin_ascii("王小明") == "wang xiao ming");
    CHECK(to_latin_ascii("Иван") == "Ivan");
    CHECK(to_latin_ascii("Ana López") == "Ana Lopez");
    CHECK(to_latin_ascii("") == "");
  }

  TEST_CASE("a text that grows past the first buffer is transliterated whole") {
    // U+FDFA, one UTF-16 unit, spells out as 18 letters and spaces: more
    // than the 8 units a character the first buffer allows.
    std::string name;
    for (int i = 0; i < 100; ++i) name += "\uFDFA";
    std::optional<std::string> latin = to_latin_ascii(name);
    REQUIRE(latin.has_value());
    CHECK(latin->size() == 1900); // "sly allh ʿlyh wslm" (ʿ is two bytes), 100 times
    CHECK(latin->rfind("sly allh ", 0) == 0);
    CHECK(latin->substr(latin->size() - 4) == "wslm");
  }
}

TEST_SUITE("id_from_name") {
  TEST_CASE("Latin names slug as slugify does") {
    for (const char* name : {"Ana María López", "José Müller", "Zoë Ng", "O'Brien", "  ", "", "Ø 123"}) {
      CAPTURE(name);
      CHECK(id_from_name(name) == slugify(name));
    }
  }

  TEST_CASE("Chinese, Arabic, Cyrillic and Greek names get Latin ids") {
    CHECK(id_from_name("王小明") == "wang-xiao-ming");
    CHECK(id_from_name("Иван Петров") == "ivan-petrov");
    CHECK(id_from_name("Ελένη") == "elene");
    const std::string arabic = id_from_name("محمد العلي");
    CHECK(arabic.rfind("mhmd-al", 0) == 0);
    CHECK(is_valid_id(arabic));
  }

  TEST_CASE("a mixed name keeps its Latin part as it slugged before") {
    CHECK(id_from_name("Zoë 王") == "zoe-wang");
    CHECK(id_from_name("Dr. Müller (李华)") == "dr-muller-li-hua");
  }

  TEST_CASE("emoji and symbols only: nothing typable, the caller's contact") {
    CHECK(id_from_name("😀") == "");
    CHECK(id_from_name("🎸 ★ — 🌻") == "");
    CHECK(id_from_name("😀 Ana") == "ana");
  }
}
