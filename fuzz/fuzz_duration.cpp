// parse_duration on arbitrary text (the first byte picks allow_never).
// Invariants: accepted text keeps its spelling in Duration::text, every count
// is 0..100000, `never` only when allowed; re-parsing gives an equal duration;
// adding it to dates across the calendar gives a valid date no earlier than
// the start (no overflow, no UB).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "followup/model/duration.hpp"
#include "followup/model/error.hpp"

using namespace followup;

namespace {
[[noreturn]] void die(const char* what, std::string_view text) {
  std::fprintf(stderr, "%s: \"%.*s\"\n", what, static_cast<int>(text.size()), text.data());
  std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool allow_never = (data[0] & 1) != 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  auto dur = parse_duration(text, allow_never);
  try {
    Duration d = parse_duration_option(text, "--every", allow_never);
    if (!dur || !(d == *dur)) die("parse_duration_option disagrees with parse_duration", text);
  } catch (const Error& e) {
    if (dur) die("parse_duration_option threw for an accepted duration", text);
    if (e.kind() != ErrorKind::usage || e.where() != "--every") die("wrong error from parse_duration_option", text);
  }
  if (!dur) return 0;
  if (dur->text != text) die("Duration::text is not the text as written", text);
  if (dur->never) {
    if (!allow_never) die("never accepted though not allowed", text);
    if (text != "never") die("never from other text", text);
    return 0;
  }
  for (int n : {dur->years, dur->months, dur->weeks, dur->days})
    if (n < 0 || n > 100000) die("count out of 0..100000", text);
  auto again = parse_duration(dur->text, allow_never);
  if (!again || !(*again == *dur)) die("re-parsing gives another duration", text);

  for (Date start : {from_ymd(1000, 1, 1), from_ymd(2024, 1, 31), from_ymd(2026, 2, 28), from_ymd(9999, 12, 31)}) {
    Date end = add(start, *dur);
    Ymd ymd = to_ymd(end);
    if (!is_valid_ymd(ymd.year, ymd.month, ymd.day)) die("add() gave an impossible date", text);
    if (end < start) die("add() went backwards", text);
    (void)to_iso(end);
  }
  return 0;
}
