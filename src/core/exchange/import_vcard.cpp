// vCard cards (import_vcard_read.cpp) mapped to records: names, phones,
// e-mails, addresses, tags, notes, dates, and what followup's own cards
// (`export --to vcard`) carry beyond a plain vCard.
#include <algorithm>

#include <fmt/format.h>

#include "followup/exchange/charset.hpp"
#include "followup/model/error.hpp"
#include "followup/exchange/import.hpp"
#include "followup/text/text.hpp"
#include "exchange/import_vcard_read.hpp"

namespace followup {
namespace {

using vcard::Card;
using vcard::Param;
using vcard::Property;
using vcard::split_unquoted;
using vcard::trim;

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

ParseResult parse_vcards(std::string_view bytes, std::string_view source, const ReadOptions& options) {
  std::string text = decode_bom(bytes, source);
  ParseResult result;
  std::vector<Card> cards = vcard::read_cards(text, result.bad);
  if (cards.empty())
    throw_data("no vCard in the file (no BEGIN:VCARD line)", std::string(source), "is it a CSV file? try --from csv");
  vcard::decode_values(cards, options);
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
