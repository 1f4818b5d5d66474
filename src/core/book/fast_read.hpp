// What exists only for speed when a book is read: the contacts array in
// parts on several threads (read_contacts.cpp), each thread's heap readied
// (heap.cpp), the pages of the text let go of behind the reading. Private to
// the core: load_book (book_file.hpp) is the door, the tests of the parallel
// read the only other users. The book is the same either way.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "followup/book/json_io.hpp"

namespace followup {

// How parse_book goes about a book.
struct ParseOptions {
  // Up to this many threads read the "contacts" array in parts, when the
  // book is laid out one contact a line (as followup writes it) and each
  // part would be at least `min_part_bytes`: a large book on several
  // cores. 1: one pass. Starting a thread costs less than reading a
  // quarter megabyte: even a 500-contact book (0.7 MB) is read sooner in
  // two parts (docs/performance.md).
  unsigned threads = 1;
  std::size_t min_part_bytes = std::size_t{256} << 10;
  // The text is cut in up to `threads * parts_per_thread` parts, each taken
  // by the next thread free: a thread that starts late or runs slow (a
  // busy core) leaves the others less to wait for than a half would.
  unsigned parts_per_thread = 16;
  // Each reader of the contacts (the calling thread's, a part's) readies its
  // thread's heap for what it is about to build (prepare_heap, heap.hpp).
  bool prepare_heaps = false;
  // When set, told (from any of the threads) that the reading is done with
  // text[begin, end): a caller may let go of those bytes (they are read
  // again only to place an error).
  std::function<void(std::size_t begin, std::size_t end)> done_with;
  // When set, counts up for each part read on another thread and taken
  // (none: one pass). For tests and benchmarks: the book is the same.
  unsigned* parts_taken = nullptr;
};

// parse_book, gone about as `options` say.
Book parse_book(std::string_view text, std::string_view source, LoadDetail detail, const ParseOptions& options);

} // namespace followup
