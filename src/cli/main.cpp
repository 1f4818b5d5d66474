// followup: who haven't you called in too long? Parses argv with CLI11,
// runs one command, and maps errors to exit codes (exit_codes.cpp).
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "followup/text/text.hpp"

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
    {"history", {}, setup_history}, {"snooze", "unsnooze", setup_snooze}, {"list", "search", setup_list},
    {"show", {}, setup_show},       {"edit", {}, setup_edit},       {"rm", {}, setup_rm},
    {"tag", {}, setup_tag},         {"rules", {}, setup_rules},     {"check", {}, setup_check},
    {"undo", {}, setup_undo},       {"import", {}, setup_import},   {"export", {}, setup_export},
    {"merge", {}, setup_merge},     {"merge-driver", {}, setup_merge_driver},
    {"resolve", {}, setup_resolve}, {"sync", "git-setup", setup_sync},
    {"plan", "unplan", setup_plan}, {"assign", {}, setup_assign},   {"brief", {}, setup_brief},
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
// them: CLI11 spends more on declaring all the commands' options than
// `due` spends on a small book. Help, errors and completion scripts see all.
void setup_commands(CLI::App& app, Context& ctx, std::string_view word) {
  for (const Command& c : kCommands)
    if (word == c.name || (!c.other_name.empty() && word == c.other_name)) return c.setup(app, ctx);
  for (const Command& c : kCommands) c.setup(app, ctx);
  setup_completion(app, ctx);
}

// A word where the command should be that names none: like git, say so and
// offer the nearest command (CLI11 would only say one is required).
[[noreturn]] void unknown_command(const CLI::App& app, std::string_view word) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  fmt::print(stderr, "followup: unknown command '{}'\n", one_line(std::string(word)));
  if (auto near = nearest_word(word, names)) fmt::print(stderr, "hint: did you mean '{}'?\n", *near);
  else fmt::print(stderr, "hint: run 'followup --help' for the commands\n");
  std::exit(ExitCode::usage);
}

// Memory set aside for when an allocation fails: the unwinding that follows
// allocates too (nlohmann frees a large document with a work list, inside a
// destructor, where a bad_alloc ends the process), so it must find room.
// Kept in parts, one let go of per failure: the loader's threads can fail one
// after the other, each needing room to unwind, and a plain pointer was once
// freed twice when two failed at the same instant. Untouched pages: it costs
// address space only.
constexpr std::size_t kReserveParts = 16;
std::array<std::atomic<char*>, kReserveParts> g_reserve{};

void set_reserve_aside() {
  for (auto& part : g_reserve) part = new (std::nothrow) char[1 << 20];
}

bool let_go_of_reserve() {
  for (auto& part : g_reserve)
    if (char* p = part.exchange(nullptr)) {
      delete[] p;
      return true;
    }
  return false;
}

// An allocation that fails while this thread unwinds is inside a destructor
// (noexcept): it is retried in the room just let go of instead of throwing,
// which would end the process. Otherwise the failure is reported.
void out_of_memory() {
  const bool let_go = let_go_of_reserve();
  if (let_go && std::uncaught_exceptions() > 0) return;
  throw std::bad_alloc();
}

} // namespace

int main(int argc, char** argv) {
  set_reserve_aside();
  std::set_new_handler(out_of_memory);
  Context ctx;
  ctx.env = Environment::from_process();
  ctx.out = &std::cout;
  ctx.err = &std::cerr;

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

  const std::string_view word = command_word(argc, argv);
  setup_commands(app, ctx, word);
  if (!word.empty() && app.get_subcommands([&](const CLI::App* sub) { return sub->check_name(std::string(word)); }).empty())
    unknown_command(app, word);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError&) {
    // CLI11 lists the extras in reverse; they are named here as typed.
    const std::vector<std::string> extras = app.remaining(true);
    fmt::print(stderr, "followup: {}\n", one_line(fmt::format("unexpected argument{}: {}", extras.size() == 1 ? "" : "s", fmt::join(extras, " "))));
    fmt::print(stderr, "hint: run 'followup --help' or 'followup COMMAND --help'\n");
    return ExitCode::usage;
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "followup: {}\n", one_line(e.what()));
    fmt::print(stderr, "hint: run 'followup --help' or 'followup COMMAND --help'\n");
    return ExitCode::usage;
  } catch (const Error& e) {
    std::cout.flush();
    return report(e);
  } catch (const std::bad_alloc&) {
    // A book too large for the memory the process may have (ulimit -v, a
    // container's limit). A write replaces the book only once the new text
    // is complete, so it is intact; SPEC §5 has no code of its own for
    // this, and it is a failure to read the data file, as 74 says.
    std::cout.flush();
    std::string where;
    try {
      where = fmt::format(" ({})", one_line(ctx.store().path().string()));
    } catch (...) {
      // Named when it can be; the message stands without.
    }
    fmt::print(stderr, "followup: not enough memory to read and work on the book{}\n", where);
    fmt::print(stderr, "hint: raise the memory limit (ulimit -v) or make the book smaller\n");
    return ExitCode::io_error;
  }
  std::cout.flush();
  if (!std::cout) {
    fmt::print(stderr, "followup: cannot write the output\n");
    return ExitCode::io_error;
  }
  return ctx.exit_status;
}
