"""A small W3C WebDriver client (standard library only) for the Parallax end-to-end tests.

It talks to WebKitWebDriver, which starts the real app binary (`webkitgtk:browserOptions`) and
drives its webview. One keep-alive HTTP connection per session.
"""

import base64
import http.client
import json
import os
import time
import urllib.parse

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(Exception):
    pass


class Session:
    def __init__(self, app_args=()):
        url = urllib.parse.urlparse(os.environ["PARALLAX_E2E_DRIVER"])
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "webkitgtk:browserOptions": {
                        "binary": os.environ["PARALLAX_E2E_APP"],
                        "args": list(app_args),
                    }
                }
            }
        }
        self.id = self._call("POST", "/session", caps)["sessionId"]

    def _call(self, method, path, body=None):
        data = json.dumps(body if body is not None else {}) if method == "POST" else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        payload = json.loads(response.read() or b"{}")
        value = payload.get("value")
        if response.status >= 400:
            raise WebDriverError(f"{method} {path}: {response.status} {value}")
        return value if path != "/session" else value

    def call(self, method, path, body=None):
        return self._call(method, f"/session/{self.id}{path}", body)

    def close(self):
        try:
            self.call("DELETE", "")
        finally:
            self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- queries ---------------------------------------------------------------------------
    def script(self, source, *args):
        return self.call("POST", "/execute/sync", {"script": source, "args": list(args)})

    def find_all(self, css):
        found = self.call("POST", "/elements", {"using": "css selector", "value": css})
        return [e[ELEMENT] for e in found]

    def text(self, element):
        return self.call("GET", f"/element/{element}/text")

    def click(self, element):
        self.call("POST", f"/element/{element}/click")

    def title(self):
        return self.call("GET", "/title")

    def wait_for(self, what, predicate, timeout=30.0):
        """Polls `predicate()` until it returns something truthy; fails naming `what`."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = predicate()
            if last:
                return last
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what} (last: {last!r})")

    # --- input -----------------------------------------------------------------------------
    def press(self, *keys):
        """Presses and releases each key in turn (WebDriver key values, e.g. 'j', '\\uE004' Tab)."""
        actions = []
        for key in keys:
            actions += [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
        self.call("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
        self.call("DELETE", "/actions")

    # --- screenshots -----------------------------------------------------------------------
    def screenshot(self, name):
        # Two animation frames, so the picture shows the latest DOM (NOTES.md).
        self.call(
            "POST",
            "/execute/async",
            {
                "script": "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
                "args": [],
            },
        )
        png = base64.b64decode(self.call("GET", "/screenshot"))
        path = os.path.join(os.environ["PARALLAX_E2E_ARTIFACTS"], name)
        with open(path, "wb") as f:
            f.write(png)
        return path
