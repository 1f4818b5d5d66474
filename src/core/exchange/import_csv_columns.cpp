// What the columns of a CSV file feed: the header names the columns; Google
// Contacts, Outlook and Thunderbird layouts are recognised, and
// `--map FIELD=COLUMN` adds to or overrides them.
#include <algorithm>
#include <array>
#include <tuple>

#include <fmt/format.h>

#include "followup/model/error.hpp"
#include "followup/text/text.hpp"
#include "exchange/import_csv.hpp"

namespace followup {
namespace csv {
namespace {

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

// The plan's one-column slots, and what the dry run says each feeds.
constexpr std::array<std::pair<std::optional<std::size_t> Plan::*, std::string_view>, 12> kSlots{{
    {&Plan::name, "name"}, {&Plan::given, "name (given)"}, {&Plan::family, "name (family)"},
    {&Plan::org, "field org"}, {&Plan::notes, "notes"}, {&Plan::id, "id"}, {&Plan::last, "last (a past check-in)"},
    {&Plan::every, "every"}, {&Plan::birthday, "field birthday"}, {&Plan::year, "field birthday (year)"},
    {&Plan::month, "field birthday (month)"}, {&Plan::day, "field birthday (day)"}}};

// A column the user mapped feeds what the map says and nothing its header
// was recognised as: `--map surname=last` is not also the date of a check-in.
void forget_column(Plan& p, std::size_t col) {
  for (const auto& slot : kSlots)
    if (p.*slot.first == col) (p.*slot.first).reset();
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

} // namespace

Plan plan_columns(const std::vector<std::string>& cells, const std::vector<ColumnMap>& maps, std::string_view source) {
  Header header(cells);
  Plan plan = recognise(header);
  apply_maps(plan, header, maps, source);
  return plan;
}

std::vector<std::string> describe(const Plan& p, const std::vector<std::string>& header) {
  std::vector<std::vector<std::string>> uses(header.size());
  auto use = [&](std::optional<std::size_t> col, std::string what) {
    if (col && *col < uses.size()) uses[*col].push_back(std::move(what));
  };
  for (const auto& [slot, what] : kSlots) use(p.*slot, std::string(what));
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

} // namespace csv

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

} // namespace followup
