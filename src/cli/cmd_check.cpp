// followup check: every problem of the book at once, one per line in the
// compiler style `FILE:LINE: error: MESSAGE (WHERE)`, so editors can jump to
// them; the checks themselves are in core/check.cpp.
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "book_files.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "followup/book/check.hpp"
#include "followup/model/error.hpp"
#include "followup/book/json_io.hpp"
#include "followup/text/text.hpp"

namespace fs = std::filesystem;

namespace followup::cli {
namespace {

struct CheckOptions {};

[[noreturn]] void cant_read(const std::string& why, const fs::path& p) {
  throw Error(ErrorKind::io, fmt::format("cannot read the book: {}", why), p.string());
}

// The file's text; nullopt when it does not exist (an empty book, as for
// every command that reads).
std::optional<std::string> read_text(const fs::path& p) {
  std::error_code ec;
  fs::file_status st = fs::status(p, ec);
  if (st.type() == fs::file_type::not_found) return std::nullopt;
  if (ec) cant_read(ec.message(), p);
  if (st.type() != fs::file_type::regular) cant_read("not a regular file", p);
  std::ifstream in(p, std::ios::binary);
  if (!in) cant_read(std::strerror(errno), p);
  // Read into a string of the file's size: a stringstream would hold the
  // text twice over while growing (3 GB for a 1 GB file).
  std::string text;
  std::error_code size_ec;
  if (auto size = fs::file_size(p, size_ec); !size_ec) text.reserve(size);
  std::array<char, 1 << 16> chunk;
  while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0)
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  if (in.bad()) cant_read(std::strerror(errno), p);
  return text;
}

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string summary(const Book& book) {
  std::size_t checkins = 0;
  for (const auto& c : book.contacts) checkins += c.interactions.size();
  return fmt::format("ok: {}, {}, {}", plural(book.contacts.size(), "contact"), plural(book.rules.size(), "rule"),
                     plural(checkins, "check-in"));
}

// One line of valid UTF-8 whatever the file holds: a value quoted in a
// message may hold line breaks, control characters or bytes that are not
// UTF-8 (nlohmann's "last read: '...'" too), shown escaped (printable).
std::string problem_line(const std::string& file, const Problem& p) {
  std::string out = printable(file);
  if (p.line > 0) out += fmt::format(":{}", p.line);
  out += p.severity == Problem::Severity::error ? ": error: " : ": warning: ";
  out += printable(p.message);
  if (!p.where.empty()) out += fmt::format(" ({})", printable(p.where));
  return out;
}

void run_check(const CheckOptions&, Context& ctx) {
  Store store = ctx.store();
  warn_conflict_copies(ctx);
  std::optional<std::string> text = read_text(store.target());
  if (!text) {
    *ctx.out << summary(Book{}) << '\n';
    return;
  }
  // Named as the user gave it (a link, a relative path), like a compiler does.
  std::string file = store.path().string();
  std::vector<Problem> problems = check_book(*text, file);
  if (problems.empty()) {
    // check_book found nothing, so this cannot throw; it counts what is there.
    *ctx.out << summary(parse_book(*text, file)) << '\n';
    return;
  }
  std::size_t errors = 0;
  for (const auto& p : problems) {
    *ctx.out << problem_line(file, p) << '\n';
    if (p.severity == Problem::Severity::error) ++errors;
  }
  *ctx.out << fmt::format("{}, {}\n", plural(errors, "error"), plural(problems.size() - errors, "warning"));
  if (errors > 0) ctx.exit_status = ExitCode::data;
}

} // namespace

void setup_check(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand("check", "Validate the book: every problem at once, with line numbers, plus warnings");
  cmd->footer("Prints one line per problem, FILE:LINE: error|warning: MESSAGE (WHERE), errors first,\n"
              "then a count; or 'ok: N contacts, M rules, K check-ins'. Warnings flag valid but suspect\n"
              "things: a contact whose every is never, a rule that can never match or is shadowed by an\n"
              "earlier one, check-in kinds that no counts list names. A contact holding merge \"conflicts\"\n"
              "(see resolve) is an error. Conflict copies of the book left by file-sync tools are named\n"
              "on stderr (see merge). Never writes the book.\n"
              "Exit status: 0 when there is no error (warnings alone too), 65 when there is one,\n"
              "74 when the file cannot be read.");
  cmd->callback([o, &ctx] { run_check(*o, ctx); });
}

} // namespace followup::cli
