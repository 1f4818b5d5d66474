#!/usr/bin/env bash
# ctest: the man page formats with no groff warning at all (-ww enables every
# warning; -z formats and discards the output).
#   man_lint.sh PATH/TO/followup.1
set -uo pipefail

page=${1:?usage: man_lint.sh PATH/TO/followup.1}
if ! command -v groff >/dev/null 2>&1; then
  echo "man_lint: groff is not installed, so the man page cannot be checked;" \
    "install groff-base (it is in the README's apt-get line)" >&2
  exit 1
fi
[ -s "$page" ] || { echo "man_lint: $page is missing or empty" >&2; exit 1; }

err=$(groff -ww -man -z "$page" 2>&1 >/dev/null)
rc=$?
if [ "$rc" -ne 0 ] || [ -n "$err" ]; then
  echo "man_lint: groff -ww -man -z $page (exit $rc):" >&2
  printf '%s\n' "$err" >&2
  exit 1
fi
echo "man_lint: groff -ww -man -z $page: no warnings"
