#include "output.hpp"

#include <fmt/format.h>

namespace followup::cli {

void print_records(const Context& ctx, const Format& format, const Records& records,
                   const std::function<TextTable()>& make_table) {
  if (format.kind == FormatKind::table) {
    write_table(*ctx.out, make_table(), ctx.use_color());
    return;
  }
  check_template(format, records);
  write_records(*ctx.out, records, format);
}

std::string overdue_text(int overdue) {
  if (overdue == 0) return "today";
  int n = overdue < 0 ? -overdue : overdue;
  std::string days = n == 1 ? "1 day" : fmt::format("{} days", n);
  return overdue < 0 ? "in " + days : days;
}

} // namespace followup::cli
