#include "followup/output/brief.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "followup/rules/drivers.hpp"
#include "followup/output/format.hpp"
#include "followup/text/text.hpp"

namespace followup {
namespace {

constexpr std::size_t kCheckIns = 3; // the last ones a caller reads

// A line of the sheet: a label and its value (which may have several lines).
struct Line {
  std::string label;
  std::string value;
  bool field = false; // a field's key, shown as written
};

std::string when_text(int overdue) {
  if (overdue == 0) return "due today";
  if (overdue > 0) return fmt::format("{} day{} overdue", overdue, overdue == 1 ? "" : "s");
  return fmt::format("due in {} day{}", -overdue, overdue == -1 ? "" : "s");
}

std::string why_now(const Contact& c, const DueInfo& info) {
  std::string why = to_string(info.reason);
  const std::string about = info.about(c);
  if (!about.empty()) why += ": " + about;
  why += ", " + when_text(info.overdue);
  if (info.reason == Reason::cadence) {
    // "own": the contact's own `every`, which needs no name.
    if (info.cadence.rule == "own") why += fmt::format(" (every {})", info.cadence.every->text);
    else why += fmt::format(" (every {}, rule {})", info.cadence.every->text, info.cadence.rule);
  }
  return why;
}

// Plans not yet fulfilled by a check-in that counts (on or after their date).
std::vector<const CallPlan*> open_plans(const Contact& c, const DueInfo& info) {
  std::vector<const CallPlan*> open;
  for (const CallPlan& p : c.plans)
    if (!info.last || *info.last < p.date) open.push_back(&p);
  std::stable_sort(open.begin(), open.end(), [](const CallPlan* a, const CallPlan* b) { return a->date < b->date; });
  return open;
}

std::optional<std::string> next_occasion(const Contact& c, Date today) {
  const Occasion* next = nullptr;
  Date on{};
  for (const Occasion& o : c.occasions) {
    const Date d = next_occurrence(o, today);
    if (!next || d < on) next = &o, on = d;
  }
  if (!next) return std::nullopt;
  const int years = years_on(*next, on);
  std::string text = fmt::format("{} on {}", next->label, to_iso(on));
  if (years >= 0) text += fmt::format(" ({})", years);
  if (on == today) text += ", today";
  return text;
}

std::string check_in_text(const Interaction& it) {
  std::string text = to_iso(it.date);
  text += ' ';
  text += it.kind ? *it.kind : std::string("check-in");
  if (it.by) text += " by " + *it.by;
  if (it.note) text += ": " + *it.note;
  return text;
}

// The latest check-ins first; the book keeps them by date, but a file
// written by hand may not.
std::vector<const Interaction*> last_check_ins(const Contact& c) {
  std::vector<const Interaction*> all;
  for (const Interaction& it : c.interactions) all.push_back(&it);
  std::stable_sort(all.begin(), all.end(), [](const Interaction* a, const Interaction* b) { return a->date > b->date; });
  if (all.size() > kCheckIns) all.resize(kCheckIns);
  return all;
}

std::vector<Line> lines_of(const Contact& c, const DueInfo& info, Date today) {
  std::vector<Line> lines;
  if (c.owner) lines.push_back({"owner", *c.owner});
  lines.push_back({"why now", why_now(c, info)});
  std::vector<std::string> reach;
  for (const Field& f : c.fields)
    if (is_contact_field(f.key)) reach.push_back(f.key + " " + f.value);
  lines.push_back({"reach", reach.empty() ? std::string("no phone or e-mail in the book") : join(reach, " · ")});
  for (const Field& f : c.fields)
    if (!is_contact_field(f.key)) lines.push_back({f.key, f.value, true});
  if (!c.tags.empty()) lines.push_back({"tags", join(c.tags, ", ")});
  if (c.notes) lines.push_back({"notes", *c.notes});
  for (const CallPlan* p : open_plans(c, info))
    lines.push_back({"plan", to_iso(p->date) + (p->note ? ": " + *p->note : std::string())});
  if (auto occasion = next_occasion(c, today)) lines.push_back({"occasion", *occasion});
  std::vector<std::string> last;
  for (const Interaction* it : last_check_ins(c)) last.push_back(check_in_text(*it));
  lines.push_back({"last check-ins", last.empty() ? std::string("none yet") : join(last, "\n")});
  return lines;
}

// Markdown would read these as markup in a name or note.
std::string md_escaped(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (std::string_view("\\`*_[]<>#|").find(ch) != std::string_view::npos) out += '\\';
    out += ch;
  }
  return out;
}

// Later lines of a value go under its first one.
std::string indented(std::string_view value, std::size_t by) {
  std::string out;
  for (char ch : value) {
    out += ch;
    if (ch == '\n') out.append(by, ' ');
  }
  return out;
}

void write_text(std::string& out, const Contact& c, const std::vector<Line>& lines) {
  out += visible(fmt::format("{} ({})", c.name, c.id)) + '\n';
  std::size_t width = 0;
  for (const Line& l : lines) width = std::max(width, display_width(visible(l.label)));
  width = std::min<std::size_t>(width, 16);
  for (const Line& l : lines) {
    const std::string label = visible(l.label);
    const std::size_t pad = width > display_width(label) ? width - display_width(label) : 0;
    out += "  " + label + std::string(pad, ' ') + "  " + indented(visible(l.value, true), width + 4) + '\n';
  }
}

void write_markdown(std::string& out, const Contact& c, const std::vector<Line>& lines) {
  out += "## " + md_escaped(visible(c.name)) + " (" + md_escaped(c.id) + ")\n\n";
  for (const Line& l : lines) {
    std::string label = visible(l.label);
    if (!l.field) label[0] = static_cast<char>(label[0] - 'a' + 'A'); // ours: lower-case words
    const std::string value = visible(l.value, true);
    if (l.label == "last check-ins" && value.find('\n') != std::string::npos) {
      out += "- **" + md_escaped(label) + ":**\n";
      std::size_t start = 0;
      while (start <= value.size()) {
        const std::size_t nl = std::min(value.find('\n', start), value.size());
        out += "  - " + md_escaped(value.substr(start, nl - start)) + '\n';
        start = nl + 1;
      }
    } else {
      out += "- **" + md_escaped(label) + ":** " + indented(md_escaped(value), 2) + '\n';
    }
  }
}

} // namespace

// A word of the key names a way to reach someone: `phone`, `work phone`,
// `phone2`, `e-mail`, `email_home`, `tel`; not `mailing address` or `hotel`.
bool is_contact_field(std::string_view key) {
  static constexpr std::string_view kWords[] = {"phone", "telephone", "mobile", "cell", "cellphone", "email", "mail",
                                                "tel", "fax", "whatsapp", "signal", "telegram", "skype", "sms"};
  const std::string k = fold(key);
  std::size_t i = 0;
  while (i < k.size()) {
    std::size_t end = i;
    while (end < k.size() && k[end] >= 'a' && k[end] <= 'z') ++end;
    const std::string_view word(k.data() + i, end - i);
    if (std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords)) return true;
    i = end;
    while (i < k.size() && !(k[i] >= 'a' && k[i] <= 'z')) ++i; // digits and separators: `phone2`, `e-mail`
  }
  return false;
}

std::string call_sheet(const std::vector<DueEntry>& entries, Date today, SheetStyle style) {
  std::string out;
  for (const DueEntry& e : entries) {
    if (!out.empty()) out += '\n';
    const std::vector<Line> lines = lines_of(*e.contact, e.info, today);
    if (style == SheetStyle::markdown) write_markdown(out, *e.contact, lines);
    else write_text(out, *e.contact, lines);
  }
  return out;
}

} // namespace followup
