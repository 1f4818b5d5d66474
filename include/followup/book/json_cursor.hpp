// A strict JSON reader over text in memory, one token at a time: no tree, no
// index, no copy of a string without escapes. It is what the book loader
// walks (json_read.cpp), so a large book costs one pass over its bytes and
// little more memory than the text itself.
//
// It accepts exactly RFC 8259 in UTF-8: no comments, no trailing commas, no
// NaN, no raw control characters in strings, no lone surrogates in \u
// escapes, no ill-formed UTF-8 (checked in the one pass: outside strings any
// byte past ASCII is an error anyway).
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h> // part of every x86-64: 16 bytes a step, no runtime dispatch
#endif

// The few calls the loader makes for every value: inlined, so the cursor's
// position stays in a register across a whole object.
#if defined(__GNUC__)
#define FOLLOWUP_HOT [[gnu::always_inline]] inline
#else
#define FOLLOWUP_HOT inline
#endif

namespace followup::json {

enum class Type { object, array, string, number, boolean, null };

// The text is not JSON at byte `offset`; `deep` when it nests too deeply.
struct SyntaxError {
  std::size_t offset;
  const char* what;
  bool deep = false;
};

class Cursor {
public:
  explicit Cursor(std::string_view text) : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

  std::size_t offset() const { return static_cast<std::size_t>(p_ - begin_); }
  // Goes to a byte of the text (at most its end): where another reading of
  // the same text stopped, or where a part of it starts.
  void seek(std::size_t offset) { p_ = begin_ + std::min(offset, static_cast<std::size_t>(end_ - begin_)); }
  // Skips blanks; true when nothing else is left.
  bool at_end() {
    skip_blanks();
    return p_ == end_;
  }

  // The type of the value that starts here (after blanks), a syntax error if
  // none does. Numbers and literals are checked whole here; strings and
  // containers as they are read or skipped.
  FOLLOWUP_HOT Type type() {
    skip_blanks();
    if (p_ == end_) fail("unexpected end of the text");
    switch (*p_) {
    case '{': return Type::object;
    case '[': return Type::array;
    case '"': return Type::string;
    case 't': literal("true"); return Type::boolean;
    case 'f': literal("false"); return Type::boolean;
    case 'n': literal("null"); return Type::null;
    default:
      number_length(); // throws unless a number starts here
      return Type::number;
    }
  }

  // An object, after type() said so:
  //   for (bool more = c.begin_object(); more; more = c.next_member()) {
  //     std::string_view k = c.key(scratch); ...read or skip the value...
  //   }
  FOLLOWUP_HOT bool begin_object() { return open('}'); }
  // A member's key (unescaped, as string() returns it) and its ':'.
  FOLLOWUP_HOT std::string_view key(std::string& scratch) {
    skip_blanks();
    if (p_ == end_ || *p_ != '"') fail("expected a key");
    std::string_view k = string(scratch);
    if (p_ == end_ || *p_ != ':') skip_blanks(); // the usual `"key":` has none
    if (p_ == end_ || *p_ != ':') fail("expected ':' after a key");
    ++p_;
    return k;
  }
  FOLLOWUP_HOT bool next_member() { return next('}'); }
  // An array, after type() said so: the same with next_element().
  FOLLOWUP_HOT bool begin_array() { return open(']'); }
  FOLLOWUP_HOT bool next_element() { return next(']'); }

  // Whether the next value starts with `c` (after blanks): the quick test
  // for the type a reader expects; type() says what it is when not.
  FOLLOWUP_HOT bool at(char c) {
    skip_blanks();
    return p_ != end_ && *p_ == c;
  }

  // A string, after type() said so: its text unescaped, a view of the text
  // itself when it holds no escape, else of `scratch`.
  FOLLOWUP_HOT std::string_view string(std::string& scratch) {
    const char* const start = p_ + 1;
    const char* p = start;
    while (true) {
      p = to_special(p);
      if (p != end_ && *p == '"') {
        p_ = p + 1;
        return {start, static_cast<std::size_t>(p - start)};
      }
      p_ = p; // for the message, the escape or the UTF-8 sequence
      if (p == end_) fail("unterminated string");
      const auto c = static_cast<unsigned char>(*p);
      if (c == '\\') return unescape(start, scratch);
      if (c < 0x20) fail("a control character in a string");
      p += c < 0x80 ? 1 : utf8_sequence();
    }
  }
  // The number token, after type() said so.
  std::string_view number() {
    const char* start = p_;
    p_ += number_length();
    return {start, static_cast<std::size_t>(p_ - start)};
  }
  bool boolean() {
    const bool t = *p_ == 't';
    p_ += t ? 4 : 5;
    return t;
  }
  void null() { p_ += 4; }

  // Any value, checked. Containers may nest `max_depth` levels; one more is
  // a SyntaxError with `deep` set, at the bracket that goes too deep.
  void skip(std::size_t max_depth);

private:
  [[noreturn, gnu::noinline, gnu::cold]] void fail(const char* what) const { throw SyntaxError{offset(), what}; }
  [[noreturn, gnu::noinline, gnu::cold]] void fail_at(const char* where, const char* what) const {
    throw SyntaxError{static_cast<std::size_t>(where - begin_), what};
  }

  static bool blank(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
  // The usual cases cost a compare or two: a token right here, or one space
  // before it (after ':'). Runs of indentation go to skip_run().
  //
  // The scans work on a local pointer, stored once at the end: the bytes
  // they load are chars, which may alias p_ as far as the compiler knows.
  FOLLOWUP_HOT void skip_blanks() {
    const char* p = p_;
    if (p == end_ || static_cast<unsigned char>(*p) > ' ') return;
    if (*p == ' ' && end_ - p >= 2 && static_cast<unsigned char>(p[1]) > ' ') {
      p_ = p + 1;
      return;
    }
    p_ = skip_run(p);
  }
  FOLLOWUP_HOT const char* skip_run(const char* p) const {
#if defined(__SSE2__)
    while (end_ - p >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i blanks = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                                          _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
      const auto others = ~static_cast<unsigned>(_mm_movemask_epi8(blanks)) & 0xFFFFu;
      if (others != 0) return p + std::countr_zero(others);
      p += 16;
    }
#endif
    while (p != end_) {
      const char c = *p;
      if (c == ' ') {
        p = skip_spaces(p);
        continue;
      }
      if (!blank(c)) return p;
      ++p;
    }
    return p;
  }
  FOLLOWUP_HOT bool open(char close) {
    ++p_;
    skip_blanks();
    if (p_ != end_ && *p_ == close) {
      ++p_;
      return false;
    }
    return true;
  }
  FOLLOWUP_HOT bool next(char close) {
    skip_blanks();
    if (p_ != end_ && *p_ == ',') {
      ++p_;
      return true;
    }
    if (p_ != end_ && *p_ == close) {
      ++p_;
      return false;
    }
    fail(close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
  }
  void literal(const char* word) const {
    const std::size_t n = std::strlen(word);
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) fail("not a JSON value");
  }
  // Indentation: eight bytes at a time; the first byte that is not a space
  // is the lowest one left set by the XOR (no borrow crosses bytes).
  const char* skip_spaces(const char* p) const {
    if constexpr (std::endian::native == std::endian::little) {
      while (end_ - p >= 8) {
        const std::uint64_t other = load8(p) ^ 0x2020202020202020;
        if (other != 0) return p + std::countr_zero(other) / 8;
        p += 8;
      }
    }
    while (p != end_ && *p == ' ') ++p;
    return p;
  }
  static std::uint64_t load8(const char* at) {
    std::uint64_t v;
    std::memcpy(&v, at, 8);
    return v;
  }
  // Moves to the next byte of a string that is '"', '\\', a control
  // character or past ASCII, or to the last 7 bytes of the text, testing 16
  // (SSE2) or 8 bytes at a time: strings are mostly plain ASCII. In the
  // 8-byte mask each such byte has its high bit set; a borrow can only set
  // bits above a byte that is rightly set, so the lowest bit set marks the
  // first such byte.
  FOLLOWUP_HOT const char* to_special(const char* p) const {
#if defined(__SSE2__)
    // The same 16 bytes at a time; a signed compare with 0x20 catches both
    // the control characters and the bytes past ASCII.
    while (end_ - p >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                                           _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
      const auto m = static_cast<unsigned>(_mm_movemask_epi8(special));
      if (m != 0) return p + std::countr_zero(m);
      p += 16;
    }
#endif
    constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
    auto zero_byte = [&](std::uint64_t x) { return (x - ones) & ~x & highs; };
    while (end_ - p >= 8) {
      const std::uint64_t v = load8(p);
      const std::uint64_t m = zero_byte(v ^ (ones * '"')) | zero_byte(v ^ (ones * '\\')) |
                              ((v - ones * 0x20) & ~v & highs) | (v & highs);
      if (m == 0) {
        p += 8;
        continue;
      }
      if constexpr (std::endian::native == std::endian::little) p += std::countr_zero(m) / 8;
      return p; // elsewhere the caller looks at one byte after another
    }
    return p;
  }
  // The length of the UTF-8 sequence at the cursor; a syntax error if none.
  std::size_t utf8_sequence() const;
  std::size_t number_length() const;
  std::string_view unescape(const char* start, std::string& out);
  // The escape at the cursor (its '\\' included), appended to `out`.
  void escape(std::string& out);

  const char* begin_;
  const char* p_;
  const char* end_;
};

} // namespace followup::json
