// The options that choose contacts, shared by commands: --owner and --mine
// (due, list, brief; SPEC §8), and the whole set of due's filters (due and
// brief, which lists what due lists).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "context.hpp"
#include "followup/rules/due.hpp"
#include "followup/rules/expr.hpp"

namespace followup::cli {

struct OwnerOptions {
  std::vector<std::string> owners; // "none": contacts without an owner
  bool mine = false;               // --owner "$FOLLOWUP_USER"
};

void add_owner_options(CLI::App* cmd, OwnerOptions& o);

// `where` narrowed to the owners asked for; `where` itself when none is.
// --mine without $FOLLOWUP_USER is a usage error.
std::optional<Expr> narrowed_to_owners(std::optional<Expr> where, const OwnerOptions& o, const Context& ctx);

struct DueFilters {
  std::optional<std::string> within, where;
  std::vector<std::string> tags;
  std::optional<std::size_t> limit;
  OwnerOptions owners;
};

// --within, --where, --tag, --owner, --mine, --limit.
void add_due_filters(CLI::App* cmd, DueFilters& f);

// The query they ask for (checked: a bad one is a usage error).
DueQuery due_query(const DueFilters& f, const Context& ctx);

} // namespace followup::cli
