"""Writes a native JSONL file with documents whose spans sit after characters that count
differently in code points and UTF-16 (flag and face emoji, an accent written as e + U+0301),
with overlapping and nested spans and a span across a line break. The project's own text."""

import json
import sys

DOCS = [
    (
        "🇺🇦 Kyiv — “Some units are returning to their bases,” said Maj. Gen. Igor Konashenkov.\n\n"
        "Over 100,000 troops remain near the border 😐, officials said on Tuesday.",
        [
            ("Some units are returning to their bases", "CLAIM"),
            ("Maj. Gen. Igor Konashenkov", "SOURCE"),
            ("said", "CUE"),
            ("Over 100,000 troops", "QUANTITY"),
            ("Over 100,000 troops remain near the border", "CLAIM"),
            ("officials", "SOURCE"),
        ],
        [(0, 1, "attributed_to"), (2, 0, "cue_of"), (3, 4, "quantity_of"), (4, 5, "attributed_to")],
    ),
    (
        "The Velska dam released water on Monday.\nThe agency’s director told reporters in Sainte-Mère-Église "
        "that “no village is at risk”, according to a statement by the café’s owner.",
        [
            ("Monday.\nThe agency’s director", "EVIDENCE"),
            ("The agency’s director", "SOURCE"),
            ("no village is at risk", "CLAIM"),
            ("according to", "CUE"),
            ("café’s owner", "SOURCE"),
        ],
        [(2, 1, "attributed_to"), (3, 2, "cue_of")],
    ),
]


def main(path):
    with open(path, "w", encoding="utf-8") as out:
        for n, (text, spans, relations) in enumerate(DOCS):
            text = text.replace("Mère", "Me\u0300re")  # a combining accent
            rows = []
            for i, (needle, label) in enumerate(spans):
                start = text.index(needle)
                rows.append({"id": f"s{i}", "start": start, "end": start + len(needle), "label": label, "text": needle})
            rels = [{"head": f"s{h}", "child": f"s{c}", "label": l} for h, c, l in relations]
            doc = {
                "text": text,
                "meta": {"title": f"Fixture {n}", "outlet": f"outlet{n}.example", "published": "2022-02-15"},
                "status": "done",
                "spans": rows,
                "relations": rels,
                "schema_version": 1,
            }
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
