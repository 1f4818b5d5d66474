// The small text helpers both parsers share: keys of multi-valued fields,
// type labels, one-line values and tags as imported.
#include <algorithm>

#include <fmt/format.h>

#include "followup/exchange/import.hpp"
#include "followup/text/text.hpp"
#include "exchange/import_merge.hpp"

namespace followup {
namespace {

bool is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v'; }

} // namespace

namespace import_detail {

// `key` is `base` or `base_<anything>`.
bool has_base(std::string_view key, std::string_view base) {
  std::string k = lower(key);
  return k == base || (k.size() > base.size() + 1 && k.compare(0, base.size(), base) == 0 && k[base.size()] == '_');
}

} // namespace import_detail

using import_detail::has_base;

void add_numbered_field(std::vector<Field>& fields, std::string_view base, std::string_view type, std::string value) {
  for (const auto& f : fields)
    if (has_base(f.key, base) && f.value == value) return;
  auto taken = [&](const std::string& key) {
    return std::any_of(fields.begin(), fields.end(), [&](const Field& f) { return iequals(f.key, key); });
  };
  // A fax or pager number is never the `phone` a caller dials first.
  const bool not_for_calls =
      base == "phone" && (type.find("fax") != std::string_view::npos || type.find("pager") != std::string_view::npos);
  std::string key(base);
  if ((taken(key) || not_for_calls) && !type.empty()) key = fmt::format("{}_{}", base, type);
  for (int n = 2; taken(key); ++n) key = fmt::format("{}_{}", base, n);
  fields.push_back(Field{std::move(key), std::move(value)});
}

std::string type_key(std::string_view label) {
  // Apple writes its built-in labels as `_$!<HomeFax>!$_`.
  if (label.size() > 8 && label.substr(0, 4) == "_$!<" && label.substr(label.size() - 4) == ">!$_")
    label = label.substr(4, label.size() - 8);
  std::string out;
  for (char ch : lower(label)) {
    bool word = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (word) out.push_back(ch);
    else if (!out.empty() && out.back() != '_') out.push_back('_');
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out == "mobile" || out == "iphone" || out == "cellular") return "cell";
  return out;
}

std::string clean_line(std::string_view text) {
  std::string out;
  for (char ch : text) {
    auto u = static_cast<unsigned char>(ch);
    bool space = is_blank(ch) || u < 0x20 || u == 0x7f;
    if (!space) out.push_back(ch);
    else if (!out.empty() && out.back() != ' ') out.push_back(' ');
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void set_field(std::vector<Field>& fields, std::string_view key, std::string value) {
  for (const auto& f : fields)
    if (iequals(f.key, key)) return;
  fields.push_back(Field{std::string(key), std::move(value)});
}

std::string import_tag(std::string_view text) {
  std::string out;
  for (char ch : clean_line(text)) {
    if (ch == ',') continue;
    out.push_back(ch == ' ' ? '-' : ch);
  }
  return lower(out);
}

} // namespace followup
