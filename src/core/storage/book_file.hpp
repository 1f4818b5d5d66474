// The book file's bytes, and the one door to the fast reader. Everything
// that exists only for speed when a book is read (the mapping and its pages
// let go of behind the reading, the contacts read in parts on several
// threads, each thread's heap readied) is reached through load_book, and
// from nowhere else: the model and the public headers know nothing of it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "followup/book/json_io.hpp"
#include "followup/model/model.hpp"

namespace followup {

// A book's text: the file mapped (no copy), else read into memory. Writers
// never change a book in place (they rename a new file over it), so the
// mapped bytes stay as they were.
class BookText {
public:
  // Takes `fd` (from open_book) and closes it.
  BookText(int fd, std::size_t size, std::filesystem::path path);
  ~BookText();
  BookText(const BookText&) = delete;
  BookText& operator=(const BookText&) = delete;

  std::string_view text() const { return map_ ? std::string_view(map_, size_) : std::string_view(bytes_.get(), size_); }
  const std::filesystem::path& path() const { return path_; }
  // Throws Error{io} when another program truncated the file while it was
  // read: what was read is not the book.
  void require_whole() const;
  // Mapped in one go; letting go of its pages while reading would only cost
  // (a TLB flush on every core the reading runs on, every few MB).
  bool whole() const { return size_ <= kWholeMap; }
  // Drops from the process the mapped pages that lie wholly in [begin, end)
  // (they stay in the page cache; only an error's line and column reads them
  // again): a read-only load of a large book never holds the whole file and
  // its model at once. Called from the reading threads: no state.
  void release(std::size_t begin, std::size_t end) const;

private:
  static constexpr std::size_t kWholeMap = std::size_t{64} << 20;
  std::filesystem::path path_;
  char* map_ = nullptr;
  std::size_t size_ = 0;
  std::unique_ptr<char[]> bytes_; // not a std::string: resizing one would first zero every byte
};

// Opens the book; -1 when it is missing and that is fine. `size` is its size.
int open_book(const std::filesystem::path& p, bool missing_ok, std::size_t& size);

// parse_book over the file's text on up to `threads` threads, each reading
// thread's heap readied for the model, and a large summary's pages let go
// of behind the reading; then, and on an error, the text must be whole
// (a truncation explains an error better than the error does). The book
// is the one parse_book gives. `keep_pages`: the caller reads the text
// again afterwards (log's splice), so nothing is let go of.
Book load_book(const BookText& text, LoadDetail detail, unsigned threads, bool keep_pages = false);

} // namespace followup
