"""Agreement figures of `parallax agreement` against independent implementations.

Makes annotators' layers of a few texts (hand-made cases: identical, disjoint, nested,
overlapping, an empty layer, three annotators, document labels, relations; then seeded random
layers), imports each annotator's file into a workspace with the parallax CLI, assigns the
documents, exports the layers back and checks they are the layers made, and compares every
figure of `parallax agreement --json` with what this script computes from the same layers:
Cohen's kappa with scikit-learn, Krippendorff's alpha with the `krippendorff` package, span
and relation F1 by their definition in docs/teams.md. To 1e-6.

    python check_agreement.py PARALLAX_BIN WORK_DIR
    python check_agreement.py --reference EXPORT.jsonl   # the figures for an export's layers

The second form prints, as one JSON object, what the references compute for the layers of a
native JSONL export of every layer (`--layer all`): the end-to-end test of the app's Agreement
view compares the figures it shows with them.
"""

import json
import math
import random
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

TOLERANCE = 1e-6

# Words separated by single spaces, so that the word tokens are the whitespace-separated words
# (punctuation is not needed to test the coefficients; the tokenizer has tests of its own).
WORDS = (
    "officials said the troops would return to their bases on Tuesday after drills "
    "near the border the ministry told reporters café 🚌 units had completed exercises "
    "some 130000 soldiers remain Western officials doubt it"
).split()


def make_text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def word_spans(text):
    """Word tokens as [start, end) in code points."""
    out, i = [], 0
    for w in text.split(" "):
        out.append((i, i + len(w)))
        i += len(w) + 1
    return out


def hand_made_cases():
    """(texts, layers, assigned): layers[doc][annotator] = {spans, relations, doc_labels}."""
    texts = [
        "officials said the troops would return to their bases on Tuesday",
        "the ministry said some units had completed their drills near the border",
        "Western officials doubt it and café owners in the town agree 🚌 quietly",
        "some 130000 soldiers remain near the border officials said",
        "units had completed exercises the ministry told reporters",
    ]

    def sp(doc, word_from, word_to, label):
        toks = word_spans(texts[doc])
        return (toks[word_from][0], toks[word_to][1], label)

    layers = [dict() for _ in texts]
    # 0: identical layers, with a relation each and a document label each.
    for who in ["ana", "ben"]:
        layers[0][who] = {
            "spans": [sp(0, 0, 0, "SOURCE"), sp(0, 2, 10, "CLAIM")],
            "relations": [(1, 0, "attributed_to")],
            "doc_labels": ["relevant"],
        }
    # 1: nested and overlapping; ben's relation has other ends; only ana sets the label.
    layers[1]["ana"] = {
        "spans": [sp(1, 0, 1, "SOURCE"), sp(1, 3, 11, "CLAIM")],
        "relations": [(1, 0, "attributed_to")],
        "doc_labels": ["relevant"],
    }
    layers[1]["ben"] = {
        "spans": [sp(1, 1, 2, "SOURCE"), sp(1, 5, 8, "CLAIM")],
        "relations": [(1, 0, "attributed_to")],
        "doc_labels": [],
    }
    # 2: disjoint, and a third annotator who agrees with neither.
    layers[2]["ana"] = {"spans": [sp(2, 0, 1, "SOURCE")], "relations": [], "doc_labels": []}
    layers[2]["ben"] = {"spans": [sp(2, 4, 6, "CLAIM")], "relations": [], "doc_labels": []}
    layers[2]["cleo"] = {
        "spans": [sp(2, 2, 3, "CLAIM"), sp(2, 9, 9, "QUANTITY")],
        "relations": [],
        "doc_labels": ["relevant"],
    }
    # 3: ana alone marked anything; ben was assigned it (an empty layer).
    layers[3]["ana"] = {
        "spans": [sp(3, 0, 3, "QUANTITY"), sp(3, 8, 8, "SOURCE")],
        "relations": [],
        "doc_labels": [],
    }
    # 4: three annotators, two of them the same.
    for who, extra in [("ana", []), ("ben", []), ("cleo", [sp(4, 0, 0, "SOURCE")])]:
        layers[4][who] = {
            "spans": [sp(4, 5, 6, "SOURCE"), sp(4, 0, 3, "CLAIM")] + extra,
            "relations": [],
            "doc_labels": [],
        }
    assigned = {3: ["ana", "ben"], 4: ["ana", "ben", "cleo"]}
    return texts, layers, assigned


def random_cases(seed):
    rng = random.Random(seed)
    labels = ["CLAIM", "SOURCE", "CUE", "QUANTITY"]
    texts, layers, assigned = [], [], {}
    for d in range(12):
        text = make_text(rng, rng.randint(12, 40))
        toks = word_spans(text)
        texts.append(text)
        who = rng.sample(["ana", "ben", "cleo"], rng.choice([2, 3]))
        base = []
        for _ in range(rng.randint(0, 6)):
            a = rng.randrange(len(toks))
            b = min(len(toks) - 1, a + rng.randint(0, 4))
            base.append((toks[a][0], toks[b][1], rng.choice(labels)))
        doc = {}
        for w in who:
            spans = []
            for s in base:
                r = rng.random()
                if r < 0.55:
                    spans.append(s)
                elif r < 0.75:
                    # Shifted by a word at one end: overlaps, not exact.
                    a = max(0, next(i for i, t in enumerate(toks) if t[0] == s[0]) - 1)
                    spans.append((toks[a][0], s[1], s[2]))
                elif r < 0.85:
                    spans.append((s[0], s[1], rng.choice(labels)))
            spans = sorted(set(spans))
            relations = []
            claims = [i for i, s in enumerate(spans) if s[2] == "CLAIM"]
            sources = [i for i, s in enumerate(spans) if s[2] == "SOURCE"]
            if claims and sources and rng.random() < 0.7:
                relations.append((claims[0], sources[0], "attributed_to"))
            labels_set = ["relevant"] if rng.random() < 0.5 else []
            doc[w] = {"spans": spans, "relations": relations, "doc_labels": labels_set}
        # Sometimes one of them marked nothing but was assigned the document.
        if rng.random() < 0.2:
            empty = rng.choice(who)
            doc[empty] = {"spans": [], "relations": [], "doc_labels": []}
            assigned[d] = sorted(who)
        layers.append(doc)
    return texts, layers, assigned


def parallax(bin_, *args):
    done = subprocess.run([bin_, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"parallax {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def build_workspace(bin_, work, name, texts, layers, assigned):
    ws = work / name
    parallax(bin_, "init", str(ws))
    base = work / f"{name}-texts.jsonl"
    base.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    parallax(bin_, "import", str(ws), str(base))
    annotators = sorted({w for doc in layers for w in doc})
    for who in annotators:
        lines = []
        for text, doc in zip(texts, layers):
            layer = doc.get(who)
            if not layer or not (layer["spans"] or layer["doc_labels"]):
                continue
            spans = [
                {"id": f"s{i}", "start": s, "end": e, "label": l, "text": text[s:e]}
                for i, (s, e, l) in enumerate(layer["spans"])
            ]
            relations = [
                {"head": f"s{h}", "child": f"s{c}", "label": l} for h, c, l in layer["relations"]
            ]
            doc_labels = [{"label": l} for l in layer["doc_labels"]]
            lines.append(
                json.dumps(
                    {"text": text, "spans": spans, "relations": relations, "doc_labels": doc_labels}
                )
            )
        path = work / f"{name}-{who}.jsonl"
        path.write_text("\n".join(lines) + "\n")
        report = json.loads(
            parallax(bin_, "import", str(ws), str(path), "--format", "jsonl", "--annotator", who, "--json")
        )
        assert not report["imported"], f"{who}'s file made new documents: {report['imported']}"
        assert sum(l["present"] == [] for l in report["layers"]) == len(lines), report
    docs = [json.loads(l) for l in parallax(bin_, "docs", str(ws), "--json").splitlines()]
    view_ids = {}
    for d in docs:
        view = json.loads(parallax(bin_, "show", str(ws), d["id"], "--json"))
        view_ids[view["document"]["text"]] = d["id"]
    doc_ids = [view_ids[t] for t in texts]
    for d, who in assigned.items():
        parallax(bin_, "assign", str(ws), "--doc", doc_ids[d], "--to", ",".join(who))
    return ws, doc_ids


def check_export(bin_, work, ws, name, texts, layers, doc_ids):
    """The layers as exported (native JSONL, every annotator) are the layers made."""
    out = work / f"{name}-export.jsonl"
    parallax(bin_, "export", str(ws), "--format", "jsonl", "-o", str(out))
    by_text = {}
    for line in out.read_text().splitlines():
        rec = json.loads(line)
        by_text[rec["text"]] = rec
    for text, doc in zip(texts, layers):
        rec = by_text[text]
        for who, layer in doc.items():
            got = sorted(
                (s["start"], s["end"], s["label"]) for s in rec["spans"] if s["annotator"] == who
            )
            assert got == sorted(layer["spans"]), (who, got, layer["spans"])
            for s in rec["spans"]:
                assert text[s["start"] : s["end"]] == s["text"]


# --- the reference computations ---------------------------------------------------------


def participants(doc, assigned_names, chosen):
    names = {w for w, l in doc.items() if l["spans"] or l["relations"] or l["doc_labels"]}
    names |= set(assigned_names)
    return sorted(n for n in names if n in chosen)


def exact_count(a, b):
    from collections import Counter

    ca, cb = Counter(a), Counter(b)
    return sum(min(ca[k], cb[k]) for k in ca)


def overlap_count(a, b):
    a, b = sorted(a), sorted(b)
    pairs = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            common = min(x[1], y[1]) - max(x[0], y[0])
            if common > 0 and x[2] == y[2]:
                pairs.append((-common, i, j))
    pairs.sort()
    used_a, used_b, matched = set(), set(), 0
    for _, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matched += 1
    return matched


def f1(matched, first, second):
    total = first + second
    return None if total == 0 else 2 * matched / total


def tags(text, spans, labels):
    out = []
    for s, e in word_spans(text):
        over = [x for x in spans if x[0] < e and x[1] > s]
        if not over:
            out.append(0)
        else:
            best = min(over, key=lambda x: (x[0], -x[1], labels.index(x[2])))
            out.append(labels.index(best[2]) + 1)
    return out


def alpha(matrix):
    data = np.array(matrix, dtype=float)
    if data.size == 0:
        return None
    values = np.unique(data[~np.isnan(data)])
    if len(values) < 2:
        return None
    value = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    return None if math.isnan(value) else float(value)


def reference(texts, layers, assigned, chosen=None, only_labels=None):
    everyone = sorted({w for doc in layers for w in doc} - {"gold"})
    chosen = sorted(chosen or everyone)
    compared = []
    for d, (text, doc) in enumerate(zip(texts, layers)):
        names = participants(doc, assigned.get(d, []), chosen)
        if len(names) >= 2:
            compared.append((d, text, {n: doc.get(n, {"spans": [], "relations": [], "doc_labels": []}) for n in names}))
    used = sorted({s[2] for _, _, ls in compared for l in ls.values() for s in l["spans"]})
    labels = sorted(only_labels) if only_labels else used
    doc_label_names = sorted({x for _, _, ls in compared for l in ls.values() for x in l["doc_labels"]})

    def spans_of(layer, label=None):
        return [s for s in layer["spans"] if s[2] in labels and (label is None or s[2] == label)]

    def links_of(layer):
        out = []
        for h, c, kind in layer["relations"]:
            head, child = layer["spans"][h], layer["spans"][c]
            if head[2] in labels and child[2] in labels:
                out.append((kind, head, child))
        return out

    pairs = {}
    per_label = {l: [0, 0, 0, 0] for l in labels}  # exact matched, overlap matched, first, second
    per_doc = []
    chars_by_label = {l: [] for l in labels}  # columns: one list of values per annotator
    doc_label_columns = []
    for d, text, ls in compared:
        names = sorted(ls)
        doc_counts = [0, 0, 0, 0]
        for a, b in combinations(names, 2):
            p = pairs.setdefault((a, b), {"docs": 0, "e": 0, "o": 0, "n1": 0, "n2": 0, "r": [0, 0, 0], "ta": [], "tb": []})
            p["docs"] += 1
            for label in labels:
                x, y = spans_of(ls[a], label), spans_of(ls[b], label)
                e, o = exact_count(x, y), overlap_count(x, y)
                for counts in (per_label[label], doc_counts):
                    counts[0] += e
                    counts[1] += o
                    counts[2] += len(x)
                    counts[3] += len(y)
                p["e"] += e
                p["o"] += o
                p["n1"] += len(x)
                p["n2"] += len(y)
            la, lb = links_of(ls[a]), links_of(ls[b])
            p["r"][0] += exact_count(la, lb)
            p["r"][1] += len(la)
            p["r"][2] += len(lb)
            p["ta"] += tags(text, spans_of(ls[a]), labels)
            p["tb"] += tags(text, spans_of(ls[b]), labels)
        per_doc.append((d, doc_counts))
        n = len(text)
        for label in labels:
            for i in range(n):
                column = {}
                for who in names:
                    column[who] = int(any(s[0] <= i < s[1] for s in spans_of(ls[who], label)))
                chars_by_label[label].append(column)
        for name in doc_label_names:
            doc_label_columns.append({who: int(name in ls[who]["doc_labels"]) for who in names})

    def matrix(columns):
        return [[c.get(who, np.nan) for c in columns] for who in chosen]

    out = {"documents": len(compared), "labels": labels, "pairs": {}, "by_label": {}, "by_document": {}}
    kappas = []
    tot = [0, 0, 0, 0]
    rel = [0, 0, 0]
    for (a, b), p in pairs.items():
        k = cohen_kappa_score(p["ta"], p["tb"]) if p["ta"] else float("nan")
        k = None if math.isnan(k) else float(k)
        if k is not None:
            kappas.append(k)
        out["pairs"][(a, b)] = {
            "documents": p["docs"],
            "exact_f1": f1(p["e"], p["n1"], p["n2"]),
            "overlap_f1": f1(p["o"], p["n1"], p["n2"]),
            "relations_f1": f1(*p["r"]),
            "kappa": k,
        }
        tot = [tot[0] + p["e"], tot[1] + p["o"], tot[2] + p["n1"], tot[3] + p["n2"]]
        rel = [rel[i] + p["r"][i] for i in range(3)]
    for label, c in per_label.items():
        out["by_label"][label] = {
            "exact_f1": f1(c[0], c[2], c[3]),
            "overlap_f1": f1(c[1], c[2], c[3]),
            "alpha": alpha(matrix(chars_by_label[label])),
        }
    for d, c in per_doc:
        out["by_document"][texts[d]] = {"exact_f1": f1(c[0], c[2], c[3]), "overlap_f1": f1(c[1], c[2], c[3])}
    all_chars = [c for label in labels for c in chars_by_label[label]]
    out["overall"] = {
        "exact_f1": f1(tot[0], tot[2], tot[3]),
        "overlap_f1": f1(tot[1], tot[2], tot[3]),
        "relations_f1": f1(*rel),
        "alpha": alpha(matrix(all_chars)),
        "mean_kappa": sum(kappas) / len(kappas) if kappas else None,
        "doc_label_alpha": alpha(matrix(doc_label_columns)),
    }
    return out


def same(what, got, want):
    if got is None or want is None:
        assert got is None and want is None, f"{what}: parallax {got}, reference {want}"
        return
    assert abs(got - want) <= TOLERANCE, f"{what}: parallax {got}, reference {want}"


def compare(bin_, ws, texts, layers, assigned, doc_ids, annotators=None, labels=None):
    args = ["agreement", str(ws), "--json"]
    if annotators:
        args += ["--annotators", ",".join(annotators)]
    for l in labels or []:
        args += ["--label", l]
    got = json.loads(parallax(bin_, *args))
    want = reference(texts, layers, assigned, annotators, labels)
    assert got["documents"] == want["documents"], (got["documents"], want["documents"])
    assert got["labels"] == want["labels"], (got["labels"], want["labels"])
    o = got["overall"]
    w = want["overall"]
    same("overall exact F1", o["spans"]["exact_f1"], w["exact_f1"])
    same("overall overlap F1", o["spans"]["overlap_f1"], w["overlap_f1"])
    same("overall relation F1", o["relations_f1"], w["relations_f1"])
    same("overall alpha", o["alpha"], w["alpha"])
    same("mean kappa", o["mean_kappa"], w["mean_kappa"])
    same("document label alpha", o["doc_label_alpha"], w["doc_label_alpha"])
    assert len(got["pairs"]) == len(want["pairs"]), (got["pairs"], want["pairs"])
    for p in got["pairs"]:
        r = want["pairs"][(p["first"], p["second"])]
        pair = f"{p['first']}~{p['second']}"
        assert p["documents"] == r["documents"], pair
        same(f"{pair} exact F1", p["spans"]["exact_f1"], r["exact_f1"])
        same(f"{pair} overlap F1", p["spans"]["overlap_f1"], r["overlap_f1"])
        same(f"{pair} relation F1", p["relations_f1"], r["relations_f1"])
        same(f"{pair} kappa", p["kappa"], r["kappa"])
    for l in got["by_label"]:
        r = want["by_label"][l["label"]]
        same(f"{l['label']} exact F1", l["spans"]["exact_f1"], r["exact_f1"])
        same(f"{l['label']} overlap F1", l["spans"]["overlap_f1"], r["overlap_f1"])
        same(f"{l['label']} alpha", l["alpha"], r["alpha"])
    text_of = {doc_ids[i]: t for i, t in enumerate(texts)}
    assert len(got["by_document"]) == len(want["by_document"])
    for d in got["by_document"]:
        r = want["by_document"][text_of[d["doc_id"]]]
        same("document exact F1", d["spans"]["exact_f1"], r["exact_f1"])
        same("document overlap F1", d["spans"]["overlap_f1"], r["overlap_f1"])
    return got


def layers_of_export(path):
    """Texts and layers (by annotator) of a native JSONL export of every layer."""
    texts, layers = [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        doc = {}

        def layer(who):
            return doc.setdefault(who, {"spans": [], "relations": [], "doc_labels": []})

        at = {}
        for sp in rec["spans"]:
            l = layer(sp["annotator"])
            at[sp["id"]] = len(l["spans"])
            l["spans"].append((sp["start"], sp["end"], sp["label"]))
        for r in rec.get("relations", []):
            layer(r["annotator"])["relations"].append((at[r["head"]], at[r["child"]], r["label"]))
        for d in rec.get("doc_labels", []):
            layer(d["annotator"])["doc_labels"].append(d["label"])
        doc.pop("gold", None)
        texts.append(rec["text"])
        layers.append(doc)
    return texts, layers


def reference_of_export(path):
    texts, layers = layers_of_export(path)
    want = reference(texts, layers, {})
    want["pairs"] = {f"{a}~{b}": v for (a, b), v in want["pairs"].items()}
    print(json.dumps(want))


def main():
    if sys.argv[1] == "--reference":
        reference_of_export(sys.argv[2])
        return
    bin_, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    checked = 0
    for name, (texts, layers, assigned) in [
        ("hand", hand_made_cases()),
        ("random1", random_cases(1)),
        ("random2", random_cases(2)),
    ]:
        ws, doc_ids = build_workspace(bin_, work, name, texts, layers, assigned)
        check_export(bin_, work, ws, name, texts, layers, doc_ids)
        got = compare(bin_, ws, texts, layers, assigned, doc_ids)
        compare(bin_, ws, texts, layers, assigned, doc_ids, annotators=["ana", "ben"])
        compare(bin_, ws, texts, layers, assigned, doc_ids, labels=["CLAIM", "SOURCE"])
        checked += 1
        print(
            f"agreement {name}: {got['documents']} documents, {len(got['pairs'])} pairs, "
            f"alpha {got['overall']['alpha']}, mean kappa {got['overall']['mean_kappa']}: "
            "equal to the references"
        )
    print(f"agreement: {checked} workspaces, every figure equal to the references")


if __name__ == "__main__":
    main()
