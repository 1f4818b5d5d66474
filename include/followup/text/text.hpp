// UTF-8 text helpers: folding for lookups, id slugs, terminal widths.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

// The UTF-8 at the start of text, whose first byte is 0x80 or above:
// `length` bytes form one valid sequence, or, when !valid, the longest start
// of one (at least one byte: what a decoder replaces with one U+FFFD). RFC
// 3629: no overlongs, surrogates or code points past U+10FFFF. The one
// check of UTF-8 of the core; inline, as the json writer calls it for each
// character that is not ASCII.
struct Utf8Run {
  std::size_t length;
  bool valid;
};

inline Utf8Run utf8_run(std::string_view text) {
  const auto byte_at = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte_at(0);
  std::size_t need = 0;
  unsigned char low = 0x80, high = 0xBF; // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 3;
    if (lead == 0xE0) low = 0xA0;  // else overlong
    if (lead == 0xED) high = 0x9F; // else a surrogate
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 4;
    if (lead == 0xF0) low = 0x90;  // else overlong
    if (lead == 0xF4) high = 0x8F; // else past U+10FFFF
  } else {
    return {1, false};
  }
  std::size_t n = 1;
  for (; n < need && n < text.size(); ++n, low = 0x80, high = 0xBF)
    if (byte_at(n) < low || byte_at(n) > high) return {n, false};
  return {n, n == need};
}

bool is_valid_utf8(std::string_view s);
// The length (1 to 4) of the UTF-8 sequence at `pos`, or 0 where it is not
// UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
std::size_t utf8_length_at(std::string_view s, std::size_t pos);
// Appends the code point as UTF-8.
void append_utf8(std::string& out, char32_t cp);

// `s` as one line of valid UTF-8 for a message: well-formed UTF-8 is kept,
// line breaks and tabs become \n \r \t, other control characters (C0, DEL,
// C1) and bytes that are not UTF-8 become \xNN, so that a value quoted from
// a file can neither break the line, move the terminal's cursor nor make
// the message invalid UTF-8.
std::string printable(std::string_view s);

// Lower-cases ASCII and folds accented Latin letters to their base letters
// (é→e, ß→ss, Ø→o, Ł→l, æ→ae ...), for case- and accent-insensitive matching.
// Other code points are kept as they are. Invalid UTF-8 bytes are kept.
std::string fold(std::string_view utf8);

// An id from a name: folded, every run of characters other than [a-z0-9]
// becomes one `-`, no leading/trailing `-`. May be empty (e.g. all CJK).
std::string slugify(std::string_view name);

// `[a-z0-9][a-z0-9-]*`
bool is_valid_id(std::string_view id);

// True when s holds an ASCII control character (0x00-0x1F, 0x7F).
bool has_control_chars(std::string_view s);

// True when the text holds something a terminal acts on instead of showing
// it: a C0 control character (tab and newline too), DEL, or a C1 one
// (U+0080 to U+009F, written C2 80 to C2 9F). Eight bytes at a time.
bool has_terminal_controls(std::string_view s);

// The text as the human formats show it, as less does: C0 controls and DEL
// in caret notation (ESC is `^[`, tab `^I`, DEL `^?`), C1 ones as `<U+009B>`,
// so that a name, note or field cannot clear the screen, set the title or
// write the clipboard (OSC 52). With keep_newlines, `\n` stays a line break
// (multi-line notes on a card). Everything else, and text with nothing to
// show (the usual), is copied as it is.
void append_visible(std::string& out, std::string_view s, bool keep_newlines = false);
std::string visible(std::string_view s, bool keep_newlines = false);

// Columns the text takes in a terminal: combining marks take 0, East Asian
// wide and fullwidth characters 2, everything else 1.
std::size_t display_width(std::string_view utf8);
// The text cut to at most `width` columns, ending in "…" when it was cut.
std::string fit_width(std::string_view utf8, std::size_t width);

// ASCII lower-case.
std::string lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

// The candidate nearest to `word` by edit distance (Damerau: a swap of two
// neighbours counts one), when near enough to be a typo of it (as git's
// "did you mean"); nullopt otherwise. Ties go to the earlier candidate.
std::optional<std::string> nearest_word(std::string_view word, const std::vector<std::string>& candidates);

} // namespace followup
