#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using Json = nlohmann::ordered_json;

namespace {

const std::string kBook = R"({
  "followup": 1,
  "contacts": [
    {
      "id": "ana-lopez",
      "name": "Ana López",
      "tags": ["friend", "soccer"],
      "every": "6w",
      "fields": {"phone": "+1 555 0100", "email": "ana@example.org"},
      "notes": "Getting married in June.",
      "interactions": [
        {"date": "2026-11-20", "kind": "call", "note": "venue"}
      ]
    },
    {"id": "tom-smith", "name": "Tom Smith"}
  ]
}
)";

struct EditBook : Book {
  EditBook() { write(kBook); }
  Json ana() const { return Json::parse(text()).at("contacts").at(0); }
  bool has_bak() const { return std::filesystem::exists(file.string() + ".bak"); }
};

// A refusal: exit 64, nothing on stdout, the file byte for byte as it was.
void check_refused(const EditBook& b, const std::vector<std::string>& args, const std::string& message) {
  auto r = b(args);
  CHECK(r.code == 64);
  CHECK(r.out == "");
  CHECK(r.err.find(message) != std::string::npos);
  CHECK(b.text() == kBook);
  CHECK_FALSE(b.has_bak());
}

} // namespace

TEST_CASE("edit: --name") {
  EditBook b;
  auto r = b({"edit", "ana", "--name", "Ana María López"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Edited Ana María López (ana-lopez): name.\n");
  CHECK(b.ana().at("name") == "Ana María López");
  CHECK(b.ana().at("id") == "ana-lopez");
}

TEST_CASE("edit: --id renames and keeps the history") {
  EditBook b;
  const Json before = b.ana();
  auto r = b({"edit", "ana-lopez", "--id", "ana-l"});
  CHECK(r.code == 0);
  CHECK(r.out == "Edited Ana López (ana-l): id.\n");
  Json after = b.ana();
  CHECK(after.at("id") == "ana-l");
  CHECK(after.at("interactions") == before.at("interactions"));
  r = b({"history", "ana-l", "--format", "tsv"});
  CHECK(r.code == 0);
  CHECK(r.out == "2026-11-20\tcall\tvenue\t\tana-l\tAna López\n");
}

TEST_CASE("edit: --every sets and '' drops the contact's cadence") {
  EditBook b;
  auto r = b({"edit", "ana", "--every", "1m2w"});
  CHECK(r.code == 0);
  CHECK(r.out == "Edited Ana López (ana-lopez): every.\n");
  CHECK(b.ana().at("every") == "1m2w");
  r = b({"edit", "ana", "--every", ""});
  CHECK(r.code == 0);
  CHECK_FALSE(b.ana().contains("every"));
  r = b({"edit", "ana", "--every", "never"});
  CHECK(r.code == 0);
  CHECK(b.ana().at("every") == "never");
}

TEST_CASE("edit: --counts sets and '' drops the kinds that count") {
  EditBook b;
  auto r = b({"edit", "ana", "--counts", "call,visit"});
  CHECK(r.code == 0);
  CHECK(r.out == "Edited Ana López (ana-lopez): counts.\n");
  CHECK(b.ana().at("counts") == Json::array({"call", "visit"}));
  r = b({"edit", "ana", "--counts", ""});
  CHECK(r.code == 0);
  CHECK_FALSE(b.ana().contains("counts"));
}

TEST_CASE("edit: --note replaces, --append-note adds a line") {
  EditBook b;
  auto r = b({"edit", "ana", "--append-note", "Fiancé is Tom."});
  CHECK(r.code == 0);
  CHECK(r.out == "Edited Ana López (ana-lopez): notes.\n");
  CHECK(b.ana().at("notes") == "Getting married in June.\nFiancé is Tom.");
  r = b({"edit", "ana", "--note", "New notes"});
  CHECK(r.code == 0);
  CHECK(b.ana().at("notes") == "New notes");
  r = b({"edit", "ana", "--note", ""});
  CHECK(r.code == 0);
  CHECK_FALSE(b.ana().contains("notes"));
  r = b({"edit", "ana", "--append-note", "First line"}); // no notes: it sets them
  CHECK(r.code == 0);
  CHECK(b.ana().at("notes") == "First line");
}

TEST_CASE("edit: --field sets in place, --unset-field removes") {
  EditBook b;
  auto r = b({"edit", "ana", "--field", "phone=+1 555 0199", "--field", "city=Lima", "--unset-field", "email"});
  CHECK(r.code == 0);
  CHECK(r.out == "Edited Ana López (ana-lopez): fields.\n");
  CHECK(b.ana().at("fields").dump() == R"({"phone":"+1 555 0199","city":"Lima"})");
}

TEST_CASE("edit: --add-tag and --rm-tag") {
  EditBook b;
  auto r = b({"edit", "ana", "--add-tag", "vip", "--rm-tag", "SOCCER", "--add-tag", "friend"});
  CHECK(r.code == 0);
  CHECK(r.out == "Edited Ana López (ana-lopez): tags.\n");
  CHECK(b.ana().at("tags") == Json::array({"friend", "vip"}));
  r = b({"edit", "--add-tag", "x", "ana"}); // one value per --add-tag: CONTACT stays positional
  CHECK(r.code == 0);
  CHECK(b.ana().at("tags") == Json::array({"friend", "vip", "x"}));
}

TEST_CASE("edit: many options are one write and list every changed key") {
  EditBook b;
  auto r = b({"edit", "ana", "--name", "Ana L", "--id", "ana-l", "--every", "2w", "--add-tag", "vip"});
  CHECK(r.code == 0);
  CHECK(r.out == "Edited Ana L (ana-l): id, name, tags, every.\n");
  // One write: the backup is the file as it was before the command.
  CHECK(read_file(b.file.string() + ".bak") == kBook);
}

TEST_CASE("edit: values equal to the stored ones change nothing and write nothing") {
  EditBook b;
  auto r = b({"edit", "ana", "--name", "Ana López", "--every", "6w", "--add-tag", "Friend", "--id", "ana-lopez"});
  CHECK(r.code == 0);
  CHECK(r.out == "Nothing changed.\n");
  CHECK(b.text() == kBook);
  CHECK_FALSE(b.has_bak());
}

TEST_CASE("edit: refusals are usage errors that leave the file untouched") {
  EditBook b;
  check_refused(b, {"edit", "ana", "--id", "Ana L"}, "not a valid id");
  check_refused(b, {"edit", "ana", "--id", "tom-smith"}, "the id \"tom-smith\" is taken");
  check_refused(b, {"edit", "ana", "--every", "soon"}, "not a duration");
  check_refused(b, {"edit", "ana", "--counts", "call,,visit"}, "--counts");
  check_refused(b, {"edit", "ana", "--name", " "}, "the name is empty");
  check_refused(b, {"edit", "ana", "--rm-tag", "golf"}, "ana-lopez has no tag \"golf\"");
  check_refused(b, {"edit", "ana", "--unset-field", "fax"}, "ana-lopez has no field \"fax\"");
  check_refused(b, {"edit", "ana", "--field", "novalue"}, "is not KEY=VALUE");
  check_refused(b, {"edit", "ana", "--field", "a=1", "--field", "A=2"}, "given twice");
  check_refused(b, {"edit", "ana", "--field", "fax=1", "--unset-field", "fax"}, "both set and unset");
  check_refused(b, {"edit", "ana", "--add-tag", "vip", "--rm-tag", "vip"}, "both added and removed");
  check_refused(b, {"edit", "ana", "--add-tag", "two words"}, "one word");
  check_refused(b, {"edit", "ana", "--append-note", ""}, "empty");
  check_refused(b, {"edit", "ana", "--note", "a", "--append-note", "b"}, "excludes");
  // A refusal late in the list undoes the earlier changes too.
  check_refused(b, {"edit", "ana", "--name", "X", "--rm-tag", "golf"}, "no tag");
}

TEST_CASE("edit: an unknown contact is exit 67 and the file is untouched") {
  EditBook b;
  auto r = b({"edit", "nobody", "--name", "X"});
  CHECK(r.code == 67);
  CHECK(r.err.find("no contact matches \"nobody\"") != std::string::npos);
  CHECK(b.text() == kBook);
}

TEST_CASE("edit: no option off a terminal is a usage error") {
  EditBook b;
  auto r = b({"edit", "ana"}, {{"EDITOR", "false"}});
  CHECK(r.code == 64);
  CHECK(r.err == "followup: nothing to change: give options, or run on a terminal to use $EDITOR\n");
  CHECK(b.text() == kBook);
}

// ---- the editor, driven by scripts (FOLLOWUP_ASSUME_TTY=1 is the testing hook) ----

namespace {

// `sh editor.sh FILE` as $EDITOR, with its own TMPDIR for the temp files.
struct ScriptedEditor {
  TempDir dir;
  std::filesystem::path tmp = dir / "tmp";

  ScriptedEditor() { std::filesystem::create_directory(tmp); }
  Env env(const std::string& script) const {
    write_file(dir / "editor.sh", script);
    return {{"FOLLOWUP_ASSUME_TTY", "1"}, {"EDITOR", "sh " + (dir / "editor.sh").string()}, {"TMPDIR", tmp.string()}};
  }
  std::size_t temp_files() const {
    auto it = std::filesystem::directory_iterator(tmp);
    return static_cast<std::size_t>(std::distance(it, std::filesystem::directory_iterator()));
  }
  // Counts how many times the editor was opened, in the script's `$n`.
  std::string counter() const {
    std::string c = (dir / "count").string();
    return "n=$(cat " + c + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + c + "\n";
  }
  std::string count() const { return read_file(dir / "count"); }
};

} // namespace

TEST_CASE("edit: in the editor, a valid change is saved") {
  EditBook b;
  ScriptedEditor ed;
  auto r = b({"edit", "ana"}, ed.env("case \"$1\" in *.json) ;; *) exit 9 ;; esac\n"
                                     "sed -i 's/\"Ana López\"/\"Ana María López\"/' \"$1\"\n"));
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Edited Ana María López (ana-lopez): name.\n");
  CHECK(b.ana().at("name") == "Ana María López");
  CHECK(b.ana().at("interactions").size() == 1);
  CHECK(ed.temp_files() == 0);
}

TEST_CASE("edit: $VISUAL comes before $EDITOR") {
  EditBook b;
  ScriptedEditor ed;
  Env env = ed.env("sed -i 's/\"6w\"/\"2w\"/' \"$1\"\n");
  env["VISUAL"] = env["EDITOR"];
  env["EDITOR"] = "false";
  auto r = b({"edit", "ana"}, env);
  CHECK(r.code == 0);
  CHECK(r.out == "Edited Ana López (ana-lopez): every.\n");
  CHECK(b.ana().at("every") == "2w");
}

TEST_CASE("edit: in the editor, an invalid text re-opens as it was, then the fix is saved") {
  EditBook b;
  ScriptedEditor ed;
  const std::string orig = (ed.dir / "orig").string();
  auto r = b({"edit", "ana"}, ed.env(ed.counter() +
                                     "if [ $n = 1 ]; then cp \"$1\" " + orig + "; printf '{ broken' > \"$1\"; exit 0; fi\n"
                                     "grep -q '{ broken' \"$1\" || exit 3\n"
                                     "sed 's/\"Ana López\"/\"Ana Fixed\"/' " + orig + " > \"$1\"\n"),
             "\n");
  CHECK(r.code == 0);
  CHECK(r.out == "Edited Ana Fixed (ana-lopez): name.\n");
  CHECK(r.err.find("followup: malformed JSON") != std::string::npos);
  CHECK(r.err.find("Re-open the editor? [Y/n] ") != std::string::npos);
  CHECK(ed.count() == "2\n");
  CHECK(b.ana().at("name") == "Ana Fixed");
  CHECK(ed.temp_files() == 0);
}

TEST_CASE("edit: in the editor, answering n saves nothing and keeps the edits") {
  EditBook b;
  ScriptedEditor ed;
  auto r = b({"edit", "ana"}, ed.env(ed.counter() + "sed -i 's/\"6w\"/\"soon\"/' \"$1\"\n"), "n\n");
  CHECK(r.code == 65);
  CHECK(r.out == "");
  CHECK(r.err.find("key every") != std::string::npos);
  CHECK(r.err.find("followup: the edited contact is not valid; not saved") != std::string::npos);
  CHECK(ed.count() == "1\n");
  CHECK(b.text() == kBook);
  CHECK_FALSE(b.has_bak());
  auto at = r.err.find("your edits are kept in ");
  REQUIRE(at != std::string::npos);
  std::string kept = r.err.substr(at + 23);
  kept = kept.substr(0, kept.find('\n'));
  CHECK(read_file(kept).find("\"soon\"") != std::string::npos);
  CHECK(ed.temp_files() == 1);

  // No answer at all (end of input) is a no too.
  r = b({"edit", "ana"}, ed.env(ed.counter() + "printf '[]' > \"$1\"\n"));
  CHECK(r.code == 65);
  CHECK(ed.count() == "2\n");
  CHECK(b.text() == kBook);
}

TEST_CASE("edit: in the editor, an id another contact has is refused") {
  EditBook b;
  ScriptedEditor ed;
  auto r = b({"edit", "ana"}, ed.env("sed -i 's/\"ana-lopez\"/\"tom-smith\"/' \"$1\"\n"), "n\n");
  CHECK(r.code == 65);
  CHECK(r.err.find("the id \"tom-smith\" is taken by another contact") != std::string::npos);
  CHECK(b.text() == kBook);
}

TEST_CASE("edit: in the editor, the id can change and the history stays") {
  EditBook b;
  ScriptedEditor ed;
  auto r = b({"edit", "ana"}, ed.env("sed -i 's/\"ana-lopez\"/\"ana-l\"/' \"$1\"\n"));
  CHECK(r.code == 0);
  CHECK(r.out == "Edited Ana López (ana-l): id.\n");
  CHECK(b.ana().at("interactions").at(0).at("note") == "venue");
}

TEST_CASE("edit: in the editor, no change (or only layout) writes nothing") {
  EditBook b;
  ScriptedEditor ed;
  auto r = b({"edit", "ana"}, ed.env("exit 0\n"));
  CHECK(r.code == 0);
  CHECK(r.out == "Nothing changed.\n");
  r = b({"edit", "ana"}, ed.env("sed -i 's/^ *//' \"$1\"\n"));
  CHECK(r.code == 0);
  CHECK(r.out == "Nothing changed.\n");
  CHECK(b.text() == kBook);
  CHECK_FALSE(b.has_bak());
  CHECK(ed.temp_files() == 0);
}

TEST_CASE("edit: an editor that fails saves nothing") {
  EditBook b;
  ScriptedEditor ed;
  auto r = b({"edit", "ana"}, ed.env("sed -i 's/Ana/Eve/' \"$1\"; exit 1\n"));
  CHECK(r.code == 64);
  CHECK(r.err.find("followup: the editor failed; nothing saved") != std::string::npos);
  CHECK(r.err.find("exit status 1") != std::string::npos);
  CHECK(b.text() == kBook);
  CHECK_FALSE(b.has_bak());
}

TEST_CASE("edit: an unknown contact is exit 67 before any editor opens") {
  EditBook b;
  ScriptedEditor ed;
  auto r = b({"edit", "nobody"}, ed.env(ed.counter()));
  CHECK(r.code == 67);
  CHECK_FALSE(std::filesystem::exists(ed.dir / "count"));
  CHECK(b.text() == kBook);
}
