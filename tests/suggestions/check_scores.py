"""Holds the output of score_attributions.py to the suggestions issue's targets.

    python check_scores.py SCORE.txt SCORE.err

Fails when F1 is under 0.80, speaker accuracy under 0.85, or a gold statement was not found
in the exported texts (the evaluation set and its texts have drifted apart).
"""

import re
import sys

F1_TARGET = 0.80
SPEAKER_TARGET = 0.85


def main(score_path, err_path):
    score = open(score_path, encoding="utf-8").read()
    errors = open(err_path, encoding="utf-8").read()
    m = re.search(r"F1 ([0-9.]+), speaker \d+/\d+ = ([0-9.]+)", score)
    if not m:
        sys.exit(f"suggestions: no figures in the scorer's output:\n{score}{errors}")
    if "not found" in errors:
        sys.exit(f"suggestions: {errors.strip()}")
    f1, speaker = float(m.group(1)), float(m.group(2))
    failed = []
    if f1 < F1_TARGET:
        failed.append(f"F1 {f1:.3f} is under {F1_TARGET}")
    if speaker < SPEAKER_TARGET:
        failed.append(f"speaker accuracy {speaker:.3f} is under {SPEAKER_TARGET}")
    if failed:
        sys.exit("suggestions: " + "; ".join(failed))
    print(f"suggestions: F1 {f1:.3f} (target {F1_TARGET}), speaker {speaker:.3f} "
          f"(target {SPEAKER_TARGET})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
