#!/usr/bin/env python3
"""`followup log` as a Python user would script it: load, append, sort,
pretty-dump, fsync, rename.

    bench/log_baseline.py BOOK ID DATE KIND NOTE
"""
import json
import os
import sys
import tempfile


def main():
    path, cid, date, kind, note = sys.argv[1:6]
    with open(path, encoding="utf-8") as f:
        book = json.load(f)
    contact = next(c for c in book["contacts"] if c["id"] == cid)
    contact.setdefault("interactions", []).append({"date": date, "kind": kind, "note": note})
    contact["interactions"].sort(key=lambda i: i["date"])
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)))
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(book, f, ensure_ascii=False, indent=2)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
