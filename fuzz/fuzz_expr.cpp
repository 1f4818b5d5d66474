// parse_expr on arbitrary text. It either returns an expression or throws
// ExprError with a column inside the text (1 .. code points + 1). An accepted
// expression prints (to_string) as text that parses again, to the same text,
// and evaluates the same on a few fixed contacts; explain() and
// never_matches() run without fault, and never_matches() is never true for an
// expression one of the contacts satisfies.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "followup/model/error.hpp"
#include "followup/rules/expr.hpp"

using namespace followup;

namespace {

[[noreturn]] void die(const char* what, std::string_view text, std::string_view extra = {}) {
  std::fprintf(stderr, "%s: \"%.*s\" %.*s\n", what, static_cast<int>(text.size()), text.data(),
               static_cast<int>(extra.size()), extra.data());
  std::abort();
}

std::vector<Contact> make_contacts() {
  std::vector<Contact> out;
  Contact ana;
  ana.id = "ana";
  ana.name = "Ana López";
  ana.tags = {"friend", "Client", "vip"};
  ana.fields = {{"city", "New York"}, {"email", "ana@example.org"}, {"k", ""}};
  Interaction call;
  call.date = from_ymd(2026, 11, 20);
  call.kind = "call";
  ana.interactions.push_back(call);
  Interaction visit;
  visit.date = from_ymd(2026, 11, 21);
  visit.kind = "Visit";
  visit.note = "Kitchen project, café";
  ana.interactions.push_back(visit);
  ana.notes = "Prefers mornings";
  ana.owner = "maya";
  out.push_back(ana);

  Contact bo;
  bo.id = "bo";
  bo.name = "Bo";
  out.push_back(bo); // no tags, no fields, no check-ins

  Contact cy;
  cy.id = "cy";
  cy.name = "Cy";
  cy.tags = {"family"};
  cy.fields = {{"city", "paris"}};
  Interaction bare;
  bare.date = from_ymd(2026, 1, 1);
  cy.interactions.push_back(bare); // a check-in without a kind
  cy.owner = "none";                // someone called none: only owner:"none" is hers
  out.push_back(cy);
  return out;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char ch : s)
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
  return n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<Contact> contacts = make_contacts();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Expr e;
  try {
    e = parse_expr(text);
  } catch (const ExprError& err) {
    if (err.column < 1 || static_cast<std::size_t>(err.column) > code_points(text) + 1)
      die("ExprError column outside the text", text, std::to_string(err.column));
    if (err.message.empty()) die("ExprError without a message", text);
    try {
      parse_expr_option(text, "--where");
      die("parse_expr_option accepted what parse_expr refused", text);
    } catch (const Error& u) {
      if (u.kind() != ErrorKind::usage || u.where() != "--where") die("parse_expr_option: wrong error", text);
    }
    return 0;
  }
  std::string printed = e.to_string();
  Expr again;
  try {
    again = parse_expr(printed);
  } catch (const ExprError& err) {
    die("to_string() output does not parse", text, printed + " / " + err.message);
  }
  if (again.to_string() != printed) die("to_string() is not stable", text, printed + " / " + again.to_string());
  const bool never = e.never_matches();
  for (const Contact& c : contacts) {
    bool m = e.matches(c);
    if (again.matches(c) != m) die("the printed expression evaluates differently", text, printed);
    if (never && m) die("never_matches() is true but a contact matches", text, c.id);
    std::string why = e.explain(c);
    if (why.empty()) die("explain() is empty", text, c.id);
  }
  if (again.never_matches() != never) die("never_matches() differs after printing", text, printed);
  return 0;
}
