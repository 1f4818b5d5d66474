#include <doctest/doctest.h>

#include <filesystem>
#include <optional>
#include <regex>
#include <set>

#include "run.hpp"

using namespace e2e;

namespace {

const char* const kBook = R"({
  "followup": 1,
  "rules": [{"name": "family", "match": "tag:family", "every": "2w"},
            {"name": "clients", "match": "tag:client", "every": "3m"}],
  "contacts": [
    {"id": "ana-lopez", "name": "Ana López", "tags": ["soccer", "friend"],
     "interactions": [{"date": "2026-10-01", "kind": "coffee"}]},
    {"id": "mike-reno", "name": "Mike Reno", "tags": ["client"]},
    {"id": "mei-tanaka", "name": "Mei Tanaka", "tags": ["client", "vip"]}
  ]
})";

// A folder on PATH where `followup` is the binary under test, as the
// scripts call it by name.
struct Shell {
  TempDir dir;
  Shell() { std::filesystem::create_symlink(binary(), dir / "followup"); }
  Env env(const std::string& book) const {
    return {{"PATH", dir.path().string() + ":/usr/bin:/bin"}, {"FOLLOWUP_FILE", book}};
  }
};

std::optional<std::string> find_program(const std::string& name) {
  for (const char* folder : {"/usr/bin/", "/bin/", "/usr/local/bin/"})
    if (std::filesystem::exists(folder + name)) return folder + name;
  return std::nullopt;
}

// Sources the bash script in a bare bash, then runs the completion function
// for each line (completing at its end) and prints COMPREPLY on one line.
const char* const kBashDriver = R"(
source "$1" || exit 9
shift
complete -p followup
for line in "$@"; do
  COMP_LINE=$line
  COMP_POINT=${#line}
  read -ra COMP_WORDS <<<"$line"
  [[ $line == *' ' ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _followup
  echo "${COMPREPLY[*]}"
done
)";

// Completes lines as a user at a terminal does, in zsh: $1 is the shell
// (bash or zsh), $2 its completion script, $3 a file for the results, then
// the lines. Types each line and a TAB into the interactive shell on a
// pseudo-terminal (zpty), then ^T, bound to write the line as the completion
// left it to $3, then ^U to clear it; prints the lines written.
const char* const kTerminalDriver = R"ZSH(zmodload zsh/zpty || exit 9
local shell=$1 script=$2 out=$3 line
shift 3
: >$out
if [[ $shell == bash ]]; then
  zpty s bash --norc --noprofile -i
  zpty -w s "set -o emacs; source ${(q)script}; bind -x '\"\\C-t\": printf \"%s\\n\" \"\$READLINE_LINE\" >>${(q)out}'; echo ready >>${(q)out}"
else
  zpty s zsh -f -i
  zpty -w s "bindkey -e; autoload -Uz compinit && compinit -u -D; source ${(q)script}"
  zpty -w s "_followup_show() { print -r -- \$BUFFER >>${(q)out} }; zle -N _followup_show; bindkey '^T' _followup_show; print ready >>${(q)out}"
fi
# Each step waits for its line in $3: keys typed while the shell runs a
# command reach the terminal in cooked mode, where ^U erases them.
local -a done
local -i n=1 tries
wait_for() {
  for (( tries = 0; tries < 100; tries++ )); do
    done=(${(f)"$(<$out)"})
    (( $#done >= n )) && return
    sleep 0.1
  done
}
wait_for
for line in "$@"; do
  zpty -w -n s "$line"$'\t\x14\x15'
  (( n++ ))
  wait_for
done
zpty -d s
(( $#done == $# + 1 )) || { print -u2 "only $(( $#done - 1 )) of $# lines completed"; exit 1 }
print -rl -- "${(@)done[2,-1]}"
)ZSH";

std::vector<std::string> subcommands_in_help() {
  Result r = run({"--help"});
  std::vector<std::string> names;
  bool in_list = false;
  for (const auto& l : lines(r.out)) {
    if (l.rfind("Subcommands:", 0) == 0) in_list = true;
    else if (in_list && l.size() > 2 && l[0] == ' ' && l[2] != ' ') names.push_back(l.substr(2, l.find(' ', 2) - 2));
  }
  return names;
}

// The long options in the option column of `followup ARGS --help`.
std::vector<std::string> long_options(const std::vector<std::string>& args) {
  std::vector<std::string> with_help = args;
  with_help.push_back("--help");
  std::vector<std::string> out;
  static const std::regex option(R"(^  (?:-[a-zA-Z],)?--([a-z][a-z-]*))");
  std::smatch m;
  for (const auto& l : lines(run(with_help).out))
    if (std::regex_search(l, m, option) && m[1] != "help" && m[1] != "version") out.push_back(m[1]);
  return out;
}

// `--dry-run` as roff writes it: \-\-dry\-run.
std::string roff_option(const std::string& name) {
  std::string out = "\\-\\-";
  for (char ch : name) out += ch == '-' ? std::string("\\-") : std::string(1, ch);
  return out;
}

// The text of a man page section `.SS NAME` up to the next heading.
std::string man_section(const std::string& man, const std::string& name) {
  auto start = man.find("\n.SS " + name + "\n");
  if (start == std::string::npos) return {};
  auto end = man.find("\n.S", start + 1);
  return man.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

} // namespace

TEST_CASE("completion: __complete lists ids, names, kinds, tags and rules of the book") {
  Book b;
  b.write(kBook);
  CHECK(b({"__complete", "contacts"}).out == "ana-lopez\nmike-reno\nmei-tanaka\n");
  CHECK(b({"__complete", "contacts", "--with-names"}).out ==
        "ana-lopez\tAna López\nmike-reno\tMike Reno\nmei-tanaka\tMei Tanaka\n");
  CHECK(b({"__complete", "contacts", "--", "mi"}).out == "mike-reno\n");
  // No id starts with it: names and their words, accents and case folded.
  CHECK(b({"__complete", "contacts", "--", "LOP"}).out == "ana-lopez\n");
  CHECK(b({"__complete", "contacts", "--", "tan"}).out == "mei-tanaka\n");
  CHECK(b({"__complete", "contacts", "--", "xyz"}).out == "");
  // --names (bash, after a quote): names only, matched by their words.
  CHECK(b({"__complete", "contacts", "--names", "--", "ana l"}).out == "Ana López\n");
  CHECK(b({"__complete", "contacts", "--names", "--", "T"}).out == "Mei Tanaka\n");
  CHECK(b({"__complete", "contacts", "--names", "--", "mike-"}).out == "");
  CHECK(b({"__complete", "kinds"}).out == "call\nvisit\nmeeting\nemail\nmessage\nvoicemail\nno-answer\ncoffee\n");
  CHECK(b({"__complete", "tags"}).out == "client\nfriend\nsoccer\nvip\n");
  CHECK(b({"__complete", "rules"}).out == "family\nclients\n");
}

TEST_CASE("completion: __complete is quiet on a missing or broken book and hidden from --help") {
  Book b;
  Result r = b({"__complete", "contacts"});
  CHECK(r.code == 0);
  CHECK(r.out == "");
  CHECK(b({"__complete", "kinds"}).out == "call\nvisit\nmeeting\nemail\nmessage\nvoicemail\nno-answer\n");
  b.write("{ not json");
  r = b({"__complete", "contacts"});
  CHECK(r.code == 0);
  CHECK(r.out == "");
  CHECK(r.err == "");
  CHECK(run({"--help"}).out.find("__complete") == std::string::npos);
}

TEST_CASE("completion: an unknown shell is a usage error") {
  Result r = run({"completion", "powershell"});
  CHECK(r.code == 64);
  CHECK(r.out == "");
  CHECK(run({"completion"}).code == 64);
}

TEST_CASE("completion: the bash script completes commands, options, values and contacts in a real bash") {
  Shell sh;
  Book b, other;
  b.write(kBook);
  other.write(R"({"followup": 1, "contacts": [{"id": "zed", "name": "Zed"}]})");
  Result script = run({"completion", "bash"});
  REQUIRE(script.code == 0);
  write_file(sh.dir / "followup.bash", script.out);

  std::vector<std::string> argv{"/bin/bash", "--norc", "--noprofile", "-c", kBashDriver, "bash",
                                (sh.dir / "followup.bash").string(),
                                "followup ",
                                "followup l",
                                "followup log ",
                                "followup log ana-lopez ",
                                "followup log lop",
                                "followup due --format ",
                                "followup due --format=j",
                                "followup list --status ",
                                "followup log --kind c",
                                "followup edit ana --add-tag ",
                                "followup rules ",
                                "followup rules rm ",
                                "followup rules add x --before ",
                                "followup export --to ",
                                "followup completion ",
                                "followup --file " + other.file.string() + " log ",
                                "followup show -f " + other.file.string() + " ",
                                "followup snooze --f",
                                "followup --color "};
  Result r = run_program(argv, sh.env(b.file.string()));
  INFO("bash stderr: " << r.err);
  REQUIRE(r.code == 0);
  CHECK(lines(r.out) == std::vector<std::string>{
                            "complete -F _followup followup",
                            "add log due history snooze unsnooze list search show edit rm tag rules check undo import "
                            "export merge merge-driver resolve git-setup sync plan unplan assign brief completion",
                            "log list",
                            "ana-lopez mike-reno mei-tanaka",
                            "ana-lopez mike-reno mei-tanaka",
                            "ana-lopez",
                            "table tsv csv json jsonl",
                            "json jsonl",
                            "due soon ok snoozed never",
                            "call coffee",
                            "client friend soccer vip",
                            "test add rm",
                            "family clients",
                            "family clients",
                            "vcard csv json ics",
                            "bash zsh fish",
                            "zed",
                            "zed",
                            "--for --file",
                            "auto always never",
                        });
}

// Names that need quoting, and two contacts found by one word of their names.
const char* const kNamesBook = R"({
  "followup": 1,
  "contacts": [
    {"id": "ana-lopez", "name": "Ana López"},
    {"id": "mike-reno", "name": "Mike Reno"},
    {"id": "mei-tanaka", "name": "Mei Tanaka"},
    {"id": "tom-reno", "name": "Tom Reno"},
    {"id": "sean-obrien", "name": "Seán O'Brien \"Junior\" $HOME"}
  ]
})";

// The lines as the shell's completion of a TAB at their end leaves them.
std::vector<std::string> complete_at_terminal(const std::string& shell, const std::vector<std::string>& typed) {
  auto zsh = find_program("zsh");
  REQUIRE_MESSAGE(zsh.has_value(), "zsh is not installed, so completion at a terminal cannot be tried: install zsh "
                                   "(the README's quick start does)");
  Shell sh;
  Book b;
  b.write(kNamesBook);
  Result script = run({"completion", shell});
  REQUIRE(script.code == 0);
  write_file(sh.dir / "script", script.out);
  std::vector<std::string> argv{*zsh, "-f", "-c", kTerminalDriver, "zsh", shell, (sh.dir / "script").string(),
                                (sh.dir / "completed").string()};
  argv.insert(argv.end(), typed.begin(), typed.end());
  Env env = sh.env(b.file.string());
  env["INPUTRC"] = "/dev/null";
  Result r = run_program(argv, env);
  INFO("driver stderr: " << r.err);
  REQUIRE(r.code == 0);
  return lines(r.out);
}

TEST_CASE("completion: zsh completes a word of a name, accents and case folded, as bash does") {
  CHECK(complete_at_terminal("zsh", {"followup log lop", "followup log LÓP", "followup log tan", "followup log mi",
                                     "followup log ren", "followup due --format js"}) ==
        std::vector<std::string>{
            "followup log ana-lopez ",
            "followup log ana-lopez ",
            "followup log mei-tanaka ",
            "followup log mike-reno ",
            "followup log ren", // two: listed, and the word is left as typed
            "followup due --format json",
        });
}

TEST_CASE("completion: bash completes a name after an opening quote, quoted for it") {
  CHECK(complete_at_terminal("bash", {"followup log lop", "followup log \"Ana L", "followup log 'ana",
                                      "followup log \"o'b", "followup log 'Seán", "followup log \"ren"}) ==
        std::vector<std::string>{
            "followup log ana-lopez ",
            "followup log \"Ana López\" ",
            "followup log 'Ana López' ",
            "followup log \"Seán O'Brien \\\"Junior\\\" \\$HOME\" ",
            "followup log 'Seán O'\\''Brien \"Junior\" $HOME' ",
            "followup log \"ren",
        });
}

TEST_CASE("completion: the zsh script") {
  Result r = run({"completion", "zsh"});
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("#compdef followup\n", 0) == 0);
  CHECK(r.out.find("__complete contacts --with-names") != std::string::npos);
  CHECK(r.out.find("'(-o --format)'{-o,--format=}'[") != std::string::npos);
  CHECK(r.out.find(":format:(table tsv csv json jsonl)'") != std::string::npos);
  for (const auto& name : subcommands_in_help()) CHECK(r.out.find("    '" + name + ":") != std::string::npos);
  auto zsh = find_program("zsh");
  REQUIRE_MESSAGE(zsh.has_value(), "zsh is not installed, so the zsh script's syntax cannot be checked: install zsh "
                       "(the README's quick start does)");
  TempDir dir;
  write_file(dir / "_followup", r.out);
  Result check = run_program({*zsh, "-n", (dir / "_followup").string()});
  INFO("zsh -n: " << check.err);
  CHECK(check.code == 0);
}

TEST_CASE("completion: the fish script") {
  Result r = run({"completion", "fish"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("complete -c followup -n '__followup_is due' -s o -l format -x -a 'table tsv csv json jsonl'") !=
        std::string::npos);
  CHECK(r.out.find("(__followup_topic contacts --with-names)") != std::string::npos);
  for (const auto& name : subcommands_in_help())
    CHECK(r.out.find("-n '__followup_is ' -a " + name + " ") != std::string::npos);
  auto fish = find_program("fish");
  REQUIRE_MESSAGE(fish.has_value(), "fish is not installed, so the fish script's syntax cannot be checked: install fish "
                        "(the README's quick start does)");
  Shell sh;
  Book b;
  b.write(kBook);
  write_file(sh.dir / "followup.fish", r.out);
  Result check = run_program({*fish, "-n", (sh.dir / "followup.fish").string()});
  INFO("fish -n: " << check.err);
  CHECK(check.code == 0);
  // fish can run a completion without a terminal: `complete -C LINE`.
  std::string drive = "source " + (sh.dir / "followup.fish").string() +
                      "; complete -C 'followup log m'; complete -C 'followup due --format j'";
  Result done = run_program({*fish, "--no-config", "-c", drive}, sh.env(b.file.string()));
  INFO("fish stderr: " << done.err);
  CHECK(done.out == "mei-tanaka\tMei Tanaka\nmike-reno\tMike Reno\njson\njsonl\n"); // fish sorts
}

TEST_CASE("completion: every command and option in --help is completed and in the man page") {
  std::string man = read_file(source_dir() + "/docs/followup.1");
  REQUIRE_FALSE(man.empty());
  std::string bash = run({"completion", "bash"}).out;
  std::vector<std::string> commands = subcommands_in_help();
  REQUIRE(commands.size() >= 17);
  for (const auto& name : commands) {
    INFO("command " << name);
    CHECK(bash.find(" " + name + " ") != std::string::npos);
    std::string section = man_section(man, name);
    CHECK_MESSAGE(!section.empty(), "docs/followup.1 has no `.SS " << name << "` section");
    std::vector<std::vector<std::string>> helps{{name}};
    if (name == "rules")
      for (const char* sub : {"test", "add", "rm"}) helps.push_back({name, sub});
    for (const auto& args : helps)
      for (const auto& opt : long_options(args)) {
        INFO("option --" << opt << " of " << args.back());
        CHECK(section.find(roff_option(opt)) != std::string::npos);
        CHECK(bash.find("--" + opt) != std::string::npos);
      }
  }
  for (const auto& opt : long_options({})) CHECK(man.find(roff_option(opt)) != std::string::npos);
}
