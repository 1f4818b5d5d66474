#!/bin/sh
# Today's call list, one line a person, most overdue first, built from
# `followup due --format tsv` with awk.
#
#   examples/call-list.sh                 everyone who is due
#   examples/call-list.sh --tag client    only clients (any `due` option works)
#   examples/call-list.sh --within 1w     ... and who falls due within a week
#
# The tsv columns (no header, one contact a line, in this order):
#   1 id  2 name  3 due  4 overdue  5 last  6 last_kind  7 every  8 rule  9 tags
# `overdue` is in days: 0 is today, negative is upcoming; `last` is empty
# when there has never been a check-in that counts.
followup due --format tsv "$@" |
  awk -F '\t' '{
    if ($4 > 0) when = $4 " days overdue"
    else if ($4 == 0) when = "due today"
    else when = "due in " (-$4) " days"
    last = ($5 == "") ? "never in touch" : "last " $6 " " $5
    printf "[ ] %s (%s): %s, %s\n", $2, $1, when, last
  }'
