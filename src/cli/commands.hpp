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
void setup_list(CLI::App& app, Context& ctx); // list and search
void setup_plan(CLI::App& app, Context& ctx); // plan and unplan
void setup_show(CLI::App& app, Context& ctx);
void setup_edit(CLI::App& app, Context& ctx);
void setup_rm(CLI::App& app, Context& ctx);
void setup_tag(CLI::App& app, Context& ctx);
void setup_assign(CLI::App& app, Context& ctx);
void setup_brief(CLI::App& app, Context& ctx);
void setup_rules(CLI::App& app, Context& ctx);
void setup_check(CLI::App& app, Context& ctx);
void setup_undo(CLI::App& app, Context& ctx);
void setup_import(CLI::App& app, Context& ctx);
void setup_export(CLI::App& app, Context& ctx);
void setup_merge(CLI::App& app, Context& ctx);
void setup_merge_driver(CLI::App& app, Context& ctx);
void setup_resolve(CLI::App& app, Context& ctx);
void setup_sync(CLI::App& app, Context& ctx); // sync and git-setup
void setup_completion(CLI::App& app, Context& ctx);

} // namespace followup::cli
