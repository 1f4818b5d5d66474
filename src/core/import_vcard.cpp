// vCard 2.1, 3.0 and 4.0 as real exporters write them. Bytes are unfolded
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
#include <algorithm>

#include <fmt/format.h>

#include "followup/charset.hpp"
#include "followup/error.hpp"
#include "followup/import.hpp"
#include "followup/text.hpp"

namespace followup {
namespace {

struct Line {
  std::size_t number;
  std::string text;
};

struct Param {
  std::string name; // upper-case; a bare 2.1 param is TYPE or ENCODING
  std::string value;
};

struct Property {
  std::size_t line = 0;
  std::string group; // lower-case, "" when none
  std::string name;  // upper-case
  std::vector<Param> params;
  std::string value; // raw bytes, quoted-printable already decoded

  const Param* param(std::string_view n) const {
    for (const auto& p : params)
      if (p.name == n) return &p;
    return nullptr;
  }
};

struct Card {
  std::size_t line = 0;
  std::vector<Property> props;
  std::optional<BadRecord> malformed;
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return out;
}

std::string_view trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
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
std::vector<Card> read_cards(const std::vector<Line>& lines, std::vector<BadRecord>& stray) {
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

std::string normalise_newlines(std::string s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Splits on unescaped `sep` (none: one part) and undoes the backslash escapes.
std::vector<std::string> unescape_split(std::string_view v, char sep) {
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < v.size(); ++i) {
    char ch = v[i];
    if (ch == '\\' && i + 1 < v.size()) {
      char next = v[++i];
      if (next == 'n' || next == 'N') parts.back() += '\n';
      else if (next == ',' || next == ';' || next == ':' || next == '\\') parts.back() += next;
      else parts.back() += {'\\', next};
    } else if (sep && ch == sep) {
      parts.emplace_back();
    } else {
      parts.back() += ch;
    }
  }
  for (auto& p : parts) p = normalise_newlines(std::move(p));
  return parts;
}

std::string unescape(std::string_view v) { return unescape_split(v, 0)[0]; }

// Decodes every value to UTF-8. Values with no CHARSET follow the file:
// UTF-8 when all of them are valid UTF-8, else windows-1252 (or --charset).
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

const std::vector<std::string_view> kIgnoredTypes{"pref", "voice", "internet", "x400", "msg", "text", "video",
                                                  "uri", "bbs", "modem", "dom", "intl", "postal", "parcel"};
const std::vector<std::string_view> kTypeOrder{"fax", "pager", "cell", "mobile", "iphone", "work", "home", "main", "other"};

// The type that names a TEL/EMAIL/ADR key: its group's X-ABLabel, else the
// most telling of its TYPE params.
std::string pick_type(const Property& p, const Card& card) {
  if (!p.group.empty())
    for (const auto& q : card.props)
      if (q.group == p.group && q.name == "X-ABLABEL" && !trim(q.value).empty()) return type_key(unescape(q.value));
  std::vector<std::string> types;
  for (const auto& param : p.params)
    if (param.name == "TYPE")
      for (auto t : split_unquoted(param.value, ',')) types.push_back(lower(trim(t)));
  for (auto want : kTypeOrder)
    if (std::find(types.begin(), types.end(), want) != types.end()) return type_key(want);
  for (const auto& t : types)
    if (std::find(kIgnoredTypes.begin(), kIgnoredTypes.end(), t) == kIgnoredTypes.end() && t.rfind("x-", 0) != 0)
      return type_key(t);
  return {};
}

std::string join_nonempty(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    std::string c = clean_line(p);
    if (c.empty()) continue;
    if (!out.empty()) out += sep;
    out += c;
  }
  return out;
}

// N is family;given;additional;prefix;suffix: "given family".
std::string name_from_n(std::string_view value) {
  auto parts = unescape_split(value, ';');
  parts.resize(std::max<std::size_t>(parts.size(), 2));
  return join_nonempty({parts[1], parts[0]}, " ");
}

// RFC 6868 escapes in a parameter value: ^^ ^' ^n.
std::string unescape_param(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '^' && i + 1 < v.size() && (v[i + 1] == '^' || v[i + 1] == '\'' || v[i + 1] == 'n')) {
      char n = v[++i];
      out += n == '^' ? '^' : n == '\'' ? '"' : '\n';
    } else {
      out += v[i];
    }
  }
  return out;
}

// A standard property that `export --to vcard` marked with the field's
// key (X-KEY): that key, and the value as it was (an address's LABEL).
bool map_keyed_property(const Property& p, ImportRecord& r) {
  const Param* key = p.param("X-KEY");
  if (!key || (p.name != "TEL" && p.name != "EMAIL" && p.name != "ADR" && p.name != "ORG")) return false;
  std::string k = clean_line(unescape_param(key->value));
  if (k.empty()) return false;
  const Param* label = p.name == "ADR" ? p.param("LABEL") : nullptr;
  std::string value(trim(label ? unescape_param(label->value) : unescape(p.value)));
  if (!value.empty()) set_field(r.fields, k, std::move(value));
  return true;
}

void map_property(const Property& p, const Card& card, ImportRecord& r) {
  if (map_keyed_property(p, r)) return;
  std::string_view v = p.value;
  if (p.name == "TEL") {
    std::string tel = clean_line(unescape(v));
    if (lower(tel).rfind("tel:", 0) == 0) tel = tel.substr(4);
    if (!tel.empty()) add_numbered_field(r.fields, "phone", pick_type(p, card), tel);
  } else if (p.name == "EMAIL") {
    std::string email = clean_line(unescape(v));
    if (!email.empty()) add_numbered_field(r.fields, "email", pick_type(p, card), email);
  } else if (p.name == "ADR") {
    std::vector<std::string> parts;
    for (auto& part : unescape_split(v, ';')) {
      std::replace(part.begin(), part.end(), '\n', ',');
      parts.push_back(join_nonempty(unescape_split(part, ','), ", "));
    }
    std::string address = join_nonempty(parts, ", ");
    if (!address.empty()) add_numbered_field(r.fields, "address", pick_type(p, card), address);
  } else if (p.name == "CATEGORIES") {
    // followup's own cards hold its tags as they are: their case is kept.
    bool own = std::any_of(card.props.begin(), card.props.end(), [](const Property& q) { return q.name == "X-FOLLOWUP-ID"; });
    for (const auto& c : unescape_split(v, ',')) {
      std::string tag = own ? clean_line(c) : import_tag(c);
      bool system_group = !own && (tag == "my-contacts" || tag == "mycontacts"); // Google's "everyone" group
      if (!tag.empty() && !system_group && std::find(r.tags.begin(), r.tags.end(), tag) == r.tags.end())
        r.tags.push_back(tag);
    }
  } else if (p.name == "NOTE") {
    std::string note(trim(unescape(v)));
    if (!note.empty()) r.notes = r.notes ? *r.notes + "\n" + note : note;
  } else if (p.name == "BDAY" || p.name == "ANNIVERSARY") { // occasions, once merged (import_merge.cpp)
    std::string bday = clean_line(unescape(v));
    if (!bday.empty()) set_field(r.fields, p.name == "BDAY" ? "birthday" : "anniversary", normalise_birthday(bday));
  } else if (p.name == "UID") {
    if (std::string uid = clean_line(unescape(v)); !uid.empty()) set_field(r.fields, "uid", uid);
  } else if (p.name == "ORG") {
    if (std::string org = join_nonempty(unescape_split(v, ';'), ", "); !org.empty()) set_field(r.fields, "org", org);
  }
}

// A kind as the book takes it: one word, no blanks or commas.
bool is_valid_kind(std::string_view kind) {
  return !kind.empty() && kind.find_first_of(" ,") == std::string_view::npos && !has_control_chars(kind);
}

// The properties `export --to vcard` adds so that a round trip keeps what a
// plain vCard has no place for. Returns what is wrong with a bad value.
std::optional<std::string> map_followup_property(const Property& p, ImportRecord& r, const ReadOptions& o) {
  std::string v = clean_line(unescape(p.value));
  if (p.name == "X-FOLLOWUP-FIELD") {
    for (const auto& param : p.params)
      if (param.name == "X-KEY") {
        std::string key = clean_line(unescape_param(param.value));
        if (key.empty()) return "X-FOLLOWUP-FIELD has an empty X-KEY";
        if (!v.empty()) set_field(r.fields, key, std::string(trim(unescape(p.value))));
        return std::nullopt;
      }
    return "X-FOLLOWUP-FIELD has no X-KEY";
  }
  if (p.name == "X-FOLLOWUP-ID") {
    if (!is_valid_id(v)) return fmt::format("X-FOLLOWUP-ID \"{}\" is not a valid id", v);
    r.id = v;
  } else if (p.name == "X-FOLLOWUP-EVERY") {
    auto every = parse_duration(v, true);
    if (!every) return fmt::format("X-FOLLOWUP-EVERY \"{}\" is not a duration", v);
    r.every = every;
  } else if (p.name == "X-FOLLOWUP-LAST") {
    auto last = parse_iso_date(v);
    if (!last) return fmt::format("X-FOLLOWUP-LAST \"{}\" is not a date (YYYY-MM-DD)", v);
    if (*last > o.today) return fmt::format("the last check-in {} is in the future", to_iso(*last));
    r.last = last;
  } else if (p.name == "X-FOLLOWUP-CHECKIN") {
    auto date = parse_iso_date(v);
    if (!date) return fmt::format("X-FOLLOWUP-CHECKIN \"{}\" is not a date (YYYY-MM-DD)", v);
    if (*date > o.today) return fmt::format("the check-in {} is in the future", to_iso(*date));
    Interaction it{*date, std::nullopt, std::nullopt, std::nullopt, {}};
    if (const Param* kind = p.param("X-KIND")) it.kind = clean_line(unescape_param(kind->value));
    if (const Param* by = p.param("X-BY")) it.by = unescape_param(by->value);
    if (const Param* note = p.param("X-NOTE")) it.note = unescape_param(note->value);
    if (it.kind && !is_valid_kind(*it.kind)) return fmt::format("X-FOLLOWUP-CHECKIN has a bad X-KIND \"{}\"", *it.kind);
    r.checkins.push_back(std::move(it));
  } else if (p.name == "X-FOLLOWUP-ADDED" || p.name == "X-FOLLOWUP-SNOOZED") {
    auto date = parse_iso_date(v);
    if (!date) return fmt::format("{} \"{}\" is not a date (YYYY-MM-DD)", p.name, v);
    (p.name == "X-FOLLOWUP-ADDED" ? r.added : r.snoozed_until) = date;
  } else if (p.name == "X-FOLLOWUP-COUNTS") {
    std::vector<std::string> kinds;
    for (const auto& k : unescape_split(p.value, ',')) {
      std::string kind = clean_line(k);
      if (!is_valid_kind(kind)) return fmt::format("X-FOLLOWUP-COUNTS has a bad kind \"{}\"", kind);
      kinds.push_back(kind);
    }
    r.counts = std::move(kinds);
  }
  return std::nullopt;
}

// What followup's own cards say beyond a plain vCard: the UID that export
// makes up for a contact without one (`urn:followup:<id>`) is its id, not a
// field; with its check-ins, X-FOLLOWUP-LAST (the latest of them) is not
// another one.
void own_card_identity(ImportRecord& r) {
  constexpr std::string_view urn = "urn:followup:";
  auto uid = std::find_if(r.fields.begin(), r.fields.end(), [](const Field& f) { return f.key == "uid"; });
  if (uid != r.fields.end() && uid->value.starts_with(urn) && is_valid_id(uid->value.substr(urn.size()))) {
    if (!r.id) r.id = uid->value.substr(urn.size());
    if (uid->value.substr(urn.size()) == *r.id) r.fields.erase(uid);
  }
  if (!r.checkins.empty()) r.last.reset();
}

// FN, else given + family from N, else ORG, else the first e-mail.
std::string card_name(const Card& card, const ImportRecord& r) {
  for (const auto& p : card.props)
    if (p.name == "FN")
      if (std::string n = clean_line(unescape(p.value)); !n.empty()) return n;
  for (const auto& p : card.props)
    if (p.name == "N")
      if (std::string n = name_from_n(p.value); !n.empty()) return n;
  for (const char* key : {"org", "email"})
    for (const auto& f : r.fields)
      if (f.key == key) return f.value;
  return {};
}

} // namespace

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
  for (const auto& l : physical_lines(text)) {
    std::string_view t = trim(l.text);
    if (t.empty() || t[0] == '#') continue;
    return iequals(t, "BEGIN:VCARD") ? ImportFormat::vcard : ImportFormat::csv;
  }
  return ImportFormat::csv;
}

ParseResult parse_vcards(std::string_view bytes, std::string_view source, const ReadOptions& options) {
  std::string text = decode_bom(bytes, source);
  ParseResult result;
  std::vector<Card> cards = read_cards(logical_lines(physical_lines(text)), result.bad);
  if (cards.empty())
    throw_data("no vCard in the file (no BEGIN:VCARD line)", std::string(source), "is it a CSV file? try --from csv");
  decode_values(cards, options);
  for (const auto& card : cards) {
    if (card.malformed) {
      result.bad.push_back(*card.malformed);
      continue;
    }
    ImportRecord r;
    r.line = card.line;
    std::optional<std::string> wrong;
    for (const auto& p : card.props) {
      map_property(p, card, r);
      if (auto w = map_followup_property(p, r, options); w && !wrong) wrong = fmt::format("{} (line {})", *w, p.line);
    }
    r.name = card_name(card, r);
    own_card_identity(r);
    if (wrong) result.bad.push_back({card.line, *wrong});
    else if (r.name.empty()) result.bad.push_back({card.line, "the card has no name (no FN, N, ORG or EMAIL)"});
    else result.records.push_back(std::move(r));
  }
  std::stable_sort(result.bad.begin(), result.bad.end(),
                   [](const BadRecord& a, const BadRecord& b) { return a.line < b.line; });
  return result;
}

} // namespace followup
