// Unknown members, read from the text into Json values: strings unescaped
// (written back with the writer's escapes), numbers as their text, so that a
// rewrite gives them back byte for byte.
#include "book/json_value.hpp"

#include <cmath>
#include <cstdlib>

namespace followup::loader {
namespace {

// As nlohmann decides it: a number is refused only when strtod overflows to
// infinity (1e-400 is kept). The program never sets a locale, so strtod
// reads JSON's '.'.
bool too_large(std::string_view token) {
  return !std::isfinite(std::strtod(std::string(token).c_str(), nullptr));
}

Json value(json::Cursor& c, std::string& scratch) {
  switch (c.type()) {
  case json::Type::object: {
    Json j = Json::object();
    for (bool more = c.begin_object(); more; more = c.next_member()) {
      std::string key(c.key(scratch));
      // As nlohmann's parser: a repeated key keeps its first place, its last value.
      j[std::move(key)] = value(c, scratch);
    }
    return j;
  }
  case json::Type::array: {
    Json j = Json::array();
    for (bool more = c.begin_array(); more; more = c.next_element()) j.push_back(value(c, scratch));
    return j;
  }
  case json::Type::string: return Json(std::string(c.string(scratch)));
  case json::Type::number: {
    const std::size_t at = c.offset();
    const std::string_view token = c.number();
    if (too_large(token)) throw NumberTooLarge{at};
    return written_number(token);
  }
  case json::Type::boolean: return Json(c.boolean());
  case json::Type::null: c.null(); return Json(nullptr);
  }
  return Json(); // not reached: every type is a case
}

} // namespace

Json value_as_written(json::Cursor& c) {
  std::string scratch;
  return value(c, scratch);
}

} // namespace followup::loader
