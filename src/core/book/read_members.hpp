// The pieces every object of the book is read with (json_read.cpp,
// read_contact.cpp): its keys gathered as they come (KeyOrder), members the
// program does not know kept, and the schema's checks (book_schema.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "book/book_reader.hpp"
#include "book/book_schema.hpp"

namespace followup::loader {

// Keys named in places as literals of known length: a place is built only
// for a message, but its key is passed on for every value read.
using namespace std::string_view_literals;

// Equality of short strings (kinds) without a call to memcmp: a large
// book compares millions of them.
inline bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// Gathers an object's keys while it is read: the order is kept only when it
// is not the canonical one, or when a member is unknown or empty (an empty
// array or object is written back only when its key is in `order`). While
// the keys come in canonical order, the ones seen are a set of bits: a
// million objects each cost no list of their keys. `Known` is a constexpr
// array, so each key is compared with constants of known length.
template <const auto& Known>
class KeyOrder {
  static constexpr std::size_t N = Known.size();
  static_assert(N <= 32);

public:
  // Returns the key's rank in `Known`, or N when unknown. Inlined: it runs
  // for every member of every check-in.
  FOLLOWUP_HOT std::size_t see(std::string_view key) {
    const std::size_t rank = rank_of(key, std::make_index_sequence<N>());
    if (canonical_ && (rank == N || rank < last_)) not_canonical();
    if (!canonical_) order_.push_back(key);
    if (rank < N) {
      if (seen(rank)) duplicate_ = key;
      seen_ |= std::uint32_t{1} << rank;
      last_ = rank;
    }
    return rank;
  }
  // From here on every key is listed. Those seen so far, all known and in
  // canonical order, are the bits set.
  void not_canonical() {
    if (!canonical_) return;
    canonical_ = false;
    for (std::size_t r = 0; r < N; ++r)
      if (seen(r)) order_.push_back(Known[r]);
  }
  const std::optional<std::string_view>& duplicate() const { return duplicate_; }
  bool seen(std::size_t rank) const { return (seen_ >> rank) & 1u; }

  void finish(Unknown& u) const {
    if (canonical_) return;
    u.edit().order.assign(order_.begin(), order_.end());
  }

private:
  template <std::size_t... I>
  FOLLOWUP_HOT static std::size_t rank_of(std::string_view key, std::index_sequence<I...>) {
    std::size_t rank = N;
    (void)((key.size() == Known[I].size() && std::memcmp(key.data(), Known[I].data(), Known[I].size()) == 0
                ? (rank = I, true)
                : false) ||
           ...);
    return rank;
  }

  std::uint32_t seen_ = 0;
  std::size_t last_ = 0;
  bool canonical_ = true;
  std::vector<std::string_view> order_; // every key, once not canonical
  std::optional<std::string_view> duplicate_;
};

inline void keep_unknown(Unknown& u, std::string_view key, Json value) {
  Json& members = u.edit().members;
  if (members.is_null()) members = Json::object();
  members[std::string(key)] = std::move(value);
}

using schema::keys_of;
using schema::rank;
using schema::Type;
namespace say = schema::say;
using schema::kCheckIn;
using schema::kContact;
using schema::kPlan;
using schema::kRule;

// After an object's members: no key twice, every required one there.
template <const auto& Members, class P>
void check_members(const Reader& r, const KeyOrder<keys_of<Members>>& keys, const P& place) {
  if (keys.duplicate()) r.fail(say::twice(*keys.duplicate()), place);
  for (std::size_t i = 0; i < Members.size(); ++i)
    if (Members[i].required && !keys.seen(i)) r.fail(say::missing(Members[i].key), place);
}

// A string of type `t` whose text must pass schema::problem_with.
template <class P>
std::string checked_str(Reader& r, Type t, const P& place) {
  std::string s = r.str(place);
  if (auto problem = schema::problem_with(t, s)) r.fail(*problem, place);
  return s;
}

// What a summary load keeps of a check-in while reading it: its date, kind

} // namespace followup::loader
