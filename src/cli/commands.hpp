// Each command lives in its own file (cmd_<name>.cpp) with an options
// struct, a setup_ function that declares it to CLI11 and a run_ function
// that calls the core and prints.
#pragma once

#include <CLI/CLI.hpp>

#include "context.hpp"

namespace followup::cli {

void setup_add(CLI::App& app, Context& ctx);
void setup_log(CLI::App& app, Context& ctx);
void setup_due(CLI::App& app, Context& ctx);
void setup_history(CLI::App& app, Context& ctx);
void setup_snooze(CLI::App& app, Context& ctx); // snooze and unsnooze

} // namespace followup::cli
