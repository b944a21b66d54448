"""What the end-to-end tests do with the app's UI, shared by the test files: find an element
by CSS (waiting for it), read text, open a document from the list, find a drawn span."""

from webdriver import ELEMENT, ref


def one(s, css, what=None):
    return s.wait_for(what or css, lambda: (s.find_all(css) or [None])[0])


def js_text(s, css):
    return s.script("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css)


def open_document(s, title_part):
    for el in s.find_all("nav[aria-label=Documents] button.doc"):
        if title_part in s.script("return arguments[0].textContent", ref(el)):
            s.click(el)
            s.wait_for(f"{title_part} open", lambda: title_part in (js_text(s, ".doc-head h2") or ""))
            return
    raise AssertionError(f"no document titled {title_part!r}")


def seg_with(s, label, text_part):
    """A drawn segment of a `label` span containing `text_part`."""
    for el in s.find_all("[data-testid=reader-text] .seg"):
        labels = s.script("return arguments[0].dataset.labels", ref(el)) or ""
        if label in labels.split(", ") and text_part in s.text(el):
            return el
    return None


def child(s, el, css):
    """The first element under `el` matching `css`."""
    found = s.call("POST", f"/element/{el}/elements", {"using": "css selector", "value": css})
    assert found, f"no {css} under the element"
    return found[0][ELEMENT]


def attr(s, el, name):
    return s.script("return arguments[0].getAttribute(arguments[1])", ref(el), name)
