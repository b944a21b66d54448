"""What the page itself may not do, in the app as a user runs it (without the test seam): emit
events. A page that could would fake Tauri's file-drop event and so start an import of any local
path; the app's capability lets it listen only. The app is started through a wrapper that drops
`PARALLAX_E2E_DIALOG_FILE`, so that it runs as it does for a user."""

import os
import stat
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from webdriver import Session  # noqa: E402

WORK = os.environ["PARALLAX_E2E_WORK"]
DOCS = "nav[aria-label=Documents] button.doc"

EMIT = """
const done = arguments[arguments.length - 1];
window.__TAURI_INTERNALS__
  .invoke('plugin:event|emit', {event: 'tauri://drag-drop', payload: {paths: [arguments[0]], position: {x: 400, y: 300}}})
  .then(() => done('emitted'), (e) => done('refused: ' + String(e)));
"""


def main():
    wrapper = os.path.join(WORK, "parallax-app-as-a-user")
    with open(wrapper, "w", encoding="utf-8") as f:
        f.write(f'#!/bin/sh\nunset PARALLAX_E2E_DIALOG_FILE\nexec "{os.environ["PARALLAX_E2E_APP"]}" "$@"\n')
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IXUSR)
    article = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "articles", "northgate_post.txt")
    with Session(binary=wrapper) as s:
        s.wait_for("the demo's five documents", lambda: len(s.find_all(DOCS)) == 5)
        answer = s.call("POST", "/execute/async", {"script": EMIT, "args": [article]})
        assert answer.startswith("refused"), answer
        assert "not allowed" in answer or "permission" in answer.lower(), answer
        # Nothing was imported: no import job, still five documents.
        time.sleep(2)
        assert not s.find_all("[data-testid=job]"), "an import started from a page-made event"
        assert len(s.find_all(DOCS)) == 5
        # Listening still works: the app follows the index status (no error banner).
        assert not s.find_all("[role=alert]"), s.text(s.find_all("[role=alert]")[0])
        print(f"  the page's emit was refused: {answer[:120]}")


if __name__ == "__main__":
    main()
