#include "followup/model/lookup.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "followup/model/error.hpp"
#include "followup/output/format.hpp"
#include "followup/text/text.hpp"

namespace followup {
namespace {

std::vector<std::string> words_of(const std::string& folded) {
  std::vector<std::string> words;
  std::string word;
  for (char ch : folded) {
    auto u = static_cast<unsigned char>(ch);
    bool ascii_other = u < 0x80 && !((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'));
    if (ascii_other) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(ch);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

[[noreturn]] void ambiguous(std::string_view query, const Book& book, const std::vector<std::size_t>& hits) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < hits.size() && i < 10; ++i) ids.push_back(book.contacts[hits[i]].id);
  std::string more = hits.size() > 10 ? fmt::format(" and {} more", hits.size() - 10) : "";
  throw Error(ErrorKind::not_found,
              fmt::format("\"{}\" matches {} contacts: {}{}", query, hits.size(), join(ids, ", "), more), "CONTACT",
              "name one by its id");
}

} // namespace

std::size_t find_contact(const Book& book, std::string_view query) {
  if (query.empty()) throw_usage("the contact name is empty");
  for (std::size_t i = 0; i < book.contacts.size(); ++i)
    if (book.contacts[i].id == query) return i;

  const std::string q = fold(query);
  std::vector<std::size_t> exact, prefix;
  for (std::size_t i = 0; i < book.contacts.size(); ++i) {
    const std::string name = fold(book.contacts[i].name);
    bool is_exact = name == q, is_prefix = starts_with(name, q);
    for (const auto& w : words_of(name)) {
      is_exact = is_exact || w == q;
      is_prefix = is_prefix || starts_with(w, q);
    }
    if (is_exact) exact.push_back(i);
    if (is_prefix) prefix.push_back(i);
  }
  // A whole-word match beats a prefix: "ana" means Ana López, not Anabel.
  if (exact.size() == 1) return exact.front();
  if (exact.size() > 1) ambiguous(query, book, exact);
  if (prefix.size() == 1) return prefix.front();
  if (prefix.size() > 1) ambiguous(query, book, prefix);
  throw Error(ErrorKind::not_found, fmt::format("no contact matches \"{}\"", query), "CONTACT",
              "`followup list` shows every contact");
}

bool contact_contains(const Contact& c, const std::string& folded_text) {
  auto has = [&](std::string_view text) { return fold(text).find(folded_text) != std::string::npos; };
  if (has(c.name) || (c.notes && has(*c.notes))) return true;
  for (const Field& f : c.fields)
    if (has(f.value)) return true;
  for (const Interaction& it : c.interactions)
    if (it.note && has(*it.note)) return true;
  return false;
}

std::vector<std::size_t> select_contacts(const Book& book, const std::vector<std::string>& queries,
                                         const std::optional<Expr>& where) {
  std::vector<std::size_t> chosen;
  for (const auto& q : queries) chosen.push_back(find_contact(book, q));
  if (where)
    for (std::size_t i = 0; i < book.contacts.size(); ++i)
      if (where->matches(book.contacts[i])) chosen.push_back(i);
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  return chosen;
}

} // namespace followup
