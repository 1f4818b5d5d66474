#!/usr/bin/env python3
"""Writes a synthetic followup book for benchmarks: N contacts, a mean of K
check-ins each over Y years, tag rules, own cadences, counts, snoozes and
UTF-8 names. Deterministic for a seed.

    bench/gen_book.py --contacts 10000 > /tmp/book.json
"""
import argparse
import datetime as dt
import json
import random
import sys
import unicodedata

GIVEN = ["Ana", "José", "Kris", "Reno", "Mei", "Olu", "Sven", "Zoë", "Amir", "Lena",
         "Tom", "Priya", "Noah", "Chloé", "Ivan", "Sara", "Kenji", "Maya", "Ali", "Eva"]
FAMILY = ["López", "Smith", "Nguyen", "Müller", "Okafor", "Rossi", "Kowalski", "Tanaka",
          "Haddad", "Dubois", "Silva", "Johansson", "Brown", "García", "Kim", "Novak"]
TAGS = ["friend", "family", "client", "vip", "soccer", "school", "supplier", "neighbor"]
KINDS = ["call", "call", "call", "visit", "email", "message", "meeting"]
NOTES = ["Asked about the new kitchen project.", "Kids home sick; tough month.",
         "New hobby: sourdough.", "Back at the office next month.",
         "Wedding planning, venue fell through.", "Happy with the last order.",
         "Wants a quote in spring.", "Left a voicemail."]
RULES = [
    {"name": "family", "match": "tag:family", "every": "14d"},
    {"name": "vip", "match": "tag:vip", "every": "30d"},
    {"name": "clients", "match": "tag:client", "every": "90d", "counts": ["call", "visit", "meeting"]},
    {"name": "friends", "match": "tag:friend or tag:soccer", "every": "45d"},
]


def slug(name):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_name).split())


def contact(rnd, today, span, per_contact, ids):
    name = f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}"
    base = slug(name)
    ids[base] = ids.get(base, 0) + 1
    cid = base if ids[base] == 1 else f"{base}-{ids[base]}"
    added = today - dt.timedelta(days=rnd.randint(30, span))
    count = max(0, int(rnd.expovariate(1.0 / per_contact))) if per_contact > 0 else 0
    offsets = sorted(rnd.randint(0, (today - added).days) for _ in range(count))
    interactions = []
    for off in offsets:
        it = {"date": (added + dt.timedelta(days=off)).isoformat(), "kind": rnd.choice(KINDS)}
        if rnd.random() < 0.7:
            it["note"] = rnd.choice(NOTES)
        if rnd.random() < 0.3:
            it["by"] = rnd.choice(["kris", "reno"])
        interactions.append(it)
    c = {"id": cid, "name": name, "tags": sorted(set(rnd.sample(TAGS, rnd.randint(0, 2))))}
    if rnd.random() < 0.1:
        c["every"] = rnd.choice(["10d", "3w", "60d"])
    if rnd.random() < 0.5:
        c["fields"] = {"phone": f"+1 555 {rnd.randint(0, 9999):04d}"}
    if rnd.random() < 0.2:
        c["notes"] = rnd.choice(NOTES)
    c["added"] = added.isoformat()
    if rnd.random() < 0.03:
        c["snoozed_until"] = (today + dt.timedelta(days=rnd.randint(1, 60))).isoformat()
    c["interactions"] = interactions
    return c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, default=1000)
    ap.add_argument("--per-contact", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--today", default="2026-11-22")
    ap.add_argument("--years", type=int, default=4)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    today = dt.date.fromisoformat(a.today)
    ids = {}
    book = {"followup": 1, "rules": RULES,
            "contacts": [contact(rnd, today, 365 * a.years, a.per_contact, ids) for _ in range(a.contacts)]}
    json.dump(book, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
