// followup edit CONTACT: change a contact with options, in one write; with no
// option on a terminal, as JSON in $VISUAL / $EDITOR.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "followup/model/error.hpp"
#include "followup/output/format.hpp"
#include "followup/book/json_io.hpp"
#include "followup/model/lookup.hpp"
#include "followup/text/text.hpp"
#include "validate.hpp"

namespace followup::cli {
namespace {

struct EditOptions {
  std::string contact;
  std::optional<std::string> name, id, every, counts, note, append_note, owner;
  std::vector<std::string> fields, unset_fields, add_tags, rm_tags, occasions, rm_occasions;

  bool any() const {
    return name || id || every || counts || note || append_note || !fields.empty() || !unset_fields.empty() ||
           !add_tags.empty() || !rm_tags.empty() || owner || !occasions.empty() || !rm_occasions.empty();
  }
};

// What the options say once parsed. Everything that can be checked without
// the book is checked before the lock is taken; what depends on the book (a
// taken id, a tag the contact lacks) is checked by apply(), before any write.
struct Parsed {
  std::optional<std::optional<Duration>> every; // inner nullopt: drop the override
  std::optional<std::optional<std::vector<std::string>>> counts;
  std::vector<Field> fields;
  std::vector<Occasion> occasions;
};

// Tags and field keys compare case-insensitively, as everywhere else.
template <class Items, class Key>
auto find_folded(Items& items, std::string_view wanted, Key key) {
  return std::find_if(items.begin(), items.end(), [&](const auto& x) { return iequals(key(x), wanted); });
}
const std::string& itself(const std::string& s) { return s; }
const std::string& key_of(const Field& f) { return f.key; }

Parsed check_options(const EditOptions& o) {
  Parsed p;
  if (o.name) check_name(*o.name, "--name");
  if (o.id && !is_valid_id(*o.id))
    throw_usage(fmt::format("\"{}\" is not a valid id", *o.id), "--id", "use lower-case letters, digits and '-'");
  using Kinds = std::vector<std::string>;
  if (o.every) p.every = o.every->empty() ? std::optional<Duration>() : parse_duration_option(*o.every, "--every");
  if (o.counts) p.counts = o.counts->empty() ? std::optional<Kinds>() : parse_kinds(*o.counts, "--counts");
  if (o.note) check_text(*o.note, "--note");
  if (o.append_note && o.append_note->empty()) throw_usage("the note to append is empty", "--append-note");
  if (o.append_note) check_text(*o.append_note, "--append-note");
  for (const auto& f : o.fields) {
    Field field = parse_field(f, "--field");
    if (find_folded(p.fields, field.key, key_of) != p.fields.end())
      throw_usage(fmt::format("the field \"{}\" is given twice", field.key), "--field");
    p.fields.push_back(std::move(field));
  }
  for (const auto& k : o.unset_fields) {
    check_word(k, "--unset-field");
    if (find_folded(p.fields, k, key_of) != p.fields.end())
      throw_usage(fmt::format("the field \"{}\" is both set and unset", k), "--unset-field");
  }
  for (const auto& text : o.occasions) {
    Occasion occ = parse_occasion_option(text, "--occasion");
    if (std::any_of(p.occasions.begin(), p.occasions.end(), [&](const Occasion& x) { return x.label == occ.label; }))
      throw_usage(fmt::format("the occasion \"{}\" is given twice", occ.label), "--occasion");
    p.occasions.push_back(std::move(occ));
  }
  for (const auto& label : o.rm_occasions) {
    if (!is_valid_label(label)) throw_usage(fmt::format("\"{}\" is not an occasion label", label), "--rm-occasion");
    if (std::any_of(p.occasions.begin(), p.occasions.end(), [&](const Occasion& x) { return iequals(x.label, label); }))
      throw_usage(fmt::format("the occasion \"{}\" is both set and removed", label), "--rm-occasion");
  }
  if (o.owner && !o.owner->empty()) check_name(*o.owner, "--owner");
  for (const auto& t : o.add_tags) check_word(t, "--add-tag");
  for (const auto& t : o.rm_tags) {
    check_word(t, "--rm-tag");
    if (find_folded(o.add_tags, t, itself) != o.add_tags.end())
      throw_usage(fmt::format("the tag \"{}\" is both added and removed", t), "--rm-tag");
  }
  return p;
}

void apply_notes(Contact& c, const EditOptions& o) {
  if (o.note) c.notes = o.note->empty() ? std::nullopt : o.note; // '' drops them
  if (!o.append_note) return;
  if (!c.notes || c.notes->empty()) c.notes = "";
  else if (c.notes->back() != '\n') *c.notes += '\n';
  *c.notes += *o.append_note;
}

void apply_fields(Contact& c, const EditOptions& o, const Parsed& p) {
  for (const auto& f : p.fields) {
    auto it = find_folded(c.fields, f.key, key_of);
    if (it == c.fields.end()) c.fields.push_back(f);
    else *it = f; // in place, so the file's field order is kept
  }
  for (const auto& k : o.unset_fields) {
    auto it = find_folded(c.fields, k, key_of);
    if (it == c.fields.end()) throw_usage(fmt::format("{} has no field \"{}\"", c.id, k), "--unset-field");
    c.fields.erase(it);
  }
}

void apply_occasions(Contact& c, const EditOptions& o, const Parsed& p) {
  for (const auto& occ : p.occasions) {
    auto it = std::find_if(c.occasions.begin(), c.occasions.end(), [&](const Occasion& x) { return iequals(x.label, occ.label); });
    if (it == c.occasions.end()) c.occasions.push_back(occ);
    else it->year = occ.year, it->month = occ.month, it->day = occ.day; // its label and place stay
  }
  for (const auto& label : o.rm_occasions) {
    auto it = std::find_if(c.occasions.begin(), c.occasions.end(), [&](const Occasion& x) { return iequals(x.label, label); });
    if (it == c.occasions.end()) throw_usage(fmt::format("{} has no occasion \"{}\"", c.id, label), "--rm-occasion");
    c.occasions.erase(it);
  }
}

void apply_tags(Contact& c, const EditOptions& o) {
  for (const auto& t : o.add_tags)
    if (!c.has_tag(t)) c.tags.push_back(t);
  for (const auto& t : o.rm_tags) {
    // Explicit beats lenient: a typo in a tag to remove should not pass silently.
    auto it = find_folded(c.tags, t, itself);
    if (it == c.tags.end()) throw_usage(fmt::format("{} has no tag \"{}\"", c.id, t), "--rm-tag");
    c.tags.erase(it);
  }
}

// Changes `c`, a contact of `book`. Throws Error{usage} before the caller writes anything.
void apply(Contact& c, const EditOptions& o, const Parsed& p, const Book& book) {
  if (o.name) c.name = *o.name;
  if (o.id && *o.id != c.id) {
    if (book.find_id(*o.id)) throw_usage(fmt::format("the id \"{}\" is taken", *o.id), "--id");
    c.id = *o.id; // the interactions stay with the contact: a rename keeps its history
  }
  if (p.every) c.every = *p.every;
  if (p.counts) c.counts = *p.counts;
  apply_notes(c, o);
  apply_fields(c, o, p);
  apply_occasions(c, o, p);
  if (o.owner) c.owner = o.owner->empty() ? std::nullopt : o.owner; // '' removes it
  apply_tags(c, o);
}

// The keys whose stored value differs, in the file's key order.
std::vector<std::string> changed_keys(const Contact& before, const Contact& after) {
  const Json a = contact_to_json(before), b = contact_to_json(after);
  std::vector<std::string> keys;
  auto consider = [&](const std::string& k) {
    bool same = a.contains(k) && b.contains(k) && a.at(k) == b.at(k);
    if (!same && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  };
  for (auto it = b.begin(); it != b.end(); ++it) consider(it.key());
  for (auto it = a.begin(); it != a.end(); ++it) consider(it.key());
  return keys;
}

std::string edited_message(const Contact& c, const std::vector<std::string>& keys) {
  return keys.empty() ? "Nothing changed." : fmt::format("Edited {} ({}): {}.", c.name, c.id, join(keys, ", "));
}

void run_edit_options(const EditOptions& o, Context& ctx) {
  const Parsed p = check_options(o);
  std::string message;
  ctx.store().update([&](Book& book) {
    Contact& c = book.contacts[find_contact(book, o.contact)];
    Contact edited = c;
    apply(edited, o, p, book);
    auto keys = changed_keys(c, edited);
    message = edited_message(edited, keys);
    if (!keys.empty()) c = std::move(edited);
    return !keys.empty();
  });
  *ctx.out << message << '\n';
}

// ---- the editor ----

// The editor's temp file, named *.json so that editors pick JSON mode, 0600
// as notes are private. Removed at the end unless kept: it then holds work
// the user would not want lost.
class EditFile {
public:
  EditFile(const std::string& id, const std::string& text, const std::string& tmpdir) {
    std::string pattern = fmt::format("{}/followup-{}-XXXXXX.json", tmpdir.empty() ? "/tmp" : tmpdir, id);
    int fd = ::mkstemps(pattern.data(), 5);
    if (fd < 0) throw Error(ErrorKind::cant_write, fmt::format("cannot create a temp file: {}", std::strerror(errno)), pattern);
    bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    if (::close(fd) != 0 || !written) {
      ::unlink(pattern.c_str());
      throw Error(ErrorKind::cant_write, "cannot write the temp file", pattern);
    }
    path_ = pattern;
  }
  ~EditFile() {
    if (!keep_) ::unlink(path_.c_str());
  }
  EditFile(const EditFile&) = delete;
  EditFile& operator=(const EditFile&) = delete;

  const std::string& path() const { return path_; }
  void keep() { keep_ = true; }
  std::string read() const {
    std::ifstream f(path_, std::ios::binary);
    if (!f) throw Error(ErrorKind::io, "cannot read the edited file back", path_);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }

private:
  std::string path_;
  bool keep_ = false;
};

// Testing hook: the e2e tests run without a terminal; FOLLOWUP_ASSUME_TTY=1
// lets them drive the editor path with a scripted $EDITOR. Not documented for
// users on purpose.
bool on_terminal(const Context& ctx) {
  if (ctx.env.assume_tty) return true;
  return ctx.env.stdin_is_tty && ctx.env.stdout_is_tty;
}

std::string editor_command(const Environment& env) {
  if (env.visual && !env.visual->empty()) return *env.visual;
  if (env.editor && !env.editor->empty()) return *env.editor;
  return "vi";
}

// Runs the editor on `file` through the shell, so that EDITOR="code --wait"
// works; the file is passed as "$1", never pasted into the command.
void run_editor(const std::string& editor, const std::string& file) {
  std::cout.flush();
  std::fflush(nullptr);
  const std::string script = editor + " \"$1\"";
  // As system() does: while the editor has the terminal, Ctrl-C is its business.
  struct sigaction ignore {}, old_int {}, old_quit {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGINT, &ignore, &old_int);
  ::sigaction(SIGQUIT, &ignore, &old_quit);
  pid_t pid = ::fork();
  int fork_errno = errno;
  if (pid == 0) {
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGQUIT, &old_quit, nullptr);
    ::execl("/bin/sh", "sh", "-c", script.c_str(), "sh", file.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  while (pid > 0 && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGQUIT, &old_quit, nullptr);
  if (pid < 0) throw_usage(fmt::format("cannot start the editor: {}; nothing saved", std::strerror(fork_errno)), editor);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  std::string how = WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status))
                                      : fmt::format("killed by signal {}", WTERMSIG(status));
  throw_usage("the editor failed; nothing saved", fmt::format("{}: {}", editor, how),
              WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "set $VISUAL or $EDITOR to your editor" : "");
}

// The edited text as a contact; throws Error{data} saying what is wrong.
// nlohmann words the syntax errors; the contact is read from the text itself,
// so that numbers under unknown keys stay as the user left them.
Contact parse_edited(const std::string& text, const Book& book, const std::string& original_id) {
  try {
    const Json checked = Json::parse(text);
    (void)checked;
  } catch (const Json::parse_error& e) {
    // nlohmann: "[json.exception...] parse error at line 3, column 5: syntax error ... - DETAIL"
    std::string what = e.what();
    auto dash = what.find(" - "), at = what.find(" at line ");
    std::string where = "edited contact";
    if (at != std::string::npos) where += ", " + what.substr(at + 4, what.find(':', at) - at - 4);
    throw_data("malformed JSON: " + (dash == std::string::npos ? what : what.substr(dash + 3)), where);
  } catch (const Json::exception&) {
    // Well-formed, but a number nlohmann cannot hold (1e400): the reader below says so.
  }
  // nlohmann skips a byte order mark, which an editor may add; the reader does not.
  const std::string_view body = std::string_view(text).starts_with("\xEF\xBB\xBF") ? std::string_view(text).substr(3) : text;
  Contact c = contact_from_text(body, "edited contact");
  if (c.id != original_id && book.find_id(c.id))
    throw_data(fmt::format("the id \"{}\" is taken by another contact", c.id), "edited contact, key id");
  return c;
}

// Stops on a "no", and when nobody can answer (end of input).
bool ask_reopen() {
  fmt::print(stderr, "Re-open the editor? [Y/n] ");
  std::string line;
  if (!std::getline(std::cin, line)) return false; // nobody to answer: do not loop
  auto start = line.find_first_not_of(" \t\r");
  return start == std::string::npos || (line[start] != 'n' && line[start] != 'N');
}

// Edits until the text validates. Returns nullopt when nothing changed.
std::optional<Contact> edit_until_valid(const Contact& original, const Book& book, const std::string& editor,
                                        const EditFile& file, const std::string& start) {
  // The same file is re-opened each time, as the user left it, so no edit is
  // lost between rounds.
  while (true) {
    run_editor(editor, file.path());
    std::string text = file.read();
    if (text == start) return std::nullopt;
    try {
      Contact c = parse_edited(text, book, original.id);
      if (changed_keys(original, c).empty()) return std::nullopt;
      return c;
    } catch (const Error& e) {
      report(e);
      if (!ask_reopen()) throw Error(ErrorKind::data, "the edited contact is not valid; not saved");
    }
  }
}

// Replaces the contact the user started from. The editor ran without the
// lock (a human may take minutes), so the book is checked again under it.
std::string save_edited(Context& ctx, const Contact& original, Contact edited) {
  const Json seen = contact_to_json(original);
  std::string message;
  ctx.store().update([&](Book& book) {
    Contact* c = book.find_id(original.id);
    if (!c) throw Error(ErrorKind::not_found, fmt::format("{} was removed while you were editing it", original.id));
    if (contact_to_json(*c) != seen)
      throw Error(ErrorKind::locked, fmt::format("{} was changed by another process while you were editing it", original.id),
                  {}, "run edit again to start from the new version");
    if (edited.id != original.id && book.find_id(edited.id))
      throw_usage(fmt::format("the id \"{}\" was taken while you were editing", edited.id), "edited contact, key id");
    message = edited_message(edited, changed_keys(*c, edited));
    *c = std::move(edited);
    return true;
  });
  return message;
}

void run_edit_editor(const std::string& query, Context& ctx) {
  const Book book = ctx.store().load();
  const Contact original = book.contacts[find_contact(book, query)];
  const std::string start = json_text(contact_to_json(original)) + "\n"; // dump(2) but for unknown numbers
  EditFile file(original.id, start, ctx.env.tmpdir.value_or(""));
  std::string message = "Nothing changed.";
  try {
    if (auto edited = edit_until_valid(original, book, editor_command(ctx.env), file, start))
      message = save_edited(ctx, original, std::move(*edited));
  } catch (const Error& e) {
    // Keep what the user typed, unless the editor left it as it was.
    if (file.read() == start) throw;
    file.keep();
    std::string hint = fmt::format("your edits are kept in {}", file.path());
    throw Error(e.kind(), e.what(), e.where(), e.hint().empty() ? hint : e.hint() + "; " + hint);
  }
  *ctx.out << message << '\n';
}

void run_edit(const EditOptions& o, Context& ctx) {
  if (o.any()) return run_edit_options(o, ctx);
  if (!on_terminal(ctx)) throw_usage("nothing to change: give options, or run on a terminal to use $EDITOR");
  run_edit_editor(o.contact, ctx);
}

} // namespace

void setup_edit(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<EditOptions>();
  auto* cmd = app.add_subcommand("edit", "Change a contact (with no option, in $VISUAL or $EDITOR)");
  cmd->add_option("CONTACT", o->contact, "Id, or a unique prefix of the name or of a word in it")->required();
  cmd->add_option("--name", o->name, "A new name");
  cmd->add_option("--id", o->id, "A new id (the history stays with the contact)");
  cmd->add_option("-e,--every", o->every, "Their own cadence: 2w, 3m, never; '' to follow the rules again");
  cmd->add_option("--counts", o->counts, "Kinds that reset their clock: call,visit; '' for all kinds");
  auto* note = cmd->add_option("-n,--note", o->note, "Replace the notes ('' to remove them)");
  cmd->add_option("--append-note", o->append_note, "Add a line to the notes")->excludes(note);
  // One value per occurrence, so that `--add-tag a ana` leaves `ana` to CONTACT.
  cmd->add_option("--field", o->fields, "Set a field KEY=VALUE (repeatable)")->allow_extra_args(false);
  cmd->add_option("--unset-field", o->unset_fields, "Remove a field (repeatable)")->allow_extra_args(false);
  cmd->add_option("--occasion", o->occasions,
                  "Set a yearly day LABEL=DATE: birthday=1989-06-14, or --06-14 without the year (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--rm-occasion", o->rm_occasions, "Remove an occasion by its label (repeatable)")->allow_extra_args(false);
  cmd->add_option("--owner", o->owner, "Who keeps in touch with them ('' to remove)");
  cmd->add_option("--add-tag", o->add_tags, "Add a tag (repeatable)")->allow_extra_args(false);
  cmd->add_option("--rm-tag", o->rm_tags, "Remove a tag (repeatable)")->allow_extra_args(false);
  cmd->footer("With no option on a terminal, the contact opens as JSON in $VISUAL, else $EDITOR, else vi;\n"
              "it is saved when the editor exits, if it is valid (else you may re-open it).\n");
  cmd->callback([o, &ctx] { run_edit(*o, ctx); });
}

} // namespace followup::cli
