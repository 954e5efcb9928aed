"""The portal's working pages in a phone-sized headless Chromium, driven by Selenium.

Chromium and its driver come from the system's packages (``chromium``,
``chromium-driver``); CI installs them with apt-get within a bounded time,
elsewhere the test is skipped with the reason. Selenium is given both paths
and runs offline (``SE_OFFLINE``): nothing is downloaded at run time.

An advisor signs in from the link the bureau handed out, taps a planned
visit, sends the form with a mistake (the error shows next to the field),
corrects it and sees the month's record; the bureau's page shows the
advisor's grade change. Screenshots of the phone pages are kept under
``$ADVISORS_SCREENSHOTS`` when set (for a person to look at).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import advisors

from .system_tools import system_tool
from .test_portal import Server, events, start_portal
from .test_portal_browser import BROWSERS, FONTS

webdriver = pytest.importorskip("selenium.webdriver",
                                reason="the phone test needs Selenium (pip install selenium)")
By = pytest.importorskip("selenium.webdriver.common.by").By
support = pytest.importorskip("selenium.webdriver.support.expected_conditions")
WebDriverWait = pytest.importorskip("selenium.webdriver.support.wait").WebDriverWait

DRIVERS = ("chromedriver", "chromium.chromedriver")
PHONE = (390, 844)
"""CSS pixels of a common phone."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = system_tool("Chromium", BROWSERS, ("chromium", *FONTS), 170)
    driver_path = system_tool("ChromeDriver", DRIVERS, ("chromium-driver",), 120)
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not fetch anything
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", f"--window-size={PHONE[0]},{PHONE[1]}"):
        options.add_argument(flag)
    options.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": PHONE[0], "height": PHONE[1], "pixelRatio": 2.0}})
    service = webdriver.ChromeService(executable_path=driver_path)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def portal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Server]]:
    with pytest.MonkeyPatch.context() as mp:
        the_portal, made, _ = start_portal(tmp_path_factory.mktemp("phone"), mp)
        try:
            yield the_portal, made
        finally:
            made.close()


def _shot(driver: Any, tmp_path: Path, name: str, at: Any = None) -> Path:
    """The phone's screen (scrolled to ``at`` when given)."""
    path = tmp_path / f"{name}.png"
    if at is not None:
        driver.execute_script("arguments[0].scrollIntoView()", at)
    assert driver.save_screenshot(str(path))
    keep = os.environ.get("ADVISORS_SCREENSHOTS", "").strip()
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)
    assert path.read_bytes().startswith(b"\x89PNG")
    return path


def _grade_of(driver: Any, base: str, advisor: str) -> tuple[str, str]:
    driver.get(f"{base}/bureau")
    row = driver.find_element(By.CSS_SELECTOR, f'#grades tr[data-advisor="{advisor}"]')
    return (row.find_element(By.CLASS_NAME, "score").text,
            row.find_element(By.CLASS_NAME, "grade").text)


def test_an_advisor_logs_a_service_on_a_phone_and_the_grade_changes(
        browser: Any, portal_server: tuple[Any, Server], tmp_path: Path) -> None:
    the_portal, server = portal_server
    plan = advisors.Plan.read(the_portal.store.current().folder / "plan.json")
    advisor = sorted({v.advisor for v in plan.visits.visits})[0]
    first = min((v for v in plan.visits.visits if v.advisor == advisor), key=lambda v: v.key)

    browser.get(f"{server.url}/signin/{the_portal.store.rotate('admin', 'admin')}")
    before = _grade_of(browser, server.url, advisor)

    browser.get(f"{server.url}/signin/{the_portal.store.rotate('advisor', advisor)}")
    assert browser.current_url.endswith("/work/log")
    assert browser.execute_script("return window.innerWidth") == PHONE[0]
    _shot(browser, tmp_path, "1-planned-visits")
    browser.find_element(By.CSS_SELECTOR, "ul.visits a.visit").click()
    assert browser.find_element(By.ID, "date").get_attribute("value") == first.date.isoformat()
    assert browser.find_element(By.ID, "village").get_attribute("value") == first.village
    browser.find_element(By.ID, "people_served").send_keys("十二")
    browser.find_element(By.ID, "note").send_keys("村委会坐班，解答土地承包问题")
    browser.find_element(By.ID, "topic_land_contract").send_keys("3")
    browser.find_element(By.ID, "save").click()
    error = WebDriverWait(browser, 30).until(
        support.presence_of_element_located((By.ID, "people_served-error")))
    assert "whole number" in error.text and error.is_displayed()
    # the error sits right under its field, inside the phone's width
    field = browser.find_element(By.ID, "people_served")
    assert 0 <= error.location["y"] - field.location["y"] < 120
    assert error.rect["x"] + error.rect["width"] <= PHONE[0]
    _shot(browser, tmp_path, "2-form-with-error", field)
    field.clear()
    field.send_keys("12")
    browser.find_element(By.ID, "save").click()
    WebDriverWait(browser, 30).until(support.url_matches(r"/work/month/\d{4}-\d{2}$"))
    assert "已保存" in browser.find_element(By.CLASS_NAME, "flash").text
    assert first.date.isoformat() in browser.find_element(By.CSS_SELECTOR, "ul.visits").text
    _shot(browser, tmp_path, "3-month-record")
    # nothing on the phone pages is wider than the phone
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]

    browser.get(f"{server.url}/signin/{the_portal.store.rotate('admin', 'admin')}")
    after = _grade_of(browser, server.url, advisor)
    assert after != before, f"the grade did not move: {before} → {after}"


def test_an_office_records_a_request_and_the_advisors_feed_shows_the_booked_visit(
        browser: Any, portal_server: tuple[Any, Server], tmp_path: Path) -> None:
    the_portal, server = portal_server
    state = server.app.extensions["portal_live"].state()
    village = sorted(state.dataset.villages, key=lambda v: v.id)[0]
    browser.get(f"{server.url}/signin/{the_portal.store.rotate('office', village.township)}")
    assert browser.current_url.endswith("/work/requests")
    Select = pytest.importorskip("selenium.webdriver.support.select").Select
    Select(browser.find_element(By.ID, "village")).select_by_value(village.id)
    Select(browser.find_element(By.ID, "grp")).select_by_value("elderly")
    Select(browser.find_element(By.ID, "kind")).select_by_value("home_visit")
    browser.find_element(By.ID, "requester").send_keys("手机测试申请人")
    browser.find_element(By.ID, "note").send_keys("独居老人，赡养纠纷")
    _shot(browser, tmp_path, "4-office-request")
    browser.find_element(By.ID, "record").click()
    WebDriverWait(browser, 30).until(support.presence_of_element_located((By.CLASS_NAME,
                                                                           "flash")))
    assert server.app.extensions["portal_republisher"].settle()
    browser.refresh()
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "ul.requests li")
               if "手机测试申请人" in r.text)
    state = server.app.extensions["portal_live"].state()
    ref = row.text.split()[0]
    booking = state.booking_of(ref)
    assert booking is not None and booking.date is not None and booking.advisor
    assert booking.date.isoformat() in row.text
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    _shot(browser, tmp_path, "5-office-booked", row)
    # the advisor's calendar (what the phone subscribed to) shows the booked visit
    token = the_portal.store.rotate("advisor", booking.advisor)
    status, _, feed = server.get(f"/calendars/me/{token}.ics")
    assert status == 200
    found = [e for e in events(feed).values()
             if e["DTSTART"].dt.date() == booking.date and ref in str(e.get("DESCRIPTION", ""))]
    assert found, f"{ref} not in the advisor's feed"
    assert "手机测试申请人" not in feed.decode("utf-8")  # the requester's name stays at the office
    # and the advisor's log offers it, one tap from the form
    browser.get(f"{server.url}/signin/{token}")
    items = browser.find_elements(By.CSS_SELECTOR, "ul.visits a.visit")
    assert any(booking.date.isoformat() in i.text for i in items)
    _shot(browser, tmp_path, "6-advisor-log-with-booking")
