// The word-at-a-time copying the tsv, csv and json writers share
// (format_delimited.cpp, format_json.cpp): a text is copied eight bytes at a
// time up to the first byte its format must escape, and only from there byte
// by byte: the hot path of `-o json` and `-o tsv` on a large book (bench/).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace followup {

inline unsigned char byte_of(char ch) { return static_cast<unsigned char>(ch); }

// Eight bytes at a time: most values hold nothing to escape, so a whole word
// is tested and copied at once, and only a word that may hold one is looked
// at byte by byte.
using Word = std::uint64_t;
constexpr Word ones = 0x0101010101010101ULL;
constexpr Word highs = 0x8080808080808080ULL;

// Non-zero when some byte of w is below n (n <= 0x80). Borrows only start at
// such a byte, so "some" is exact.
constexpr Word bytes_below(Word w, unsigned n) { return (w - ones * n) & ~w & highs; }
constexpr Word bytes_equal(Word w, unsigned char ch) { return bytes_below(w ^ (ones * ch), 1); }

using ByteSet = std::array<bool, 256>;

template <class Pred>
constexpr ByteSet byte_set(Pred in_set) {
  ByteSet set{};
  for (unsigned c = 0; c < 256; ++c) set[c] = in_set(static_cast<unsigned char>(c));
  return set;
}

// A format's bytes that need care are a struct (TsvBytes, JsonBytes...):
// `set` holds them exactly, `word(w)` says whether a word may hold one.

template <class T>
T load(const char* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

// The bytes of a text shorter than a word, gathered into one by overlapping
// loads (some bytes twice), so that one test covers them all.
[[gnu::always_inline]] inline Word gather_short(const char* in, std::size_t size) {
  if (size >= 4) return Word{load<std::uint32_t>(in)} | Word{load<std::uint32_t>(in + size - 4)} << 32;
  if (size == 1) return ones * byte_of(*in);
  const Word half = Word{load<std::uint16_t>(in)} | Word{load<std::uint16_t>(in + size - 2)} << 16;
  return half | half << 32;
}

// The same overlapping pieces, stored: a few moves instead of a memcpy call.
[[gnu::always_inline]] inline void copy_short(char* out, const char* in, std::size_t size) {
  if (size >= 4) {
    std::memcpy(out, in, 4);
    std::memcpy(out + size - 4, in + size - 4, 4);
  } else if (size >= 2) {
    std::memcpy(out, in, 2);
    std::memcpy(out + size - 2, in + size - 2, 2);
  } else if (size == 1) {
    *out = *in;
  }
}

// Byte by byte from i, up to the first byte in Bytes::set: the slow path.
template <class Bytes>
[[gnu::noinline]] std::size_t copy_exact(char* out, std::string_view text, std::size_t i) {
  for (; i < text.size() && !Bytes::set[byte_of(text[i])]; ++i) out[i] = text[i];
  return i;
}

// Copies text to out up to its first byte in Bytes::set; returns how many
// bytes that is. out must have room for all of text. Word by word, the last
// word overlapping the one before; byte by byte only from a word that may
// hold such a byte. Inlined: a row holds several short texts.
template <class Bytes>
[[gnu::always_inline]] inline std::size_t copy_plain(char* out, std::string_view text) {
  const char* in = text.data();
  const std::size_t size = text.size();
  if (size < sizeof(Word)) {
    if (size == 0 || Bytes::word(gather_short(in, size))) return copy_exact<Bytes>(out, text, 0);
    copy_short(out, in, size);
    return size;
  }
  std::size_t i = 0;
  for (; i + sizeof(Word) <= size; i += sizeof(Word)) {
    const Word w = load<Word>(in + i);
    if (Bytes::word(w)) return copy_exact<Bytes>(out, text, i);
    std::memcpy(out + i, &w, sizeof w);
  }
  if (i < size) {
    const Word w = load<Word>(in + size - sizeof(Word));
    if (Bytes::word(w)) return copy_exact<Bytes>(out, text, i);
    std::memcpy(out + size - sizeof(Word), &w, sizeof w);
  }
  return size;
}

// Copies text to out, each byte in Bytes::set written by escape(out, rest),
// which takes the rest of the text from that byte, consumes what it wrote
// for and returns the end of what it wrote. The loop is kept out of line:
// the usual text has nothing to escape and costs one copy_plain.
template <class Bytes, class Escape>
[[gnu::noinline]] char* copy_escaped_rest(char* out, std::string_view text, Escape escape) {
  while (!text.empty()) {
    out = escape(out, text);
    std::size_t plain = copy_plain<Bytes>(out, text);
    out += plain;
    text.remove_prefix(plain);
  }
  return out;
}

template <class Bytes, class Escape>
[[gnu::always_inline]] inline char* copy_escaped(char* out, std::string_view text, Escape escape) {
  std::size_t plain = copy_plain<Bytes>(out, text);
  if (plain == text.size()) return out + plain;
  return copy_escaped_rest<Bytes>(out + plain, text.substr(plain), escape);
}

inline char* put2(char* out, char a, char b) {
  out[0] = a;
  out[1] = b;
  return out + 2;
}

// What put(out) writes, given the most it may write.
template <class Put>
std::string written(std::size_t room, Put put) {
  std::string out(room, '\0');
  out.resize(static_cast<std::size_t>(put(out.data()) - out.data()));
  return out;
}

} // namespace followup
