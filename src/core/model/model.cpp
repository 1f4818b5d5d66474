#include "followup/model/model.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "followup/text/text.hpp"

namespace followup {

const std::vector<std::string>& Unknown::order() const {
  static const std::vector<std::string> kNone;
  return data_ ? data_->order : kNone;
}

const Json& Unknown::members() const {
  static const Json kNone;
  return data_ ? data_->members : kNone;
}

Unknown::Data& Unknown::edit() {
  if (!data_) data_ = Data{};
  return *data_;
}

Json written_number(std::string_view text) {
  // Not Json::binary(): nlohmann 3.11.2 marks its result binary before it
  // allocates the value, and a bad_alloc there then destroys a null pointer
  // (SIGSEGV under a memory limit; fixed upstream in 3.11.3). A constructor
  // that throws leaves nothing to destroy.
  Json j(Json::value_t::binary);
  Json::binary_t& b = j.get_binary();
  b.assign(text.begin(), text.end());
  b.set_subtype(kWrittenNumber);
  return j;
}

std::optional<std::string_view> number_text(const Json& j) {
  if (!j.is_binary()) return std::nullopt;
  const Json::binary_t& b = j.get_binary();
  if (!b.has_subtype() || b.subtype() != kWrittenNumber) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

bool Unknown::has(std::string_view key) const {
  const auto& o = order();
  return std::find(o.begin(), o.end(), key) != o.end();
}

bool kind_matches(const std::optional<std::string>& kind, std::string_view wanted) {
  return kind && iequals(*kind, wanted);
}

bool Contact::has_tag(std::string_view tag) const {
  return std::any_of(tags.begin(), tags.end(), [&](const std::string& t) { return iequals(t, tag); });
}

const Field* Contact::field(std::string_view key) const {
  for (const auto& f : fields)
    if (iequals(f.key, key)) return &f;
  return nullptr;
}

bool Contact::has_kind(std::string_view kind) const {
  return std::any_of(interactions.begin(), interactions.end(),
                     [&](const Interaction& it) { return kind_matches(it.kind, kind); });
}

void Contact::insert_interaction(Interaction it) {
  auto pos = std::upper_bound(interactions.begin(), interactions.end(), it.date,
                              [](Date d, const Interaction& x) { return d < x.date; });
  interactions.insert(pos, std::move(it));
}

std::string Occasion::date_text() const {
  if (year == 0) return fmt::format("--{:02}-{:02}", month, day);
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

std::optional<Occasion> parse_occasion_date(std::string_view text) {
  Occasion o;
  if (text.size() == 7 && text.substr(0, 2) == "--") {
    // A leap year lets Feb 29 through: the day exists in some years.
    auto d = parse_iso_date(fmt::format("2000{}", text.substr(1)));
    if (!d) return std::nullopt;
    Ymd ymd = to_ymd(*d);
    o.month = ymd.month;
    o.day = ymd.day;
    return o;
  }
  auto d = parse_iso_date(text);
  if (!d) return std::nullopt;
  Ymd ymd = to_ymd(*d);
  o.year = ymd.year;
  o.month = ymd.month;
  o.day = ymd.day;
  return o;
}

bool is_valid_label(std::string_view label) {
  auto letter = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); };
  if (label.empty() || !letter(label[0])) return false;
  return std::all_of(label.begin(), label.end(), [&](char ch) {
    return letter(ch) || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
  });
}

const Occasion* Contact::occasion(std::string_view label) const {
  for (const auto& o : occasions)
    if (iequals(o.label, label)) return &o;
  return nullptr;
}

Contact* Book::find_id(std::string_view id) {
  for (auto& c : contacts)
    if (c.id == id) return &c;
  return nullptr;
}

const Contact* Book::find_id(std::string_view id) const {
  return const_cast<Book*>(this)->find_id(id);
}

const Rule* Book::find_rule(std::string_view name) const {
  for (const auto& r : rules)
    if (r.name == name) return &r;
  return nullptr;
}

std::string Book::unique_id(std::string_view base) const {
  std::string id(base);
  for (int n = 2; find_id(id); ++n) id = std::string(base) + "-" + std::to_string(n);
  return id;
}

} // namespace followup
