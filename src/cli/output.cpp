#include "output.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace followup::cli {

namespace {

template <class MakeTable>
void print_either(const Context& ctx, const Format& format, const Records& records, const MakeTable& make_table) {
  if (format.kind == FormatKind::table) {
    auto table = make_table();
    table.max_width = ctx.table_width();
    write_table(*ctx.out, table, ctx.use_color());
    return;
  }
  print_records(ctx, format, records);
}

} // namespace

void print_records(const Context& ctx, const Format& format, const Records& records) {
  check_template(format, records);
  write_records(*ctx.out, records, format);
}

void print_records(const Context& ctx, const Format& format, const Records& records,
                   const std::function<TextTable()>& make_table) {
  print_either(ctx, format, records, make_table);
}

void print_records(const Context& ctx, const Format& format, const Records& records,
                   const std::function<CellTable()>& make_table) {
  print_either(ctx, format, records, make_table);
}

namespace {

std::string one_row(std::string_view note) {
  std::string out;
  for (std::size_t i = 0; i < note.size(); ++i) {
    if (note[i] == '\r' && i + 1 < note.size() && note[i + 1] == '\n') continue; // the \n says it
    if (note[i] == '\n' || note[i] == '\r') out += " \u23CE ";
    else if (note[i] == '\t') out += ' ';
    else out += note[i];
  }
  return out;
}

} // namespace

TextTable check_in_table(const std::vector<const Interaction*>& items) {
  TextTable t;
  t.headers = {"DATE", "KIND", "BY", "NOTE"};
  t.shrink = {false, true, true, true};
  for (const Interaction* it : items)
    t.rows.push_back({to_iso(it->date), it->kind.value_or("-"), it->by.value_or(""), one_row(it->note.value_or(""))});
  return t;
}

void hint_if_empty(const Context& ctx, const Format& format, const Book& book) {
  if (!book.contacts.empty() || format.kind != FormatKind::table || !ctx.env.stdout_is_tty) return;
  *ctx.out << "The book has no one in it yet. Add someone:\n"
              "  followup add \"Ana López\" --tag friend --every 2w\n"
              "or bring in an address book: followup import contacts.vcf\n";
}

std::string reason_text(const Contact& c, const DueInfo& info) {
  const std::string about = info.about(c);
  if (info.reason == Reason::occasion && !about.empty()) return about;
  if (about.empty()) return to_string(info.reason);
  return std::string(to_string(info.reason)) + ": " + about;
}

std::string overdue_text(int overdue) {
  if (overdue == 0) return "today";
  // By hand rather than with fmt: the table of a large book's due list
  // writes one a row.
  char text[32];
  char* at = text;
  if (overdue < 0) at = std::copy_n("in ", 3, at);
  const auto n = static_cast<unsigned>(overdue < 0 ? -static_cast<long long>(overdue) : overdue);
  at = std::to_chars(at, text + sizeof text, n).ptr;
  const std::string_view unit = n == 1 ? " day" : " days";
  at = std::copy(unit.begin(), unit.end(), at);
  return std::string(text, at);
}

} // namespace followup::cli
