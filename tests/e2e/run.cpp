#include "run.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <random>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace e2e {

std::string binary() { return FOLLOWUP_BIN; }
std::string source_dir() { return FOLLOWUP_SOURCE_DIR; }

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "followup-e2e-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Tests may make folders read-only; give write access back before removing.
  for (auto it = std::filesystem::recursive_directory_iterator(path_, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
    std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
  std::filesystem::remove_all(path_, ec);
}

Result run(const std::vector<std::string>& args, const Env& extra, const std::string& input) {
  std::vector<std::string> argv{binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, extra, input);
}

Result Book::operator()(std::vector<std::string> args, const Env& env, const std::string& input) const {
  args.insert(args.begin(), {"--file", file.string()});
  return run(args, env, input);
}

std::string Book::text() const { return exists() ? read_file(file) : std::string(); }
void Book::write(const std::string& t) const { write_file(file, t); }
bool Book::exists() const { return std::filesystem::exists(file); }

std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
}

bool printable_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      if ((lead < 0x20 && lead != '\n') || lead == 0x7F) return false;
      ++i;
      continue;
    }
    std::size_t length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    std::uint32_t cp = lead & (0xFFu >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0u) != 0x80u) return false;
      cp = (cp << 6) | (next & 0x3Fu);
    }
    const std::uint32_t least = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F)) return false;
    i += length;
  }
  return true;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

} // namespace e2e

// ---- Added for the reliability suites (corpus, stress, faults, cli) ----

namespace e2e {

std::vector<std::string> clean_env(const Env& extra) {
  static TempDir home;
  Env env{{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", home.path().string()}, {"FOLLOWUP_TODAY", "2026-11-23"},
          {"LANG", "C.UTF-8"}};
  for (const auto& [k, v] : extra) {
    if (v == "\x01") env.erase(k);
    else env[k] = v;
  }
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

namespace {

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::filesystem::path output_folder() {
  static TempDir folder;
  return folder.path();
}

} // namespace

Result run_program(const std::vector<std::string>& argv, const Env& env, const std::string& input) {
  // As run(), with pipes (not files: a file-size limit must not cut stderr).
  std::vector<std::string> envs = clean_env(env);
  std::vector<std::string> args = argv;
  auto envp = c_strings(envs);
  auto argp = c_strings(args);
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC)) throw std::runtime_error("pipe");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execve(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (!input.empty()) {
    ssize_t n = ::write(in[1], input.data(), input.size());
    (void)n;
  }
  ::close(in[1]);
  Result r;
  std::array<pollfd, 2> fds{{{out[0], POLLIN, 0}, {err[0], POLLIN, 0}}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

Process::Process(const std::vector<std::string>& argv, const Env& env) {
  static long counter = 0;
  std::string stem = std::to_string(::getpid()) + "-" + std::to_string(++counter);
  out_ = output_folder() / ("out-" + stem);
  err_ = output_folder() / ("err-" + stem);
  std::vector<std::string> envs = clean_env(env);
  std::vector<std::string> args = argv;
  auto envp = c_strings(envs);
  auto argp = c_strings(args);
  int out_fd = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err_fd = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0 || err_fd < 0) throw std::runtime_error("cannot create output files");
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork");
  if (pid_ == 0) {
    int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::execve(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  ::close(out_fd);
  ::close(err_fd);
}

Process::~Process() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
  }
  std::error_code ec;
  std::filesystem::remove(out_, ec);
  std::filesystem::remove(err_, ec);
}

void Process::kill(int sig) const {
  if (!reaped_) ::kill(pid_, sig);
}

bool Process::running() {
  if (reaped_) return false;
  pid_t r = ::waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  return !reaped_;
}

Result Process::wait() {
  while (!reaped_) {
    if (::waitpid(pid_, &status_, 0) == pid_) reaped_ = true;
    else if (errno != EINTR) break;
  }
  Result r;
  r.code = WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  r.out = read_file(out_);
  r.err = read_file(err_);
  return r;
}

std::vector<std::string> followup_argv(const std::filesystem::path& file, const std::vector<std::string>& args) {
  std::vector<std::string> out{binary(), "--file", file.string()};
  out.insert(out.end(), args.begin(), args.end());
  return out;
}

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string generate_book(int contacts, unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  static const char* const first[] = {"Ana", "Bo", "Chloé", "Dmitri", "Eun-ji", "Fatima", "Grégoire", "Hiro", "Ines", "Jonas"};
  static const char* const last[] = {"López", "Smith", "Nguyen", "Øster", "Kowalski", "O'Brien", "Müller", "Sato"};
  static const char* const tags[] = {"friend", "family", "client", "vip", "soccer", "school", "work"};
  static const char* const kinds[] = {"call", "visit", "meeting", "email", "message"};
  static const char* const cadences[] = {"2w", "6w", "3m", "1m2w", "1y", "never"};
  char buf[256];
  std::string out;
  out.reserve(static_cast<std::size_t>(contacts) * 400 + 1024);
  out += "{\n  \"followup\": 1,\n  \"rules\": [\n"
         "    {\"name\": \"family\", \"match\": \"tag:family\", \"every\": \"2w\"},\n"
         "    {\"name\": \"clients\", \"match\": \"tag:client and not tag:vip\", \"every\": \"3m\", "
         "\"counts\": [\"call\", \"visit\", \"meeting\"]},\n"
         "    {\"name\": \"vip\", \"match\": \"tag:vip\", \"every\": \"1m\", \"warn\": \"1w\"}\n"
         "  ],\n  \"contacts\": [";
  for (int i = 1; i <= contacts; ++i) {
    std::snprintf(buf, sizeof buf, "%s\n    {\n      \"id\": \"c%05d\",\n      \"name\": \"%s %s %d\"", i == 1 ? "" : ",",
                  i, first[pick(10)], last[pick(8)], i);
    out += buf;
    int t1 = pick(7), t2 = pick(7);
    std::snprintf(buf, sizeof buf, ",\n      \"tags\": [\"%s\"%s%s%s]", tags[t1], t2 != t1 ? ", \"" : "",
                  t2 != t1 ? tags[t2] : "", t2 != t1 ? "\"" : "");
    out += buf;
    if (pick(4) == 0) {
      std::snprintf(buf, sizeof buf, ",\n      \"every\": \"%s\"", cadences[pick(6)]);
      out += buf;
    }
    std::snprintf(buf, sizeof buf, ",\n      \"fields\": {\"phone\": \"+1 555 %04d\", \"email\": \"c%d@example.org\"}",
                  i % 10000, i);
    out += buf;
    if (pick(3) == 0) out += ",\n      \"notes\": \"Met at the \\\"big\\\" conference;\\tlikes tea.\\nTwo kids.\"";
    int year = 2020 + pick(6), month = 1 + pick(12), day = 1 + pick(28);
    std::snprintf(buf, sizeof buf, ",\n      \"added\": \"%04d-%02d-%02d\"", year, month, day);
    out += buf;
    int n = pick(5);
    if (n > 0) {
      out += ",\n      \"interactions\": [";
      for (int k = 0; k < n; ++k) {
        // Sorted dates: one per month after `added`, within 2026.
        std::snprintf(buf, sizeof buf, "%s\n        {\"date\": \"2026-%02d-%02d\", \"kind\": \"%s\", \"note\": \"talk %d\"}",
                      k == 0 ? "" : ",", 1 + k * 2, 1 + pick(28), kinds[pick(5)], k);
        out += buf;
      }
      out += "\n      ]";
    }
    if (pick(10) == 0) out += ",\n      \"x-custom\": {\"kept\": [1, 2, {\"deep\": null}]}";
    out += "\n    }";
  }
  out += "\n  ]\n}\n";
  return out;
}

std::vector<std::string> files_starting_with(const std::filesystem::path& folder, const std::string& prefix) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0) out.push_back(name);
  }
  return out;
}

const char* const kWriterLayoutBook = R"({
  "followup": 1,
  "contacts": [
    {
      "id": "ana",
      "name": "Ana",
      "added": "2026-01-10",
      "interactions": [
        {
          "date": "2026-10-01",
          "kind": "call"
        },
        {
          "date": "2026-11-20",
          "kind": "visit",
          "note": "Coffee"
        }
      ]
    },
    {
      "id": "bo",
      "name": "Bo",
      "tags": [
        "client"
      ],
      "interactions": [
        {
          "date": "2026-09-01",
          "kind": "visit"
        }
      ]
    }
  ]
}
)";

void check_refused_untouched(const Book& b, const std::vector<std::string>& args, int code,
                             const std::vector<std::string>& names) {
  std::string before = b.text();
  Result r = b(args);
  INFO("args: ", args.front(), "; stderr: ", r.err);
  CHECK(r.code == code);
  CHECK(r.out == "");
  CHECK(r.err.rfind("followup: ", 0) == 0);
  for (const auto& n : names) CHECK(r.err.find(n) != std::string::npos);
  CHECK(b.text() == before);
  CHECK(!std::filesystem::exists(b.file.string() + ".bak"));
}

} // namespace e2e
