// Syntax errors are rare, so they take a second, slower look: nlohmann words
// them, and the line and column are counted from the start of the text.
#include "json_errors.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "followup/error.hpp"
#include "followup/model.hpp"

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

} // namespace

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

void throw_json_syntax(std::string_view text, std::string_view source, std::string_view fallback, std::size_t offset) {
  if (auto deep = too_deep(text))
    throw_data(fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth), json_place(source, text, *deep));
  try {
    Json ignored = Json::parse(text.begin(), text.end());
    (void)ignored;
  } catch (const Json::parse_error& e) {
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line
    // 3, column 5: syntax error while parsing value - invalid literal; ..."
    // nlohmann ends the text at a NUL byte: one it stopped at is the error.
    if (auto nul = text.find('\0'); nul != std::string_view::npos && nul < e.byte)
      throw_data("malformed JSON: a NUL byte", json_place(source, text, nul));
    std::string what = e.what();
    auto dash = what.find(" - ");
    std::string detail = dash == std::string::npos ? what : what.substr(dash + 3);
    throw_data(fmt::format("malformed JSON: {}", detail), json_place(source, text, e.byte > 0 ? e.byte - 1 : 0));
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
    Json::sax_parse(text.begin(), text.end(), &o);
    throw_data(fmt::format("a number too large to read: {}", o.token),
               json_place(source, text, o.end - std::min(o.end, o.token.size())));
  }
  // nlohmann takes a NUL byte for the end of the text: name where it is.
  if (auto nul = text.find('\0'); nul != std::string_view::npos)
    throw_data("malformed JSON: a NUL byte", json_place(source, text, nul));
  throw_data(fmt::format("malformed JSON: {}", fallback), json_place(source, text, offset));
}

void throw_json_syntax(std::string_view text, std::string_view source, const json::SyntaxError& e) {
  if (e.deep)
    throw_data(fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth), json_place(source, text, e.offset));
  throw_json_syntax(text, source, e.what, e.offset);
}

} // namespace followup
