#include <doctest/doctest.h>

#include "run.hpp"

using namespace e2e;

TEST_CASE("add then due lists the contact once it falls due") {
  Book b;
  auto r = b({"add", "Ana López", "--last", "2026-09-01", "--kind", "call"});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "Added Ana López (ana-lopez); next due 2026-10-01.\n");
  r = b({"due", "--format", "tsv"});
  CHECK(r.code == 0);
  CHECK(r.out == "ana-lopez\tAna López\t2026-10-01\t53\t2026-09-01\tcall\t30d\tdefault\t\tcadence\t\t\n");
}
