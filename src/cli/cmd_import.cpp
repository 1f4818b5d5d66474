#include "commands.hpp"

namespace followup::cli {

void setup_import(CLI::App&, Context&) {} // placeholder: not built yet

} // namespace followup::cli
