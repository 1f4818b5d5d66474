#include "commands.hpp"

namespace followup::cli {

void setup_completion(CLI::App&, Context&) {} // placeholder: not built yet

} // namespace followup::cli
