#include "followup/exchange/charset.hpp"

#include <array>
#include <cerrno>

#include <iconv.h>

#include <fmt/format.h>

#include "followup/model/error.hpp"
#include "followup/text/text.hpp"

namespace followup {
namespace {

// 0x80..0x9F in windows-1252; 0xFFFD where it defines nothing.
constexpr std::array<char32_t, 32> kHigh{
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

void append_windows1252(std::string& out, unsigned char byte) {
  if (byte >= 0x80 && byte < 0xA0) append_utf8(out, kHigh[byte - 0x80]);
  else append_utf8(out, byte);
}

bool is_utf8_name(std::string_view charset) {
  return charset.empty() || iequals(charset, "utf-8") || iequals(charset, "utf8");
}

bool is_windows1252_name(std::string_view charset) {
  return iequals(charset, "windows-1252") || iequals(charset, "cp1252") || iequals(charset, "x-cp1252");
}

class Iconv {
public:
  explicit Iconv(std::string_view from) : cd_(::iconv_open("UTF-8", std::string(from).c_str())) {}
  ~Iconv() {
    if (ok()) ::iconv_close(cd_);
  }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

  // All of `bytes`, then the converter's held-back state: windows-1255 and
  // -1258 keep the last character back (it may take a combining mark), and
  // only a call with no input hands it on.
  std::optional<std::string> convert(std::string_view bytes) {
    std::string out;
    std::array<char, 4096> buffer{};
    std::string in(bytes);
    char* src = in.data();
    std::size_t left = in.size();
    bool flushing = false;
    while (true) {
      char* dst = buffer.data();
      std::size_t room = buffer.size();
      std::size_t rc = flushing ? ::iconv(cd_, nullptr, nullptr, &dst, &room) : ::iconv(cd_, &src, &left, &dst, &room);
      out.append(buffer.data(), static_cast<std::size_t>(dst - buffer.data()));
      if (rc != static_cast<std::size_t>(-1)) {
        if (flushing) break;
        if (left == 0) flushing = true;
        continue;
      }
      if (errno != E2BIG) return std::nullopt; // invalid or incomplete input
    }
    return out;
  }

private:
  iconv_t cd_;
};

} // namespace

std::optional<std::string> convert_to_utf8(std::string_view bytes, std::string_view charset) {
  Iconv conv(charset);
  if (!conv.ok()) return std::nullopt;
  return conv.convert(bytes);
}

std::string windows1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) append_windows1252(out, static_cast<unsigned char>(ch));
  return out;
}

std::string repair_utf8(std::string_view bytes) {
  if (is_valid_utf8(bytes)) return std::string(bytes);
  std::string out;
  for (std::size_t i = 0; i < bytes.size();) {
    std::size_t len = utf8_length_at(bytes, i);
    if (len == 0) {
      append_windows1252(out, static_cast<unsigned char>(bytes[i]));
      ++i;
    } else {
      out.append(bytes.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::string decode_text(std::string_view bytes, std::string_view charset) {
  if (is_utf8_name(charset)) return repair_utf8(bytes);
  if (is_windows1252_name(charset)) return windows1252_to_utf8(bytes);
  if (auto text = convert_to_utf8(bytes, charset)) return *text;
  return repair_utf8(bytes);
}

std::string decode_bom(std::string_view bytes, std::string_view source) {
  auto starts = [&](std::string_view bom) { return bytes.substr(0, bom.size()) == bom; };
  if (starts("\xEF\xBB\xBF")) return std::string(bytes.substr(3));
  for (const char* name : {"UTF-16LE", "UTF-16BE"}) {
    bool le = name[6] == 'L';
    if (!starts(le ? std::string_view("\xFF\xFE") : std::string_view("\xFE\xFF"))) continue;
    auto text = convert_to_utf8(bytes.substr(2), name);
    if (!text) throw_data(fmt::format("the file is not valid {}", name), std::string(source));
    return *text;
  }
  return std::string(bytes);
}

void check_charset(std::string_view charset) {
  if (is_utf8_name(charset) || is_windows1252_name(charset)) return;
  Iconv conv(charset);
  if (!conv.ok())
    throw_usage(fmt::format("unknown charset \"{}\"", charset), "--charset",
                "try UTF-8, windows-1252, ISO-8859-1, SHIFT_JIS (see 'iconv --list')");
}

} // namespace followup
