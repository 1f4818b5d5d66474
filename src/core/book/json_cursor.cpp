// The cold half of json::Cursor: escapes, numbers, skipping, UTF-8.
#include "followup/book/json_cursor.hpp"

#include "followup/text/text.hpp"

#include <vector>

namespace followup::json {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

} // namespace

std::size_t Cursor::utf8_sequence() const {
  const std::size_t n = utf8_length_at({p_, static_cast<std::size_t>(end_ - p_)}, 0);
  if (n == 0) fail("invalid UTF-8");
  return n;
}

std::size_t Cursor::number_length() const {
  const char* q = p_;
  if (q != end_ && *q == '-') ++q;
  if (q == end_ || !digit(*q)) fail_at(q, "not a JSON value");
  if (*q == '0') ++q;
  else
    while (q != end_ && digit(*q)) ++q;
  if (q != end_ && *q == '.') {
    ++q;
    if (q == end_ || !digit(*q)) fail_at(q, "a digit must follow the decimal point");
    while (q != end_ && digit(*q)) ++q;
  }
  if (q != end_ && (*q == 'e' || *q == 'E')) {
    ++q;
    if (q != end_ && (*q == '+' || *q == '-')) ++q;
    if (q == end_ || !digit(*q)) fail_at(q, "a digit must follow the exponent");
    while (q != end_ && digit(*q)) ++q;
  }
  return static_cast<std::size_t>(q - p_);
}

void Cursor::escape(std::string& out) {
  if (end_ - p_ < 2) fail("unterminated string");
  const char e = p_[1];
  char plain = 0;
  switch (e) {
  case '"': plain = '"'; break;
  case '\\': plain = '\\'; break;
  case '/': plain = '/'; break;
  case 'b': plain = '\b'; break;
  case 'f': plain = '\f'; break;
  case 'n': plain = '\n'; break;
  case 'r': plain = '\r'; break;
  case 't': plain = '\t'; break;
  case 'u': break;
  default: fail("not a JSON escape");
  }
  if (e != 'u') {
    out += plain;
    p_ += 2;
    return;
  }
  // \uXXXX, where a high surrogate must be followed by \u and a low one.
  auto hex4 = [&](const char* at) -> std::uint32_t {
    if (end_ - at < 4) fail_at(at, "\\u needs 4 hex digits");
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = hex_value(at[i]);
      if (h < 0) fail_at(at, "\\u needs 4 hex digits");
      v = v * 16 + static_cast<std::uint32_t>(h);
    }
    return v;
  };
  std::uint32_t cp = hex4(p_ + 2);
  if (cp >= 0xDC00 && cp <= 0xDFFF) fail("a low surrogate without a high one");
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (end_ - p_ < 12 || p_[6] != '\\' || p_[7] != 'u') fail("a high surrogate without a low one");
    const std::uint32_t low = hex4(p_ + 8);
    if (low < 0xDC00 || low > 0xDFFF) fail("a high surrogate without a low one");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    p_ += 6;
  }
  p_ += 6;
  append_utf8(out, static_cast<char32_t>(cp));
}

std::string_view Cursor::unescape(const char* start, std::string& out) {
  out.assign(start, p_);
  while (true) {
    if (p_ == end_) fail("unterminated string");
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      ++p_;
      return out;
    }
    if (c == '\\') {
      escape(out);
      continue;
    }
    if (c < 0x20) fail("a control character in a string");
    const std::size_t n = c < 0x80 ? 1 : utf8_sequence();
    out.append(p_, n);
    p_ += n;
  }
}

void Cursor::skip(std::size_t max_depth) {
  // Iterative, so hostile nesting costs a byte of this stack, not a frame.
  std::vector<char> closers;
  std::string scratch; // strings are read as string() reads them, and dropped
  while (true) {
    switch (type()) {
    case Type::object:
    case Type::array: {
      const char closer = *p_ == '{' ? '}' : ']';
      if (closers.size() == max_depth) throw SyntaxError{offset(), "nested too deeply", true};
      if (!open(closer)) break; // empty
      closers.push_back(closer);
      if (closer == '}') key(scratch);
      continue; // to the first value inside
    }
    case Type::string: string(scratch); break;
    case Type::number: p_ += number_length(); break;
    case Type::boolean: boolean(); break;
    case Type::null: null(); break;
    }
    // After a value: close what ends here, or go on to the next value.
    while (true) {
      if (closers.empty()) return;
      const char closer = closers.back();
      if (next(closer)) {
        if (closer == '}') key(scratch);
        break;
      }
      closers.pop_back();
    }
  }
}

} // namespace followup::json
