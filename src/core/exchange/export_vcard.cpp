// export --to vcard and --to csv: the contact list for address books and
// spreadsheets, and the content-line helpers vCard shares with iCalendar.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>

#include "followup/exchange/export.hpp"
#include "followup/output/format.hpp"
#include "followup/text/text.hpp"

namespace followup {

namespace content_line {

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    switch (ch) {
    case '\\': out += "\\\\"; break;
    case ',': out += "\\,"; break;
    case ';': out += "\\;"; break;
    case '\n': out += "\\n"; break;
    case '\r':
      out += "\\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i; // CR LF is one line break
      break;
    default: out += ch;
    }
  }
  return out;
}

std::string param_value(std::string_view text) {
  std::string out;
  bool quote = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '^') out += "^^";
    else if (ch == '"') out += "^'";
    else if (ch == '\n' || ch == '\r') {
      out += "^n";
      if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      quote = quote || ch == ':' || ch == ';' || ch == ',';
      out += ch;
    }
  }
  return quote ? '"' + out + '"' : out;
}

namespace {

// Octets of the UTF-8 sequence starting at `i` (1 for a stray byte).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto lead = static_cast<unsigned char>(s[i]);
  std::size_t n = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
  for (std::size_t k = 1; k < n; ++k)
    if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 1;
  return n;
}

} // namespace

std::string fold(std::string_view line) {
  constexpr std::size_t kMax = 75;
  std::string out;
  std::size_t used = 0; // octets on the current physical line
  for (std::size_t i = 0; i < line.size();) {
    // A `\x` escape stays whole too: some readers unescape before unfolding.
    std::size_t n = utf8_length(line, i);
    if (line[i] == '\\' && i + 1 < line.size()) n = 1 + utf8_length(line, i + 1);
    if (used + n > kMax) {
      out += "\r\n ";
      used = 1;
    }
    out.append(line.substr(i, n));
    used += n;
    i += n;
  }
  return out + "\r\n";
}

} // namespace content_line

namespace {

using content_line::escape_text;
using content_line::fold;
using content_line::param_value;

void put(std::string& out, std::string_view name, std::string_view value) {
  out += fold(std::string(name) + ':' + std::string(value));
}

std::vector<std::string> split_words(std::string_view name) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < name.size()) {
    while (i < name.size() && (name[i] == ' ' || name[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < name.size() && name[i] != ' ' && name[i] != '\t') ++i;
    if (i > start) words.emplace_back(name.substr(start, i - start));
  }
  return words;
}

// N: family;given;additional;prefixes;suffixes. A best guess from FN: the
// last word is the family name, the words before it the given names.
std::string structured_name(std::string_view name) {
  std::vector<std::string> words = split_words(name);
  std::string family = words.empty() ? std::string() : words.back();
  if (!words.empty()) words.pop_back();
  return escape_text(family) + ';' + escape_text(join(words, " ")) + ";;;";
}

// `phone` → "", `phone_work` / `phone-work` → "work", `phone_grand_central`
// → "grand_central"; nullopt when the key is not of that shape (`phone2`
// stays a plain field, so it survives a round trip).
std::optional<std::string> typed_key(std::string_view key, std::string_view prefix) {
  std::string k = lower(key);
  if (k == prefix) return std::string();
  if (k.size() <= prefix.size() + 1 || k.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  char sep = k[prefix.size()];
  if (sep != '_' && sep != '-') return std::nullopt;
  std::string type = k.substr(prefix.size() + 1);
  bool word = std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
  return word ? std::optional<std::string>(type) : std::nullopt;
}

// BDAY is a date (basic format) in vCard 4.0; anything else goes as text.
std::string birthday_property(std::string_view value) {
  if (auto d = parse_iso_date(value)) {
    Ymd ymd = to_ymd(*d);
    return "BDAY:" + std::to_string(ymd.year * 10000 + ymd.month * 100 + ymd.day);
  }
  bool month_day = value.size() == 7 && value.substr(0, 2) == "--" && value[4] == '-';
  if (month_day) {
    int month = std::atoi(std::string(value.substr(2, 2)).c_str());
    int day = std::atoi(std::string(value.substr(5, 2)).c_str());
    if (is_valid_ymd(2000, month, day)) return "BDAY:--" + std::string(value.substr(2, 2)) + std::string(value.substr(5, 2));
  }
  return "BDAY;VALUE=text:" + escape_text(value);
}

const Interaction* latest(const Contact& c) { return c.interactions.empty() ? nullptr : &c.interactions.back(); }

// The standard property a field is written as: TEL, EMAIL, ADR (its text
// as the street and as the LABEL readers show), ORG. A key that is more
// than its base (`phone_work`, `email_2`, `Org`) also goes as X-KEY, which
// address books ignore and `import` reads back as the key, so that every
// key comes back as it was (an address always: X-KEY tells `import` to take
// the LABEL as it is, line breaks and all); the TYPE is the key's type
// unless that is only a number (`email_2` is a second e-mail, not one of
// type 2).
std::optional<std::string> standard_property(const Field& f) {
  struct Standard {
    const char* base;
    const char* name;
  };
  for (auto [base, name] : {Standard{"phone", "TEL"}, Standard{"email", "EMAIL"}, Standard{"address", "ADR"},
                            Standard{"org", "ORG"}}) {
    auto type = typed_key(f.key, base);
    if (!type) continue;
    std::string head = name;
    bool numbered = std::all_of(type->begin(), type->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!type->empty() && !numbered && std::string_view(base) != "org") head += ";TYPE=" + param_value(*type);
    if (std::string_view(base) == "address") head += ";LABEL=" + param_value(f.value);
    if (f.key != base || std::string_view(base) == "address") head += ";X-KEY=" + param_value(f.key);
    std::string value = escape_text(f.value);
    if (std::string_view(base) == "address") value = ";;" + value + ";;;;";
    return head + ':' + value;
  }
  return std::nullopt;
}

// In the contact's order, so that `import` gives the fields back in it.
void put_fields(std::string& out, const Contact& c) {
  for (const Field& f : c.fields) {
    if (iequals(f.key, "uid")) continue; // written as UID
    if (auto line = standard_property(f)) out += fold(*line);
    else if (iequals(f.key, "birthday")) out += fold(birthday_property(f.value));
    else out += fold("X-FOLLOWUP-FIELD;X-KEY=" + param_value(f.key) + ':' + escape_text(f.value));
  }
  // Occasions (SPEC §7) that vCard has properties for; import reads them back.
  for (const Occasion& o : c.occasions) {
    if (iequals(o.label, "birthday") && !c.field("birthday")) out += fold(birthday_property(o.date_text()));
    else if (iequals(o.label, "anniversary")) out += fold("ANNIVERSARY" + birthday_property(o.date_text()).substr(4));
  }
  if (c.notes) put(out, "NOTE", escape_text(*c.notes));
}

// Every check-in, oldest first: the date as the value, the rest as
// parameters (absent when the check-in has none).
void put_checkins(std::string& out, const Contact& c) {
  for (const Interaction& it : c.interactions) {
    std::string line = "X-FOLLOWUP-CHECKIN";
    if (it.kind) line += ";X-KIND=" + param_value(*it.kind);
    if (it.by) line += ";X-BY=" + param_value(*it.by);
    if (it.note) line += ";X-NOTE=" + param_value(*it.note);
    out += fold(line + ':' + to_iso(it.date));
  }
}

// UID is a URI by default and URIs are not escaped; a uid that would need
// escaping is written as text instead.
void put_uid(std::string& out, const Contact& c) {
  const Field* uid = c.field("uid");
  if (!uid) return put(out, "UID", "urn:followup:" + c.id);
  bool plain = !uid->value.empty() && !has_control_chars(uid->value) && uid->value.find_first_of(",;\\") == std::string::npos;
  put(out, plain ? "UID" : "UID;VALUE=text", plain ? uid->value : escape_text(uid->value));
}

void put_card(std::string& out, const Contact& c) {
  out += "BEGIN:VCARD\r\nVERSION:4.0\r\n";
  put(out, "FN", escape_text(c.name));
  put(out, "N", structured_name(c.name));
  put_uid(out, c);
  if (!c.tags.empty()) {
    std::vector<std::string> tags;
    for (const auto& t : c.tags) tags.push_back(escape_text(t));
    put(out, "CATEGORIES", join(tags, ","));
  }
  put_fields(out, c);
  put(out, "X-FOLLOWUP-ID", escape_text(c.id));
  if (c.every) put(out, "X-FOLLOWUP-EVERY", escape_text(c.every->text));
  if (c.counts) {
    std::vector<std::string> kinds;
    for (const auto& k : *c.counts) kinds.push_back(escape_text(k));
    put(out, "X-FOLLOWUP-COUNTS", join(kinds, ","));
  }
  if (c.added) put(out, "X-FOLLOWUP-ADDED", to_iso(*c.added));
  if (c.snoozed_until) put(out, "X-FOLLOWUP-SNOOZED", to_iso(*c.snoozed_until));
  // X-FOLLOWUP-LAST for readers of before X-FOLLOWUP-CHECKIN (a `visit` on
  // that date); `import` reads the check-ins instead when a card has them.
  if (const Interaction* last = latest(c)) put(out, "X-FOLLOWUP-LAST", to_iso(last->date));
  put_checkins(out, c);
  out += "END:VCARD\r\n";
}

} // namespace

std::string export_vcard(const Book& book) {
  std::string out;
  for (const Contact& c : book.contacts) put_card(out, c);
  return out;
}

namespace {

constexpr std::string_view kCsvColumns[] = {"id", "name", "tags", "every", "notes", "added", "last"};

bool is_fixed_column(std::string_view key) {
  return std::any_of(std::begin(kCsvColumns), std::end(kCsvColumns), [&](std::string_view c) { return iequals(c, key); });
}

void csv_line(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += quote_csv(cells[i]);
  }
  out += "\r\n";
}

} // namespace

std::string export_csv(const Book& book) {
  std::set<std::string> keys;
  for (const Contact& c : book.contacts)
    for (const Field& f : c.fields) keys.insert(f.key);

  std::vector<std::string> header(std::begin(kCsvColumns), std::end(kCsvColumns));
  for (const auto& k : keys) header.push_back(is_fixed_column(k) ? "field:" + k : k);
  std::string out;
  csv_line(out, header);
  for (const Contact& c : book.contacts) {
    const Interaction* last = latest(c);
    std::vector<std::string> row{c.id,
                                 c.name,
                                 join(c.tags, ","),
                                 c.every ? c.every->text : "",
                                 c.notes.value_or(""),
                                 c.added ? to_iso(*c.added) : "",
                                 last ? to_iso(last->date) : ""};
    for (const auto& k : keys) {
      // Exact key: two spellings of a key are two columns, as in the file.
      auto it = std::find_if(c.fields.begin(), c.fields.end(), [&](const Field& f) { return f.key == k; });
      row.push_back(it == c.fields.end() ? "" : it->value);
    }
    csv_line(out, row);
  }
  return out;
}

} // namespace followup
