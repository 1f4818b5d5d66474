// Finding the contact a user means by CONTACT (SPEC §4).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "followup/rules/expr.hpp"
#include "followup/model/model.hpp"

namespace followup {

// An exact id; else the one contact whose folded name, or a word of it,
// equals the folded query; else the one whose name or a word of it starts
// with it. Throws Error{not_found} naming the query, with the candidates' ids
// in the hint when ambiguous. Returns the contact's index in book.contacts.
std::size_t find_contact(const Book& book, std::string_view query);

// `search`: whether the contact's name, notes, a field's value or a check-in's
// note contains `folded_text` (already folded: case and accents ignored).
bool contact_contains(const Contact& c, const std::string& folded_text);

// The contacts a bulk command (`tag`, `assign`) works on: each query found as
// find_contact does, and every contact `where` matches; each once, in book
// order.
std::vector<std::size_t> select_contacts(const Book& book, const std::vector<std::string>& queries,
                                         const std::optional<Expr>& where);

} // namespace followup
