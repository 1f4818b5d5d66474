// Turning the bytes of imported files into UTF-8: named charsets through
// glibc's iconv, and the windows-1252 fallback that old exports need.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace followup {

// `bytes` in `charset` (any name iconv knows: ISO-8859-1, SHIFT_JIS,
// windows-1252, UTF-16LE...) as UTF-8. nullopt when iconv does not know the
// charset or the bytes are not valid in it.
std::optional<std::string> convert_to_utf8(std::string_view bytes, std::string_view charset);

// Windows-1252 as UTF-8. Total: the five bytes it leaves undefined become
// U+FFFD, so a wrong guess garbles a letter instead of failing the import.
std::string windows1252_to_utf8(std::string_view bytes);

// Well-formed UTF-8 sequences kept, every other byte read as windows-1252:
// for values that claim UTF-8 but carry a stray 8-bit byte.
std::string repair_utf8(std::string_view bytes);

// A whole file's text as UTF-8 by its byte order mark: a UTF-8 BOM is
// dropped, UTF-16LE/BE with a BOM are converted, anything else is returned
// unchanged (still raw bytes). Throws Error{data} naming `source` when a
// UTF-16 file is cut in the middle of a character.
std::string decode_bom(std::string_view bytes, std::string_view source);

// Bytes in a declared charset as UTF-8: UTF-8 (or no name) through
// repair_utf8, windows-1252 by table, others through iconv. A charset iconv
// does not know, or bytes invalid in it, fall back to repair_utf8 (valid
// UTF-8 kept, other bytes as windows-1252), as vCard readers are expected to.
std::string decode_text(std::string_view bytes, std::string_view charset);

// Throws Error{usage} naming --charset when iconv does not know `charset`.
void check_charset(std::string_view charset);

} // namespace followup
