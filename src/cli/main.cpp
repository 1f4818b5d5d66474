// followup: who haven't you called in too long? Parses argv with CLI11,
// runs one command, and maps errors to exit codes (exit_codes.cpp).
#include <iostream>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "exit_codes.hpp"

using namespace followup;
using namespace followup::cli;

namespace {

// The commands, by the words that name them on the command line.
struct Command {
  std::string_view name, other_name;
  void (*setup)(CLI::App&, Context&);
};
constexpr Command kCommands[] = {
    {"add", {}, setup_add},         {"log", {}, setup_log},         {"due", {}, setup_due},
    {"history", {}, setup_history}, {"snooze", "unsnooze", setup_snooze}, {"list", {}, setup_list},
    {"show", {}, setup_show},       {"edit", {}, setup_edit},       {"rm", {}, setup_rm},
    {"tag", {}, setup_tag},         {"rules", {}, setup_rules},     {"check", {}, setup_check},
    {"undo", {}, setup_undo},       {"import", {}, setup_import},   {"export", {}, setup_export},
    {"plan", "unplan", setup_plan},
};

// The command argv names, found as CLI11 finds it: the first word that is
// neither an option nor the value of a global option. Empty when there is
// none (`--help`, `--version`, a mistake).
std::string_view command_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-f" || arg == "--file" || arg == "--today" || arg == "--color") ++i;
    else if (arg == "--") return {};
    else if (!arg.starts_with("-")) return arg;
  }
  return {};
}

// Declares the command argv names, or every command when it names none of
// them: CLI11 spends more on declaring all sixteen commands' options than
// `due` spends on a small book. Help, errors and completion scripts see all.
void setup_commands(CLI::App& app, Context& ctx, std::string_view word) {
  for (const Command& c : kCommands)
    if (word == c.name || (!c.other_name.empty() && word == c.other_name)) return c.setup(app, ctx);
  for (const Command& c : kCommands) c.setup(app, ctx);
  setup_completion(app, ctx);
}

} // namespace

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

  setup_commands(app, ctx, command_word(argc, argv));

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
