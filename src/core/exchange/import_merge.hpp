// Who an imported record already is in the book (import_match.cpp), for
// merge_records (import_merge.cpp), and the key test of multi-valued fields
// (import_fields.cpp) that matching shares. Internal to the core.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "followup/exchange/import.hpp"

namespace followup::import_detail {

// `key` is `base` or `base_<anything>`.
bool has_base(std::string_view key, std::string_view base);

struct Match {
  std::optional<std::size_t> index; // into book.contacts
  std::string by;
};

// Who an imported record is, strongest evidence first: the uid; its id
// column; the same name (ASCII case aside); the id its name slugs to, among
// the contacts of the book before the import; an e-mail; a phone number.
// The name comes before its slug so that "Zoe Ng" finds "Zoe Ng" and not
// "Zoë Ng" (both zoe-ng), and the slug only finds a contact that was there
// before and that no earlier record of the file took, so that two such
// names in one file stay two people; a name with no slug (all CJK) is found
// by itself. E-mails and numbers too are looked up among the contacts as
// they were before the import: within one export a shared number or address
// is a household (a landline, family@), not one person listed twice.
// Indexes keep a large import from comparing every record with every
// contact.
class Matcher {
public:
  explicit Matcher(const Book& book);

  // Records the contact a record became or found: its uid and name, for
  // later records of the same import, and that it is taken.
  void note_contact(const Contact& c, std::size_t i);

  Match find(const Book& book, const ImportRecord& r) const;

private:
  void index(const Contact& c, std::size_t i);

  std::unordered_map<std::string, std::size_t> uids_, ids_, names_, emails_, phones_;
  std::unordered_set<std::size_t> taken_;
};

// The contact holds this phone number (by its digits) or e-mail (in any
// case) under some phone* or email* key: a re-export that formats it
// differently, or files it under another type, changes nothing.
bool holds_value(const std::vector<Field>& fields, const Field& f);

} // namespace followup::import_detail
