#!/usr/bin/env python3
"""Sanity check for the hand-annotated attribution gold set.

For every entry in gold.json, verify that content, source and cue occur in
the article text (whitespace-insensitive), and that source and cue occur
close to the content (a loose proximity check, reported as a warning).
Prints counts per kind and per file. Exit status 1 if any entry fails.
"""
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = {"direct", "mixed", "indirect"}
NEAR = 300  # characters either side of the content for the proximity check


def pattern(s):
    return r"\s+".join(re.escape(w) for w in s.split())


def main():
    with open(os.path.join(HERE, "gold.json"), encoding="utf-8") as fh:
        gold = json.load(fh)
    texts = {}
    errors = warnings = 0
    per_kind, per_file = Counter(), Counter()
    for i, e in enumerate(gold):
        f = e["file"]
        if f not in texts:
            with open(os.path.join(HERE, f), encoding="utf-8") as fh:
                texts[f] = fh.read()
        text = texts[f]
        if e["kind"] not in KINDS:
            print(f"[{i}] {f}: bad kind {e['kind']!r}")
            errors += 1
        m = None
        for field in ("content", "source", "cue"):
            s = e[field]
            if not s.strip():
                print(f"[{i}] {f}: empty {field}")
                errors += 1
                continue
            hit = re.search(pattern(s), text)
            if not hit:
                print(f"[{i}] {f}: {field} not found: {s!r}")
                errors += 1
            elif field == "content":
                m = hit
        if m:
            window = text[max(0, m.start() - NEAR): m.end() + NEAR]
            for field in ("source", "cue"):
                if not re.search(pattern(e[field]), window):
                    print(f"[{i}] {f}: warning: {field} {e[field]!r} not within {NEAR} chars of content")
                    warnings += 1
        per_kind[e["kind"]] += 1
        per_file[f] += 1
    print(f"entries: {len(gold)}  articles: {len(per_file)}")
    for k in sorted(per_kind):
        print(f"  {k:9s} {per_kind[k]}")
    print("per file: " + ", ".join(f"{f}={n}" for f, n in sorted(per_file.items())))
    print(f"errors: {errors}  warnings: {warnings}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
