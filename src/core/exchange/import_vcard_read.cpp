// vCard 2.1, 3.0 and 4.0 as real exporters write them, read into cards of
// properties (mapped to records in import_vcard.cpp). Bytes are unfolded
// first and decoded last, because exporters fold by octets and may split a
// UTF-8 sequence across lines. The quirks met in the wild:
// - line ends LF, CRLF, CR CR LF (iOS 5) or CR alone; a bare CR inside a
//   line (Thunderbird) stays in the value;
// - folds start with a space or a tab; QUOTED-PRINTABLE soft breaks (2.1)
//   continue on lines that need not be indented, even a `#` or empty one;
// - 2.1 base64 bodies whose lines are not indented, ended by a blank line;
// - `#` comment lines, blank lines inside cards, BEGIN/END with trailing
//   blanks or in any case, group prefixes (`item1.EMAIL`), bare 2.1 params;
// - CHARSET params (or none: the file is UTF-8 when all such values are,
//   else windows-1252), UTF-16 files with a byte order mark;
// - nested cards (each imported on its own), a missing END (a bad record),
//   a property name with no colon (Evolution 1.x: an empty value).
#include "exchange/import_vcard_read.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "followup/exchange/charset.hpp"
#include "followup/model/error.hpp"
#include "followup/text/text.hpp"

namespace followup {
namespace vcard {
namespace {

struct Line {
  std::size_t number;
  std::string text;
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return out;
}

// Physical lines, trailing CRs dropped. A file without LF splits on CR.
std::vector<Line> physical_lines(std::string_view text) {
  char end = text.find('\n') == std::string_view::npos ? '\r' : '\n';
  std::vector<Line> lines;
  std::size_t start = 0, number = 1;
  while (start < text.size()) {
    std::size_t stop = text.find(end, start);
    if (stop == std::string_view::npos) stop = text.size();
    std::string_view l = text.substr(start, stop - start);
    while (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    lines.push_back({number++, std::string(l)});
    start = stop + 1;
  }
  return lines;
}

// The first ':' outside double quotes, or npos.
std::size_t value_colon(std::string_view text) {
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    else if (text[i] == ':' && !quoted) return i;
  }
  return std::string_view::npos;
}

bool head_has(std::string_view text, std::string_view word) {
  std::size_t colon = value_colon(text);
  if (colon == std::string_view::npos) return false;
  return upper(text.substr(0, colon)).find(word) != std::string::npos;
}

// A quoted-printable value that ends in a soft line break ('=').
bool qp_continues(const std::string& text) {
  return !text.empty() && text.back() == '=' && head_has(text, "QUOTED-PRINTABLE") &&
         value_colon(text) < text.size() - 1;
}

bool is_base64(const std::string& text) { return head_has(text, "BASE64") || head_has(text, "ENCODING=B"); }

// Physical lines joined into logical ones (unfolded, soft breaks joined,
// comments and blank lines dropped).
std::vector<Line> logical_lines(const std::vector<Line>& physical) {
  std::vector<Line> out;
  // The line being joined is out.back() while `open` (GCC 12 warns of a
  // std::optional<Line> here: -Wmaybe-uninitialized, wrongly).
  bool open = false;
  for (const auto& [number, text] : physical) {
    if (open && qp_continues(out.back().text)) {
      out.back().text.pop_back();
      out.back().text += text;
      continue;
    }
    if (open && !text.empty() && (text[0] == ' ' || text[0] == '\t')) {
      out.back().text += text.substr(1);
      continue;
    }
    if (open && !text.empty() && text.find(':') == std::string::npos && is_base64(out.back().text)) {
      out.back().text += text; // an unindented base64 body line
      continue;
    }
    open = false;
    if (trim(text).empty() || text[0] == '#') continue;
    out.push_back(Line{number, text});
    open = true;
  }
  return out;
}

std::string unquote(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return std::string(v.substr(1, v.size() - 2));
  return std::string(v);
}

bool valid_name(std::string_view n) {
  return !n.empty() && std::all_of(n.begin(), n.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
  });
}

int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  return -1;
}

std::string qp_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool room = i + 2 < s.size();
    int hi = room ? hex_digit(s[i + 1]) : -1;
    int lo = room ? hex_digit(s[i + 2]) : -1;
    if (s[i] == '=' && hi >= 0 && lo >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]); // a stray '=' is kept as written
    }
  }
  return out;
}

// One logical line as a property; nullopt (and `error`) when it is not one.
std::optional<Property> parse_property(const Line& l, std::string& error) {
  std::size_t colon = value_colon(l.text);
  std::string_view head = std::string_view(l.text).substr(0, colon);
  auto parts = split_unquoted(head, ';');
  Property p;
  p.line = l.number;
  std::string name = upper(parts[0]);
  if (auto dot = name.rfind('.'); dot != std::string::npos) {
    p.group = lower(name.substr(0, dot));
    name = name.substr(dot + 1);
  }
  // Evolution 1.x writes a bare `FN`: read as an empty value, not as garbage.
  if (!valid_name(name) || (colon == std::string::npos && parts.size() > 1)) {
    error = colon == std::string::npos ? "not a vCard property (no ':')" : fmt::format("bad property name \"{}\"", parts[0]);
    return std::nullopt;
  }
  p.name = name;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    std::string_view param = trim(parts[i]);
    if (param.empty()) continue;
    auto eq = param.find('=');
    if (eq != std::string_view::npos) {
      p.params.push_back({upper(trim(param.substr(0, eq))), unquote(trim(param.substr(eq + 1)))});
      continue;
    }
    std::string bare = upper(param);
    bool encoding = bare == "QUOTED-PRINTABLE" || bare == "BASE64" || bare == "8BIT" || bare == "7BIT";
    p.params.push_back({encoding ? "ENCODING" : "TYPE", bare});
  }
  if (colon != std::string::npos) p.value = l.text.substr(colon + 1);
  if (const Param* enc = p.param("ENCODING"); enc && iequals(enc->value, "QUOTED-PRINTABLE"))
    p.value = qp_decode(p.value);
  return p;
}

bool is_marker(const Property& p, std::string_view name) {
  return p.name == name && iequals(trim(p.value), "VCARD");
}

// Cards in the order they end (nested ones before their parent).
std::vector<Card> cards_of(const std::vector<Line>& lines, std::vector<BadRecord>& stray) {
  std::vector<Card> done, open;
  for (const auto& l : lines) {
    std::string error;
    auto prop = parse_property(l, error);
    if (prop && is_marker(*prop, "BEGIN")) {
      open.push_back(Card{l.number, {}, std::nullopt});
    } else if (open.empty()) {
      stray.push_back({l.number, "text outside BEGIN:VCARD ... END:VCARD"});
    } else if (prop && is_marker(*prop, "END")) {
      done.push_back(std::move(open.back()));
      open.pop_back();
    } else if (!prop) {
      if (!open.back().malformed) open.back().malformed = BadRecord{l.number, error};
    } else {
      open.back().props.push_back(std::move(*prop));
    }
  }
  for (auto& c : open) {
    c.malformed = BadRecord{c.line, "the card has no END:VCARD"};
    done.push_back(std::move(c));
  }
  return done;
}

} // namespace

std::string_view trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::vector<std::string_view> split_unquoted(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] == '"') quoted = !quoted;
    if (i == s.size() || (s[i] == sep && !quoted)) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

std::vector<Card> read_cards(std::string_view text, std::vector<BadRecord>& stray) {
  return cards_of(logical_lines(physical_lines(text)), stray);
}

void decode_values(std::vector<Card>& cards, const ReadOptions& o) {
  bool all_utf8 = true;
  for (const auto& c : cards)
    for (const auto& p : c.props)
      if (!p.param("CHARSET") && !is_valid_utf8(p.value)) all_utf8 = false;
  for (auto& c : cards)
    for (auto& p : c.props) {
      if (const Param* cs = p.param("CHARSET")) p.value = decode_text(p.value, cs->value);
      else if (o.charset) p.value = decode_text(p.value, *o.charset);
      else if (!all_utf8) p.value = windows1252_to_utf8(p.value);
    }
}

} // namespace vcard

std::optional<ImportFormat> format_from_name(std::string_view path) {
  auto dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) return std::nullopt;
  std::string ext = lower(path.substr(dot + 1));
  if (ext == "vcf" || ext == "vcard") return ImportFormat::vcard;
  if (ext == "csv") return ImportFormat::csv;
  return std::nullopt;
}

ImportFormat sniff_format(std::string_view bytes) {
  std::string text;
  try {
    text = decode_bom(bytes.substr(0, 4096), "");
  } catch (const Error&) {
    text = decode_bom(bytes.substr(0, 4094), ""); // the cut fell inside a UTF-16 surrogate pair
  }
  for (const auto& l : vcard::physical_lines(text)) {
    std::string_view t = vcard::trim(l.text);
    if (t.empty() || t[0] == '#') continue;
    return iequals(t, "BEGIN:VCARD") ? ImportFormat::vcard : ImportFormat::csv;
  }
  return ImportFormat::csv;
}

} // namespace followup
