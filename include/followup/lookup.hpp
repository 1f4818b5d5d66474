// Finding the contact a user means by CONTACT (SPEC §4).
#pragma once

#include <cstddef>
#include <string_view>

#include "followup/model.hpp"

namespace followup {

// An exact id; else the one contact whose folded name, or a word of it,
// equals the folded query; else the one whose name or a word of it starts
// with it. Throws Error{not_found} naming the query, with the candidates' ids
// in the hint when ambiguous. Returns the contact's index in book.contacts.
std::size_t find_contact(const Book& book, std::string_view query);

} // namespace followup
