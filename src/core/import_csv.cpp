// CSV exports: RFC 4180 cells (quoted cells may hold the delimiter, `""`,
// CR and LF), `,` or `;` sniffed from the header, UTF-8 with or without a
// BOM, UTF-16 with a BOM, other bytes as windows-1252 (or --charset). The
// header names the columns; Google Contacts, Outlook and Thunderbird layouts
// are recognised, and `--map FIELD=COLUMN` adds to or overrides them.
#include <algorithm>
#include <array>
#include <tuple>
#include <variant>

#include <fmt/format.h>

#include "followup/charset.hpp"
#include "followup/error.hpp"
#include "followup/import.hpp"
#include "followup/text.hpp"

namespace followup {
namespace {

struct Row {
  std::size_t line = 0; // where the row starts
  std::vector<std::string> cells;
};

std::string csv_text(std::string_view bytes, std::string_view source, const std::optional<std::string>& charset) {
  bool bom = bytes.starts_with("\xEF\xBB\xBF") || bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF");
  if (bom) return decode_bom(bytes, source);
  if (charset) return decode_text(bytes, *charset);
  if (is_valid_utf8(bytes)) return std::string(bytes);
  return windows1252_to_utf8(bytes);
}

// The delimiter the header line uses most: `,`, `;` or a tab.
char sniff_delimiter(std::string_view text) {
  std::array<std::pair<char, int>, 3> counts{{{',', 0}, {';', 0}, {'\t', 0}}};
  bool quoted = false;
  for (char ch : text) {
    if (ch == '"') quoted = !quoted;
    if (!quoted && (ch == '\n' || ch == '\r')) break;
    for (auto& [d, n] : counts)
      if (!quoted && ch == d) ++n;
  }
  auto best = std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; });
  return best->second > 0 ? best->first : ',';
}

// Rows of cells. Lenient where RFC 4180 is strict: a quote inside an
// unquoted cell, or text after a closing quote, is kept as written.
std::vector<Row> read_rows(std::string_view text, char delim, std::string_view source) {
  std::vector<Row> rows;
  Row row{1, {""}};
  std::size_t line = 1, quote_line = 0;
  bool quoted = false, at_cell_start = true;
  auto end_row = [&] {
    bool blank = row.cells.size() == 1 && row.cells[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row = Row{line, {""}};
    at_cell_start = true;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    bool newline = ch == '\n' || (ch == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        row.cells.back() += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        row.cells.back() += ch;
      }
      if (newline) ++line;
    } else if (ch == '"' && at_cell_start) {
      quoted = true;
      quote_line = line;
      at_cell_start = false;
    } else if (ch == delim) {
      row.cells.emplace_back();
      at_cell_start = true;
    } else if (newline) {
      ++line;
      end_row();
    } else if (ch != '\r') {
      row.cells.back() += ch;
      at_cell_start = false;
    }
  }
  if (quoted) throw_data("a quoted cell is never closed", fmt::format("{}:{}", source, quote_line));
  end_row();
  return rows;
}

struct Typed {
  std::size_t value;
  std::optional<std::size_t> type_col; // Google's "... - Type" column
  std::string type;                    // a fixed type (Outlook, Thunderbird)
};

// Which column feeds what.
struct Plan {
  std::optional<std::size_t> name, given, family, org, notes, id, last, every, birthday, year, month, day;
  std::vector<std::size_t> tags;
  std::vector<Typed> emails, phones, addresses;
  std::vector<std::pair<std::string, std::size_t>> fields; // --map to other fields
};

class Header {
public:
  explicit Header(const std::vector<std::string>& cells) {
    for (const auto& c : cells) names_.push_back(lower(clean_line(c)));
  }
  std::optional<std::size_t> find(std::string_view name) const {
    std::string want = lower(clean_line(name));
    for (std::size_t i = 0; i < names_.size(); ++i)
      if (!want.empty() && names_[i] == want) return i;
    return std::nullopt;
  }
  std::optional<std::size_t> first(std::initializer_list<std::string_view> names) const {
    for (auto n : names)
      if (auto i = find(n)) return i;
    return std::nullopt;
  }

private:
  std::vector<std::string> names_;
};

// Column names and the phone type they stand for, in the order the first
// number found becomes `phone`: mobile first, faxes and pagers last.
constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kPhoneColumns{{
    {"phone", ""}, {"primary phone", ""}, {"mobile phone", "cell"}, {"mobile number", "cell"}, {"mobile", "cell"},
    {"business phone", "work"}, {"work phone", "work"}, {"home phone", "home"}, {"business phone 2", "work"},
    {"home phone 2", "home"}, {"company main phone", "main"}, {"other phone", "other"}, {"car phone", "car"},
    {"assistant's phone", "assistant"}, {"callback", "callback"}, {"isdn", "isdn"}, {"radio phone", "radio"},
    {"tty/tdd phone", "tty"}, {"business fax", "work_fax"}, {"home fax", "home_fax"}, {"other fax", "fax"},
    {"fax number", "fax"}, {"pager", "pager"}, {"pager number", "pager"}}};

constexpr std::array<std::string_view, 7> kEmailColumns{"email", "e-mail", "email address", "e-mail address",
                                                        "primary email", "e-mail 2 address", "e-mail 3 address"};

Plan recognise(const Header& h) {
  Plan p;
  p.name = h.first({"name", "display name", "full name"});
  p.given = h.first({"given name", "first name"});
  p.family = h.first({"family name", "last name", "surname"});
  p.org = h.first({"organization 1 - name", "company", "organization", "organisation"});
  p.notes = h.first({"notes", "note"});
  p.id = h.find("id");
  p.last = h.find("last");
  p.every = h.find("every");
  p.birthday = h.first({"birthday", "birth date"});
  p.year = h.find("birth year"), p.month = h.find("birth month"), p.day = h.find("birth day");
  for (auto n : {"labels", "group membership", "categories", "tags"})
    if (auto i = h.find(n)) p.tags.push_back(*i);
  for (auto n : kEmailColumns)
    if (auto i = h.find(n)) p.emails.push_back({*i, std::nullopt, ""});
  if (auto i = h.find("secondary email")) p.emails.push_back({*i, std::nullopt, ""});
  for (auto [n, type] : kPhoneColumns)
    if (auto i = h.find(n)) p.phones.push_back({*i, std::nullopt, std::string(type)});
  // Google numbers its multi-valued columns: "E-mail 1 - Value", "Phone 2 - Type"...
  for (int n = 1; n < 100; ++n) {
    bool any = false;
    for (auto [prefix, part, list] : {std::tuple{"e-mail", "value", &p.emails}, std::tuple{"phone", "value", &p.phones},
                                      std::tuple{"address", "formatted", &p.addresses}})
      if (auto v = h.find(fmt::format("{} {} - {}", prefix, n, part))) {
        auto type = h.find(fmt::format("{} {} - type", prefix, n));
        list->push_back({*v, type ? type : h.find(fmt::format("{} {} - label", prefix, n)), ""});
        any = true;
      }
    if (!any) break;
  }
  return p;
}

// A column the user mapped feeds what the map says and nothing its header
// was recognised as: `--map surname=last` is not also the date of a check-in.
void forget_column(Plan& p, std::size_t col) {
  for (auto* slot : {&p.name, &p.given, &p.family, &p.org, &p.notes, &p.id, &p.last, &p.every, &p.birthday, &p.year,
                     &p.month, &p.day})
    if (*slot == col) slot->reset();
  std::erase(p.tags, col);
  for (auto* list : {&p.emails, &p.phones, &p.addresses}) {
    std::erase_if(*list, [col](const Typed& t) { return t.value == col; });
    for (Typed& t : *list)
      if (t.type_col == col) t.type_col.reset();
  }
}

void apply_maps(Plan& p, const Header& h, const std::vector<ColumnMap>& maps, std::string_view source) {
  std::vector<std::string> seen;
  std::vector<std::size_t> cols;
  for (const auto& m : maps) {
    std::string target = lower(m.target);
    if (std::find(seen.begin(), seen.end(), target) != seen.end())
      throw_usage(fmt::format("\"{}\" is mapped twice", m.target), "--map");
    seen.push_back(target);
    auto col = h.find(m.column);
    if (!col)
      throw_usage(fmt::format("no column \"{}\" in {}", m.column, source), "--map",
                  "the header line names the columns; matching ignores case");
    cols.push_back(*col);
  }
  for (std::size_t col : cols) forget_column(p, col);
  for (std::size_t i = 0; i < maps.size(); ++i) {
    const std::string target = lower(maps[i].target);
    const std::optional<std::size_t> col = cols[i];
    const ColumnMap& m = maps[i];
    if (target == "name") p.name = col;
    else if (target == "id") p.id = col;
    else if (target == "tags") p.tags = {*col};
    else if (target == "notes") p.notes = col;
    else if (target == "last") p.last = col;
    else if (target == "every") p.every = col;
    else p.fields.emplace_back(m.target, *col);
  }
}

// What each column feeds, in the header's order, then those nothing reads.
std::vector<std::string> describe(const Plan& p, const std::vector<std::string>& header) {
  std::vector<std::vector<std::string>> uses(header.size());
  auto use = [&](std::optional<std::size_t> col, std::string what) {
    if (col && *col < uses.size()) uses[*col].push_back(std::move(what));
  };
  use(p.name, "name");
  use(p.given, "name (given)");
  use(p.family, "name (family)");
  use(p.org, "field org");
  use(p.notes, "notes");
  use(p.id, "id");
  use(p.last, "last (a past check-in)");
  use(p.every, "every");
  use(p.birthday, "field birthday");
  use(p.year, "field birthday (year)");
  use(p.month, "field birthday (month)");
  use(p.day, "field birthday (day)");
  for (std::size_t col : p.tags) use(col, "tags");
  for (const auto& [list, base] : {std::pair{&p.emails, "email"}, {&p.phones, "phone"}, {&p.addresses, "address"}})
    for (const Typed& t : *list) {
      use(t.value, t.type.empty() ? std::string(base) : fmt::format("{} ({})", base, t.type));
      use(t.type_col, fmt::format("{} (its type)", base));
    }
  for (const auto& [key, col] : p.fields) use(col, "field " + key);
  std::vector<std::string> lines, ignored;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string name = clean_line(header[i]);
    if (name.empty()) continue;
    if (uses[i].empty()) ignored.push_back(name);
    else lines.push_back(fmt::format("{} \u2192 {}", name, fmt::join(uses[i], ", ")));
  }
  if (!ignored.empty()) lines.push_back(fmt::format("ignored: {}", fmt::join(ignored, ", ")));
  return lines;
}

std::vector<std::string> split_tags(std::string text) {
  for (auto pos = text.find(":::"); pos != std::string::npos; pos = text.find(":::")) text.replace(pos, 3, ",");
  std::replace(text.begin(), text.end(), ';', ',');
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = std::min(text.find(',', start), text.size());
    std::string piece = clean_line(std::string_view(text).substr(start, comma - start));
    // Google marks its system groups with "* "; "My Contacts" is everyone.
    if (piece.starts_with("*")) piece.erase(0, 1);
    std::string tag = import_tag(piece);
    bool everyone = tag == "my-contacts" || tag == "mycontacts";
    if (!tag.empty() && !everyone && std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
    start = comma + 1;
  }
  return tags;
}

struct RowReader {
  const Row& row;
  std::string cell(std::optional<std::size_t> i) const {
    if (!i || *i >= row.cells.size()) return {};
    return clean_line(row.cells[*i]);
  }
  std::string lines(std::optional<std::size_t> i, std::string_view sep) const { // each line cleaned
    std::string out, t = text(i);
    for (std::size_t start = 0; start <= t.size();) {
      std::size_t nl = std::min(t.find('\n', start), t.size());
      std::string l = clean_line(std::string_view(t).substr(start, nl - start));
      if (!l.empty()) out += (out.empty() ? "" : std::string(sep)) + l;
      start = nl + 1;
    }
    return out;
  }
  std::string text(std::optional<std::size_t> i) const { // keeps the lines of notes
    if (!i || *i >= row.cells.size()) return {};
    std::string s;
    for (std::size_t k = 0; k < row.cells[*i].size(); ++k) {
      char ch = row.cells[*i][k];
      if (ch == '\r' && k + 1 < row.cells[*i].size() && row.cells[*i][k + 1] == '\n') continue;
      s += ch == '\r' ? '\n' : ch;
    }
    auto b = s.find_first_not_of(" \t\n"), e = s.find_last_not_of(" \t\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  }
};

int year_of(Date d) { return to_ymd(d).year; }

std::string birthday_of(const Plan& p, const RowReader& r, const ReadOptions& o) {
  std::string b = r.cell(p.birthday);
  if (!b.empty() && b.find_first_of("123456789") == std::string::npos) return {}; // Outlook's "0/0/00"
  if (!b.empty()) {
    auto d = parse_import_date(b, o.date_order, year_of(o.today));
    return d ? to_iso(*d) : normalise_birthday(b);
  }
  std::string y = r.cell(p.year), m = r.cell(p.month), d = r.cell(p.day);
  if (m.empty() || d.empty()) return {};
  auto two = [](const std::string& s) { return s.size() == 1 ? "0" + s : s; };
  return normalise_birthday(y.empty() ? fmt::format("--{}-{}", two(m), two(d)) : fmt::format("{}-{}-{}", y, two(m), two(d)));
}

void read_contact_fields(const Plan& p, const RowReader& r, ImportRecord& rec, const ReadOptions& o) {
  for (const auto& [list, base] : {std::pair{&p.emails, "email"}, {&p.phones, "phone"}, {&p.addresses, "address"}})
    for (const auto& t : *list) {
      std::string v = r.cell(t.value);
      if (list == &p.addresses) v = r.lines(t.value, ", "); // Google's formatted address has one line per part
      std::string type = t.type_col ? type_key(r.cell(t.type_col)) : t.type;
      if (!v.empty()) add_numbered_field(rec.fields, base, type, v);
    }
  if (std::string org = r.cell(p.org); !org.empty()) set_field(rec.fields, "org", org);
  if (std::string b = birthday_of(p, r, o); !b.empty()) set_field(rec.fields, "birthday", b);
  for (const auto& [key, col] : p.fields) {
    std::string v = r.cell(col);
    if (v.empty()) continue;
    // Named anew: clang before 16 cannot capture a structured binding.
    std::erase_if(rec.fields, [&name = key](const Field& f) { return iequals(f.key, name); });
    rec.fields.push_back(Field{key, v});
  }
}

// Given + family, else the organisation, else the first e-mail.
std::string fallback_name(const Plan& p, const RowReader& r, const ImportRecord& rec) {
  std::string given = r.cell(p.given), family = r.cell(p.family);
  std::string n = given.empty() || family.empty() ? given + family : given + " " + family;
  if (!n.empty()) return n;
  for (const char* key : {"org", "email"})
    for (const auto& f : rec.fields)
      if (f.key == key) return f.value;
  return {};
}

// One row as a record; a string saying what is wrong when it cannot be one.
std::variant<ImportRecord, std::string> read_record(const Plan& p, const Row& row, const ReadOptions& o) {
  RowReader r{row};
  ImportRecord rec;
  rec.line = row.line;
  read_contact_fields(p, r, rec, o);
  rec.name = r.cell(p.name);
  if (rec.name.empty()) rec.name = fallback_name(p, r, rec);
  if (rec.name.empty()) return std::string("no name");
  if (std::string id = r.cell(p.id); !id.empty()) {
    if (!is_valid_id(id)) return fmt::format("\"{}\" is not a valid id (lower-case letters, digits and '-')", id);
    rec.id = id;
  }
  for (auto col : p.tags)
    for (auto& t : split_tags(r.cell(col)))
      if (std::find(rec.tags.begin(), rec.tags.end(), t) == rec.tags.end()) rec.tags.push_back(std::move(t));
  if (std::string notes = r.text(p.notes); !notes.empty()) rec.notes = notes;
  if (std::string every = r.cell(p.every); !every.empty()) {
    rec.every = parse_duration(every);
    if (!rec.every) return fmt::format("\"{}\" is not a duration (3d, 2w, 6m, 1y, never)", every);
  }
  // A bad date costs the check-in, not the customer: the record is kept
  // without it (under --skip-bad) and the date is said.
  if (std::string last = r.cell(p.last); !last.empty()) {
    rec.last = parse_import_date(last, o.date_order, year_of(o.today));
    if (!rec.last)
      rec.dropped = o.date_order == DateOrder::any
                        ? fmt::format("\"{}\" is not a date (YYYY-MM-DD; D.M.YYYY; M/D/YYYY only when unambiguous; "
                                      "--date-format says the order)", last)
                        : fmt::format("\"{}\" is not a date in the order {}", last, to_string(o.date_order));
    else if (*rec.last > o.today) rec.dropped = fmt::format("the last check-in {} is in the future", to_iso(*rec.last));
    if (!rec.dropped.empty()) rec.last.reset();
  }
  return rec;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

int to_int(std::string_view s) { return std::stoi(std::string(s)); }

std::vector<std::string_view> split3(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t pos; (pos = s.find(sep, start)) != std::string_view::npos; start = pos + 1)
    parts.push_back(s.substr(start, pos - start));
  parts.push_back(s.substr(start));
  bool ok = parts.size() == 3 && std::all_of(parts.begin(), parts.end(), [](auto p) { return all_digits(p) && p.size() <= 4; });
  return ok ? parts : std::vector<std::string_view>{};
}

std::optional<Date> ymd(int y, int m, int d) {
  if (y < 1000 || !is_valid_ymd(y, m, d)) return std::nullopt;
  return from_ymd(y, m, d);
}

// A year of four digits, or of two: the latest such year not after this one.
std::optional<int> full_year(std::string_view y, int this_year) {
  if (y.size() == 4) return to_int(y);
  if (y.size() != 2) return std::nullopt;
  int year = this_year / 100 * 100 + to_int(y);
  return year > this_year ? year - 100 : year;
}

// The three parts of a date in a stated order, apart by '/', '.' or '-'.
std::optional<Date> in_order(std::string_view t, DateOrder order, int this_year) {
  const auto sep = t.find_first_of("/.-");
  if (sep == std::string_view::npos) return std::nullopt;
  const auto p = split3(t, t[sep]);
  if (p.empty()) return std::nullopt;
  const std::string_view y = order == DateOrder::ymd ? p[0] : p[2];
  const std::string_view m = order == DateOrder::dmy ? p[1] : order == DateOrder::mdy ? p[0] : p[1];
  const std::string_view d = order == DateOrder::dmy ? p[0] : order == DateOrder::mdy ? p[1] : p[2];
  if (m.size() > 2 || d.size() > 2) return std::nullopt;
  const auto year = full_year(y, this_year);
  if (!year) return std::nullopt;
  return ymd(*year, to_int(m), to_int(d));
}

} // namespace

const char* to_string(DateOrder order) {
  switch (order) {
  case DateOrder::ymd: return "ymd";
  case DateOrder::dmy: return "dmy";
  case DateOrder::mdy: return "mdy";
  case DateOrder::any: break;
  }
  return "any";
}

std::optional<Date> parse_import_date(std::string_view text, DateOrder order, int this_year) {
  auto b = text.find_first_not_of(" \t"), e = text.find_last_not_of(" \t");
  if (b == std::string_view::npos) return std::nullopt;
  std::string_view t = text.substr(b, e - b + 1);
  if (t.size() > 10 && (t[10] == 'T' || t[10] == ' ')) t = t.substr(0, 10); // a time after the date
  if (auto d = parse_iso_date(t)) return d;
  if (order != DateOrder::any) return in_order(t, order, this_year);
  if (auto p = split3(t, '.'); !p.empty() && p[2].size() == 4) return ymd(to_int(p[2]), to_int(p[1]), to_int(p[0]));
  auto p = split3(t, '/');
  if (p.empty()) return std::nullopt;
  if (p[0].size() == 4) return ymd(to_int(p[0]), to_int(p[1]), to_int(p[2]));
  if (p[2].size() != 4) return std::nullopt;
  // M/D/YYYY (US) or D/M/YYYY (most elsewhere): only when one reading is a date, or both give the same day.
  auto md = ymd(to_int(p[2]), to_int(p[0]), to_int(p[1]));
  auto dm = ymd(to_int(p[2]), to_int(p[1]), to_int(p[0]));
  if (md && dm && *md != *dm) return std::nullopt;
  return md ? md : dm;
}

ColumnMap parse_column_map(std::string_view text) {
  auto eq = text.find('=');
  ColumnMap m;
  if (eq != std::string_view::npos) m = {clean_line(text.substr(0, eq)), clean_line(text.substr(eq + 1))};
  bool word = !m.target.empty() && m.target.find_first_of(" ,") == std::string::npos && is_valid_utf8(m.target);
  if (!word || m.column.empty())
    throw_usage(fmt::format("\"{}\" is not FIELD=COLUMN", text), "--map",
                "FIELD is name, id, tags, notes, last, every or a field name: --map name=Customer");
  return m;
}

ParseResult parse_csv(std::string_view bytes, std::string_view source, const std::vector<ColumnMap>& maps,
                      const ReadOptions& options) {
  std::string text = csv_text(bytes, source, options.charset);
  std::vector<Row> rows = read_rows(text, sniff_delimiter(text), source);
  if (rows.empty()) throw_data("the file is empty (no header line)", std::string(source));
  Header header(rows[0].cells);
  Plan plan = recognise(header);
  apply_maps(plan, header, maps, source);
  if (!plan.name && !plan.given && !plan.family)
    throw_usage(fmt::format("no name column in {}", source), "--map",
                "say which column holds the name: --map name=COLUMN");
  ParseResult result;
  result.columns = describe(plan, rows[0].cells);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& cells = rows[i].cells;
    if (std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return clean_line(c).empty(); })) continue;
    auto rec = read_record(plan, rows[i], options);
    if (auto* r = std::get_if<ImportRecord>(&rec)) {
      if (!r->dropped.empty()) result.bad.push_back({rows[i].line, r->dropped, true});
      result.records.push_back(std::move(*r));
    } else {
      result.bad.push_back({rows[i].line, std::get<std::string>(rec)});
    }
  }
  return result;
}

} // namespace followup
