// Ids for names in any script: ICU's transliteration, loaded only when needed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace followup {

// The text in Latin ASCII by ICU's "Any-Latin; Latin-ASCII" transform
// (王小明 → "wang xiao ming", Иван → "Ivan"); nullopt when ICU cannot be
// loaded or the transform fails. ICU is opened with dlopen on the first call
// and kept for the process, so that only the commands that make ids from
// such names pay for loading it.
std::optional<std::string> to_latin_ascii(std::string_view utf8);

// The id a new contact's name asks for: slugify(name), or, when the name
// still has letters outside Latin after accent folding (Chinese, Arabic,
// Cyrillic ...), the slug of its transliteration. Empty when nothing typable
// is left (a name of emoji only, or of CJK without ICU on the machine); the
// caller falls back to "contact".
std::string id_from_name(std::string_view name);

} // namespace followup
