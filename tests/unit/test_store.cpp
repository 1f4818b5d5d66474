// The data file on disk (SPEC §1 location, §6 safety): where it is, a missing
// file, update() with its .bak, mode, lock, symlinks and refusals.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "followup/model/error.hpp"
#include "followup/storage/store.hpp"

using namespace followup;
namespace fs = std::filesystem;

namespace {

// A fresh folder per test, removed after it.
struct TempDir {
  fs::path dir;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "followup-store-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir, ec);
  }
};

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Deliberately not canonical (one line), so a rewrite is told from a copy.
const std::string kOld = R"({"followup": 1, "contacts": [{"id": "ana", "name": "Ana"}]})";

bool add(Book& b, const std::string& id) {
  Contact c;
  c.id = id;
  c.name = id;
  b.contacts.push_back(c);
  return true;
}

} // namespace

TEST_CASE("data file location: --file, $FOLLOWUP_FILE, XDG_DATA_HOME, HOME") {
  Location all{"/a/book.json", "/b/env.json", "/xdg", "/home/u"};
  CHECK(locate_data_file(all) == fs::path("/a/book.json"));
  all.file_option.reset();
  CHECK(locate_data_file(all) == fs::path("/b/env.json"));
  all.followup_file = ""; // set but empty: skipped
  CHECK(locate_data_file(all) == fs::path("/xdg/followup/contacts.json"));
  all.xdg_data_home.reset();
  CHECK(locate_data_file(all) == fs::path("/home/u/.local/share/followup/contacts.json"));
  all.home = "";
  try {
    locate_data_file(all);
    FAIL("no error without HOME");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
  }
}

TEST_CASE("a missing file is an empty book; the first write creates it and its folder") {
  TempDir t;
  const fs::path book = t.dir / "sub" / "deeper" / "contacts.json";
  Store store(book);
  Book empty = store.load();
  CHECK(empty.contacts.empty());
  CHECK(empty.rules.empty());
  CHECK_FALSE(fs::exists(book));

  CHECK(store.update([](Book& b) { return add(b, "ana"); }));
  REQUIRE(fs::exists(book));
  CHECK(mode_of(book) == 0600);
  CHECK_FALSE(fs::exists(store.backup_path())); // nothing to back up
  Book after = store.load();
  REQUIRE(after.contacts.size() == 1);
  CHECK(after.contacts[0].id == "ana");
  const std::string text = read_text(book);
  CHECK(text.back() == '\n');
}

TEST_CASE("update writes the new book, keeps the old one as .bak, and keeps the mode") {
  TempDir t;
  const fs::path book = t.dir / "contacts.json";
  write_text(book, kOld);
  REQUIRE(::chmod(book.c_str(), 0640) == 0);
  Store store(book);
  CHECK(store.backup_path() == t.dir / "contacts.json.bak");

  CHECK(store.update([](Book& b) { return add(b, "bob"); }));
  CHECK(read_text(t.dir / "contacts.json.bak") == kOld); // the old bytes, not a rewrite
  Book after = store.load();
  REQUIRE(after.contacts.size() == 2);
  CHECK(after.contacts[1].id == "bob");
  CHECK(mode_of(book) == 0640);
  // Only the book, its backup and its lock: no temp file left behind.
  CHECK(names_in(t.dir) == std::vector<std::string>{"contacts.json", "contacts.json.bak", "contacts.json.lock"});

  // A second write backs up the first write's result.
  const std::string first = read_text(book);
  CHECK(store.update([](Book& b) { return add(b, "cy"); }));
  CHECK(read_text(t.dir / "contacts.json.bak") == first);
}

TEST_CASE("update re-reads under the lock: two stores on one file both land") {
  TempDir t;
  const fs::path book = t.dir / "contacts.json";
  write_text(book, kOld);
  Store one(book), two(book);
  Book seen_by_one = one.load();
  CHECK(two.update([](Book& b) { return add(b, "bob"); }));
  CHECK(one.update([](Book& b) { return add(b, "cy"); }));
  Book after = one.load();
  REQUIRE(after.contacts.size() == 3);
  CHECK(after.contacts[1].id == "bob");
  CHECK(after.contacts[2].id == "cy");
  CHECK(seen_by_one.contacts.size() == 1);
}

TEST_CASE("a change that declines or throws leaves the file untouched and no temp file") {
  TempDir t;
  const fs::path book = t.dir / "contacts.json";
  write_text(book, kOld);
  Store store(book);

  CHECK_FALSE(store.update([](Book& b) {
    add(b, "bob");
    return false;
  }));
  CHECK(read_text(book) == kOld);
  CHECK_FALSE(fs::exists(store.backup_path()));

  CHECK_THROWS_AS(store.update([](Book& b) -> bool {
    add(b, "bob");
    throw std::runtime_error("change failed");
  }),
                  std::runtime_error);
  CHECK(read_text(book) == kOld);
  CHECK_FALSE(fs::exists(store.backup_path()));
  CHECK(names_in(t.dir) == std::vector<std::string>{"contacts.json", "contacts.json.lock"});
}

TEST_CASE("a book that fails to parse is never overwritten") {
  TempDir t;
  const fs::path book = t.dir / "contacts.json";
  const std::string broken = R"({"followup": 1, "contacts": [)";
  write_text(book, broken);
  Store store(book);
  bool called = false;
  try {
    store.update([&](Book& b) {
      called = true;
      return add(b, "bob");
    });
    FAIL("no error for a broken book");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
  }
  CHECK_FALSE(called);
  CHECK(read_text(book) == broken);
  CHECK_FALSE(fs::exists(store.backup_path()));
}

TEST_CASE("a lock held by another open file past the timeout is ErrorKind::locked") {
  TempDir t;
  const fs::path book = t.dir / "contacts.json";
  write_text(book, kOld);
  int fd = ::open((t.dir / "contacts.json.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);

  Store store(book, StoreOptions{0.3});
  bool called = false;
  const auto start = std::chrono::steady_clock::now();
  try {
    store.update([&](Book& b) {
      called = true;
      return add(b, "bob");
    });
    FAIL("no error while locked");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::locked);
  }
  const std::chrono::duration<double> waited = std::chrono::steady_clock::now() - start;
  CHECK(waited.count() >= 0.25); // it did wait
  CHECK_FALSE(called);
  CHECK(read_text(book) == kOld);

  ::close(fd); // released: the next update goes through
  CHECK(store.update([](Book& b) { return add(b, "bob"); }));
  CHECK(store.load().contacts.size() == 2);
}

TEST_CASE("a symlinked path: lock, temp and .bak live beside the target, the link stays") {
  TempDir t;
  fs::create_directories(t.dir / "real");
  fs::create_directories(t.dir / "links");
  const fs::path target = t.dir / "real" / "contacts.json";
  const fs::path link = t.dir / "links" / "book.json";
  write_text(target, kOld);
  fs::create_symlink("../real/contacts.json", link);

  Store store(link);
  CHECK(store.path() == link);
  CHECK(fs::equivalent(store.target(), target));
  CHECK(store.target().parent_path().filename() == "real");
  CHECK(store.backup_path() == store.target().parent_path() / "contacts.json.bak");

  CHECK(store.update([](Book& b) { return add(b, "bob"); }));
  CHECK(fs::is_symlink(link)); // not replaced by a regular file
  CHECK(names_in(t.dir / "links") == std::vector<std::string>{"book.json"});
  CHECK(names_in(t.dir / "real") ==
        std::vector<std::string>{"contacts.json", "contacts.json.bak", "contacts.json.lock"});
  CHECK(read_text(t.dir / "real" / "contacts.json.bak") == kOld);
  CHECK(Store(target).load().contacts.size() == 2);
}

TEST_CASE("a file without write permission is refused with cant_write, even for root") {
  TempDir t;
  const fs::path book = t.dir / "contacts.json";
  write_text(book, kOld);
  REQUIRE(::chmod(book.c_str(), 0444) == 0);
  Store store(book);
  try {
    store.update([](Book& b) { return add(b, "bob"); });
    FAIL("a read-only book was replaced");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::cant_write);
    CHECK(e.where().find("contacts.json") != std::string::npos);
  }
  CHECK(read_text(book) == kOld);
  CHECK(mode_of(book) == 0444);
  CHECK_FALSE(fs::exists(store.backup_path()));
  // Reading it is fine.
  CHECK(store.load().contacts.size() == 1);
}

TEST_CASE("swap_with_backup: undo, and a second swap is a redo") {
  TempDir t;
  const fs::path book = t.dir / "contacts.json";
  Store store(book);
  CHECK_THROWS_AS(store.swap_with_backup(), Error); // nothing to undo yet
  write_text(book, kOld);
  CHECK(store.update([](Book& b) { return add(b, "bob"); }));
  const std::string changed = read_text(book);

  Undo undo = store.swap_with_backup();
  REQUIRE(undo.before);
  CHECK(undo.before->contacts.size() == 2);
  CHECK(undo.after.contacts.size() == 1);
  CHECK(undo.redo_kept);
  CHECK(read_text(book) == kOld);
  CHECK(read_text(store.backup_path()) == changed);

  store.swap_with_backup();
  CHECK(read_text(book) == changed);
  CHECK(read_text(store.backup_path()) == kOld);
}
