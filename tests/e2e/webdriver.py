"""A small W3C WebDriver client (standard library only) for the Parallax end-to-end tests.

It talks to WebKitWebDriver, which starts the real app binary (`webkitgtk:browserOptions`) and
drives its webview. One keep-alive HTTP connection per session.
"""

import base64
import http.client
import json
import os
import signal
import time
import urllib.parse

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

# WebDriver key values.
TAB = "\ue004"
ENTER = "\ue007"
SHIFT = "\ue008"
CTRL = "\ue009"
ESCAPE = "\ue00c"
DELETE = "\ue017"


def app_pids(with_children=False):
    """The running app's processes; with its children (WebKit's web and network processes)."""
    app = os.path.realpath(os.environ["PARALLAX_E2E_APP"])
    parents = {}
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.path.realpath(f"/proc/{entry}/exe") == app:
                found.add(int(entry))
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # gone, or not ours to read
    while with_children:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        if not more:
            break
        found |= more
    return sorted(found)


def _loopback_or_none(hex_address):
    ip = hex_address.split(":")[0]
    if set(ip) == {"0"}:
        return True  # not connected
    if len(ip) == 8:  # IPv4, little-endian: 127.x.x.x ends in 7F
        return ip.upper().endswith("7F")
    # IPv6: ::1, or ::ffff:127.x.x.x
    return ip.upper() in ("00000000000000000000000001000000",) or (
        ip.upper().startswith("0000000000000000FFFF0000") and ip.upper().endswith("7F"))


def foreign_sockets():
    """Sockets of the app's processes connected to an address outside this machine."""
    inodes = set()
    for pid in app_pids(with_children=True):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    foreign = []
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        try:
            with open(f"/proc/net/{proto}", encoding="utf-8") as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if len(cols) > 9 and cols[9] in inodes and not _loopback_or_none(cols[2]):
                foreign.append(f"{proto} {cols[2]}")
    return foreign


def ref(element):
    """An element id as a script argument."""
    return {ELEMENT: element}


class WebDriverError(Exception):
    pass


class Session:
    def __init__(self, app_args=(), binary=None, driver=None):
        """`driver`: a WebKitWebDriver's address other than the run's (a second app, with an
        environment of its own)."""
        url = urllib.parse.urlparse(driver or os.environ["PARALLAX_E2E_DRIVER"])
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "webkitgtk:browserOptions": {
                        "binary": binary or os.environ["PARALLAX_E2E_APP"],
                        "args": list(app_args),
                    }
                }
            }
        }
        self.id = self._call("POST", "/session", caps)["sessionId"]
        self.crashed = False

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
        except (WebDriverError, OSError, http.client.HTTPException):
            # After crash() the driver may have no browser left to close.
            if not self.crashed:
                raise
        finally:
            self.conn.close()

    def crash(self):
        """Kills the app with SIGKILL, as a crash or a power cut would: no clean shutdown."""
        pids = app_pids()
        assert pids, "no running app to kill"
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        self.crashed = True

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

    def type_into(self, element, text):
        """Types `text` into a focused field, as keystrokes."""
        self.call("POST", f"/element/{element}/value", {"text": text})

    def chord(self, *keys):
        """Holds every key but the last, presses the last: chord(CTRL, 'z')."""
        down = [{"type": "keyDown", "value": k} for k in keys]
        up = [{"type": "keyUp", "value": k} for k in reversed(keys)]
        self.call("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": down + up}]})
        self.call("DELETE", "/actions")

    def drag(self, x1, y1, x2, y2):
        """Presses the mouse at viewport point (x1, y1), moves to (x2, y2) and releases."""
        actions = [
            {"type": "pointerMove", "duration": 0, "origin": "viewport", "x": int(x1), "y": int(y1)},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerMove", "duration": 100, "origin": "viewport", "x": int(x2), "y": int(y2)},
            {"type": "pointerUp", "button": 0},
        ]
        body = {"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": actions}]}
        self.call("POST", "/actions", body)
        self.call("DELETE", "/actions")

    def move_to(self, x, y):
        """Moves the mouse to viewport point (x, y), as a hover."""
        actions = [{"type": "pointerMove", "duration": 0, "origin": "viewport", "x": int(x), "y": int(y)}]
        body = {"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": actions}]}
        self.call("POST", "/actions", body)
        self.call("DELETE", "/actions")

    def click_at(self, x, y):
        actions = [
            {"type": "pointerMove", "duration": 0, "origin": "viewport", "x": int(x), "y": int(y)},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerUp", "button": 0},
        ]
        body = {"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": actions}]}
        self.call("POST", "/actions", body)
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
