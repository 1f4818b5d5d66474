// The "contacts" array of a book: read in one pass, or, for a large book on
// several cores, in parts, each taken by the next thread free
// (ParseOptions::threads, parts_per_thread).
//
// A part starts at a '{' that opens a line indented as the first contact's
// is, after a ','. That is only a guess at a contact's start (such a line
// could sit in an unknown member), so a part is taken only when the part
// before it, read from where it started, stops at a contact that starts at
// that very byte: the part was then read from the state a single pass would
// have been in there, and holds what it would have read. Parts after a wrong
// guess are dropped, and an error in a part is found again by a single pass
// from where that part starts, so that it is worded and placed as it always
// is (contacts[N], the first error in the file).
#include <algorithm>
#include <atomic>
#include <functional>
#include <iterator>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "book/book_reader.hpp"
#include "book/book_schema.hpp"
#include "book/heap.hpp"

namespace followup::loader {
namespace {

// The first id seen again, in file order (as `check` reports it). A table
// of indexes, open addressing: one allocation for the book, no copy of an id.
void check_unique_ids(const Reader& r, const std::vector<Contact>& contacts) {
  std::size_t size = 16;
  while (size < 2 * contacts.size()) size *= 2;
  std::vector<std::size_t> slots(size, 0); // a contact's index + 1; 0 is free
  const std::hash<std::string_view> hash;
  for (std::size_t i = 0; i < contacts.size(); ++i) {
    const std::string_view id = contacts[i].id;
    for (std::size_t s = hash(id) & (size - 1);; s = (s + 1) & (size - 1)) {
      if (slots[s] == 0) {
        slots[s] = i + 1;
        break;
      }
      if (contacts[slots[s] - 1].id == id) r.fail(schema::say::id_twice(id), Where("contact ", id));
    }
  }
}

// How a run of contacts ended: at the array's ']', or at the start of the
// contact where the next part starts.
enum class RunEnd { array, next_part };

// Reads contacts up to the array's end, or up to one that starts at byte
// `stop`. `more` says whether a contact follows (begin_array's answer); `n`
// is the index of the first one, for messages.
RunEnd read_run(Reader& r, std::vector<Contact>& contacts, std::vector<std::pair<std::size_t, std::size_t>>& spans,
                bool more, std::size_t n, std::size_t stop, const std::atomic<bool>* cancel = nullptr) {
  json::Cursor& cur = r.cursor();
  for (; more; more = cur.next_element()) {
    cur.type(); // past the blanks, to where the contact's '{' is
    const std::size_t begin = cur.offset();
    if (begin == stop || (cancel && cancel->load(std::memory_order_relaxed))) {
      r.run_done();
      return RunEnd::next_part;
    }
    contacts.push_back(read_contact(r, Where("contacts", n++)));
    spans.emplace_back(begin, cur.offset());
    r.contact_done();
  }
  r.run_done();
  return RunEnd::array;
}

// About what reading `bytes` of contacts builds (measured on generated
// books: a summary takes about half the text, a full load twice it).
std::size_t model_bytes(std::size_t bytes, LoadDetail detail) {
  return is_summary(detail) ? bytes / 2 : 2 * bytes;
}

// Room for as many contacts as `bytes` of text are likely to hold (real
// ones take well over 512 bytes each): growing a vector of 100k contacts
// step by step would move and touch twice the memory, and pages reserved
// but never reached cost nothing.
std::size_t likely_contacts(std::size_t bytes) { return bytes / 512; }

// Where parts could start, for up to `parts` parts of the text after the
// first contact (at `first`), none under `min_bytes`; empty when the layout
// gives no way to guess.
std::vector<std::size_t> part_starts(std::string_view text, std::size_t first, std::size_t parts, std::size_t min_bytes) {
  std::vector<std::size_t> starts;
  parts = std::min(parts, (text.size() - first) / std::max<std::size_t>(min_bytes, 1));
  const std::size_t line = text.rfind('\n', first);
  if (parts < 2 || line == std::string_view::npos || text.find_first_not_of(" \t", line + 1) != first) return starts;
  const std::string_view opening = text.substr(line, first - line + 1); // "\n" + indentation + "{"
  std::size_t last = first;
  for (std::size_t i = 1; i < parts; ++i) {
    std::size_t at = std::max(last + 1, first + (text.size() - first) / parts * i);
    while ((at = text.find(opening, at)) != std::string_view::npos) {
      const std::size_t before = text.find_last_not_of(" \t\r\n", at);
      if (before != std::string_view::npos && text[before] == ',') break;
      at += opening.size();
    }
    if (at == std::string_view::npos) break;
    const std::size_t start = at + opening.size() - 1;
    if (start - last < min_bytes || text.size() - start < min_bytes) break;
    starts.push_back(start);
    last = start;
  }
  return starts;
}

// One part, read by whichever thread takes it first, with a reader of its own.
struct Part {
  std::string_view source, text;
  LoadDetail detail = LoadDetail::full;
  const ParseOptions* options = nullptr;
  std::size_t start = 0, stop = 0; // stop: where the next part starts, or npos
  std::vector<Contact> contacts;
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  RunEnd end = RunEnd::array;
  std::size_t end_offset = 0; // past the array's ']' when end is array
  bool failed = true;
  std::atomic<bool> done{false}; // read (or failed): the fields above are set

  void read(const std::atomic<bool>& cancel) {
    try {
      Reader r(source, text, detail, options, start);
      const std::size_t bytes = std::min(stop, text.size()) - start;
      // A quarter of the book's reserve: the part's vectors are moved into
      // the book's and dropped, and pages they reserve in a heap readied
      // with huge pages are filled 2 MB at a time (peak RSS at 100k: 0.96x
      // the file with the full reserve, 0.83x with this).
      contacts.reserve(likely_contacts(bytes) / 4);
      spans.reserve(likely_contacts(bytes) / 4);
      end = read_run(r, contacts, spans, true, 0, stop, &cancel);
      end_offset = r.cursor().offset();
      failed = false;
    } catch (...) {
      // Found again, and reported, by a single pass (read_array).
    }
    done.store(true, std::memory_order_release);
    done.notify_one();
  }
};

// The parts not yet taken, handed out one at a time to the threads that ask.
struct Queue {
  std::vector<Part>& parts;
  const std::atomic<bool>& cancel;
  std::atomic<std::size_t> next{0};

  void work() {
    for (std::size_t i; !cancel.load(std::memory_order_relaxed) && (i = next.fetch_add(1)) < parts.size();)
      parts[i].read(cancel);
  }
};

void read_array(Reader& r, Book& book) {
  json::Cursor& cur = r.cursor();
  // Contacts already read: a book with "contacts" twice (refused later, for
  // the key) numbers the second array's from 0, as a single pass does.
  const std::size_t before = book.contacts.size();
  book.contacts.reserve(likely_contacts(r.text().size()));
  book.spans.reserve(likely_contacts(r.text().size()));
  const bool more = cur.begin_array();
  const ParseOptions* o = r.options();
  std::vector<std::size_t> starts;
  if (more && o && o->threads > 1) {
    cur.type();
    const std::size_t threads = std::min(o->threads, 64u);
    starts = part_starts(r.text(), cur.offset(), threads * std::max(o->parts_per_thread, 1u), o->min_part_bytes);
  }
  const bool prepare = o && o->prepare_heaps;
  if (starts.empty()) {
    if (prepare) prepare_heap(model_bytes(r.text().size() - cur.offset(), r.detail()));
    read_run(r, book.contacts, book.spans, more, 0, std::string_view::npos);
    return;
  }
  // The calling thread reads up to the first part, then takes parts as the
  // other threads do; each thread readies its heap for its share.
  const std::size_t threads = std::min<std::size_t>(std::min(o->threads, 64u), starts.size() + 1);
  const std::size_t share = model_bytes((r.text().size() - cur.offset()) / threads, r.detail());
  std::vector<Part> parts(starts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    Part& p = parts[i];
    p.source = r.source();
    p.text = r.text();
    p.detail = r.detail();
    p.options = o;
    p.start = starts[i];
    p.stop = i + 1 < starts.size() ? starts[i + 1] : std::string_view::npos;
  }
  std::atomic<bool> cancel{false};
  Queue queue{parts, cancel};
  std::vector<std::jthread> helpers(threads - 1);
  struct Stop { // the threads are told to stop, then joined, however this ends
    std::atomic<bool>& cancel;
    std::vector<std::jthread>& threads;
    ~Stop() {
      cancel = true;
      threads.clear();
    }
  } stop{cancel, helpers};
  try {
    for (auto& helper : helpers)
      helper = std::jthread([&queue, prepare, share] {
        if (prepare) prepare_heap(share);
        queue.work();
      });
  } catch (const std::system_error&) {
    // No more threads to be had: the parts are read by those there are.
  }
  if (prepare) prepare_heap(share);

  RunEnd end = read_run(r, book.contacts, book.spans, more, 0, starts[0]);
  if (end == RunEnd::next_part) queue.work();
  for (std::size_t i = 0; i < parts.size() && end == RunEnd::next_part; ++i) {
    Part& part = parts[i];
    part.done.wait(false, std::memory_order_acquire); // every part is taken by now
    if (part.failed) { // read it again here: the error is then the one a single pass reports
      cur.seek(part.start);
      read_run(r, book.contacts, book.spans, true, book.contacts.size() - before, std::string_view::npos);
      return;
    }
    book.contacts.insert(book.contacts.end(), std::make_move_iterator(part.contacts.begin()),
                         std::make_move_iterator(part.contacts.end()));
    book.spans.insert(book.spans.end(), part.spans.begin(), part.spans.end());
    if (o->parts_taken) ++*o->parts_taken;
    end = part.end;
    if (end == RunEnd::array) cur.seek(part.end_offset);
  }
}

} // namespace

void read_contacts(Reader& r, Book& book) {
  read_array(r, book);
  check_unique_ids(r, book.contacts);
}

} // namespace followup::loader
