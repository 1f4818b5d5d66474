#include "card.hpp"

#include <fmt/format.h>

#include "followup/output/format.hpp"
#include "followup/text/text.hpp"
#include "output.hpp"

namespace followup::cli {

// What the book holds is shown visibly (control characters as ^[ and the
// like, see `visible`): a name or note must not drive the terminal.
void print_card(std::ostream& out, const Contact& c, const DueInfo& info, Date today, bool color) {
  out << visible(fmt::format("{} ({})", c.name, c.id)) << '\n';
  if (!c.tags.empty()) out << "  tags: " << visible(join(c.tags, ", ")) << '\n';
  for (const auto& f : c.fields) out << "  " << visible(f.key) << ": " << visible(f.value) << '\n';
  if (c.notes) {
    // Later lines of multi-line notes stay under the first, inside the card.
    std::string notes = visible(*c.notes, true);
    for (std::size_t nl = notes.find('\n'); nl != std::string::npos; nl = notes.find('\n', nl + 1))
      notes.insert(nl + 1, "         ");
    out << "  notes: " << notes << '\n';
  }
  if (c.owner) out << "  owner: " << visible(*c.owner) << '\n';
  for (const auto& o : c.occasions) out << "  " << visible(o.label) << ": " << o.date_text() << '\n';
  for (const auto& p : c.plans)
    out << "  plan: " << to_iso(p.date) << (p.note ? " (" + visible(*p.note) + ")" : std::string()) << '\n';
  if (c.added) out << "  added: " << to_iso(*c.added) << '\n';
  std::string cadence = visible(fmt::format("every {} ({})", info.cadence.every->text, info.cadence.rule));
  if (!info.due_on) {
    out << "  " << cadence << "; never due\n";
    return;
  }
  std::string when = info.overdue > 0 ? overdue_text(info.overdue) + " overdue" : overdue_text(info.overdue);
  Tone tone = info.overdue > 0 ? Tone::alert : info.overdue == 0 ? Tone::warn : Tone::plain;
  out << "  " << cadence << "; next due " << paint(fmt::format("{} ({})", to_iso(*info.due_on), when), tone, color);
  if (info.reason != Reason::cadence) out << " for " << reason_text(c, info);
  if (c.snoozed_until && *c.snoozed_until > today) out << "; snoozed until " << to_iso(*c.snoozed_until);
  out << '\n';
}

} // namespace followup::cli
