// Merging books (SPEC §8): the three-way merge of `merge-driver` and the
// base-less fold of `merge`, and settling the `conflicts` they leave.
//
// The merge works on the books' JSON trees, member by member, so that a
// member the program learns of later (or does not know at all) merges by the
// generic rule without code here: contacts pair by id and rules by name;
// `interactions` are a union less what one side deleted; `tags` and `plans`
// are sets; `fields` and `occasions` merge key by key; every other member
// takes the side that changed it. Where both sides changed a member
// differently, ours stays and its object (contact, rule, or the book) gets a
// `conflicts` entry: {"key": "fields.phone", "theirs": V, "base": V}, where
// "theirs" or "base" is null when that side has no such member.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "followup/model/model.hpp"

namespace followup {

inline constexpr const char* kConflictsKey = "conflicts";

// One member both sides changed differently, found by this merge.
struct MergeConflict {
  std::string owner; // "contact ana-lopez", "rule vip", "the book"
  std::string key;   // "fields.phone", "notes"
};

struct MergeResult {
  Book book;
  std::vector<MergeConflict> conflicts; // new ones, in book order
};

// A book's text and the name messages give it.
struct BookSource {
  std::string_view text;
  std::string_view name;
};

// Merges `theirs` into `ours`. Without a base (or with a blank one: git's
// "no common ancestor"), every member present on one side only is kept and
// every value the two differ on is a conflict. Each book is validated as
// parse_book does; a malformed one throws Error{data} naming it.
MergeResult merge_books(const std::optional<BookSource>& base, const BookSource& ours, const BookSource& theirs);

// The same on trees of books as followup writes them (no validation; the
// result is not checked either). For merge_books and the tests.
Json merge_trees(const Json* base, const Json& ours, const Json& theirs, std::vector<MergeConflict>& found);

// A book's JSON tree, as serialize_book writes it.
Json book_tree(const Book& book);

// The `conflicts` of one object of a book, as check and resolve see them.
struct ConflictEntry {
  std::string key;
  std::optional<Json> theirs, base; // nullopt: that side had no such member (null or left out)
};

// The entries of an object's `conflicts` member (none when it has none).
// Throws Error{data} naming `where` when the member is not an array of
// objects each with a string "key".
std::vector<ConflictEntry> read_conflicts(const Json& object, std::string_view where);

enum class Side { ours, theirs };

// Settles the conflicts on `key` (every key when nullopt) of `object`:
// `theirs` puts each entry's theirs value in place (removes the member when
// theirs had none); then the entries go, and the `conflicts` member with the
// last of them. Returns the keys settled, in order. Throws Error{usage} when
// no entry has `key`.
std::vector<std::string> resolve_conflicts(Json& object, const std::optional<std::string>& key, Side side,
                                           std::string_view where);

// Where an object's `conflicts` are kept: in a contact's or rule's unknown
// members, or the book's.
bool has_conflicts(const Unknown& unknown);

} // namespace followup
