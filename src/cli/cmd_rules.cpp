#include "commands.hpp"

namespace followup::cli {

void setup_rules(CLI::App&, Context&) {} // placeholder: not built yet

} // namespace followup::cli
