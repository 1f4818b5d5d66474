// Numbers under unknown keys are kept as written, byte for byte (SPEC §1:
// unknown keys are kept on rewrite), by every full rewrite, by `export --to
// json`, by `show --format json` and through the editor.
#include <doctest/doctest.h>

#include "run.hpp"

using namespace e2e;

namespace {

// In the writer's layout, so that a rewrite changes only what the command
// changes. Numbers a double would spell otherwise, at every level: the top,
// a rule, a contact, a check-in, nested objects and arrays.
const std::string kBook = R"({
  "x-big": 98765432109876543210,
  "followup": 1,
  "rules": [
    {
      "name": "friends",
      "match": "tag:friend",
      "every": "2w",
      "x-ratio": 1.10
    }
  ],
  "contacts": [
    {
      "id": "ana",
      "name": "Ana",
      "tags": [
        "friend"
      ],
      "added": "2026-01-10",
      "interactions": [
        {
          "date": "2026-11-20",
          "kind": "call",
          "x-score": 1E+2
        }
      ],
      "x-zero": -0,
      "x-deep": {
        "list": [
          0.1e-7,
          [
            -0.0,
            1e-400
          ],
          {
            "n": 123456789012345678901234567890
          }
        ],
        "f": 0.1000000000000000055511151231257827
      }
    }
  ]
}
)";

// Ana's numbers, as the file spells them.
const std::vector<std::string> kAnaNumbers = {
    "\"x-score\": 1E+2", "\"x-zero\": -0,", "0.1e-7,", "-0.0,", "1e-400\n", "\"n\": 123456789012345678901234567890",
    "\"f\": 0.1000000000000000055511151231257827"};

void check_ana_numbers(const std::string& text) {
  for (const auto& n : kAnaNumbers) {
    CAPTURE(n);
    CHECK(text.find(n) != std::string::npos);
  }
}

// Replaces the one occurrence of `from` in `text`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  REQUIRE(text.find(from, pos + 1) == std::string::npos);
  return text.replace(pos, from.size(), to);
}

struct NumberBook : Book {
  NumberBook() { write(kBook); }
};

} // namespace

TEST_CASE("unknown numbers: tag rewrites the book, every number as written") {
  NumberBook b;
  auto r = b({"tag", "ana", "--add", "vip"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(b.text() == replaced(kBook, "\"friend\"\n", "\"friend\",\n        \"vip\"\n"));
}

TEST_CASE("unknown numbers: edit --field keeps them") {
  NumberBook b;
  auto r = b({"edit", "ana", "--field", "phone=1"});
  CHECK(r.code == 0);
  CHECK(r.out == "Edited Ana (ana): fields.\n");
  CHECK(b.text() == replaced(kBook, "      \"added\"", "      \"fields\": {\n        \"phone\": \"1\"\n      },\n      \"added\""));
}

TEST_CASE("unknown numbers: add keeps them") {
  NumberBook b;
  auto r = b({"add", "Bo"});
  CHECK(r.code == 0);
  const std::string bo = "    },\n    {\n      \"id\": \"bo\",\n      \"name\": \"Bo\",\n      \"added\": \"2026-11-23\"\n    }\n  ]\n}\n";
  CHECK(b.text() == replaced(kBook, "    }\n  ]\n}\n", bo));
}

TEST_CASE("unknown numbers: log splices the check-in in, next to a check-in's own number") {
  NumberBook b;
  auto r = b({"log", "ana"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(b.text() == replaced(kBook, "\"x-score\": 1E+2\n        }\n",
                             "\"x-score\": 1E+2\n        },\n        {\n          \"date\": \"2026-11-23\",\n"
                             "          \"kind\": \"call\"\n        }\n"));
}

TEST_CASE("unknown numbers: export --to json prints the book as written") {
  NumberBook b;
  auto r = b({"export", "--to", "json"});
  CHECK(r.code == 0);
  CHECK(r.out == kBook);
}

TEST_CASE("unknown numbers: show --format json prints them as written") {
  NumberBook b;
  auto r = b({"show", "ana", "--format", "json"});
  CHECK(r.code == 0);
  check_ana_numbers(r.out);
  CHECK(r.out.find("\"x-deep\": {\n    \"list\": [\n      0.1e-7,\n") != std::string::npos);
}

namespace {

// `sh editor.sh FILE` as $EDITOR (the testing hook FOLLOWUP_ASSUME_TTY=1,
// as in test_edit.cpp), its temp files in a folder of its own.
Env editor_env(const TempDir& dir, const std::string& script) {
  write_file(dir / "editor.sh", script);
  std::filesystem::create_directories(dir / "tmp");
  return {{"FOLLOWUP_ASSUME_TTY", "1"}, {"EDITOR", "sh " + (dir / "editor.sh").string()}, {"TMPDIR", (dir / "tmp").string()}};
}

} // namespace

TEST_CASE("unknown numbers: the editor shows them as written, and a change elsewhere keeps them") {
  NumberBook b;
  TempDir dir;
  const std::string seen = (dir / "seen.json").string();
  auto r = b({"edit", "ana"}, editor_env(dir, "cp \"$1\" " + seen + "\nsed -i 's/\"Ana\"/\"Ana M\"/' \"$1\"\n"));
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Edited Ana M (ana): name.\n");
  check_ana_numbers(read_file(seen));
  CHECK(b.text() == replaced(kBook, "\"name\": \"Ana\"", "\"name\": \"Ana M\""));
}

TEST_CASE("unknown numbers: in the editor, a number spelt otherwise is a change, saved as typed") {
  NumberBook b;
  TempDir dir;
  // -0 and -0.0 are the same double: only their spelling tells them apart.
  auto r = b({"edit", "ana"}, editor_env(dir, "sed -i 's/\"x-zero\": -0,/\"x-zero\": -0.0,/' \"$1\"\n"));
  CHECK(r.code == 0);
  CHECK(r.out == "Edited Ana (ana): x-zero.\n");
  CHECK(b.text() == replaced(kBook, "\"x-zero\": -0,", "\"x-zero\": -0.0,"));

  // Untouched, nothing is written.
  const std::string before = b.text();
  r = b({"edit", "ana"}, editor_env(dir, "exit 0\n"));
  CHECK(r.out == "Nothing changed.\n");
  CHECK(b.text() == before);
}
