#include "commands.hpp"

namespace followup::cli {

void setup_export(CLI::App&, Context&) {} // placeholder: not built yet

} // namespace followup::cli
