// The files in examples/ do what examples/README.md says: the import commands
// documented there build the book it describes from the two sample files,
// call-list.sh turns `due --format tsv` into the call list shown, and the
// crontab job prints (so cron mails) only when someone is due. The commands
// are read from the example files themselves, so the docs cannot drift.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace e2e;
using Json = nlohmann::ordered_json;

namespace {

std::string examples() { return source_dir() + "/examples"; }

// A folder on PATH where `followup` is the binary under test (the examples
// call it by name), and a copy of the example book, so examples/ is never
// touched.
struct ExampleShell {
  TempDir dir;
  std::filesystem::path book = dir / "contacts.json";
  ExampleShell() {
    std::filesystem::create_directory(dir / "bin");
    std::filesystem::create_symlink(binary(), dir / "bin" / "followup");
    std::filesystem::copy_file(examples() + "/contacts.json", book);
  }
  Env env(const std::string& today) const {
    return {{"PATH", (dir / "bin").string() + ":/usr/bin:/bin"},
            {"FOLLOWUP_FILE", book.string()},
            {"FOLLOWUP_TODAY", today}};
  }
  // `/bin/sh -c SCRIPT` in the source folder (so examples/... paths work).
  Result sh(const std::string& script, const Env& env, const std::vector<std::string>& args = {}) const {
    std::vector<std::string> argv{"/bin/sh", "-c", "cd \"$0\" || exit 99\n" + script, source_dir()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv, env);
  }
};

// The lines of `text` between two marker lines.
std::vector<std::string> between(const std::string& text, const std::string& begin, const std::string& end) {
  std::vector<std::string> out;
  bool in = false;
  for (const auto& line : lines(text)) {
    if (line == begin) in = true;
    else if (line == end) in = false;
    else if (in) out.push_back(line);
  }
  return out;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The job lines of a crontab: not blank, not comments, not VAR=value.
std::vector<std::string> cron_jobs(const std::string& crontab) {
  static const std::regex assignment(R"(^\s*[A-Za-z_][A-Za-z0-9_]*\s*=.*)");
  std::vector<std::string> jobs;
  for (const auto& line : lines(crontab)) {
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#' || std::regex_match(line, assignment)) continue;
    jobs.push_back(line);
  }
  return jobs;
}

// What cron runs for a job line: the five time fields dropped, and `\%`
// turned into `%`. An unescaped `%` would end the command (the rest becomes
// stdin), which the example must not do, so it is reported.
std::string cron_command(const std::string& job, bool& bare_percent) {
  std::string rest = job;
  for (int field = 0; field < 5; ++field) {
    auto start = rest.find_first_not_of(" \t");
    auto stop = rest.find_first_of(" \t", start);
    REQUIRE(stop != std::string::npos);
    rest = rest.substr(stop);
  }
  rest = rest.substr(rest.find_first_not_of(" \t"));
  std::string command;
  bare_percent = false;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '\\' && i + 1 < rest.size() && rest[i + 1] == '%') {
      command += '%';
      ++i;
    } else if (rest[i] == '%') {
      bare_percent = true;
      break;
    } else {
      command += rest[i];
    }
  }
  return command;
}

const Json* find(const Json& book, const std::string& id) {
  for (const auto& c : book["contacts"])
    if (c["id"] == id) return &c;
  return nullptr;
}

} // namespace

TEST_CASE("examples: the import commands of examples/README.md build the documented book") {
  std::string readme = read_file(examples() + "/README.md");
  auto block = between(readme, "<!-- import:begin -->", "<!-- import:end -->");
  std::vector<std::string> commands;
  for (const auto& line : block)
    if (starts_with(line, "followup ")) commands.push_back(line);
  REQUIRE(commands.size() == 2);
  CHECK(commands[0].find("examples/import/sample.vcf") != std::string::npos);
  CHECK(commands[1].find("examples/import/customers.csv") != std::string::npos);

  ExampleShell shell;
  Book b; // the new, empty book
  REQUIRE_FALSE(b.exists());
  Env env = shell.env("2026-11-23");
  env["FOLLOWUP_FILE"] = b.file.string();
  for (const auto& command : commands) {
    CAPTURE(command);
    auto r = shell.sh(command, env);
    CHECK(r.code == 0);
    CHECK(r.err == "");
    CHECK(r.out == "Imported 4 contacts: 4 added, 0 updated, 0 skipped.\n");
  }

  Json book = Json::parse(b.text());
  std::vector<std::string> ids;
  for (const auto& c : book["contacts"]) ids.push_back(c["id"]);
  CHECK(ids == std::vector<std::string>{"rosa-marin", "jurgen-muller", "corner-bakery", "tom-becker", "mike-reno",
                                        "dana-whitfield", "pat-o-brien", "zoe-laurent"});

  // sample.vcf: an iPhone card (folded escaped note, typed phones, a photo, categories) ...
  REQUIRE(find(book, "rosa-marin"));
  CHECK(*find(book, "rosa-marin") == Json::parse(R"({
    "id": "rosa-marin", "name": "Rosa Marín", "tags": ["friends", "book-club"],
    "fields": {"email": "rosa.marin@example.org", "phone": "+34 600 000 101", "phone_work": "+34 910 000 102",
               "uid": "7c1e3b2a-5d4f-4e0a-9b1c-2f6d8e9a0b11"},
    "notes": "Runs the cheese stall at the Sunday market, knows everyone.\nAsk about her trip to Porto.",
    "added": "2026-11-23", "occasions": {"birthday": "1988-04-12"}})"));
  // ... a vCard 2.1 card with no FN, in quoted-printable UTF-8 ...
  REQUIRE(find(book, "jurgen-muller"));
  CHECK(*find(book, "jurgen-muller") == Json::parse(R"({
    "id": "jurgen-muller", "name": "Jürgen Müller",
    "fields": {"phone": "+49 151 0000002", "phone_home": "+49 30 0000003"},
    "notes": "Old neighbour from Berlin.\nMoved to Hamburg in the spring.", "added": "2026-11-23"})"));
  // ... a vCard 4.0 business with only ORG ...
  REQUIRE(find(book, "corner-bakery"));
  CHECK(*find(book, "corner-bakery") == Json::parse(R"({
    "id": "corner-bakery", "name": "Corner Bakery", "tags": ["supplier"],
    "fields": {"org": "Corner Bakery", "email": "orders@cornerbakery.example", "phone": "+1-555-0188",
               "address": "12 Mill Lane, Springfield"},
    "added": "2026-11-23"})"));
  // ... and a Google card: no year of birth, the myContacts label dropped.
  REQUIRE(find(book, "tom-becker"));
  CHECK(*find(book, "tom-becker") == Json::parse(R"({
    "id": "tom-becker", "name": "Tom Becker", "tags": ["family"],
    "fields": {"email": "tom.becker@example.net", "email_work": "t.becker@work.example"},
    "added": "2026-11-23", "occasions": {"birthday": "--06-14"}})"));

  // customers.csv with --map: last visits as check-ins of --kind visit, in
  // three date styles; the customer number as a field; Fleet;Retail as tags.
  REQUIRE(find(book, "mike-reno"));
  CHECK(*find(book, "mike-reno") == Json::parse(R"({
    "id": "mike-reno", "name": "Mike Reno", "tags": ["retail"],
    "fields": {"phone": "+1 555 0142", "customer_no": "1041"},
    "notes": "Brakes and oil change; wants new tyres before winter.", "added": "2026-11-23",
    "interactions": [{"date": "2026-06-28", "kind": "visit"}]})"));
  REQUIRE(find(book, "dana-whitfield"));
  CHECK((*find(book, "dana-whitfield"))["tags"] == Json::parse(R"(["fleet", "retail"])"));
  CHECK((*find(book, "dana-whitfield"))["interactions"] == Json::parse(R"([{"date": "2026-03-14", "kind": "visit"}])"));
  CHECK((*find(book, "dana-whitfield"))["notes"] == "Runs the florist's two vans, books both at once");
  REQUIRE(find(book, "pat-o-brien"));
  CHECK((*find(book, "pat-o-brien"))["name"] == "Pat O'Brien");
  CHECK((*find(book, "pat-o-brien"))["interactions"] == Json::parse(R"([{"date": "2026-10-25", "kind": "visit"}])"));
  // Never visited: no check-in, a multi-line note, and --spread planned its
  // first call (the only one to stagger: tomorrow), added today all the same.
  REQUIRE(find(book, "zoe-laurent"));
  CHECK(*find(book, "zoe-laurent") == Json::parse(R"({
    "id": "zoe-laurent", "name": "Zoë Laurent", "tags": ["retail"],
    "fields": {"email": "zoe.laurent@example.fr", "customer_no": "1072"},
    "notes": "New in town.\nAsked about winter checks.", "added": "2026-11-23",
    "plans": [{"date": "2026-11-24", "note": "first call"}]})"));

  // Who is due, as examples/README.md says: Dana (March), then Mike (June).
  auto r = b({"due", "--format", "{id} {last}"});
  CHECK(r.code == 0);
  CHECK(r.out == "dana-whitfield 2026-03-14\nmike-reno 2026-06-28\n");

  // Importing the same files again changes nothing.
  std::string before = b.text();
  for (const auto& command : commands) {
    CAPTURE(command);
    r = shell.sh(command, env);
    CHECK(r.code == 0);
    CHECK(r.out == "Imported 4 contacts: 0 added, 0 updated, 0 skipped, 4 unchanged.\n");
  }
  CHECK(b.text() == before);
}

TEST_CASE("examples: call-list.sh pipes due --format tsv into awk") {
  ExampleShell shell;
  std::string before = read_file(shell.book);
  // The output shown in examples/README.md.
  std::string shown;
  for (const auto& line : lines(read_file(examples() + "/README.md")))
    if (starts_with(line, "[ ] ")) shown += line + "\n";
  REQUIRE(lines(shown).size() == 6);

  auto r = shell.sh("sh examples/call-list.sh \"$@\"", shell.env("2026-11-23"));
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "[ ] Mike Reno (mike-reno): 56 days overdue, last visit 2026-06-28\n"
                 "[ ] Kenji Kim (kenji-kim): 22 days overdue, never in touch\n"
                 "[ ] Ana López (ana-lopez): 12 days overdue, last visit 2026-09-30\n"
                 "[ ] The Hendersons (the-hendersons): 8 days overdue, last call 2026-11-01\n"
                 "[ ] Olu Okafor (olu-okafor): 4 days overdue, last message 2026-10-05\n"
                 "[ ] Mei Tanaka (mei-tanaka): due in 4 days, last meeting 2026-10-27\n");
  CHECK(r.out == shown);

  // Its arguments go to `followup due`.
  r = shell.sh("sh examples/call-list.sh \"$@\"", shell.env("2026-11-23"), {"--tag", "client"});
  CHECK(r.code == 0);
  CHECK(r.out == "[ ] Mike Reno (mike-reno): 56 days overdue, last visit 2026-06-28\n"
                 "[ ] Mei Tanaka (mei-tanaka): due in 4 days, last meeting 2026-10-27\n");
  r = shell.sh("sh examples/call-list.sh \"$@\"", shell.env("2026-09-28"));
  CHECK(r.out == "[ ] Mike Reno (mike-reno): due today, last visit 2026-06-28\n");
  // Nobody due: an empty list.
  r = shell.sh("sh examples/call-list.sh \"$@\"", shell.env("2026-09-20"));
  CHECK(r.code == 0);
  CHECK(r.out == "");
  CHECK(read_file(shell.book) == before);
}

TEST_CASE("examples: the crontab job prints, so cron mails, only when someone is due") {
  std::string crontab = read_file(examples() + "/crontab");
  auto jobs = cron_jobs(crontab);
  REQUIRE(jobs.size() == 1);
  bool bare_percent = false;
  std::string command = cron_command(jobs[0], bare_percent);
  CAPTURE(command);
  CHECK_FALSE(bare_percent);
  CHECK(command.find("followup due") != std::string::npos);
  CHECK(command.find("--exit-code") != std::string::npos);
  // examples/README.md shows the same line.
  CHECK(read_file(examples() + "/README.md").find(jobs[0] + "\n") != std::string::npos);

  ExampleShell shell;

  SUBCASE("nobody due and nobody upcoming: exit 0, no output, no mail") {
    auto env = shell.env("2026-09-20");
    auto r = shell.sh("followup due --exit-code", env);
    CHECK(r.code == 0);
    CHECK(r.out == "");
    r = shell.sh(command, env);
    CHECK(r.out == "");
    CHECK(r.err == "");
  }

  SUBCASE("someone upcoming but nobody due: due prints, exit 0, the job prints nothing") {
    auto env = shell.env("2026-09-25");
    auto r = shell.sh("followup due --within 3d --exit-code", env);
    CHECK(r.code == 0);
    CHECK(r.out.find("mike-reno") != std::string::npos); // due on 2026-09-28
    r = shell.sh(command, env);
    CHECK(r.out == "");
    CHECK(r.err == "");
  }

  SUBCASE("someone due: exit 1, the job prints the list") {
    auto env = shell.env("2026-11-23");
    auto r = shell.sh("followup due --exit-code", env);
    CHECK(r.code == 1);
    auto list = shell.sh("followup due --within 3d", env);
    REQUIRE(list.code == 0);
    CHECK(list.out.find("mike-reno") != std::string::npos);
    r = shell.sh(command, env);
    CHECK(r.err == "");
    CHECK(r.out == list.out);
  }

  SUBCASE("a broken book: nothing on stdout, the error on stderr (cron mails it)") {
    write_file(shell.book, "{ not json");
    auto r = shell.sh(command, shell.env("2026-11-23"));
    CHECK(r.out == "");
    CHECK(r.err.find("followup: ") != std::string::npos);
  }
}
