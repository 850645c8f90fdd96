"""End to end in Debian's Chromium (Playwright): sign in to the demo world, see the dashboard with its banner at
top and bottom, sign out. The server is a real ``lemkin serve`` on a free port with its own SQLite database,
prepared by ``lemkin demo load`` exactly as ``make run`` does. A screenshot is kept in ``artifacts/``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    data = tmp_path_factory.mktemp("lemkin-browser")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lemkin.site.settings.dev", "LEMKIN_DATA_DIR": str(data)}
    env.pop("LEMKIN_DATABASE_URL", None)
    lemkin = [sys.executable, "-m", "lemkin.cli"]
    subprocess.run([*lemkin, "demo", "load"], env=env, check=True, capture_output=True, timeout=300)
    logins = {
        line.split("\t")[0]: line.split("\t")[1]
        for line in (data / "demo-logins.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    port = free_port()
    log = (data / "server.log").open("w")
    process = subprocess.Popen(
        [*lemkin, "serve", "--port", str(port), "--workers", "1"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=1) as answer:  # noqa: S310 - our own server
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.25)
        else:
            raise RuntimeError(f"lemkin serve did not answer; see {data / 'server.log'}")
        yield {"base": base, "logins": logins}
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


def test_sign_in_see_the_dashboard_with_its_banners_and_sign_out(server: dict[str, object], page: Page) -> None:
    base = str(server["base"])
    logins = server["logins"]
    assert isinstance(logins, dict)
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/login/?next=/")
    expect(page.get_by_test_id("system-use-notice")).to_contain_text("audit log")

    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(logins["analyst"])
    page.get_by_text("I have read the system use notice").click()
    page.get_by_test_id("sign-in").click()

    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    top = page.locator("#banner-top").inner_text()
    bottom = page.locator("#banner-bottom").inner_text()
    assert top == bottom == "EXERCISE — UNCLASSIFIED"
    expect(page.get_by_test_id("watchlist-summary")).to_contain_text("Varenia")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    page.get_by_test_id("logout").click()
    expect(page.get_by_role("heading", name="Sign in to Lemkin")).to_be_visible()
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/login/?next=/")


def test_sign_in_is_refused_without_acknowledging_the_notice(server: dict[str, object], page: Page) -> None:
    base = str(server["base"])
    logins = server["logins"]
    assert isinstance(logins, dict)
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("planner")
    page.get_by_label("Password").fill(logins["planner"])
    page.get_by_test_id("sign-in").click()
    expect(page.get_by_role("alert").first).to_contain_text("Acknowledge the system use notice")
    expect(page).to_have_url(f"{base}/login/")
