// followup: who haven't you called in too long? Parses argv with CLI11,
// runs one command, and maps errors to exit codes (exit_codes.cpp).
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "exit_codes.hpp"

using namespace followup;
using namespace followup::cli;

int main(int argc, char** argv) {
  Context ctx;
  ctx.env = Environment::from_process();
  ctx.out = &std::cout;

  CLI::App app{"followup: keep in touch with the people who matter.\n"
               "Keeps contacts in one JSON file, logs check-ins, and says who is due."};
  app.name("followup");
  app.set_version_flag("--version", std::string("followup " FOLLOWUP_VERSION));
  app.require_subcommand(1);
  app.fallthrough(); // global options may come after the command too
  app.add_option("-f,--file", ctx.file, "The book (default: $FOLLOWUP_FILE, else $XDG_DATA_HOME/followup/contacts.json)");
  app.add_option("--today", ctx.today_option, "Take this date as today (also $FOLLOWUP_TODAY)");
  app.add_option("--color", ctx.color, "Colour the table: auto (on a terminal), always, never; NO_COLOR wins")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  setup_add(app, ctx);
  setup_log(app, ctx);
  setup_due(app, ctx);
  setup_history(app, ctx);
  setup_snooze(app, ctx);
  setup_list(app, ctx);
  setup_show(app, ctx);
  setup_edit(app, ctx);
  setup_rm(app, ctx);
  setup_tag(app, ctx);
  setup_rules(app, ctx);
  setup_check(app, ctx);
  setup_undo(app, ctx);
  setup_import(app, ctx);
  setup_export(app, ctx);
  setup_completion(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "followup: {}\n", one_line(e.what()));
    fmt::print(stderr, "hint: run 'followup --help' or 'followup COMMAND --help'\n");
    return ExitCode::usage;
  } catch (const Error& e) {
    std::cout.flush();
    return report(e);
  }
  std::cout.flush();
  if (!std::cout) {
    fmt::print(stderr, "followup: cannot write the output\n");
    return ExitCode::io_error;
  }
  return ctx.exit_status;
}
