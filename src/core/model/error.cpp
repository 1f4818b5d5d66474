#include "followup/model/error.hpp"

#include <utility>

namespace followup {

Error::Error(ErrorKind kind, std::string what, std::string where, std::string hint)
    : std::runtime_error(std::move(what)), kind_(kind), where_(std::move(where)), hint_(std::move(hint)) {}

void throw_usage(std::string what, std::string where, std::string hint) {
  throw Error(ErrorKind::usage, std::move(what), std::move(where), std::move(hint));
}

void throw_data(std::string what, std::string where, std::string hint) {
  throw Error(ErrorKind::data, std::move(what), std::move(where), std::move(hint));
}

} // namespace followup
