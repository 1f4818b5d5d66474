// followup completion bash|zsh|fish: a completion script generated from the
// command tree itself (so a new option is completed without touching this
// file), and the hidden `followup __complete TOPIC` the scripts call for the
// contact ids, kinds, tags and rule names of the current book.
#include <algorithm>
#include <cctype>
#include <functional>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "commands.hpp"
#include "followup/rules/cadence.hpp"
#include "followup/model/error.hpp"
#include "followup/output/format.hpp"
#include "followup/text/text.hpp"

namespace followup::cli {
namespace {

// What an option's value (or a command's positional) completes to.
struct Values {
  enum Kind { none, text, words, topic, files } kind = none;
  std::string list; // words: the words; topic: contacts, kinds, tags, rules or owners
};

struct OptionSpec {
  std::vector<std::string> names; // -k, --kind
  std::string help;
  bool repeat = false;
  Values value; // none for a flag
};

struct CommandSpec {
  std::string path; // "" for followup itself, "rules add"
  std::string name, help;
  std::vector<OptionSpec> options;
  Values positional;
  bool positional_repeat = false;
  std::vector<CommandSpec> subs;
};

// `path` is the command: a few options mean one thing on one command.
Values value_of_option(const std::string& path, const std::string& long_name) {
  if (path == "assign" && long_name == "to") return {Values::topic, "owners"};
  if (path == "brief" && long_name == "format") return {Values::words, "text md"};
  static const std::vector<std::pair<std::string, Values>> table{
      {"format", {Values::words, "table tsv csv json jsonl"}}, {"status", {Values::words, "due soon ok snoozed never"}},
      {"sort", {Values::words, "name due last added"}},        {"to", {Values::words, "vcard csv json ics"}},
      {"from", {Values::words, "vcard csv"}},                  {"color", {Values::words, "auto always never"}},
      {"on-conflict", {Values::words, "update skip"}},         {"kind", {Values::topic, "kinds"}},
      {"counts", {Values::topic, "kinds"}},                    {"tag", {Values::topic, "tags"}},
      {"attempts", {Values::topic, "kinds"}},
      {"add-tag", {Values::topic, "tags"}},                    {"rm-tag", {Values::topic, "tags"}},
      {"add", {Values::topic, "tags"}},                        {"rm", {Values::topic, "tags"}},
      {"before", {Values::topic, "rules"}},                    {"file", {Values::files, ""}},
      {"owner", {Values::topic, "owners"}}};
  for (const auto& [name, v] : table)
    if (name == long_name) return v;
  return {Values::text, ""};
}

Values value_of_positional(const std::string& path, const std::string& name) {
  if (name == "CONTACT" || name == "CONTACT... DATE") return {Values::topic, "contacts"};
  if (name == "FILE" || name == "BASE" || name == "OURS" || name == "THEIRS") return {Values::files, ""};
  if (name == "SHELL") return {Values::words, "bash zsh fish"};
  if (path == "rules rm") return {Values::topic, "rules"};
  return {Values::text, ""};
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

CommandSpec spec_of(const CLI::App& app, const std::string& path) {
  CommandSpec s{path, app.get_name(), first_line(app.get_description()), {}, {}, false, {}};
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_positional()) {
      s.positional = value_of_positional(path, opt->get_name());
      s.positional_repeat = opt->get_expected_max() > 1;
      continue;
    }
    OptionSpec o;
    for (const auto& n : opt->get_snames()) o.names.push_back("-" + n);
    for (const auto& n : opt->get_lnames()) o.names.push_back("--" + n);
    o.help = first_line(opt->get_description());
    o.repeat = opt->get_expected_max() > 1;
    bool flag = opt->get_expected_max() == 0; // add_flag sets expected(0)
    if (!flag) o.value = value_of_option(path, opt->get_lnames().empty() ? "" : opt->get_lnames().front());
    s.options.push_back(std::move(o));
  }
  // Hidden commands (group "") and CLI11's nameless option groups are left out.
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty() && !a->get_name().empty(); }))
    s.subs.push_back(spec_of(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name()));
  return s;
}

void walk(const CommandSpec& c, const std::function<void(const CommandSpec&)>& f) {
  f(c);
  for (const auto& s : c.subs) walk(s, f);
}

std::string sub_names(const CommandSpec& c) {
  std::vector<std::string> names;
  for (const auto& s : c.subs) names.push_back(s.name);
  return join(names, " ");
}

// Global options are accepted after the command too (fallthrough).
std::vector<OptionSpec> with_globals(const CommandSpec& c, const CommandSpec& root) {
  std::vector<OptionSpec> all = c.options;
  if (c.path.empty()) return all;
  for (const auto& g : root.options)
    if (g.names.back() != "--help" && g.names.back() != "--version") all.push_back(g);
  return all;
}

std::string value_tag(const Values& v) {
  switch (v.kind) {
  case Values::words: return "words:" + v.list;
  case Values::topic: return "topic:" + v.list;
  case Values::files: return "files";
  default: return "text";
  }
}

// --- bash -------------------------------------------------------------------

const char* const kBashMain = R"SH(
_followup_complete_value() {  # $1: words:LIST, topic:TOPIC, files or text
  case $1 in
    words:*) COMPREPLY=($(compgen -W "${1#words:}" -- "$cur")) ;;
    topic:contacts) _followup_contacts ;;
    topic:*) COMPREPLY=($(compgen -W "$(followup "${book[@]}" __complete "${1#topic:}" 2>/dev/null)" -- "$cur")) ;;
    files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
  esac
}

_followup_contacts() {  # ids; after an opening quote, names, quoted for it
  local quote=${cur:0:1} name
  if [[ $quote != [\"\'] ]]; then
    mapfile -t COMPREPLY < <(followup "${book[@]}" __complete contacts -- "$cur" 2>/dev/null)
    return
  fi
  # Readline replaces what follows the quote and closes it after a single
  # match; what it puts there is not quoted for us (it only quotes file
  # names): in double quotes \ " $ ` take a backslash, in single quotes a '
  # is written '\''.
  COMPREPLY=()
  while IFS= read -r name; do
    if [[ $quote == \" ]]; then
      name=${name//\\/\\\\}; name=${name//\"/\\\"}; name=${name//\$/\\\$}; name=${name//\`/\\\`}
    else
      name=${name//\'/\'\\\'\'}
    fi
    COMPREPLY+=("$name")
  done < <(followup "${book[@]}" __complete contacts --names -- "${cur:1}" 2>/dev/null)
}

_followup() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev="" opt="" path="" spec w i
  local -a book=()
  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD-1]}
  # Walk the words before the cursor: the command path, skipping options and
  # their values; note a --file for `followup __complete`.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    case $w in
      --file=*) book=(--file "${w#--file=}") ;;
      -*) if _followup_value "$path" "$w" >/dev/null; then
            [[ ${COMP_WORDS[i+1]} == = ]] && ((i++))
            ((i + 1 < COMP_CWORD)) && [[ $w == -f || $w == --file ]] && book=(--file "${COMP_WORDS[i+1]/#\~/$HOME}")
            ((i++))
          fi ;;
      =) ;;
      *) [[ " $(_followup_commands "$path") " == *" $w "* ]] && path=${path:+$path }$w ;;
    esac
  done
  if [[ $cur == --*=* ]]; then opt=${cur%%=*}; cur=${cur#*=}
  elif [[ $cur == = && $prev == -* ]]; then opt=$prev; cur=""
  elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then opt=${COMP_WORDS[COMP_CWORD-2]}
  elif [[ $prev == -* ]]; then opt=$prev
  fi
  if [[ -n $opt ]] && spec=$(_followup_value "$path" "$opt"); then
    _followup_complete_value "$spec"
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_followup_options "$path")" -- "$cur"))
  elif [[ -n $(_followup_commands "$path") ]]; then
    COMPREPLY=($(compgen -W "$(_followup_commands "$path")" -- "$cur"))
  elif spec=$(_followup_positional "$path"); then
    _followup_complete_value "$spec"
  fi
}

complete -F _followup followup
)SH";

std::string bash_script(const CommandSpec& root) {
  std::string commands, options, values, positionals;
  walk(root, [&](const CommandSpec& c) {
    if (!c.subs.empty()) commands += fmt::format("    '{}') echo '{}' ;;\n", c.path, sub_names(c));
    std::vector<std::string> names;
    for (const auto& o : with_globals(c, root)) names.insert(names.end(), o.names.begin(), o.names.end());
    for (const auto& o : c.options) {
      if (o.value.kind == Values::none) continue;
      // The global options (the root's) apply on every command path.
      std::vector<std::string> patterns;
      for (const auto& n : o.names) patterns.push_back(c.path.empty() ? "*'|" + n + "'" : fmt::format("'{}|{}'", c.path, n));
      values += fmt::format("    {}) echo '{}' ;;\n", join(patterns, "|"), value_tag(o.value));
    }
    options += fmt::format("    '{}') echo '{}' ;;\n", c.path, join(names, " "));
    if (c.positional.kind != Values::none && c.positional.kind != Values::text)
      positionals += fmt::format("    '{}') echo '{}' ;;\n", c.path, value_tag(c.positional));
  });
  auto function = [](const char* name, const char* what, const std::string& cases, const char* key) {
    return fmt::format("{}() {{  # {}\n  case {} in\n{}    *) return 1 ;;\n  esac\n}}\n\n", name, what, key, cases);
  };
  return "# bash completion for followup                          -*- shell-script -*-\n"
         "# Generated by `followup completion bash`. Install it with\n"
         "#   followup completion bash > ~/.local/share/bash-completion/completions/followup\n"
         "# or add `source <(followup completion bash)` to ~/.bashrc.\n\n" +
         function("_followup_commands", "the sub-commands of command path $1", commands, "$1") +
         function("_followup_options", "the options of command path $1", options, "$1") +
         function("_followup_value", "what the value of option $2 of command path $1 completes to", values,
                  "\"$1|$2\"") +
         function("_followup_positional", "what the arguments of command path $1 complete to", positionals, "$1") +
         std::string(kBashMain + 1);
}

// --- zsh --------------------------------------------------------------------

// For a single-quoted word; in an _arguments [description] brackets and
// backslashes are quoted too.
std::string zsh_quote(std::string_view s, bool brackets) {
  std::string out;
  for (char ch : s) {
    if (ch == '\'') out += "'\\''";
    else if (brackets && (ch == '[' || ch == ']' || ch == '\\')) out += std::string("\\") + ch;
    else out += ch;
  }
  return out;
}

std::string zsh_action(const Values& v, const std::string& message) {
  switch (v.kind) {
  case Values::words: return fmt::format(":{}:({})", message, v.list);
  case Values::topic: return fmt::format(":{}:_followup_{}", message, v.list == "contacts" ? "contacts" : "topic " + v.list);
  case Values::files: return fmt::format(":{}:_files", message);
  case Values::text: return fmt::format(":{}: ", message);
  default: return "";
  }
}

std::string zsh_option(const OptionSpec& o) {
  std::vector<std::string> forms = o.names; // `--to=` also accepts `--to=ics`
  for (auto& f : forms)
    if (o.value.kind != Values::none && f.size() > 2) f += '=';
  std::string names = forms.size() == 1 ? forms[0] : "{" + join(forms, ",") + "}";
  std::string prefix = o.repeat ? "'*'" : o.names.size() == 1 ? "" : "'(" + join(o.names, " ") + ")'";
  std::string message = o.names.back().substr(o.names.back().find_first_not_of('-'));
  return fmt::format("    {}{}'[{}]{}'", prefix, names, zsh_quote(o.help, true), zsh_action(o.value, message));
}

std::string zsh_function(const CommandSpec& c, const CommandSpec& root) {
  std::string fname = "_followup_cmd" + (c.path.empty() ? "" : "_" + c.path);
  std::replace(fname.begin(), fname.end(), ' ', '_');
  std::vector<std::string> specs;
  for (const auto& o : with_globals(c, root)) specs.push_back(zsh_option(o));
  if (!c.subs.empty()) {
    specs.push_back("    '1: :->command' '*:: :->args'");
  } else if (c.positional.kind != Values::none) {
    std::string what = c.positional.kind == Values::topic ? c.positional.list : "argument";
    if (what.back() == 's') what.pop_back(); // contact, rule
    specs.push_back(fmt::format("    '{}{}'", c.positional_repeat ? "*" : "1", zsh_action(c.positional, what)));
  }
  std::string out = fmt::format("{}() {{\n  local curcontext=$curcontext state line\n  _arguments -C -s -S \\\n{}\n",
                                fname, join(specs, " \\\n"));
  if (c.subs.empty()) return out + "}\n\n";
  std::string described, dispatch;
  for (const auto& s : c.subs) {
    described += fmt::format("    '{}:{}'\n", s.name, zsh_quote(s.help, false));
    dispatch += fmt::format("      {}) {}_{} ;;\n", s.name, fname, s.name);
  }
  return out + fmt::format("  case $state in\n    command)\n      local -a commands=(\n{}      )\n"
                           "      _describe -t commands command commands ;;\n    args)\n      case $words[1] in\n{}"
                           "      esac ;;\n  esac\n}}\n\n",
                           described, dispatch);
}

const char* const kZshHead = R"SH(#compdef followup
# zsh completion for followup. Generated by `followup completion zsh`.
# Install it as _followup in a folder of $fpath, or add
# `source <(followup completion zsh)` to ~/.zshrc after compinit.

_followup_book() {  # reply: the --file given on the line, for `followup __complete`
  reply=()
  local i
  for (( i = 2; i <= $#_followup_line; i++ )); do
    case $_followup_line[i] in
      -f|--file) (( i < $#_followup_line )) && reply=(--file "${_followup_line[i+1]/#\~/$HOME}") ;;
      --file=*) reply=(--file "${_followup_line[i]#--file=}") ;;
    esac
  done
}

_followup_topic() {  # compadd options from _arguments, then kinds, tags or rules
  local -a reply found
  _followup_book
  found=(${(f)"$(followup $reply __complete $argv[-1] 2>/dev/null)"})
  compadd "${@[1,-2]}" -a found
}

_followup_contacts() {  # ids, with the names as descriptions
  local -a reply lines items
  local l
  _followup_book
  # The word goes to followup, which matches it as bash's completion does
  # (ids, else words of names, accents and case folded: lop gives
  # ana-lopez), and -U keeps zsh from filtering the ids by the word again.
  lines=(${(f)"$(followup $reply __complete contacts --with-names -- "$PREFIX" 2>/dev/null)"})
  for l in $lines; do items+=("${l%%$'\t'*}:${l#*$'\t'}"); done
  _describe -t contacts contact items -U
  # Several ids found by their names: listed, and the word left as typed
  # (as bash does), not replaced by their common start, which may be "".
  if (( compstate[nmatches] > 1 )) && [[ -n $PREFIX && $lines[1] != ${(b)PREFIX}* ]]; then
    compstate[insert]=''
  fi
}

)SH";

std::string zsh_script(const CommandSpec& root) {
  std::string out = kZshHead;
  walk(root, [&](const CommandSpec& c) { out += zsh_function(c, root); });
  return out + "_followup() {\n  local -a _followup_line=($words)\n  _followup_cmd \"$@\"\n}\n\n"
               "if [[ $funcstack[1] == _followup ]]; then\n  _followup \"$@\"\nelse\n"
               "  compdef _followup followup\nfi\n";
}

// --- fish -------------------------------------------------------------------

std::string fish_quote(std::string_view s) {
  std::string out = "'";
  for (char ch : s) out += ch == '\'' || ch == '\\' ? std::string("\\") + ch : std::string(1, ch);
  return out + "'";
}

const char* const kFishHead = R"SH(# fish completion for followup. Generated by `followup completion fish`.
# Install: followup completion fish > ~/.config/fish/completions/followup.fish

function __followup_path --description 'The command path on the line (rules add), and the --file'
    set -l tokens (commandline -opc)
    set -l path
    set -l book
    set -l i 2
    while test $i -le (count $tokens)
        set -l t $tokens[$i]
        switch $t
            case '--file=*'
                set book --file (string replace -- --file= '' $t)
            case '-*'
                if __followup_takes_value "$path" $t
                    set i (math $i + 1)
                    contains -- $t -f --file; and test $i -le (count $tokens); and set book --file $tokens[$i]
                end
            case '*'
                __followup_is_command "$path" $t; and set path (string trim -- "$path $t")
        end
        set i (math $i + 1)
    end
    if test "$argv[1]" = book
        for b in $book
            echo $b
        end
    else
        echo $path
    end
end

function __followup_is --description 'True when the command path on the line is $argv'
    set -l path (__followup_path)
    test "$path" = "$argv"
end

function __followup_topic --description 'followup __complete $argv, with the --file on the line'
    followup (__followup_path book) __complete $argv 2>/dev/null
end

)SH";

std::string fish_line(const std::string& path, const OptionSpec& o) {
  std::string out = "complete -c followup";
  if (!path.empty()) out += " -n " + fish_quote("__followup_is " + path);
  for (const auto& n : o.names) out += (n.size() == 2 ? " -s " : " -l ") + n.substr(n.find_first_not_of('-'));
  std::string values; // on a line of their own, so they do not repeat the option's description
  switch (o.value.kind) {
  case Values::words: values = out + " -x -a " + fish_quote(o.value.list) + "\n"; [[fallthrough]];
  case Values::text: out += " -x"; break;
  case Values::topic: values = out + " -x -a " + fish_quote("(__followup_topic " + o.value.list + ")") + "\n"; out += " -x"; break;
  case Values::files: out += " -r -F"; break;
  default: break;
  }
  return out + " -d " + fish_quote(o.help) + "\n" + values;
}

std::string fish_script(const CommandSpec& root) {
  std::string is_command, takes_value, lines = "complete -c followup -f\n";
  walk(root, [&](const CommandSpec& c) {
    for (const auto& s : c.subs) {
      is_command += fmt::format(" '{}|{}'", c.path, s.name);
      lines += fmt::format("complete -c followup -n {} -a {} -d {}\n", fish_quote("__followup_is " + c.path),
                           s.name, fish_quote(s.help));
    }
    // The global options (the root's) are offered, and take values, everywhere.
    for (const auto& o : c.options) {
      if (!c.path.empty() && o.names.back() == "--help") continue; // the root's is offered everywhere
      lines += fish_line(c.path, o);
      if (o.value.kind != Values::none)
        for (const auto& n : o.names) takes_value += c.path.empty() ? " '*|" + n + "'" : fmt::format(" '{}|{}'", c.path, n);
    }
    std::string arg = c.positional.kind == Values::topic ? "-a " + fish_quote("(__followup_topic " + c.positional.list +
                                                                                  (c.positional.list == "contacts" ? " --with-names)" : ")"))
                      : c.positional.kind == Values::words ? "-a " + fish_quote(c.positional.list)
                      : c.positional.kind == Values::files ? std::string("-F")
                                                           : std::string();
    if (!arg.empty()) lines += fmt::format("complete -c followup -n {} {}\n", fish_quote("__followup_is " + c.path), arg);
  });
  auto function = [](const char* name, const std::string& cases) {
    return fmt::format("function {}\n    switch \"$argv[1]|$argv[2]\"\n        case{}\n            return 0\n"
                       "    end\n    return 1\nend\n\n", name, cases);
  };
  return kFishHead + function("__followup_is_command", is_command) + function("__followup_takes_value", takes_value) +
         lines;
}

// --- followup __complete ----------------------------------------------------

struct CompleteOptions {
  std::string topic;
  std::string word;
  bool with_names = false;
  bool names = false;
};

bool word_prefix(const std::string& name, const std::string& prefix) {
  std::string folded = fold(name);
  for (std::size_t i = 0; i < folded.size(); ++i) {
    bool starts = i == 0 || !std::isalnum(static_cast<unsigned char>(folded[i - 1])) ||
                  static_cast<unsigned char>(folded[i - 1]) >= 0x80;
    if (starts && folded.compare(i, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

// Ids starting with the word; when none does, the ids of contacts with a name
// (or a word of it) starting with it, accents and case folded, as CONTACT
// lookups do: `followup log lop<TAB>` gives ana-lopez.
std::vector<std::string> contact_lines(const Book& book, const CompleteOptions& o) {
  auto one_line = [](std::string name) {
    std::replace_if(name.begin(), name.end(), [](char ch) { return ch == '\t' || ch == '\n' || ch == '\r'; }, ' ');
    return name;
  };
  if (o.names) { // a quoted word: the user is typing a name, not an id
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& c : book.contacts)
      if (word_prefix(c.name, fold(o.word)) && seen.insert(c.name).second) out.push_back(one_line(c.name));
    return out;
  }
  std::vector<const Contact*> hits;
  for (const auto& c : book.contacts)
    if (c.id.compare(0, o.word.size(), o.word) == 0) hits.push_back(&c);
  if (hits.empty())
    for (const auto& c : book.contacts)
      if (word_prefix(c.name, fold(o.word))) hits.push_back(&c);
  std::vector<std::string> out;
  for (const Contact* c : hits) out.push_back(o.with_names ? c->id + "\t" + one_line(c->name) : c->id);
  return out;
}

std::vector<std::string> topic_lines(const Book& book, const CompleteOptions& o) {
  if (o.topic == "contacts") return contact_lines(book, o);
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& w) {
    if (seen.insert(lower(w)).second) out.push_back(w);
  };
  if (o.topic == "rules")
    for (const auto& r : book.rules) add(r.name);
  if (o.topic == "kinds")
    for (std::string_view k : kUsualKinds) add(std::string(k));
  std::vector<std::string> found;
  for (const auto& c : book.contacts) {
    if (o.topic == "tags") found.insert(found.end(), c.tags.begin(), c.tags.end());
    if (o.topic == "owners" && c.owner) found.push_back(*c.owner);
    if (o.topic == "kinds")
      for (const auto& it : c.interactions)
        if (it.kind) found.push_back(*it.kind);
  }
  std::sort(found.begin(), found.end());
  for (const auto& w : found) add(w);
  return out;
}

void run_complete(const CompleteOptions& o, Context& ctx) {
  Book book;
  try {
    book = ctx.store().load();
  } catch (const Error&) {
    // Completion stays quiet: a broken book completes nothing from the book.
  }
  for (const auto& line : topic_lines(book, o)) *ctx.out << line << '\n';
}

} // namespace

void setup_completion(CLI::App& app, Context& ctx) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("completion", "Print a shell completion script (bash, zsh or fish)");
  cmd->add_option("SHELL", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->callback([shell, &app, &ctx] {
    CommandSpec root = spec_of(app, "");
    *ctx.out << (*shell == "bash" ? bash_script(root) : *shell == "zsh" ? zsh_script(root) : fish_script(root));
  });

  auto o = std::make_shared<CompleteOptions>();
  auto* hidden = app.add_subcommand("__complete", "For completion scripts: contact ids, kinds, tags, rules or owners, one a line");
  hidden->group(""); // not in --help
  hidden->add_option("TOPIC", o->topic)->required()->check(CLI::IsMember({"contacts", "kinds", "tags", "rules", "owners"}));
  hidden->add_option("WORD", o->word, "contacts: only those matching this word");
  hidden->add_flag("--with-names", o->with_names, "contacts: id, a tab, and the name");
  hidden->add_flag("--names", o->names, "contacts: the names (once each) with a word starting with WORD");
  hidden->callback([o, &ctx] { run_complete(*o, ctx); });
}

} // namespace followup::cli
