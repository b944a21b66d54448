"""Checks Parallax's exports with the tools that read those formats (tests/formats/run.sh).

    python check_exports.py OUT FIXTURE

FIXTURE is the native JSONL file tests/formats/fixture.py wrote and the workspace imported:
every one of its documents must come out with exactly its spans and relations, so that a span
lost on the way in cannot pass unseen (the exports are compared with the native one below).

OUT holds one export per format, made from the same workspace:
  jsonl/data.jsonl, claims/claims.jsonl, spacy/data.jsonl, doccano/data.jsonl,
  doccano-label/data.jsonl, label-studio/data.json, brat/ (a folder), conll/data.conll,
  split/ (a spaCy export split 60/20/20 by claim group).
Every check compares against the native JSONL export, which is the reference.
"""

import json
import sys
from collections import Counter
from pathlib import Path

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def squash(s):
    return "".join(s.split())


def reference(out):
    """The native export: documents by id, and every span as Python slices it."""
    docs = {}
    for doc in read_jsonl(out / "jsonl" / "data.jsonl"):
        for s in doc["spans"]:
            check(
                doc["text"][s["start"]:s["end"]] == s["text"],
                f"jsonl: text[{s['start']}:{s['end']}] != {s['text']!r}",
            )
        docs[doc["id"]] = doc
    return docs


def check_fixture(docs, fixture):
    """Every fixture document is in the native export with exactly its spans and relations."""
    texts = by_text(docs)
    for want in fixture:
        got = texts.get(want["text"])
        check(got is not None, f"fixture: {want['meta']['title']} is not in the native export")
        if got is None:
            continue
        check(
            {(s["start"], s["end"], s["label"], s["text"]) for s in got["spans"]}
            == {(s["start"], s["end"], s["label"], s["text"]) for s in want["spans"]},
            f"fixture: spans of {want['meta']['title']} differ from the file imported",
        )
        check(len(got["relations"]) == len(want["relations"]),
              f"fixture: {len(got['relations'])} relations of {want['meta']['title']}, want {len(want['relations'])}")
    print(f"fixture: its {len(fixture)} documents came in with every span and relation")


def spans_of(doc):
    return {(s["start"], s["end"], s["label"]) for s in doc["spans"]}


def by_text(docs):
    return {d["text"]: d for d in docs.values()}


def check_spacy(out, docs):
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.blank("en")
    texts = by_text(docs)
    spans = misaligned = 0
    for task in read_jsonl(out / "spacy" / "data.jsonl"):
        ref = texts[task["text"]]
        words = [t["text"] for t in task["tokens"]]
        spaces = [t["ws"] for t in task["tokens"]]
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
        check(doc.text == task["text"], f"spacy: tokens do not rebuild the text of {ref['id']}")
        got = set()
        for s in task["spans"]:
            span = doc.char_span(s["start"], s["end"], label=s["label"])
            check(span is not None, f"spacy: char_span({s['start']}, {s['end']}) is None in {ref['id']}")
            if span is not None:
                check(
                    (span.start, span.end - 1) == (s["token_start"], s["token_end"]),
                    f"spacy: token_start/token_end of {s} are not spaCy's",
                )
            got.add((s["start"], s["end"], s["label"]))
            # Against spaCy's own English tokenizer: how many spans fall inside a token.
            spans += 1
            if nlp.make_doc(task["text"]).char_span(s["start"], s["end"]) is None:
                misaligned += 1
        check(got == spans_of(ref), f"spacy: spans of {ref['id']} differ from the native export")
        doc.spans["sc"] = [doc.char_span(s["start"], s["end"], label=s["label"]) for s in task["spans"]]
        for r in task["relations"]:
            check(r["head"] == r["head_span"]["token_end"], f"spacy: relation head {r}")
        check(len(task["relations"]) == len(ref["relations"]), f"spacy: relations of {ref['id']}")
    print(f"spacy: {spans} spans, all found by Doc.char_span on the exported tokens; "
          f"{misaligned} not aligned with spacy.blank('en') tokens")


def check_datasets(out):
    from datasets import load_dataset

    for name in ["jsonl/data.jsonl", "claims/claims.jsonl", "claim-pairs/pairs.jsonl", "spacy/data.jsonl",
                 "doccano/data.jsonl", "doccano-label/data.jsonl"]:
        path = out / name
        ds = load_dataset("json", data_files=str(path), split="train")
        check(ds.num_rows == len(read_jsonl(path)), f"datasets: {name} has {ds.num_rows} rows")
        print(f"datasets: {name} loads, {ds.num_rows} rows, columns {sorted(ds.column_names)[:6]}...")
    split = out / "split"
    files = {p: str(split / f"{p}.jsonl") for p in ["train", "dev", "test"]}
    ds = load_dataset("json", data_files=files)
    manifest = json.loads((split / "manifest.json").read_text(encoding="utf-8"))
    for part in manifest["parts"]:
        check(ds[part["name"]].num_rows == part["documents"], f"datasets: split {part['name']}")
    print(f"datasets: split loads as {dict((k, v.num_rows) for k, v in ds.items())}")


def check_doccano(out, docs):
    texts = by_text(docs)
    for line in read_jsonl(out / "doccano" / "data.jsonl"):
        ref = texts[line["text"]]
        got = {(e["start_offset"], e["end_offset"], e["label"]) for e in line["entities"]}
        check(got == spans_of(ref), f"doccano: entities of {ref['id']}")
        ids = {e["id"] for e in line["entities"]}
        check(all(r["from_id"] in ids and r["to_id"] in ids for r in line["relations"]), "doccano: relation ids")
        check(len(line["relations"]) == len(ref["relations"]), f"doccano: relations of {ref['id']}")
    for line in read_jsonl(out / "doccano-label" / "data.jsonl"):
        ref = texts[line["text"]]
        check({tuple(x) for x in line["label"]} == spans_of(ref), f"doccano-label: labels of {ref['id']}")
    print("doccano: both forms carry the same spans as the native export")


def check_claims(out, docs):
    lines = read_jsonl(out / "claims" / "claims.jsonl")
    claims = sum(1 for d in docs.values() for s in d["spans"] if s["label"] == "CLAIM")
    check(len(lines) == claims, f"claims: {len(lines)} lines for {claims} CLAIM spans")
    for c in lines:
        text = docs[c["document_id"]]["text"]
        check(text[c["start"]:c["end"]] == c["text"], f"claims: {c['claim_id']} offsets")
        ctx = c["context"]
        check(text[ctx["start"]:ctx["end"]] == ctx["text"], f"claims: context of {c['claim_id']}")
        check(ctx["start"] <= c["start"] and c["end"] <= ctx["end"], f"claims: context holds the claim")
        for s in c["sources"] + c["cues"] + c["quantities"]:
            check(text[s["start"]:s["end"]] == s["text"], f"claims: linked span {s['span_id']}")
    grouped = [c for c in lines if c["group"] is not None]
    check(len(grouped) >= 5, f"claims: the demo's grouped claims ({len(grouped)})")
    figures = [q["figure"] for c in lines for q in c["quantities"] if "figure" in q]
    check(any(f["value"] == 15000 and f["qualifier"] == "some" for f in figures),
          f"claims: 'some 15,000 residents' parsed ({figures})")
    check(any(c["figures_disagree"] for c in grouped), "claims: 15,000 vs 12,000 flagged")
    print(f"claims: {len(lines)} claims, every claim and context slices out of its document; "
          f"{len(grouped)} grouped, {len(figures)} figures")


def check_claim_pairs(out, docs):
    claims = {c["claim_id"]: c for c in read_jsonl(out / "claims" / "claims.jsonl")}
    pairs = read_jsonl(out / "claim-pairs" / "pairs.jsonl")
    members = {}
    for c in claims.values():
        if c["group"]:
            members.setdefault(c["group"]["id"], []).append(c["claim_id"])
    want = sum(len(m) * (len(m) - 1) // 2 for m in members.values())
    positives = [p for p in pairs if p["label"] == 1]
    negatives = [p for p in pairs if p["label"] == 0]
    check(len(positives) == want, f"claim-pairs: {len(positives)} positives, want {want}")
    check(len(negatives) == len(positives), f"claim-pairs: {len(negatives)} negatives")
    for p in pairs:
        a, b = claims[p["claim_a"]], claims[p["claim_b"]]
        check(p["text_a"] == a["text"] and p["text_b"] == b["text"], "claim-pairs: texts are the claims'")
        same = a["group"]["id"] == b["group"]["id"]
        check(same == (p["label"] == 1), f"claim-pairs: label of {p['claim_a']}/{p['claim_b']}")
    print(f"claim-pairs: {len(positives)} positives, {len(negatives)} negatives, labels match the groups")


def check_label_studio(out, docs, fixture_texts):
    tasks = json.loads((out / "label-studio" / "data.json").read_text(encoding="utf-8"))
    texts = by_text(docs)
    differ = 0
    for task in tasks:
        text = task["data"]["text"]
        ref = texts[text]
        utf16 = text.encode("utf-16-le")
        result = task["annotations"][0]["result"]
        regions = {}
        for r in result:
            if r["type"] != "labels":
                continue
            v = r["value"]
            sliced = utf16[2 * v["start"]:2 * v["end"]].decode("utf-16-le")
            check(sliced == v["text"], f"label-studio: UTF-16 [{v['start']}, {v['end']}) != {v['text']!r}")
            regions[r["id"]] = v
            cp = text.index(v["text"]) if text.count(v["text"]) == 1 else None
            if cp is not None and cp != v["start"] and text in fixture_texts:
                differ += 1
        rels = [r for r in result if r["type"] == "relation"]
        check(all(r["from_id"] in regions and r["to_id"] in regions for r in rels), "label-studio: relation ids")
        check(len(regions) == len(ref["spans"]) and len(rels) == len(ref["relations"]),
              f"label-studio: regions and relations of {ref['id']}")
    check(differ > 0, "label-studio: no fixture span after an emoji; the fixture should have some")
    config = (out / "label-studio" / "data.label_config.xml").read_text(encoding="utf-8")
    import xml.etree.ElementTree as ET
    root = ET.fromstring(config)
    check(root.tag == "View" and root.find("Labels") is not None, "label-studio: config")
    print(f"label-studio: every region slices by UTF-16 units; {differ} fixture spans start where code points would not")


def check_brat(out, docs):
    from pybrat.parser import BratParser

    examples = BratParser(error="raise").parse(str(out / "brat"))
    texts = by_text(docs)
    entities = relations = 0
    for ex in examples:
        ref = texts[ex.text]
        got = set()
        for e in ex.entities:
            frags = [ex.text[s.start:s.end] for s in e.spans]
            check(" ".join(frags) == e.mention, f"brat: {e.id} mention {e.mention!r} != {frags!r}")
            got.add((e.spans[0].start, e.spans[-1].end, e.type))
            entities += 1
        check(got == spans_of(ref), f"brat: entities of {ref['id']}")
        check(len(ex.relations) == len(ref["relations"]), f"brat: relations of {ref['id']}")
        relations += len(ex.relations)
    check(len(examples) == len(docs), f"brat: {len(examples)} documents")
    print(f"brat: pybrat reads {len(examples)} documents, {entities} entities, {relations} relations")


def check_conll(out, docs):
    from seqeval.metrics.sequence_labeling import get_entities

    lines = (out / "conll" / "data.conll").read_text(encoding="utf-8").split("\n")
    manifest = json.loads((out / "conll" / "data.manifest.json").read_text(encoding="utf-8"))
    left_out = sum(n for reason, n in manifest["totals"]["left_out"].items() if "span" in reason)
    documents, sentence, found = [], [], []
    for line in lines + [""]:
        if line.startswith("-DOCSTART-"):
            documents.append([])
            continue
        if not line.strip():
            if sentence:
                documents[-1].append(sentence)
            sentence = []
            continue
        cols = line.split(" ")
        check(len(cols) == 4, f"conll: line {line!r} has {len(cols)} columns")
        sentence.append((cols[0], cols[-1]))
    check(len(documents) == len(docs), f"conll: {len(documents)} documents")
    for sentences in documents:
        for sent in sentences:
            tags = [t for _, t in sent]
            for label, a, b in get_entities(tags):
                found.append((squash("".join(w for w, _ in sent[a:b + 1])), label))
    ref = Counter((squash(s["text"]), s["label"]) for d in docs.values() for s in d["spans"])
    got = Counter(found)
    check(not (got - ref), f"conll: entities not in the native export: {got - ref}")
    check(sum(got.values()) + left_out == sum(ref.values()),
          f"conll: {sum(got.values())} entities + {left_out} left out != {sum(ref.values())} spans")
    print(f"conll: seqeval finds {sum(got.values())} entities, {left_out} overlapping spans left out (manifest)")


def main():
    out = Path(sys.argv[1])
    fixture = read_jsonl(Path(sys.argv[2]))
    docs = reference(out)
    check_fixture(docs, fixture)
    for run in (check_claims, check_claim_pairs, check_doccano, check_spacy, check_brat, check_conll):
        run(out, docs)
    check_label_studio(out, docs, {d["text"] for d in fixture})
    check_datasets(out)
    if failures:
        print(f"\n{len(failures)} check(s) failed:", file=sys.stderr)
        for f in failures[:50]:
            print("  " + f, file=sys.stderr)
        sys.exit(1)
    print(f"formats: every check passed ({len(docs)} documents)")


if __name__ == "__main__":
    main()
