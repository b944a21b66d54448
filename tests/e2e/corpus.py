"""Datasets the end-to-end tests import: short reports, each with a SOURCE and a CLAIM span."""

import json


def write_reports(path, count, tag):
    """Writes `count` reports as doccano-style JSONL to `path`: "Report TAG-i: the ministry said
    that units i had returned to base.", with "the ministry" a SOURCE and "units i had returned"
    a CLAIM. Reports of different tags are different texts."""
    with open(path, "w", encoding="utf-8") as f:
        for i in range(count):
            text = f"Report {tag}-{i}: the ministry said that units {i} had returned to base."
            s, c = text.index("the ministry"), text.index("units")
            f.write(json.dumps({"text": text, "label": [[s, s + 12, "SOURCE"], [c, text.index(" to base"), "CLAIM"]]}) + "\n")
    return path
