// Who an imported record already is in the book: by uid, id, name, its
// name's slug, an e-mail or a phone number (the order and the reasons are
// in import_merge.hpp).
#include <algorithm>
#include <tuple>

#include "followup/text/text.hpp"
#include "exchange/import_merge.hpp"

namespace followup::import_detail {
namespace {

std::vector<std::string> values_of(const std::vector<Field>& fields, std::string_view base) {
  std::vector<std::string> out;
  for (const auto& f : fields)
    if (has_base(f.key, base)) out.push_back(f.value);
  return out;
}

std::string digits(std::string_view s) {
  std::string out;
  for (char ch : s)
    if (ch >= '0' && ch <= '9') out.push_back(ch);
  return out;
}

// Fewer digits than this are extensions or placeholders ("1", "112"), not
// numbers two different people would not share.
constexpr std::size_t kMinPhoneDigits = 5;

bool share_value(const std::vector<Field>& a, const std::vector<Field>& b, std::string_view base, bool phone) {
  auto key = [&](const std::string& v) { return phone ? digits(v) : lower(clean_line(v)); };
  for (const auto& x : values_of(a, base)) {
    std::string kx = key(x);
    if (kx.empty() || (phone && kx.size() < kMinPhoneDigits)) continue;
    for (const auto& y : values_of(b, base))
      if (kx == key(y)) return true;
  }
  return false;
}

// What an e-mail (any case) or a phone number (its digits) is compared by;
// empty when it cannot match anything.
std::string match_key(std::string_view value, bool phone) {
  if (!phone) return lower(clean_line(value));
  std::string d = digits(value);
  return d.size() < kMinPhoneDigits ? std::string() : d;
}

const std::string* uid_of(const std::vector<Field>& fields) {
  for (const auto& f : fields)
    if (iequals(f.key, "uid")) return &f.value;
  return nullptr;
}

} // namespace

Matcher::Matcher(const Book& book) {
  for (std::size_t i = 0; i < book.contacts.size(); ++i) {
    index(book.contacts[i], i);
    ids_.emplace(book.contacts[i].id, i);
    for (auto [base, phone, index] : {std::tuple{"email", false, &emails_}, std::tuple{"phone", true, &phones_}})
      for (const auto& v : values_of(book.contacts[i].fields, base))
        if (std::string k = match_key(v, phone); !k.empty()) index->emplace(k, i);
  }
}

void Matcher::note_contact(const Contact& c, std::size_t i) {
  index(c, i);
  taken_.insert(i);
}

Match Matcher::find(const Book& book, const ImportRecord& r) const {
  if (const std::string* uid = uid_of(r.fields))
    if (auto it = uids_.find(*uid); it != uids_.end()) return {it->second, "uid"};
  if (r.id) {
    if (const Contact* c = book.find_id(*r.id)) return {static_cast<std::size_t>(c - book.contacts.data()), "id"};
  } else {
    if (auto it = names_.find(lower(r.name)); it != names_.end()) return {it->second, "name"};
    // Not the "contact" fallback: two names without a slug are not one person.
    if (std::string id = slugify(r.name); !id.empty())
      if (auto it = ids_.find(id); it != ids_.end() && !taken_.count(it->second)) return {it->second, "id"};
  }
  for (auto [base, phone, index] : {std::tuple{"email", false, &emails_}, std::tuple{"phone", true, &phones_}})
    for (const auto& v : values_of(r.fields, base))
      if (auto it = index->find(match_key(v, phone)); it != index->end()) return {it->second, base};
  return {};
}

void Matcher::index(const Contact& c, std::size_t i) {
  if (const std::string* uid = uid_of(c.fields)) uids_.emplace(*uid, i);
  names_.emplace(lower(c.name), i);
}

bool holds_value(const std::vector<Field>& fields, const Field& f) {
  for (auto [base, phone] : {std::pair{"phone", true}, std::pair{"email", false}})
    if (has_base(f.key, base)) return share_value({f}, fields, base, phone);
  return false;
}

} // namespace followup::import_detail
