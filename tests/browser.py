"""Browser testing helpers: Playwright driving Debian's Chromium, and axe-core.

Pages are served from a local folder on 127.0.0.1; every request to another host is blocked and
recorded, every dialog and console error is recorded, so tests can assert none happened.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "RGAAv4", "best-practice"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 740}


def chromium_or_skip() -> str:
    """The Chromium path; a missing browser skips, except under CI=true where it fails."""
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium est absent alors que CI=true : installer le paquet chromium")
        pytest.skip("Chromium absent (apt-get install chromium)")
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port; yields the base URL ending with '/'."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Watch:
    """What a page did that tests forbid: requests outside the site, dialogs, console errors."""

    external_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def watch(page: Any, base_url: str) -> Watch:
    seen = Watch()

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(base_url) or url.startswith("data:"):
            request_route.continue_()
        else:
            seen.external_requests.append(url)
            request_route.abort()

    def dialog(d: Any) -> None:
        seen.dialogs.append(d.message)
        d.dismiss()

    def console(message: Any) -> None:
        if message.type == "error":
            seen.console_errors.append(message.text)

    page.route("**/*", route)
    page.on("dialog", dialog)
    page.on("console", console)
    page.on("pageerror", lambda exc: seen.console_errors.append(str(exc)))
    return seen


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core violations for WCAG 2.1 A/AA, RGAA 4 and best practices, as compact dicts."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_timeout(150)
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "targets": [n["target"] for n in v["nodes"]][:5],
            "summary": v["nodes"][0].get("failureSummary", "")[:300] if v["nodes"] else "",
        }
        for v in result.response["violations"]
    ]
