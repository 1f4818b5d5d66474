#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "followup/text/text.hpp"

using namespace followup;

// Source literals are UTF-8; escapes spell out bytes where the point is the
// bytes themselves (invalid sequences, combining marks).

TEST_SUITE("is_valid_utf8") {
  TEST_CASE("accepts well-formed text") {
    for (const char* text : {"", "plain ascii", "Ana López", "Zoë", "李雷", "Ελένη", "Ольга", "😀", "e\xCC\x81",
                             "\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
                             "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"}) {
      CAPTURE(text);
      CHECK(is_valid_utf8(text));
    }
    CHECK(is_valid_utf8(std::string("a\0b", 3))); // NUL is valid UTF-8
  }

  TEST_CASE("a sequence cut by the end of the view is truncated") {
    // The bytes after the view would complete 李; they must not be read.
    const std::string_view cut("\xE6\x9D\x8E", 2);
    CHECK_FALSE(is_valid_utf8(cut));
    CHECK(display_width(cut) == 2);
    CHECK(fold(cut) == "\xE6\x9D");
  }

  TEST_CASE("rejects malformed text") {
    for (const char* text : {
             "\x80",             // lone continuation byte
             "\xBF",             //
             "a\xC3",            // truncated 2-byte sequence
             "\xE6\x9D",         // truncated 3-byte sequence
             "\xF0\x9F\x98",     // truncated 4-byte sequence
             "\xC3(",            // bad continuation
             "\xE6\x9D(",        //
             "\xC0\xAF",         // overlong '/'
             "\xC1\xBF",         // overlong
             "\xE0\x80\xAF",     // overlong 3-byte
             "\xE0\x9F\xBF",     // overlong 3-byte (U+07FF)
             "\xF0\x80\x80\xAF", // overlong 4-byte
             "\xF0\x8F\xBF\xBF", // overlong 4-byte (U+FFFF)
             "\xED\xA0\x80",     // surrogate U+D800
             "\xED\xBF\xBF",     // surrogate U+DFFF
             "\xF4\x90\x80\x80", // U+110000
             "\xF5\x80\x80\x80", // lead byte past U+10FFFF
             "\xF8\x88\x80\x80\x80",
             "\xFE",
             "\xFF",
             "ok\xFFok",
         }) {
      CAPTURE(text);
      CHECK_FALSE(is_valid_utf8(text));
    }
  }
}

TEST_SUITE("fold") {
  TEST_CASE("ASCII lower-case, other ASCII unchanged") {
    CHECK(fold("Ana LOPEZ 42!") == "ana lopez 42!");
    CHECK(fold("") == "");
  }

  TEST_CASE("accented Latin letters fold to base letters") {
    CHECK(fold("é") == "e");
    CHECK(fold("É") == "e");
    CHECK(fold("Ö") == "o");
    CHECK(fold("ñ") == "n");
    CHECK(fold("Ç") == "c");
    CHECK(fold("ß") == "ss");
    CHECK(fold("æ") == "ae");
    CHECK(fold("Æ") == "ae");
    CHECK(fold("ø") == "o");
    CHECK(fold("Ø") == "o");
    CHECK(fold("ł") == "l");
    CHECK(fold("Ł") == "l");
    CHECK(fold("đ") == "d");
    CHECK(fold("Đ") == "d");
    CHECK(fold("œ") == "oe");
    CHECK(fold("Œ") == "oe");
    CHECK(fold("þ") == "th");
    CHECK(fold("Þ") == "th");
    CHECK(fold("ð") == "d");
    CHECK(fold("ı") == "i");
    CHECK(fold("İ") == "i");
    CHECK(fold("ÿ") == "y");
    CHECK(fold("Ÿ") == "y");
    CHECK(fold("ž") == "z");
    CHECK(fold("ſ") == "s");
  }

  TEST_CASE("whole Latin-1 and Latin Extended-A words") {
    CHECK(fold("Ana López") == "ana lopez");
    CHECK(fold("José-María O'Neil") == "jose-maria o'neil");
    CHECK(fold("Zoë Ångström") == "zoe angstrom");
    CHECK(fold("Straße") == "strasse");
    CHECK(fold("Łódź") == "lodz");
    CHECK(fold("Dvořák") == "dvorak");
    CHECK(fold("Şükrü Çağlar") == "sukru caglar");
    CHECK(fold("Søren Kierkegaard") == "soren kierkegaard");
    CHECK(fold("Þórður Ægir") == "thordur aegir");
    CHECK(fold("ÀÁÂÃÄÅàáâãäå") == "aaaaaaaaaaaa");
    CHECK(fold("ÈÉÊËèéêëĒēĘęĚě") == "eeeeeeeeeeeeee");
  }

  TEST_CASE("Latin Extended-B and Vietnamese") {
    CHECK(fold("Nguyễn Văn Đức") == "nguyen van duc");
    CHECK(fold("Trần Thị Hương") == "tran thi huong");
    CHECK(fold("Ștefan Țiriac") == "stefan tiriac");
    CHECK(fold("ǅ") == "dz");
    CHECK(fold("ẞ") == "ss");
  }

  TEST_CASE("math signs in Latin-1 are not letters") {
    CHECK(fold("×÷") == "×÷");
  }

  TEST_CASE("combining marks are dropped: decomposed = precomposed") {
    CHECK(fold("e\xCC\x81") == "e");                  // e + U+0301
    CHECK(fold("Jose\xCC\x81") == fold("José"));
    CHECK(fold("Zoe\xCC\x88") == "zoe");              // U+0308
    CHECK(fold("n\xCC\x83o") == "no");                // U+0303
    CHECK(fold("a\xCD\xAF") == "a");                  // U+036F, end of the block
    CHECK(fold("a\xCC\x80") == "a");                  // U+0300, start of the block
  }

  TEST_CASE("Greek and Cyrillic are lower-cased, not transliterated") {
    CHECK(fold("ΕΛΈΝΗ") == "ελένη");
    CHECK(fold("Ελένη") == "ελένη");
    CHECK(fold("ΌΎΏΆΊΉ") == "όύώάίή");
    CHECK(fold("ОЛЬГА Ёлкина") == "ольга ёлкина");
    CHECK(fold("ЂЏ") == "ђџ");
  }

  TEST_CASE("CJK, emoji and other scripts are kept as they are") {
    CHECK(fold("李雷") == "李雷");
    CHECK(fold("😀 Hi") == "😀 hi");
    CHECK(fold("שלום") == "שלום");
  }

  TEST_CASE("invalid bytes are copied through") {
    CHECK(fold("A\xFF" "B") == "a\xFF" "b");
    CHECK(fold("\xC3") == "\xC3");                    // truncated é
    CHECK(fold("\xC3" "A") == "\xC3" "a");
    CHECK(fold("\xED\xA0\x80") == "\xED\xA0\x80");    // surrogate
    CHECK(fold("\xC0\xAF") == "\xC0\xAF");            // overlong
  }

  TEST_CASE("folding is idempotent") {
    for (const char* text : {"Ana López", "Straße", "Nguyễn", "ΕΛΈΝΗ", "ОЛЬГА", "李雷", "Zoe\xCC\x88"}) {
      CAPTURE(text);
      CHECK(fold(fold(text)) == fold(text));
    }
  }
}

TEST_SUITE("slugify") {
  TEST_CASE("examples from the contract") {
    CHECK(slugify("Ana López") == "ana-lopez");
    CHECK(slugify("  The Hendersons!! ") == "the-hendersons");
    CHECK(slugify("José-María O'Neil") == "jose-maria-o-neil");
    CHECK(slugify("李雷") == "");
    CHECK(slugify("Zoë") == "zoe");
  }

  TEST_CASE("runs collapse, ends are trimmed") {
    CHECK(slugify("a  --  b") == "a-b");
    CHECK(slugify("---a---") == "a");
    CHECK(slugify("Bob_Smith.jr") == "bob-smith-jr");
    CHECK(slugify("R2-D2") == "r2-d2");
    CHECK(slugify("007") == "007");
    CHECK(slugify("") == "");
    CHECK(slugify("!!!") == "");
    CHECK(slugify("Ana 李雷 López") == "ana-lopez");
    CHECK(slugify("Ελένη Smith") == "smith");
    CHECK(slugify("Straße 5") == "strasse-5");
    CHECK(slugify("Jose\xCC\x81") == "jose");
    CHECK(slugify("a\xFF" "b") == "a-b");
  }

  TEST_CASE("slugs of names with letters are valid ids") {
    for (const char* text : {"Ana López", "  The Hendersons!! ", "José-María O'Neil", "Zoë", "-x-", "9 lives"}) {
      CAPTURE(text);
      CHECK(is_valid_id(slugify(text)));
    }
  }
}

TEST_SUITE("display_width") {
  TEST_CASE("ASCII and Latin take one column each") {
    CHECK(display_width("") == 0);
    CHECK(display_width("abc") == 3);
    CHECK(display_width("Ana López") == 9);
    CHECK(display_width("Ελένη") == 5);
    CHECK(display_width("Ольга") == 5);
  }

  TEST_CASE("combining marks take none") {
    CHECK(display_width("e\xCC\x81") == 1);
    CHECK(display_width("Jose\xCC\x81") == 4);
    CHECK(display_width("a\xCC\x80\xCC\x81\xCD\xAF") == 1);
  }

  TEST_CASE("East Asian wide and fullwidth take two") {
    CHECK(display_width("李雷") == 4);
    CHECK(display_width("한국") == 4);       // Hangul syllables
    CHECK(display_width("ᄀ") == 2);          // U+1100 Hangul Jamo
    CHECK(display_width("ひらがな") == 8);
    CHECK(display_width("ＡＢ") == 4);       // fullwidth forms U+FF21
    CHECK(display_width("￥") == 2);         // U+FFE5
    CHECK(display_width("😀") == 2);         // U+1F600
    CHECK(display_width("🌍") == 2);         // U+1F30D
    CHECK(display_width("𠀀") == 2);         // U+20000
    CHECK(display_width("Li 李") == 5);
  }

  TEST_CASE("narrow neighbours of wide ranges take one") {
    CHECK(display_width("\xE1\x85\xA0") == 1); // U+1160, just past Jamo leading
    CHECK(display_width("\xEF\xBD\xA1") == 1); // U+FF61, halfwidth katakana punctuation
    CHECK(display_width("\xEF\xBF\xA8") == 1); // U+FFE8, halfwidth form
    CHECK(display_width("\xE2\x82\xAC") == 1); // U+20AC euro sign
  }

  TEST_CASE("ASCII is one column a byte, controls too, at any length; one wide character anywhere counts") {
    for (std::size_t size = 0; size <= 40; ++size) {
      std::string ascii(size, 'a');
      if (size > 0) ascii[size / 2] = '\x01';
      CHECK(display_width(ascii) == size);
      for (std::size_t at = 0; at <= size; ++at) {
        std::string wide = std::string(size, 'a').insert(at, "李");
        CAPTURE(wide);
        CHECK(display_width(wide) == size + 2);
      }
    }
    CHECK(display_width("\x7f\x1b[0m") == 5);
  }

  TEST_CASE("invalid bytes take one column each") {
    CHECK(display_width("\xFF") == 1);
    CHECK(display_width("a\xFF\xFE" "b") == 4);
    CHECK(display_width("\xE6\x9D") == 2);     // truncated 李: two stray bytes
    CHECK(display_width("\xED\xA0\x80") == 3); // surrogate: three stray bytes
  }
}

TEST_SUITE("existing helpers") {
  TEST_CASE("lower and iequals are ASCII-only") {
    CHECK(lower("ÀB") == "Àb");
    CHECK(iequals("Hello", "hELLO"));
    CHECK_FALSE(iequals("Hello", "Hell"));
  }

  TEST_CASE("is_valid_id") {
    CHECK(is_valid_id("ana-lopez"));
    CHECK(is_valid_id("9"));
    CHECK_FALSE(is_valid_id(""));
    CHECK_FALSE(is_valid_id("-ana"));
    CHECK_FALSE(is_valid_id("Ana"));
  }

  TEST_CASE("has_control_chars") {
    CHECK(has_control_chars("a\tb"));
    CHECK(has_control_chars("\x7F"));
    CHECK_FALSE(has_control_chars("Ana López"));
  }
}

TEST_SUITE("printable") {
  TEST_CASE("well-formed UTF-8 is kept as it is") {
    for (const char* text : {"", "plain ascii", "Ana López", "李雷", "😀", "e\xCC\x81", "a \\ b"}) {
      CAPTURE(text);
      CHECK(printable(text) == text);
    }
  }

  TEST_CASE("bytes that are not UTF-8 are shown as \\xNN, one by one") {
    CHECK(printable("\xFF") == "\\xff");
    CHECK(printable("An\xFF\xFE" "a") == "An\\xff\\xfea");
    CHECK(printable("\xC0\xAF") == "\\xc0\\xaf");         // overlong
    CHECK(printable("\xED\xA0\x80") == "\\xed\\xa0\\x80"); // surrogate
    CHECK(printable("a\xE6\x9D") == "a\\xe6\\x9d");       // cut short
    CHECK(printable("\xC3(") == "\\xc3(");                // the next byte is read again
  }

  TEST_CASE("line breaks and control characters are escaped: one line, no cursor moves") {
    CHECK(printable("a\nb\r\tc") == "a\\nb\\r\\tc");
    CHECK(printable(std::string("\0\x1b[2J\x7f", 6)) == "\\x00\\x1b[2J\\x7f");
    CHECK(printable("\xC2\x85\xC2\x9B") == "\\xc2\\x85\\xc2\\x9b"); // C1 controls (NEL, CSI)
    CHECK(printable("\xC2\xA0") == "\xC2\xA0");                    // U+00A0 is not a control
  }

  TEST_CASE("the result is always valid UTF-8 without control characters") {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    const std::string shown = printable(all + all);
    CHECK(is_valid_utf8(shown));
    CHECK_FALSE(has_control_chars(shown));
  }
}

TEST_CASE("visible: control characters as less shows them, the rest as it is") {
  CHECK_FALSE(has_terminal_controls("Ana López, café ° « » \xC2\xA0"));
  CHECK_FALSE(has_terminal_controls("a long ASCII name that spans words"));
  CHECK(has_terminal_controls("a long ASCII name that spans words\x1b"));
  CHECK(has_terminal_controls("x\x7f"));
  CHECK(has_terminal_controls("long enough text \xC2\x9B"));
  CHECK(visible("\x1b]52;c;ZXZpbA==\x07") == "^[]52;c;ZXZpbA==^G");
  CHECK(visible("a\tb\nc\rd\x7f" "e") == "a^Ib^Jc^Md^?e");
  CHECK(visible(std::string("nul\0x", 5)) == "nul^@x");
  CHECK(visible("one\ntwo\x1b", true) == "one\ntwo^[");
  CHECK(visible("csi \xC2\x9B" "31m, nbsp \xC2\xA0") == "csi <U+009B>31m, nbsp \xC2\xA0");
  CHECK(visible("Zoë 王") == "Zoë 王");
}

TEST_CASE("fit_width cuts to a width in columns, ending in an ellipsis") {
  CHECK(fit_width("Ana López", 20) == "Ana López");
  CHECK(fit_width("Ana López", 9) == "Ana López");
  CHECK(fit_width("Ana López", 8) == "Ana Lóp\u2026");
  CHECK(fit_width("王小明先生", 6) == "王小\u2026");     // wide: two columns each
  CHECK(fit_width("王小明先生", 5) == "王小\u2026");
  CHECK(fit_width("e\u0301te\u0301", 3) == "e\u0301te\u0301"); // three columns: it fits
  CHECK(fit_width("e\u0301te\u0301x", 3) == "e\u0301t\u2026"); // a combining mark stays with its letter
  CHECK(fit_width("abc", 1) == "\u2026");
  CHECK(fit_width("abc", 0) == "");
  for (std::size_t w = 0; w < 12; ++w) CHECK(display_width(fit_width("Zoë 🙂 Ng Long", w)) <= w);
}
