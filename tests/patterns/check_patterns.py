"""`parallax suggest --patterns` against spaCy's own Matcher and PhraseMatcher.

Writes news-like texts (titles, figures, curly quotes, URLs and e-mail addresses, line breaks)
and a pattern file with phrase and token patterns (every operator and flag Parallax reads that
spaCy computes the same way without a model), imports the texts with the parallax CLI, and
exports them in the spaCy format to get Parallax's tokens. spaCy's Matcher and PhraseMatcher
then run on a Doc made of exactly those tokens, the matches go through spacy.util.filter_spans
(ties to the pattern earlier in the file), and the spans must equal what `parallax suggest
--json` prints, label and code point offsets alike; every match before filtering must equal
what `--every-match` prints, pattern by pattern. Seeded random texts follow the hand-made
ones.

    python check_patterns.py PARALLAX_BIN WORK_DIR
"""

import json
import random
import subprocess
import sys
from pathlib import Path

import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

TEXTS = [
    "Maj. Gen. Igor Konashenkov, the ministry's chief spokesman, said units would return to "
    "their bases. “We have completed the drills,” he told reporters on Tuesday.",
    "Some 130,000 soldiers remain near the border, Western officials said. Kremlin Press "
    "Office spokesman Dmitry Peskov told reporters the figure was 'wrong'.\n\nAccording to "
    "NATO, about 7,000 more troops had arrived.",
    "Konashenkow (sic) sayd the 3rd brigade left; Konaschenkof saaid nothing of the 21st.\n"
    "Read more at https://www.nbcnews.com/world or www.bbc.co.uk, or write to desk@example.org.",
    "THE MINISTRY SAID: “Units will return.” The ministry said — again — that £40m and $3.5 "
    "billion were spent (about 12%). Officials say two-thirds of 1/2 the units left!",
    "You May Also Like\n\nThis article was originally published by NBC News. © 2022 NBC "
    "UNIVERSAL. Photo: Reuters / Maxim Shemetov.",
]

VOCABULARY = (
    "officials said the troops would return to their bases on Tuesday after drills near the "
    "border ministry told reporters units had completed exercises some 130,000 soldiers "
    "remain Western doubt it statement spokesman according to analysts NATO Kyiv Moscow "
    "“ ” , . ( ) 7 21st three hundred 3.5 % $ £ said: according"
).split()

PATTERNS = [
    {"label": "SOURCE", "pattern": "Igor Konashenkov"},
    {"label": "SOURCE", "pattern": "Maj. Gen. Igor Konashenkov", "id": "mod-spokesman"},
    {"label": "SOURCE", "pattern": "Western officials"},
    {"label": "CUE", "pattern": "told reporters"},
    {"label": "CUE", "pattern": [{"LOWER": "according"}, {"LOWER": "to"}]},
    {"label": "CUE", "pattern": [{"LOWER": {"IN": ["said", "says", "say", "told"]}}]},
    {"label": "SOURCE", "pattern": [{"IS_TITLE": True, "OP": "{2,3}"}, {"LOWER": "spokesman"},
                                    {"IS_TITLE": True, "OP": "+"}]},
    {"label": "SOURCE", "pattern": [{"LOWER": "the"}, {"LOWER": "ministry"},
                                    {"ORTH": "'s", "OP": "?"}, {"IS_ALPHA": True, "OP": "*"},
                                    {"LOWER": "spokesman"}]},
    {"label": "QUANTITY", "pattern": [{"ORTH": {"IN": ["$", "£"]}, "OP": "?"},
                                      {"LIKE_NUM": True, "OP": "+"},
                                      {"LOWER": {"REGEX": "^(troops|soldiers|units|billion|%)$"},
                                       "OP": "?"}]},
    {"label": "QUANTITY", "pattern": [{"IS_DIGIT": True}, {"ORTH": "%"}]},
    {"label": "SOURCE", "pattern": [{"LOWER": {"FUZZY": "konashenkov"}}]},
    {"label": "CUE", "pattern": [{"LOWER": {"FUZZY1": "said"}}, {"IS_PUNCT": True, "OP": "!"}]},
    {"label": "BOILERPLATE", "pattern": [{"LOWER": "you"}, {"LOWER": "may"}, {"LOWER": "also"},
                                         {"LOWER": "like"}]},
    {"label": "BOILERPLATE", "pattern": [{"ORTH": "©"}, {"LIKE_NUM": True, "OP": "?"},
                                         {"IS_UPPER": True, "OP": "{1,}"}]},
    {"label": "BOILERPLATE", "pattern": [{"LOWER": "photo"}, {"ORTH": ":"},
                                         {"IS_SPACE": False, "IS_PUNCT": False, "OP": "{,3}"}]},
    {"label": "SOURCE", "pattern": [{"LIKE_EMAIL": True}]},
    {"label": "SOURCE", "pattern": [{"TEXT": {"REGEX": "^https?://"}}]},
    {"label": "CLAIM", "pattern": [{"IS_QUOTE": True}, {"IS_QUOTE": False, "OP": "+"},
                                   {"IS_QUOTE": True}]},
    {"label": "CLAIM", "pattern": [{"IS_LEFT_PUNCT": True, "IS_BRACKET": True},
                                   {"IS_BRACKET": False, "OP": "*"},
                                   {"IS_RIGHT_PUNCT": True}]},
    {"label": "CUE", "pattern": [{"IS_STOP": True, "LENGTH": {">=": 5}, "IS_LOWER": True},
                                 {"IS_CURRENCY": True}]},
    {"label": "CUE", "pattern": [{"LENGTH": {"IN": [2, 3]}, "IS_UPPER": True},
                                 {"LOWER": {"NOT_IN": ["the", "a"]}, "IS_ASCII": True,
                                  "SPACY": True}]},
    {"label": "QUANTITY", "pattern": [{"LIKE_URL": True}]},
]


def run(*args):
    return subprocess.run([*map(str, args)], check=True, capture_output=True, text=True).stdout


def phrase_words(phrase, token_lists):
    """The phrase cut as Parallax cuts it: the words of a run of exported tokens that spells it
    (spaCy's own tokenizer cuts "Maj." in two, Parallax keeps the abbreviation whole, as it
    does in the documents), or its whitespace-separated words when no document has it."""
    for tokens in token_lists:
        for i in range(len(tokens)):
            spelled, words = "", []
            for t in tokens[i:]:
                words.append(t["text"])
                spelled += t["text"]
                if spelled == phrase:
                    return words
                if not phrase.startswith(spelled):
                    break
                spelled += " " if t["ws"] else ""
    return phrase.split()


def spacy_spans(nlp, tokens, patterns, token_lists):
    """What spaCy finds: (label, start, end) in code points, longest first, no overlaps."""
    doc = Doc(nlp.vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])
    matcher = Matcher(nlp.vocab)
    phrases = PhraseMatcher(nlp.vocab)
    for i, p in enumerate(patterns):
        if isinstance(p["pattern"], str):
            phrases.add(str(i), [Doc(nlp.vocab, words=phrase_words(p["pattern"], token_lists))])
        else:
            matcher.add(str(i), [p["pattern"]])
    found = [(int(nlp.vocab.strings[k]), s, e) for k, s, e in matcher(doc) + phrases(doc)]
    found.sort()  # ties in filter_spans go to the earlier pattern, as Parallax breaks them
    spans = [doc[s:e] for _, s, e in found]
    labels = {(s, e): patterns[i]["label"] for i, s, e in reversed(found)}
    kept = sorted(
        (labels[(sp.start, sp.end)], sp.start_char, sp.end_char) for sp in filter_spans(spans)
    )
    every = {(i, doc[s:e].start_char, doc[s:e].end_char) for i, s, e in found}
    return doc.text, kept, every


def pattern_index(suggested_by, patterns):
    """The pattern a suggestion names: `pattern:ID`, or `pattern:line N` (the file has no blank lines)."""
    name = suggested_by.removeprefix("pattern:")
    if name.startswith("line "):
        return int(name.removeprefix("line ")) - 1
    return next(i for i, p in enumerate(patterns) if p.get("id") == name)


def main(bin_path, work):
    work = Path(work)
    rng = random.Random(7)
    texts = list(TEXTS)
    for _ in range(40):
        words = [rng.choice(VOCABULARY) for _ in range(rng.randint(20, 80))]
        texts.append(" ".join(words))
    folder = work / "texts"
    folder.mkdir()
    for i, text in enumerate(texts):
        (folder / f"t{i:03}.txt").write_text(text + "\n", encoding="utf-8")
    ws = work / "ws"
    run(bin_path, "init", ws)
    run(bin_path, "import", ws, folder)
    run(bin_path, "export", ws, "--output", work / "spacy.jsonl", "--format", "spacy")
    tokens_of = {}
    for line in (work / "spacy.jsonl").read_text(encoding="utf-8").splitlines():
        task = json.loads(line)
        tokens_of[task["text"]] = task["tokens"]
    patterns_file = work / "patterns.jsonl"
    patterns_file.write_text("\n".join(json.dumps(p) for p in PATTERNS) + "\n", encoding="utf-8")
    ours = {}
    for line in run(bin_path, "suggest", ws, "--no-rules", "--patterns", patterns_file, "--json").splitlines():
        s = json.loads(line)
        span = s["spans"][0]
        ours.setdefault(s["document"], []).append((span["label"], span["start"], span["end"]))
        ours[s["document"]].sort()
    every = {}
    args = ("suggest", ws, "--no-rules", "--patterns", patterns_file, "--json", "--every-match")
    for line in run(bin_path, *args).splitlines():
        s = json.loads(line)
        span = s["spans"][0]
        match = (pattern_index(s["suggested_by"], PATTERNS), span["start"], span["end"])
        every.setdefault(s["document"], set()).add(match)
    shown = {}
    for line in run(bin_path, "docs", ws, "--json").splitlines():
        d = json.loads(line)
        shown[d["id"]] = run(bin_path, "show", ws, d["id"], "--json")
    nlp = spacy.blank("en")
    compared = spans = matches = 0
    failures = []
    for doc_id, shown_json in shown.items():
        text = json.loads(shown_json)["document"]["text"]
        got = ours.get(doc_id, [])
        text_spacy, want, want_every = spacy_spans(nlp, tokens_of[text], PATTERNS, tokens_of.values())
        assert text_spacy == text, f"the spaCy tokens of {doc_id} do not rebuild its text"
        for label, start, end in got:
            assert text[start:end], f"empty suggestion in {doc_id}"
        if got != want:
            failures.append((doc_id, text, sorted(set(got) - set(want)), sorted(set(want) - set(got))))
        got_every = every.get(doc_id, set())
        if got_every != want_every:
            label = lambda ms: [(f"{PATTERNS[i]['label']} (pattern {i + 1})", s, e) for i, s, e in sorted(ms)]
            failures.append((doc_id, text, label(got_every - want_every), label(want_every - got_every)))
        compared += 1
        spans += len(want)
        matches += len(want_every)
    for doc_id, text, extra, missing in failures:
        print(f"patterns: {doc_id} differs from spaCy", file=sys.stderr)
        for label, s, e in extra:
            print(f"  only Parallax: {label} [{s}, {e}) {text[s:e]!r}", file=sys.stderr)
        for label, s, e in missing:
            print(f"  only spaCy:    {label} [{s}, {e}) {text[s:e]!r}", file=sys.stderr)
    if failures:
        sys.exit(1)
    assert spans > 100, f"only {spans} matches: the texts no longer exercise the patterns"
    print(f"patterns: {compared} documents, {matches} matches and the {spans} suggestions kept "
          f"of them, the same as spaCy's Matcher, PhraseMatcher and filter_spans")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
