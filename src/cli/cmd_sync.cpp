// followup git-setup and followup sync: sharing a book through git (SPEC §8).
// git-setup makes the book's folder a repository and sets up the merge
// driver; sync commits the book, pulls (the driver merges) and pushes. Git
// is run as a program (core/git.cpp); its failures exit 74 with its message.
#include <algorithm>
#include <memory>

#include <unistd.h>

#include <fmt/format.h>

#include "book_files.hpp"
#include "commands.hpp"
#include "followup/storage/atomic_file.hpp"
#include "followup/storage/book_diff.hpp"
#include "followup/model/error.hpp"
#include "followup/output/format.hpp"
#include "followup/book/json_io.hpp"
#include "followup/team/merge.hpp"
#include "git_book.hpp"

namespace fs = std::filesystem;

namespace followup::cli {
namespace {

// ---- git-setup ----

void run_git_setup(Context& ctx) {
  const fs::path book = fs::absolute(ctx.store().target());
  const fs::path folder = book.parent_path();
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw Error(ErrorKind::cant_write, fmt::format("cannot create the book's folder: {}", ec.message()), folder);
  Git git(folder);
  if (!git.run({"rev-parse", "--show-toplevel"}).ok()) {
    git.must({"init", "-q"});
    *ctx.out << fmt::format("Made {} a git repository.\n", folder.string());
  }
  std::vector<std::string> done = set_up_driver(git, book);
  if (done.empty()) *ctx.out << "Already set up: git merges the book with followup.\n";
  for (const auto& line : done) *ctx.out << "Set up: " << line << '\n';
}

// ---- sync ----

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(sep, start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Book parse_or_empty(const std::optional<std::string>& text, const std::string& name) {
  if (!text) return Book{};
  return parse_book(*text, name);
}

// "followup sync by kris: added the call with Ana López on 2026-12-03 (and 2 more changes)", then each change.
std::string commit_message(const Git& git, const fs::path& book, const std::optional<std::string>& user,
                           bool attributes_changed) {
  std::vector<std::string> changes;
  try {
    std::error_code ec;
    const Book before = parse_or_empty(book_at(git, book, "HEAD"), "HEAD");
    const Book after = fs::exists(book, ec) ? parse_book(read_whole_file(book), book.string()) : Book{};
    changes = describe_changes(before, after);
  } catch (const Error&) {
    changes = {"changed the book"};
  }
  if (attributes_changed) changes.emplace_back("set up the merge driver in .gitattributes");
  if (changes.empty()) changes.emplace_back("rewrote the book (no change in the data)");
  std::string subject = fmt::format("followup sync{}: {}", user ? " by " + *user : "", changes.front());
  if (changes.size() > 1)
    subject += fmt::format(" (and {} more change{})", changes.size() - 1, changes.size() == 2 ? "" : "s");
  if (changes.size() == 1) return subject;
  constexpr std::size_t kMostLines = 50;
  std::string body;
  for (std::size_t i = 0; i < changes.size() && i < kMostLines; ++i) body += "- " + changes[i] + "\n";
  if (changes.size() > kMostLines) body += fmt::format("- and {} more\n", changes.size() - kMostLines);
  return subject + "\n\n" + body;
}

// Commits the book and .gitattributes when they changed. Returns the subject, or "" when nothing changed.
std::string commit_book(const Git& git, const fs::path& book, const std::optional<std::string>& user) {
  std::error_code ec;
  std::vector<std::string> paths;
  if (fs::exists(book, ec)) paths.push_back(book.filename().string());
  if (fs::exists(book.parent_path() / ".gitattributes", ec)) paths.emplace_back(".gitattributes");
  if (paths.empty()) return {};
  std::vector<std::string> add{"add", "--"};
  add.insert(add.end(), paths.begin(), paths.end());
  git.must(add);
  auto changed = [&](const std::string& path) {
    GitRun r = git.run({"diff", "--cached", "--quiet", "--", path});
    if (r.status > 1) throw Error(ErrorKind::io, fmt::format("git diff failed: {}", r.message()), git.folder().string());
    return r.status == 1;
  };
  bool any = false, attributes = false;
  for (const auto& p : paths) {
    const bool c = changed(p);
    any = any || c;
    if (p == ".gitattributes") attributes = c;
  }
  if (!any) return {};
  const std::string message = commit_message(git, book, user, attributes);
  std::vector<std::string> commit{"commit", "-q", "-m", message, "--"};
  commit.insert(commit.end(), paths.begin(), paths.end());
  git.must(commit);
  return message.substr(0, message.find('\n'));
}

struct Remote {
  std::string name, branch, remote_branch;
  bool upstream = false; // the branch tracks remote/remote_branch already
};

std::string config(const Git& git, const std::string& key) {
  GitRun r = git.run({"config", "--get", key});
  std::string v = r.ok() ? r.out : std::string();
  while (!v.empty() && v.back() == '\n') v.pop_back();
  return v;
}

std::optional<Remote> find_remote(const Git& git) {
  GitRun head = git.run({"symbolic-ref", "--short", "-q", "HEAD"});
  if (!head.ok())
    throw Error(ErrorKind::io, "sync needs a branch checked out: HEAD is detached", git.folder().string(),
                "check out the branch the team shares (git switch main)");
  Remote r;
  r.branch = head.out.substr(0, head.out.find('\n'));
  std::vector<std::string> remotes;
  for (const auto& line : split(git.must({"remote"}), '\n'))
    if (!line.empty()) remotes.push_back(line);
  if (remotes.empty()) return std::nullopt;
  const std::string tracked = config(git, "branch." + r.branch + ".remote");
  const std::string merge = config(git, "branch." + r.branch + ".merge");
  if (!tracked.empty() && tracked != "." && std::find(remotes.begin(), remotes.end(), tracked) != remotes.end())
    r.name = tracked;
  else
    r.name = std::find(remotes.begin(), remotes.end(), "origin") != remotes.end() ? "origin" : remotes.front();
  r.remote_branch = merge.starts_with("refs/heads/") && r.name == tracked ? merge.substr(11) : r.branch;
  r.upstream = r.name == tracked && !merge.empty();
  return r;
}

bool remote_branch_exists(const Git& git, const Remote& r) {
  GitRun ls = git.run({"ls-remote", "--exit-code", "--heads", r.name, "refs/heads/" + r.remote_branch});
  if (ls.status == 2) return false;
  if (!ls.ok()) throw Error(ErrorKind::io, fmt::format("git ls-remote failed: {}", ls.message()), git.folder().string());
  return true;
}

// Git runs the driver as `followup`: without it on PATH, a pull would leave
// the book unmerged.
void require_driver_on_path(const Context& ctx) {
  if (!ctx.env.path) return;
  for (const auto& dir : split(*ctx.env.path, ':')) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / "followup";
    if (::access(candidate.c_str(), X_OK) == 0) return;
  }
  throw Error(ErrorKind::io, "git runs the merge driver as 'followup', which is not on PATH", "$PATH",
              "add the folder of the followup program to PATH (as for git-lfs)");
}

std::string conflict_hint(const Book& book) {
  return fmt::format("the book holds merge conflicts: {}; settle them with 'followup resolve CONTACT --ours|--theirs', "
                     "then run 'followup sync' again",
                     join(conflicted_objects(book), ", "));
}

// Ends a merge git stopped in: the book merged by followup and free of conflicts is committed.
void conclude_merge(const Git& git, const Store& store) {
  const Book now = store.load();
  if (!conflicted_objects(now).empty())
    throw Error(ErrorKind::data, "the merge is not finished", store.path().string(), conflict_hint(now));
  git.must({"add", "--", store.target().filename().string()});
  if (!git.run({"ls-files", "-u"}).out.empty())
    throw Error(ErrorKind::io, "the merge is not finished: other files than the book are in conflict",
                git.folder().string(), "settle them with git, commit, then run 'followup sync' again");
  git.must({"commit", "-q", "--no-edit"});
}

// Pulls, merging with the driver. When git stopped on the book and the book
// holds no conflicts of followup's, the driver did not run (or could not):
// the book is merged here from git's three stages, so nothing is lost.
void pull(const Git& git, const Store& store, const Remote& r, Context& ctx) {
  GitRun p = git.run({"pull", "--no-rebase", "--no-edit", "--ff", "--allow-unrelated-histories", r.name, r.remote_branch});
  if (p.ok()) {
    *ctx.out << fmt::format("Pulled from {}/{}.\n", r.name, r.remote_branch);
    return;
  }
  const fs::path book = store.target();
  if (!merging(git) || !unmerged(git, book))
    throw Error(ErrorKind::io, fmt::format("git pull failed: {}", p.message()), git.folder().string());
  bool merged_by_driver = false;
  try {
    merged_by_driver = !conflicted_objects(store.load()).empty();
  } catch (const Error&) {
    // Not a book (git's conflict markers): merged below.
  }
  if (!merged_by_driver) {
    const auto base = book_at(git, book, ":1"), ours = book_at(git, book, ":2"), theirs = book_at(git, book, ":3");
    if (!ours || !theirs) throw Error(ErrorKind::io, fmt::format("git pull failed: {}", p.message()), git.folder().string());
    const std::string name = book.filename().string();
    const std::string base_name = name + " (base)", ours_name = name + " (ours)", theirs_name = name + " (theirs)";
    std::optional<BookSource> base_source;
    if (base) base_source = BookSource{*base, base_name};
    MergeResult m = merge_books(base_source, {*ours, ours_name}, {*theirs, theirs_name});
    AtomicFile file(book);
    file.write(serialize_book(m.book));
    file.commit(store.backup_path().filename().string());
  }
  const Book now = store.load();
  if (!conflicted_objects(now).empty())
    throw Error(ErrorKind::io, fmt::format("git pull failed: {}", p.message()), git.folder().string(), conflict_hint(now));
  conclude_merge(git, store);
  *ctx.out << fmt::format("Pulled from {}/{} and merged.\n", r.name, r.remote_branch);
}

void push(const Git& git, const Remote& r, Context& ctx, int attempts_left, const Store& store) {
  const std::string refspec = r.branch == r.remote_branch ? r.branch : r.branch + ":" + r.remote_branch;
  std::vector<std::string> args{"push"};
  if (!r.upstream) args.emplace_back("--set-upstream");
  args.push_back(r.name);
  args.push_back(refspec);
  GitRun p = git.run(args);
  if (p.ok()) {
    *ctx.out << fmt::format("Pushed to {}/{}.\n", r.name, r.remote_branch);
    return;
  }
  // Someone pushed between our pull and push: pull again.
  const bool behind = p.err.find("[rejected]") != std::string::npos || p.err.find("fetch first") != std::string::npos;
  if (!behind || attempts_left == 0)
    throw Error(ErrorKind::io, fmt::format("git push failed: {}", p.message()), git.folder().string());
  pull(git, store, r, ctx);
  push(git, r, ctx, attempts_left - 1, store);
}

void run_sync(Context& ctx) {
  Store store = ctx.store();
  const fs::path book = fs::absolute(store.target());
  Git git = repository_of(book);
  const auto lock = store.lock(); // nothing else writes the book while git does
  for (const auto& line : set_up_driver(git, book)) *ctx.out << "Set up: " << line << '\n';

  if (merging(git)) {
    conclude_merge(git, store);
    *ctx.out << "Committed the merge.\n";
  } else if (std::string subject = commit_book(git, book, ctx.user()); !subject.empty()) {
    *ctx.out << "Committed: " << subject << '\n';
  } else {
    *ctx.out << "Nothing to commit.\n";
  }

  std::optional<Remote> remote = find_remote(git);
  if (!remote) {
    *ctx.out << "No remote to pull from or push to.\n";
    return;
  }
  if (remote_branch_exists(git, *remote)) {
    require_driver_on_path(ctx);
    pull(git, store, *remote, ctx);
  }
  if (!git.run({"rev-parse", "-q", "--verify", "HEAD"}).ok()) {
    *ctx.out << "Nothing to push yet.\n";
    return;
  }
  push(git, *remote, ctx, 2, store);
}

} // namespace

void setup_sync(CLI::App& app, Context& ctx) {
  auto* setup = app.add_subcommand("git-setup", "Share the book through git: make its folder a repository, set up the merge");
  setup->footer("Makes the book's folder a git repository if it is in none, adds '<book> merge=followup' to\n"
                "its .gitattributes, and sets merge.followup.name and merge.followup.driver\n"
                "('followup merge-driver %O %A %B %P') in the repository's config; keeps the book's .bak,\n"
                ".lock and temp files out of git (.git/info/exclude). Run it once in every clone; git runs\n"
                "the driver as 'followup', which must be on PATH.\n"
                "Exit status: 0, 73 .gitattributes cannot be written, 74 a git command failed.");
  setup->callback([&ctx] { run_git_setup(ctx); });

  auto* sync = app.add_subcommand("sync", "Commit the book, pull (merging with followup), push");
  sync->footer("Commits the book and .gitattributes if they changed (the message names $FOLLOWUP_USER and\n"
               "what changed), pulls with --no-rebase so that the merge driver merges the book (whatever\n"
               "pull.rebase says), and pushes, when the branch has a remote. While the remote branch does\n"
               "not exist yet it only pushes, with --set-upstream. Sets up the driver first when git-setup\n"
               "was not run in this clone. When the merge leaves conflicts, settle them with 'followup\n"
               "resolve' and run sync again: it commits the merge and pushes.\n"
               "Exit status: 0; 65 the book still holds conflicts; 74 a git command failed (git's message),\n"
               "the book's folder is in no git repository, or 'followup' is not on PATH.");
  sync->callback([&ctx] { run_sync(ctx); });
}

} // namespace followup::cli
