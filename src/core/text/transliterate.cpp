#include "followup/text/transliterate.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "followup/text/text.hpp"
#include "text/text_decode.hpp"

namespace followup {
namespace {

// ICU's C API, declared here rather than from <unicode/*.h>: the build needs
// no libicu-dev, and the program does not link ICU, whose load time (a few
// milliseconds, its data library is ~30 MB) every read command would pay.
using UChar = char16_t;
using UErrorCode = int;                      // U_ZERO_ERROR 0, failures > 0
constexpr UErrorCode kBufferOverflow = 15;   // U_BUFFER_OVERFLOW_ERROR
constexpr int kForward = 0;                  // UTRANS_FORWARD
struct UTransliterator;

using OpenFn = UTransliterator* (*)(const UChar*, int32_t, int, const UChar*, int32_t, void*, UErrorCode*);
using TransFn = void (*)(const UTransliterator*, UChar*, int32_t*, int32_t, int32_t, int32_t*, UErrorCode*);
using CloseFn = void (*)(UTransliterator*);
using FromUtf8Fn = UChar* (*)(UChar*, int32_t, int32_t*, const char*, int32_t, UErrorCode*);
using ToUtf8Fn = char* (*)(char*, int32_t, int32_t*, const UChar*, int32_t, UErrorCode*);

struct Icu {
  TransFn trans = nullptr;
  FromUtf8Fn from_utf8 = nullptr;
  ToUtf8Fn to_utf8 = nullptr;
  UTransliterator* any_to_ascii = nullptr;
};

// ICU suffixes every C symbol with its major version (utrans_openU_72) and
// names its library after it (libicui18n.so.72); the version is not known
// before the library is found, so the sonames are tried newest first.
constexpr int kNewestIcu = 99, kOldestIcu = 50;

template <class Fn>
Fn symbol(void* lib, const std::string& name, const std::string& suffix) {
  void* p = dlsym(lib, (name + suffix).c_str());
  if (!p && !suffix.empty()) p = dlsym(lib, name.c_str()); // an ICU built without renaming
  return reinterpret_cast<Fn>(p);
}

Icu load_icu() {
  Icu icu;
  void* lib = nullptr;
  std::string suffix;
  for (int v = kNewestIcu; v >= kOldestIcu && !lib; --v) {
    // libicui18n brings libicuuc (the UTF-8 conversions) in with it, and
    // dlsym on its handle searches both.
    lib = dlopen(("libicui18n.so." + std::to_string(v)).c_str(), RTLD_LAZY | RTLD_LOCAL);
    if (lib) suffix = "_" + std::to_string(v);
  }
  if (!lib) return icu;
  auto open = symbol<OpenFn>(lib, "utrans_openU", suffix);
  icu.trans = symbol<TransFn>(lib, "utrans_transUChars", suffix);
  icu.from_utf8 = symbol<FromUtf8Fn>(lib, "u_strFromUTF8", suffix);
  icu.to_utf8 = symbol<ToUtf8Fn>(lib, "u_strToUTF8", suffix);
  if (!open || !icu.trans || !icu.from_utf8 || !icu.to_utf8 || !symbol<CloseFn>(lib, "utrans_close", suffix))
    return {};
  const std::u16string id = u"Any-Latin; Latin-ASCII";
  UErrorCode status = 0;
  icu.any_to_ascii = open(id.data(), static_cast<int32_t>(id.size()), kForward, nullptr, 0, nullptr, &status);
  // Kept open, and the library loaded, until the process ends: an import
  // asks once a record.
  if (status > 0) icu.any_to_ascii = nullptr;
  return icu;
}

const Icu& icu() {
  static const Icu loaded = load_icu();
  return loaded;
}

// Punctuation, symbols and emoji: what a name may hold that no script
// spells, so that a name of emoji only does not load ICU for nothing.
bool is_symbol(char32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
         (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0xE0000 && cp <= 0xE007F) || cp == 0xFFFD;
}

bool has_other_script(std::string_view folded) {
  for (std::size_t i = 0; i < folded.size();) {
    const CodePoint cp = decode(folded, i);
    i += cp.length;
    if (const char32_t v = cp.valid ? cp.value : 0xFFFD; v >= 0x80 && !is_symbol(v)) return true;
  }
  return false;
}

} // namespace

std::optional<std::string> to_latin_ascii(std::string_view utf8) {
  const Icu& lib = icu();
  if (!lib.any_to_ascii) return std::nullopt;
  UErrorCode status = 0;
  int32_t length = 0;
  const auto src_size = static_cast<int32_t>(utf8.size());
  lib.from_utf8(nullptr, 0, &length, utf8.data(), src_size, &status);
  if (status > 0 && status != kBufferOverflow) return std::nullopt;
  std::u16string text(static_cast<std::size_t>(length), u'\0');
  status = 0;
  lib.from_utf8(text.data(), length, &length, utf8.data(), src_size, &status);
  if (status > 0) return std::nullopt;

  // A Han character becomes a syllable of up to six letters and a space;
  // when that is not room enough, ICU says how much is.
  std::u16string buffer;
  int32_t used = length;
  for (int32_t capacity = length * 8 + 16, tries = 0; tries < 3; ++tries) {
    buffer = text;
    buffer.resize(static_cast<std::size_t>(capacity));
    used = length;
    int32_t limit = length;
    status = 0;
    lib.trans(lib.any_to_ascii, buffer.data(), &used, capacity, 0, &limit, &status);
    if (status != kBufferOverflow) break;
    capacity = std::max(used, capacity) * 2;
  }
  if (status > 0) return std::nullopt;

  int32_t out_length = 0;
  status = 0;
  lib.to_utf8(nullptr, 0, &out_length, buffer.data(), used, &status);
  if (status > 0 && status != kBufferOverflow) return std::nullopt;
  std::string out(static_cast<std::size_t>(out_length), '\0');
  status = 0;
  lib.to_utf8(out.data(), out_length, &out_length, buffer.data(), used, &status);
  if (status > 0) return std::nullopt;
  return out;
}

std::string id_from_name(std::string_view name) {
  // Folded first, so that the Latin part of a mixed name slugs as it
  // always has (ICU's Latin-ASCII does not fold every letter as fold does).
  const std::string folded = fold(name);
  if (has_other_script(folded))
    if (std::optional<std::string> latin = to_latin_ascii(folded)) return slugify(*latin);
  return slugify(name);
}

} // namespace followup
