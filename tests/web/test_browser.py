"""End to end in headless Chromium (Debian's chromium, driven by Playwright): plan Mumbai ->
Moscow, see the route drawn and the leg table filled, switch on a scenario and see the change.
Screenshots go to out/e2e/ for a person to look at."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).parents[2] / "out" / "e2e"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    db = tmp_path_factory.mktemp("web") / "db.sqlite"
    process = subprocess.Popen([sys.executable, "-m", "corridors", "serve", "--port", str(port), "--db", str(db)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{url}/api/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError(process.stdout.read().decode())
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def page(server):
    if CHROMIUM is None:
        pytest.fail("Debian's chromium is needed for the browser test: make test installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        remote: list[str] = []
        context.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else remote.append(r.url))
        page = context.new_page()
        page.remote_requests = remote
        yield page
        browser.close()


def test_plan_a_route_then_compare_a_scenario(server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{server}/")
    page.wait_for_selector("body[data-app=ready]", timeout=20_000)  # typing before the app fills its forms races it
    page.fill("#origin", "Mumbai")
    page.fill("#destination", "Moscow")
    page.select_option("#objective", "cost")
    page.click("#plan")
    page.wait_for_selector("#leg-table tr.leg", timeout=20_000)
    assert page.locator("#leg-table tr.leg").count() >= 3
    summary = page.inner_text("#route-summary")
    assert "Mumbai" in summary and "Moscow" in summary
    # the route is drawn (on a canvas: the map records how many legs it drew)
    assert int(page.get_attribute("#map", "data-route-legs")) == page.locator("#leg-table tr.leg").count()
    assert page.locator("#map .leaflet-overlay-pane canvas").count() >= 1
    assert page.locator("#tcd svg").count() >= 1
    assert "tab=route" in page.url and "Mumbai" in page.url  # the view is in the URL
    page.wait_for_selector("#map[data-basemap=loaded]", timeout=20_000)
    page.screenshot(path=str(SHOTS / "route-mumbai-moscow.png"))

    page.click("#tab-compare")
    page.select_option("#scenario", "hormuz-closed")
    page.click("#compare")
    page.wait_for_selector("#winners tr.lane", timeout=30_000)
    table = page.inner_text("#winners")
    assert "mumbai-moscow" in table and "rerouted" in table  # Hormuz closed moves Mumbai-Moscow off Bandar Abbas
    assert "scenario=hormuz-closed" in page.url
    page.screenshot(path=str(SHOTS / "compare-hormuz-closed.png"))
    assert page.remote_requests == []  # nothing fetched from outside: the app works offline


def test_a_shared_url_reopens_the_view_and_errors_are_plain(server, page):
    page.goto(f"{server}/#tab=route&from=Baku&to=Nakhchivan&modes=rail")
    page.reload()  # a shared link opened afresh
    page.wait_for_function("document.querySelector('#route-summary').innerText.length > 20", timeout=20_000)
    assert "horadiz--aghband--rail" in page.inner_text("#route-results")
    page.goto(f"{server}/#tab=route&from=Mumbaii&to=Moscow")
    page.reload()
    page.wait_for_selector("#status.error", timeout=20_000)
    assert "did you mean" in page.inner_text("#status")
    page.screenshot(path=str(SHOTS / "error-unknown-place.png"))
