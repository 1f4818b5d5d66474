#!/usr/bin/env python3
"""The due list as a Python user would script it (stdlib json + datetime),
for the books gen_book.py writes (tag rules, d/w units). Prints tsv:
id, name, due, overdue, last, rule — most overdue first, ties by name.

    bench/due_baseline.py BOOK TODAY
"""
import datetime as dt
import json
import sys

DAYS = {"d": 1, "w": 7}


def days(text):
    return int(text[:-1]) * DAYS[text[-1]]


def main():
    path, today = sys.argv[1], dt.date.fromisoformat(sys.argv[2])
    with open(path, encoding="utf-8") as f:
        book = json.load(f)
    rules = [(r, {m[4:] for m in r["match"].split(" or ")}) for r in book.get("rules", [])]
    rows = []
    for c in book["contacts"]:
        tags = set(c.get("tags", []))
        if "every" in c:
            rule = {"name": "own", "every": c["every"], "counts": c.get("counts")}
        else:
            rule = next((r for r, wanted in rules if tags & wanted), {"name": "default", "every": "30d"})
        counts = rule.get("counts")
        dates = [i["date"] for i in c.get("interactions", []) if counts is None or i["kind"] in counts]
        last = max(dates) if dates else ""
        due = dt.date.fromisoformat(last or c["added"]) + dt.timedelta(days=days(rule["every"]))
        if "snoozed_until" in c:
            due = max(due, dt.date.fromisoformat(c["snoozed_until"]))
        if due <= today:
            rows.append(((today - due).days, c["name"], c["id"], due.isoformat(), last, rule["name"]))
    rows.sort(key=lambda r: (-r[0], r[1]))
    out = sys.stdout
    for overdue, name, cid, due, last, rule in rows:
        out.write(f"{cid}\t{name}\t{due}\t{overdue}\t{last}\t{rule}\n")


if __name__ == "__main__":
    main()
