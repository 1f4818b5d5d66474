// Syntax errors are rare, so they take a second, slower look: nlohmann words
// them, and the line and column are counted from the start of the text.
#include "book/json_errors.hpp"

#include <algorithm>
#include <iterator>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "followup/model/error.hpp"
#include "followup/model/model.hpp"

namespace followup {
namespace {

// The byte at which `text` nests deeper than kMaxJsonDepth, if it does.
std::optional<std::size_t> too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

// Runs of blanks longer than this are cut: a pretty-printed book indents by
// far less, so it is never copied.
constexpr std::size_t kLongBlanks = 256;

bool is_blank(char ch) { return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t'; }

// Calls cut(start, end) for each run of more than kLongBlanks blanks outside
// strings. Exact up to the first syntax error, which is all nlohmann reads.
template <class Cut>
void long_blank_runs(std::string_view text, Cut cut) {
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (is_blank(ch)) {
      std::size_t end = i + 1;
      while (end < text.size() && is_blank(text[end])) ++end;
      if (end - i > kLongBlanks) cut(i, end);
      i = end - 1;
    }
  }
}

// nlohmann's "; last read: '...'" quotes the whole token, which may be a
// string of a million characters: its last few dozen say enough.
std::string shorten_last_read(std::string detail) {
  constexpr std::string_view kLastRead = "; last read: '";
  constexpr std::size_t kKeep = 40;
  const auto at = detail.find(kLastRead);
  if (at == std::string::npos || detail.size() < 1 || detail.back() != '\'') return detail;
  const std::size_t first = at + kLastRead.size(), last = detail.size() - 1;
  if (last - first <= kKeep + 3) return detail;
  std::size_t from = last - kKeep;
  // Not inside a UTF-8 sequence nor a "<U+000A>".
  while (from < last && (static_cast<unsigned char>(detail[from]) & 0xC0u) == 0x80u) ++from;
  if (auto open = detail.rfind('<', from); open != std::string::npos && open >= first) {
    auto close = detail.find('>', open);
    if (close != std::string::npos && close >= from && close < last) from = close + 1;
  }
  return detail.substr(0, first) + "..." + detail.substr(from);
}

} // namespace

std::optional<EncodingFault> encoding_fault(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF"))
    return EncodingFault{"the file starts with a byte order mark", "save it as UTF-8 without a BOM"};
  // A book starts with ASCII ('{' or a blank), so ASCII in UTF-16 or UTF-32
  // shows as NUL bytes in a pattern; UTF-32 is tried first, as FF FE 00 00
  // also starts like UTF-16LE's byte order mark.
  auto zero = [&](std::size_t i) { return i < text.size() && text[i] == '\0'; };
  auto other = [&](std::size_t i) { return i < text.size() && text[i] != '\0'; };
  const char* encoding = nullptr;
  if (text.starts_with(std::string_view("\xFF\xFE\0\0", 4)) || (other(0) && zero(1) && zero(2) && zero(3)))
    encoding = "UTF-32 (little-endian)";
  else if (text.starts_with(std::string_view("\0\0\xFE\xFF", 4)) || (zero(0) && zero(1) && zero(2) && other(3)))
    encoding = "UTF-32 (big-endian)";
  else if (text.starts_with("\xFF\xFE") || (other(0) && zero(1) && other(2) && zero(3)))
    encoding = "UTF-16 (little-endian)";
  else if (text.starts_with("\xFE\xFF") || (zero(0) && other(1) && zero(2) && other(3)))
    encoding = "UTF-16 (big-endian)";
  if (!encoding) return std::nullopt;
  return EncodingFault{fmt::format("the book is {}", encoding), "save it as UTF-8"};
}

std::pair<int, int> line_column(std::string_view text, std::size_t byte) {
  int line = 1, column = 1;
  byte = std::min(byte, text.size());
  for (std::size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::string json_place(std::string_view source, std::string_view text, std::size_t byte) {
  auto [line, column] = line_column(text, byte);
  return fmt::format("{}:{}:{}", source, line, column);
}

CompactText::CompactText(std::string_view text) : view_(text) {
  bool any = false;
  long_blank_runs(text, [&](std::size_t, std::size_t) { any = true; });
  if (!any) return;
  std::size_t copied = 0, left_out = 0;
  long_blank_runs(text, [&](std::size_t start, std::size_t end) {
    copy_.append(text.substr(copied, start + 1 - copied));
    left_out += end - start - 1;
    cuts_.emplace_back(copy_.size(), left_out);
    copied = end;
  });
  copy_.append(text.substr(copied));
  view_ = copy_;
}

std::size_t CompactText::original(std::size_t offset) const {
  // The last cut at or before `offset` says how much was left out before it.
  auto after = std::upper_bound(cuts_.begin(), cuts_.end(), offset,
                                [](std::size_t o, const auto& cut) { return o < cut.first; });
  return after == cuts_.begin() ? offset : offset + std::prev(after)->second;
}

std::optional<JsonFault> json_fault(std::string_view text) {
  // A NUL byte ends the text for nlohmann: one before where it stops is the error.
  const std::size_t nul = text.find('\0');
  const CompactText compact(text);
  const std::string_view t = compact.text();
  try {
    Json ignored = Json::parse(t.begin(), t.end());
    (void)ignored;
  } catch (const Json::parse_error& e) {
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line
    // 3, column 5: syntax error while parsing value - invalid literal; ..."
    const std::size_t byte = compact.original(e.byte > 0 ? e.byte - 1 : 0);
    if (nul < byte + 1) return JsonFault{"malformed JSON: a NUL byte", nul};
    std::string what = e.what();
    auto dash = what.find(" - ");
    std::string detail = dash == std::string::npos ? what : what.substr(dash + 3);
    return JsonFault{fmt::format("malformed JSON: {}", shorten_last_read(std::move(detail))), byte};
  } catch (const Json::exception&) {
    // Well-formed but out of range (1e400): nlohmann's SAX interface says where.
    struct Overflow : nlohmann::detail::json_sax_acceptor<Json> {
      std::size_t end = 0;
      std::string token;
      bool parse_error(std::size_t pos, const std::string& last, const nlohmann::detail::exception&) {
        end = pos, token = last;
        return false;
      }
    } o;
    Json::sax_parse(t.begin(), t.end(), &o);
    return JsonFault{fmt::format("a number too large to read: {}", o.token),
                     compact.original(o.end - std::min(o.end, o.token.size()))};
  }
  if (nul != std::string_view::npos) return JsonFault{"malformed JSON: a NUL byte", nul};
  return std::nullopt;
}

void throw_json_syntax(std::string_view text, std::string_view source, std::string_view fallback, std::size_t offset) {
  if (auto deep = too_deep(text))
    throw_data(fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth), json_place(source, text, *deep));
  if (auto fault = json_fault(text)) throw_data(fault->what, json_place(source, text, fault->byte));
  throw_data(fmt::format("malformed JSON: {}", fallback), json_place(source, text, offset));
}

void throw_json_syntax(std::string_view text, std::string_view source, const json::SyntaxError& e) {
  if (e.deep)
    throw_data(fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth), json_place(source, text, e.offset));
  throw_json_syntax(text, source, e.what, e.offset);
}

} // namespace followup
