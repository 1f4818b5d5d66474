// The match language's text (SPEC §3), both ways: a lexer and
// recursive-descent parser into the immutable tree of expr_tree.hpp, the
// trees `--owner` and `both` build, and printing a tree back (`to_string`).
// What a tree means for a contact is expr_eval.cpp.
//
// Recursion is safe: the parser caps nesting (parentheses and `not`) at
// kMaxDepth, and `and`/`or` chains are n-ary nodes rather than deep binary
// trees, so every tree is shallow whatever the length of the input.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

#include "rules/expr_tree.hpp"
#include "followup/model/error.hpp"
#include "followup/text/text.hpp"

namespace followup {

using namespace expr_detail;

namespace {

constexpr int kMaxDepth = 200;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool ends_word(char c) { return is_space(c) || c == '(' || c == ')'; }

enum class Tok { lparen, rparen, kw_and, kw_or, kw_not, term, end };

struct Token {
  Tok type = Tok::end;
  std::size_t start = 0; // byte offset into the text
  std::string_view raw;
};

struct Part {
  std::string text;
  bool quoted = false;
};

class Parser {
public:
  explicit Parser(std::string_view text) : text_(text) {}

  NodePtr parse() {
    advance();
    if (cur_.type == Tok::end) fail(0, "empty expression");
    NodePtr node = parse_or();
    if (cur_.type != Tok::end) fail_after_term();
    return node;
  }

private:
  std::string_view text_;
  std::size_t pos_ = 0;   // where the lexer resumes
  Token cur_;             // the lookahead token
  std::string_view prev_; // the token before cur_ (empty at the start), for messages
  int depth_ = 0;

  // Columns count UTF-8 code points, as a terminal shows them.
  [[noreturn]] void fail(std::size_t offset, std::string message) const {
    auto before = text_.substr(0, offset);
    auto chars = std::count_if(before.begin(), before.end(),
                               [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; });
    throw ExprError{static_cast<int>(chars) + 1, std::move(message)};
  }

  void advance() {
    prev_ = cur_.raw;
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    std::size_t start = pos_;
    if (pos_ == text_.size()) {
      cur_ = {Tok::end, start, {}};
    } else if (text_[pos_] == '(' || text_[pos_] == ')') {
      cur_ = {text_[pos_] == '(' ? Tok::lparen : Tok::rparen, start, text_.substr(pos_++, 1)};
    } else {
      pos_ = scan_word(start);
      auto raw = text_.substr(start, pos_ - start);
      Tok type = iequals(raw, "and") ? Tok::kw_and : iequals(raw, "or") ? Tok::kw_or
                 : iequals(raw, "not") ? Tok::kw_not : Tok::term;
      cur_ = {type, start, raw};
    }
  }

  // The end of the word at `start`: the first space or parenthesis outside
  // quotes. Only finds the extent; parse_term() gives the word its meaning.
  std::size_t scan_word(std::size_t start) const {
    std::size_t i = start, quote = 0;
    bool in_quote = false;
    while (i < text_.size()) {
      char c = text_[i];
      if (in_quote && c == '\\') {
        i = std::min(i + 2, text_.size());
        continue;
      }
      if (c == '"') {
        in_quote = !in_quote;
        quote = i;
      } else if (!in_quote && ends_word(c)) {
        break;
      }
      ++i;
    }
    if (in_quote) fail(quote, "unterminated quote");
    return i;
  }

  void enter() {
    if (++depth_ > kMaxDepth) fail(cur_.start, "expression nested too deeply");
  }

  // cur_ follows a complete term but is neither `and`, `or` nor what the
  // caller expected.
  [[noreturn]] void fail_after_term() const {
    if (cur_.type == Tok::rparen) fail(cur_.start, "unexpected \")\"");
    fail(cur_.start, fmt::format("expected \"and\" or \"or\" before \"{}\"", cur_.raw));
  }

  NodePtr parse_or() { return parse_chain(Op::or_, Tok::kw_or, &Parser::parse_and); }
  NodePtr parse_and() { return parse_chain(Op::and_, Tok::kw_and, &Parser::parse_unary); }

  // `a and b and c` becomes one node of three children, not nested pairs.
  NodePtr parse_chain(Op op, Tok separator, NodePtr (Parser::*operand)()) {
    std::vector<NodePtr> kids{(this->*operand)()};
    while (cur_.type == separator) {
      advance();
      kids.push_back((this->*operand)());
    }
    return kids.size() == 1 ? kids.front() : make_node(op, {}, {}, std::move(kids));
  }

  NodePtr parse_unary() {
    if (cur_.type == Tok::lparen || cur_.type == Tok::term) return parse_primary();
    if (cur_.type == Tok::kw_not) {
      enter();
      advance();
      NodePtr node = make_node(Op::not_, {}, {}, {parse_unary()});
      --depth_;
      return node;
    }
    // Here cur_ is `and`, `or`, `)` or the end.
    if (!prev_.empty()) fail(cur_.start, fmt::format("expected a term after \"{}\"", prev_));
    if (cur_.type == Tok::rparen) fail(cur_.start, "unexpected \")\"");
    fail(cur_.start, fmt::format("expected a term before \"{}\"", cur_.raw));
  }

  NodePtr parse_primary() {
    if (cur_.type == Tok::term) {
      NodePtr node = parse_term();
      advance();
      return node;
    }
    enter();
    advance();
    NodePtr inner = parse_or();
    if (cur_.type == Tok::end) fail(cur_.start, "missing \")\"");
    if (cur_.type != Tok::rparen) fail_after_term();
    advance();
    --depth_;
    return inner;
  }

  NodePtr parse_term() const {
    auto raw = cur_.raw;
    std::size_t start = cur_.start, end = start + raw.size();
    if (iequals(raw, "never")) return make_node(Op::never);
    if (raw == "*") return make_node(Op::all);
    if (iequals(raw, "plan")) return make_node(Op::plan);
    auto prefixed = [&](std::string_view p) { return raw.size() >= p.size() && iequals(raw.substr(0, p.size()), p); };
    for (auto [prefix, op, what] : {std::tuple{"tag:", Op::tag, "tag"}, std::tuple{"kind:", Op::kind, "kind"},
                                    std::tuple{"occasion:", Op::occasion, "occasion"}}) {
      if (!prefixed(prefix)) continue;
      std::size_t pos = start + std::string_view(prefix).size();
      Part name = read_part(pos, end, false);
      if (name.text.empty()) fail(start, fmt::format("empty {} name", what));
      return make_node(op, std::move(name.text));
    }
    if (prefixed("field:")) return parse_field(start + 6, end);
    for (auto [prefix, op] : {std::pair{"name~", Op::name_has}, std::pair{"note~", Op::note_has}}) {
      if (!prefixed(prefix)) continue;
      std::size_t pos = start + 5;
      Part text = read_part(pos, end, false);
      // `name~` is most likely a slip; `name~""` matches everyone.
      if (text.text.empty() && !text.quoted) fail(start, fmt::format("empty text after {}", prefix));
      return make_node(op, {}, std::move(text.text));
    }
    if (prefixed("owner:")) {
      std::size_t pos = start + 6;
      Part who = read_part(pos, end, false);
      if (who.text.empty()) fail(start, "empty owner name (owner:none for contacts without one)");
      // Unquoted `none` is no owner; `owner:"none"` is someone called none.
      if (!who.quoted && iequals(who.text, "none")) who.text.clear();
      return make_node(Op::owner, std::move(who.text));
    }
    fail(start, fmt::format("unknown term \"{}\" (use tag:, field:, kind:, occasion:, owner:, name~, note~, plan, never or *)", raw));
  }

  NodePtr parse_field(std::size_t pos, std::size_t end) const {
    Part key = read_part(pos, end, true);
    if (key.text.empty()) fail(cur_.start, "empty field name");
    if (pos == end) return make_node(Op::field, std::move(key.text));
    const bool substring = text_[pos] == '~';
    Part value = read_part(++pos, end, false); // skips the '=' or '~'
    // `field:k=` is most likely a slip; `field:k=""` asks for an empty value.
    if (value.text.empty() && !value.quoted)
      fail(cur_.start, fmt::format("empty {} for field {}", substring ? "text" : "value", key.text));
    return make_node(substring ? Op::field_has : Op::field, std::move(key.text), std::move(value.text));
  }

  // A name, key or value from `pos`, quoted or not, up to `end` (or to an
  // `=` or `~` when `stop_at_eq`); leaves `pos` after it.
  Part read_part(std::size_t& pos, std::size_t end, bool stop_at_eq) const {
    Part part;
    if (pos < end && text_[pos] == '"') {
      part.quoted = true;
      std::size_t quote = pos++;
      while (pos < end && text_[pos] != '"') {
        if (text_[pos] == '\\') {
          if (pos + 1 < end && (text_[pos + 1] == '"' || text_[pos + 1] == '\\')) ++pos;
          else fail(pos, "bad escape in quotes (only \\\" and \\\\ are escapes)");
        }
        part.text += text_[pos++];
      }
      if (pos == end) fail(quote, "unterminated quote"); // scan_word() rules this out
      ++pos;
      if (pos < end && !(stop_at_eq && (text_[pos] == '=' || text_[pos] == '~')))
        fail(pos, "unexpected text after closing quote");
      return part;
    }
    for (; pos < end && !(stop_at_eq && (text_[pos] == '=' || text_[pos] == '~')); ++pos) {
      if (text_[pos] == '"') fail(pos, "unexpected quote (quotes go around a whole name or value)");
      part.text += text_[pos];
    }
    return part;
  }
};

// ---- printing ----

int precedence(Op op) {
  switch (op) {
  case Op::or_: return 1;
  case Op::and_: return 2;
  case Op::not_: return 3;
  default: return 4;
  }
}

std::string quoted_if_needed(const std::string& s, bool is_key) {
  bool plain = !s.empty() && std::none_of(s.begin(), s.end(), [&](char c) {
    return ends_word(c) || c == '"' || (is_key && (c == '=' || c == '~'));
  });
  if (plain) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

void render(const ExprNode& n, std::string& out) {
  auto kid = [&](const ExprNode& k) {
    bool parens = precedence(k.op) < precedence(n.op);
    if (parens) out += '(';
    render(k, out);
    if (parens) out += ')';
  };
  switch (n.op) {
  case Op::all: out += '*'; break;
  case Op::never: out += "never"; break;
  case Op::tag: out += "tag:" + quoted_if_needed(n.name, false); break;
  case Op::kind: out += "kind:" + quoted_if_needed(n.name, false); break;
  case Op::plan: out += "plan"; break;
  case Op::occasion: out += "occasion:" + quoted_if_needed(n.name, false); break;
  case Op::owner:
    out += "owner:";
    out += n.name.empty() ? "none" : iequals(n.name, "none") ? "\"" + n.name + "\"" : quoted_if_needed(n.name, false);
    break;
  case Op::field:
    out += "field:" + quoted_if_needed(n.name, true);
    if (n.value) out += "=" + quoted_if_needed(*n.value, false);
    break;
  case Op::field_has: out += "field:" + quoted_if_needed(n.name, true) + "~" + quoted_if_needed(*n.value, false); break;
  case Op::name_has: out += "name~" + quoted_if_needed(*n.value, false); break;
  case Op::note_has: out += "note~" + quoted_if_needed(*n.value, false); break;
  case Op::not_:
    out += "not ";
    kid(*n.kids.front());
    break;
  case Op::and_:
  case Op::or_:
    for (std::size_t i = 0; i < n.kids.size(); ++i) {
      if (i > 0) out += n.op == Op::and_ ? " and " : " or ";
      kid(*n.kids[i]);
    }
    break;
  }
}

} // namespace

Expr::Expr() : root(make_node(Op::all)) {}

std::string Expr::to_string() const {
  std::string out;
  render(root_of(*this), out);
  return out;
}

Expr parse_expr(std::string_view text) {
  Expr e;
  e.root = Parser(text).parse();
  return e;
}

Expr owners_expr(const std::vector<std::string>& owners) {
  std::vector<NodePtr> kids;
  for (const std::string& who : owners) kids.push_back(make_node(Op::owner, iequals(who, "none") ? "" : who));
  Expr e;
  if (kids.size() == 1) e.root = kids.front();
  else if (!kids.empty()) e.root = make_node(Op::or_, {}, {}, std::move(kids));
  return e;
}

Expr both(const Expr& a, const Expr& b) {
  Expr e;
  e.root = make_node(Op::and_, {}, {}, {a.root ? a.root : make_node(Op::all), b.root ? b.root : make_node(Op::all)});
  return e;
}

Expr parse_expr_option(std::string_view text, std::string_view where) {
  try {
    return parse_expr(text);
  } catch (const ExprError& err) {
    throw_usage(fmt::format("bad expression at column {}: {}", err.column, err.message), std::string(where));
  }
}

} // namespace followup
