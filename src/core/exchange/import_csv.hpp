// The parts of CSV import: the file's rows (import_csv_rows.cpp), what its
// columns feed (import_csv_columns.cpp), and the records made of them
// (import_csv.cpp). Internal to the core.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "followup/exchange/import.hpp"

namespace followup::csv {

struct Row {
  std::size_t line = 0; // where the row starts
  std::vector<std::string> cells;
};

// The rows of a CSV file's bytes, blank lines left out. Throws Error{data}
// naming `source` for a quoted cell never closed.
std::vector<Row> read_rows(std::string_view bytes, std::string_view source, const std::optional<std::string>& charset);

struct Typed {
  std::size_t value;
  std::optional<std::size_t> type_col; // Google's "... - Type" column
  std::string type;                    // a fixed type (Outlook, Thunderbird)
};

// Which column feeds what.
struct Plan {
  std::optional<std::size_t> name, given, family, org, notes, id, last, every, birthday, year, month, day;
  std::vector<std::size_t> tags;
  std::vector<Typed> emails, phones, addresses;
  std::vector<std::pair<std::string, std::size_t>> fields; // --map to other fields
};

// What the header's columns feed: the layouts recognised, then the --map
// options over them. Throws Error{usage} for a map naming no column or a
// target mapped twice.
Plan plan_columns(const std::vector<std::string>& header, const std::vector<ColumnMap>& maps, std::string_view source);

// What each column feeds, in the header's order, then those nothing reads.
std::vector<std::string> describe(const Plan& p, const std::vector<std::string>& header);

} // namespace followup::csv
