// followup rm CONTACT...: remove contacts; asks on a terminal, needs --yes
// otherwise. `undo` brings them back.
#include <algorithm>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "followup/model/error.hpp"
#include "followup/output/format.hpp"
#include "followup/model/lookup.hpp"

namespace followup::cli {
namespace {

struct RmOptions {
  std::vector<std::string> contacts;
  bool yes = false;
};

std::string describe(const Contact& c) {
  std::size_t n = c.interactions.size();
  return fmt::format("{} ({}) and {} check-in{}", c.name, c.id, n, n == 1 ? "" : "s");
}

bool confirm(const std::vector<std::string>& what) {
  fmt::print(stderr, "Remove {}? [y/N] ", join(what, ", "));
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

void run_rm(const RmOptions& o, Context& ctx) {
  if (!o.yes && !ctx.env.stdin_is_tty)
    throw_usage("rm needs --yes when not run on a terminal", "rm", "followup rm CONTACT --yes");
  // Resolve and ask before taking the lock: never hold it while a human reads.
  std::vector<std::string> ids, what;
  {
    Book book = ctx.store().load();
    for (const auto& q : o.contacts) {
      const Contact& c = book.contacts[find_contact(book, q)];
      if (std::find(ids.begin(), ids.end(), c.id) != ids.end()) continue;
      ids.push_back(c.id);
      what.push_back(describe(c));
    }
  }
  if (!o.yes && !confirm(what)) {
    fmt::print(stderr, "Nothing removed.\n");
    return;
  }
  std::vector<std::string> removed;
  ctx.store().update([&](Book& book) {
    for (const auto& id : ids)
      if (!book.find_id(id)) throw Error(ErrorKind::not_found, fmt::format("{} is gone: removed by another process", id));
    for (const auto& id : ids) {
      auto it = std::find_if(book.contacts.begin(), book.contacts.end(), [&](const Contact& c) { return c.id == id; });
      removed.push_back(fmt::format("Removed {} ({}).", it->name, it->id));
      book.contacts.erase(it);
    }
    return true;
  });
  for (const auto& line : removed) *ctx.out << line << '\n';
  *ctx.out << "(`followup undo` brings " << (removed.size() == 1 ? "it" : "them") << " back.)\n";
}

} // namespace

void setup_rm(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<RmOptions>();
  auto* cmd = app.add_subcommand("rm", "Remove contacts (asks first; `undo` brings them back)");
  cmd->add_option("CONTACT", o->contacts, "Id, or a unique prefix of the name or of a word in it")->required();
  cmd->add_flag("-y,--yes", o->yes, "Do not ask (required when not on a terminal)");
  cmd->callback([o, &ctx] { run_rm(*o, ctx); });
}

} // namespace followup::cli
