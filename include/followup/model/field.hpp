// A contact's field (`"fields": {"phone": "..."}`): in the model, and in the
// `fields` of due and list records (SPEC §4), so format.hpp needs it too.
#pragma once

#include <string>

namespace followup {

struct Field {
  std::string key;
  std::string value;
  bool operator==(const Field&) const = default;
};

} // namespace followup
