"""`liability serve`: the JSON API answers what the command line prints, refuses bad or oversize
bodies with the command line's messages, and the page works in a real browser (Chromium driven by
Playwright): fill the form, read the findings, toggle a what-if, switch to French."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
import yaml

from liability.bundled import scenarios_dir
from liability.sources import MAX_BYTES
from liability.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
PAID = "fr-escort-classifieds-paid-2019"


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    """The API as a program sees it: over HTTP, from the server uvicorn runs."""
    with httpx.Client(base_url=server, timeout=60) as session:
        yield session


def bundled(name: str) -> bytes:
    return next(scenarios_dir().rglob(f"{name}.yaml")).read_bytes()


def test_assess_a_bundled_scenario_gives_its_findings_document(client: httpx.Client) -> None:
    answer = client.post("/assess", content=bundled(PAID), headers={"Content-Type": "application/x-yaml"})
    assert answer.status_code == 200
    document = answer.json()
    assert document["schema"] == "liability/findings-v1"
    statuses = {f["head"]: f["status"] for regime in document["regimes"] for f in regime["findings"]}
    assert statuses["fr.proxenetisme"] == "liable"  # as the scenario's expect block says
    assert statuses["fr.clients"] == "liable"


def test_assess_takes_json_and_the_language(client: httpx.Client) -> None:
    scenario = yaml.safe_load(bundled(PAID))
    scenario["facts_date"] = scenario["facts_date"].isoformat()
    scenario.pop("expect")
    answer = client.post("/assess?lang=fr", json=scenario)
    assert answer.status_code == 200
    assert answer.json()["lang"] == "fr"


def test_a_bad_scenario_is_refused_with_the_command_lines_message(client: httpx.Client) -> None:
    answer = client.post("/assess", content=b"id: x\nfacts_date: 2019-01-01\nmoney: {posting_fee: true}\n")
    assert answer.status_code == 422
    assert answer.json() == {"problems": ["body.yaml:3: unknown key `money.posting_fee` - did you mean `posting_fees`?"]}
    assert "Traceback" not in answer.text


def test_an_unknown_regime_or_language_is_a_bad_request(client: httpx.Client) -> None:
    answer = client.post("/assess?regimes=fx", content=bundled(PAID))
    assert answer.status_code == 400 and answer.json()["problems"][0].startswith("regimes: unknown regime `fx`")
    answer = client.post("/assess?lang=de", content=bundled(PAID))
    assert answer.status_code == 400 and "expected one of: en, fr" in answer.json()["problems"][0]


def test_an_oversize_body_is_refused_before_it_is_parsed(client: httpx.Client) -> None:
    answer = client.post("/assess", content=b"#" * (MAX_BYTES + 1))
    assert answer.status_code == 413
    assert answer.json()["problems"] == [f"request body: more than {MAX_BYTES} bytes; the limit is {MAX_BYTES}"]


def test_facts_lists_the_vocabulary_with_questions_in_both_languages(client: httpx.Client) -> None:
    facts = {fact["fact"]: fact for fact in client.get("/facts").json()["facts"]}
    assert facts["money.posting_fees"]["kind"] == "bool"
    assert facts["money.posting_fees"]["question"]["fr"] and facts["money.posting_fees"]["question"]["en"]
    assert "operator" in facts["actor.position"]["values"]


def test_compare_puts_regimes_and_dates_side_by_side(client: httpx.Client) -> None:
    answer = client.post("/compare?regimes=fr,eu&as_of=2016-06-01", content=bundled(PAID))
    assert answer.status_code == 200
    columns = [(c["regime"], c["facts_date"]) for c in answer.json()["columns"]]
    assert columns == [("fr", "2019-06-01"), ("eu", "2019-06-01"), ("fr", "2016-06-01"), ("eu", "2016-06-01")]
    bad = client.post("/compare?as_of=2016-13-01", content=bundled(PAID))
    assert bad.status_code == 400 and bad.json()["problems"][0].startswith("as_of: ")


def test_every_answer_carries_a_policy_allowing_only_the_page_itself(client: httpx.Client) -> None:
    for answer in (client.get("/"), client.get("/facts"), client.post("/assess", content=b"x: [")):
        assert answer.headers["content-security-policy"].startswith("default-src 'self'")
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_the_page_escapes_what_a_scenario_says(client: httpx.Client) -> None:
    form = {"id": "x", "facts_date": "2019-06-01", "regimes": "fr", "actor.name": "<script>alert(1)</script>",
            "service.targets": "<b>FR</b>"}
    answer = client.post("/page/results", data=form)
    assert "<script>alert" not in answer.text and "<b>FR" not in answer.text
    assert "&lt;b&gt;FR&lt;/b&gt;" in answer.text  # the model's message repeats the value, escaped


def test_the_form_saves_a_scenario_that_loads_back_to_the_same_form(client: httpx.Client) -> None:
    fields = client.get(f"/page/example/{PAID}").json()["fields"]
    saved = client.post("/page/scenario.yaml", data=fields)
    assert saved.status_code == 200
    assert saved.headers["content-disposition"] == f'attachment; filename="{PAID}.yaml"'
    assert "expect" not in yaml.safe_load(saved.text)
    again = client.post("/page/upload", content=saved.content).json()["fields"]
    assert again == fields


def test_no_request_reads_a_server_side_path(client: httpx.Client) -> None:
    assert client.get("/page/example/..%2F..%2Fpyproject").status_code == 404
    answer = client.post("/assess", content=b"/etc/passwd")
    assert answer.status_code == 422  # a body is a scenario, never a file name


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port, in a thread, until the block ends."""
    import uvicorn

    port = _free_port()
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(create_app()) as address:
        # The first assessment loads every regime's rules and builds its diagrams: done here, so
        # that no test's time limit includes it on a loaded machine.
        httpx.post(address + "/assess", content=bundled(PAID).replace(b"regimes: [fr]", b"regimes: [fr, eu, us]"),
                   timeout=120).raise_for_status()
        yield address


def _artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LIABILITY_ARTIFACTS") or tmp_path / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no system Chromium at /usr/bin/chromium (Debian's `chromium`; "
                                                  ".ci/run installs it)")
def test_a_student_fills_the_form_reads_the_findings_toggles_a_what_if_and_switches_to_french(
        server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # a loaded machine answers slower; a wrong page still fails

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
            viewport={"width": 1400, "height": 1000},
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            outside: list[str] = []
            page.on("request", lambda request: outside.append(request.url)
                    if not request.url.startswith(server) else None)
            page.goto(server + "/")
            finding = page.locator('article[data-head="fr.proxenetisme"]').first
            expect(finding).to_be_visible()  # the empty form is assessed at once

            page.locator('input[name="facts_date"]').fill("2019-06-01")
            for regime in ("eu", "us"):
                page.locator(f'input[name="regimes"][value="{regime}"]').uncheck()
            choices = {"actor.person": "legal", "actor.position": "operator", "content.kind": "prostitution_ads",
                       "content.remunerated": "true", "content.physical_contact": "true",
                       "service.stores_user_content": "true", "money.posting_fees": "true",
                       "knowledge.actual_knowledge": "true", "actor.organs_acted_on_its_behalf": "true"}
            for fact, value in choices.items():
                page.locator(f'select[name="{fact}"]').select_option(value)
            page.locator('input[name="service.established_in"]').fill("FR")
            expect(page.locator('article[data-head="fr.prostitution"]')).to_have_attribute("data-status", "met")
            expect(finding).to_have_attribute("data-status", "undetermined")  # knowing too little yet
            expect(finding.locator(".missing")).to_contain_text("knowledge.")

            page.locator("#example").select_option(PAID)  # the facts of a bundled scenario, loaded into the form
            expect(page.locator('input[name="id"]')).to_have_value(PAID)
            expect(finding).to_have_attribute("data-status", "liable")
            expect(finding.locator(".status")).to_have_text("liable")
            expect(page.locator("#questions li").first).to_be_visible()

            page.locator('select[data-whatif="content.remunerated"]').select_option("false")
            whatif = page.locator("#whatif-result")
            expect(whatif).to_contain_text("content.remunerated")
            expect(whatif.locator('tr[data-head="fr.proxenetisme"] td').nth(2)).to_have_text("not liable")  # no prostitution, no procuring

            threshold = page.locator('article[data-head="fr.prostitution"]')
            threshold.locator("details.derivation summary").click()
            expect(threshold.locator(".graph svg")).to_be_visible()
            expect(page.locator("#compare table")).to_be_visible()
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(_artifacts(tmp_path) / "serve-page-en.png"), full_page=False)

            page.locator("#switch-fr").click()
            expect(page.locator("html")).to_have_attribute("lang", "fr")
            french = page.locator('article[data-head="fr.proxenetisme"]').first
            expect(french.locator(".status")).to_have_text("constituée")  # the facts typed came along
            expect(page.locator('select[name="money.posting_fees"]')).to_have_value("true")
            expect(page.locator("#whatif-result h2")).to_contain_text("Et si")
            page.evaluate("window.scrollTo(0, 0)")
            shot = _artifacts(tmp_path) / "serve-page-fr.png"
            page.screenshot(path=str(shot), full_page=False)
            print(f"screenshots: {shot.parent}")
            assert outside == [], f"the page fetched from elsewhere: {outside}"
        finally:
            browser.close()
    if os.environ.get("LIABILITY_SCREENSHOT"):
        shutil.copy(_artifacts(tmp_path) / "serve-page-en.png", os.environ["LIABILITY_SCREENSHOT"])


def test_the_page_has_every_word_in_both_languages(client: httpx.Client) -> None:
    from liability.web.words import WORDS

    assert set(WORDS["en"]) == set(WORDS["fr"])
    french = client.get("/?lang=fr").text
    assert "Date des faits" in french and "inconnu" in french and "Date of the facts" not in french


def test_a_port_in_use_is_one_line_naming_the_option() -> None:
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "liability", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: --port {port}: cannot listen on 127.0.0.1:{port} "
                                          "(Address already in use); choose another port"]


def test_only_loopback_addresses_count_as_private() -> None:
    from liability.web.listening import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


def test_the_french_form_heads_its_sections_in_words(client: httpx.Client) -> None:
    page = client.get("/?lang=fr").text
    assert "L&#39;argent" in page and "La connaissance" in page
    english = client.get("/?lang=en").text
    assert "Money" in english and "Knowledge" in english


def test_a_what_if_on_a_choice_fact_shows_the_findings_it_changes(client: httpx.Client) -> None:
    fields = client.get(f"/page/example/{PAID}").json()["fields"]
    answer = client.post("/page/results?lang=fr", data={**fields, "whatif": "content.kind=cam_shows"})
    assert answer.status_code == 200
    assert "spectacles sexuels par webcam" in answer.text  # the new value, in words
    assert "constituée" in answer.text and "non constituée" in answer.text  # before and after


def test_a_bad_what_if_is_refused_in_the_pages_language_with_a_suggestion(client: httpx.Client) -> None:
    fields = client.get(f"/page/example/{PAID}").json()["fields"]
    answer = client.post("/page/results?lang=fr", data={**fields, "whatif": "content.kindd=cam_shows"})
    assert answer.status_code == 422
    assert "vouliez-vous dire `content.kind`" in answer.text


def test_two_assessments_at_once_each_get_their_own_findings(client: httpx.Client) -> None:
    from concurrent.futures import ThreadPoolExecutor
    names = [PAID, "us-doe-backpage-1cir-2016"] * 2
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda name: client.post("/assess", content=bundled(name)), names))
    assert [a.json()["scenario"] for a in answers] == names
    assert answers[0].json() == answers[2].json() and answers[1].json() == answers[3].json()
