#include "commands.hpp"

namespace followup::cli {

void setup_rm(CLI::App&, Context&) {} // placeholder: not built yet

} // namespace followup::cli
