"""A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe`` for the handout
tests and screenshots: no browser download, no websocket library.

Chromium reads commands on fd 3 and writes replies and events on fd 4, each a JSON message
ended by a NUL byte. ``Chromium()`` starts a headless browser with a fresh profile; ``page()``
opens a tab and returns a ``Page`` whose ``call`` sends a command to it.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from typing import Any

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio",
         "--remote-debugging-pipe"]


def find_chromium() -> str | None:
    """The path of a Chromium (Debian's first), or None."""
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        path = name if os.path.isabs(name) else shutil.which(name)
        if path and os.access(path, os.X_OK):
            return path
    return None


def _onto_3_and_4(read_fd: int, write_fd: int) -> None:
    """In the child: the command pipe as fd 3 and the reply pipe as fd 4."""
    high_r = fcntl.fcntl(read_fd, fcntl.F_DUPFD, 10)
    high_w = fcntl.fcntl(write_fd, fcntl.F_DUPFD, 10)
    os.dup2(high_r, 3)
    os.dup2(high_w, 4)


class Chromium:
    """A headless Chromium driven through the DevTools pipe."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="protodsl-chromium-")
        cmd_r, self._cmd_w = os.pipe()  # we write commands; chromium reads fd 3
        self._evt_r, evt_w = os.pipe()  # chromium writes fd 4; we read
        self.proc = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=lambda: _onto_3_and_4(cmd_r, evt_w), close_fds=True)
        os.close(cmd_r)
        os.close(evt_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        """Send a command and wait for its reply; events that arrive meanwhile are kept."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._cmd_w, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, session: str | None = None) -> dict[str, Any]:
        """The first event named ``method`` (kept or still to come), removed from the queue."""
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method and (session is None
                                                      or event.get("sessionId") == session):
                    return self.events.pop(i)
            self.events.append(self._read())

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._evt_r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def page(self) -> Page:
        """A new tab, attached, with the page, runtime, log and network domains enabled."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target,
                                                      "flatten": True})["sessionId"]
        page = Page(self, session, target)
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.call(f"{domain}.enable")
        return page

    def close(self) -> None:
        """Close the browser and remove its profile."""
        try:
            self.send("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._cmd_w, self._evt_r):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """One tab of a ``Chromium``."""

    def __init__(self, browser: Chromium, session: str, target: str) -> None:
        self.browser = browser
        self.session = session
        self.target = target

    def close(self) -> None:
        """Close the tab and forget its events."""
        self.browser.send("Target.closeTarget", {"targetId": self.target})
        self.browser.events = [e for e in self.browser.events
                               if e.get("sessionId") != self.session]

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a command to this tab."""
        return self.browser.send(method, params, self.session)

    def load(self, url: str) -> None:
        """Navigate to ``url`` and wait for its load event."""
        self.browser.events = [e for e in self.browser.events
                               if e.get("sessionId") != self.session]
        self.call("Page.navigate", {"url": url})
        self.browser.wait_event("Page.loadEventFired", self.session)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (returned by value)."""
        result = self.call("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def events(self, *methods: str) -> list[dict[str, Any]]:
        """The events of this tab so far named one of ``methods``."""
        return [e for e in self.browser.events
                if e.get("sessionId") == self.session and e.get("method") in methods]

    def pdf(self, width_in: float, height_in: float) -> bytes:
        """The page printed to PDF on paper of the given size (the page's own @page margins)."""
        result = self.call("Page.printToPDF", {
            "paperWidth": width_in, "paperHeight": height_in, "printBackground": True,
            "preferCSSPageSize": False, "marginTop": 0, "marginBottom": 0, "marginLeft": 0,
            "marginRight": 0})
        return base64.b64decode(result["data"])

    def screenshot(self, clip: dict[str, float] | None = None) -> bytes:
        """A PNG of the viewport, or of ``clip`` (x, y, width, height in CSS px)."""
        params: dict[str, Any] = {"format": "png"}
        if clip is not None:
            params["clip"] = {**clip, "scale": 1}
            params["captureBeyondViewport"] = True
        return base64.b64decode(self.call("Page.captureScreenshot", params)["data"])
