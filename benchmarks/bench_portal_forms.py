"""The portal's forms under load on loopback: service log and request form, feeds meanwhile.

Run:  python benchmarks/bench_portal_forms.py [--submissions 2000] [--workers 16] [--db URL]

A copy of the Tongren example is published into a temporary portal and
served by werkzeug's threaded server on 127.0.0.1 in a process of its own (as
``python -m portal serve``; the phones are not in the server's interpreter).
Advisors (service form) and township offices (request form) sign in;
``--workers`` threads send the forms as phones do — session cookie, CSRF
token, a submission id — and every tenth form is sent twice (a retry on a bad
line). Two readers fetch village feeds with ``If-None-Match`` all the while.
Requests are booked by the server's background publications meanwhile; with
``--wait-booking`` the run also waits for the version that books them all.
At the end the database must hold every submission exactly once.

Prints submissions/s, the forms' p50/p95 latency, feed answers/s and any
error. ``tests/test_portal_load.py`` runs the same driver, short.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PERIOD = "2026-12"


@dataclass
class Client:
    """One signed-in phone: a keep-alive connection, its cookie and CSRF token."""

    port: int
    cookie: str = ""
    csrf: str = ""
    conn: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, body: dict[str, str] | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        head = dict(headers or {})
        if self.cookie:
            head["Cookie"] = self.cookie
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode("utf-8")
            head["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=head)
            response = self.conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        answer = {k.lower(): v for k, v in response.getheaders()}
        if "set-cookie" in answer:
            self.cookie = answer["set-cookie"].split(";", 1)[0]
        if answer.get("connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, answer, payload

    def sign_in(self, token: str, page: str) -> None:
        status, _, _ = self.send("GET", f"/signin/{token}")
        assert status == 302, status
        status, _, body = self.send("GET", page)
        assert status == 200, status
        found = re.search(rb'name="csrf" value="([^"]+)"', body)
        assert found
        self.csrf = found.group(1).decode()


@dataclass
class Result:
    """What a run measured."""

    submissions: int = 0
    retries: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    feed_answers: int = 0
    feed_errors: list[str] = field(default_factory=list)
    form_errors: list[str] = field(default_factory=list)
    stored_services: int = 0
    stored_requests: int = 0
    expected_services: int = 0
    expected_requests: int = 0
    booked_after: float = 0.0
    """Seconds from the last form to the publication that booked every request
    (``--wait-booking``)."""
    publications: int = 0
    """Versions published while the forms came in (and after, with ``--wait-booking``)."""
    server_cpu: float = 0.0
    """CPU seconds the server process spent while the forms came in (Linux ``/proc``)."""
    worker_cpu: float = 0.0
    """CPU seconds its publishing worker spent meanwhile."""

    @property
    def rate(self) -> float:
        return self.submissions / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies) or [0.0]
        return {"submissions": self.submissions, "retries": self.retries,
                "seconds": round(self.seconds, 2), "per_second": round(self.rate, 1),
                "p50_ms": round(1000 * statistics.median(lat), 1),
                "p95_ms": round(1000 * lat[int(0.95 * (len(lat) - 1))], 1),
                "feed_answers": self.feed_answers,
                "feed_per_second": round(self.feed_answers / self.seconds, 1)
                if self.seconds else 0.0,
                "feed_errors": len(self.feed_errors), "form_errors": len(self.form_errors),
                "stored_services": self.stored_services,
                "expected_services": self.expected_services,
                "stored_requests": self.stored_requests,
                "expected_requests": self.expected_requests,
                "booked_after_s": round(self.booked_after, 1),
                "publications": self.publications,
                "server_cpu_ms_per_form": round(1000 * self.server_cpu / self.submissions, 2)
                if self.submissions else 0.0,
                "worker_cpu_s": round(self.worker_cpu, 1)}


def _forms(portal: Any, state: Any, count: int) -> list[tuple[str, str, dict[str, str]]]:
    """``(kind, ident, form)``: services on planned visits and requests, alternating."""
    visits = list(state.plan.visits.visits)
    townships: dict[str, list[str]] = {}
    for v in sorted(state.dataset.villages, key=lambda v: v.id):
        townships.setdefault(v.township, []).append(v.id)
    offices = sorted(townships)
    out = []
    for i in range(count):
        if i % 2 == 0:
            v = visits[(i // 2) % len(visits)]
            out.append(("advisor", v.advisor, {
                "visit": v.id, "village": v.village, "date": v.date.isoformat(),
                "start": v.start, "end": v.end, "kind": "duty_day", "people_served": str(i % 30),
                "topic_debt": "1", "disputes": "0", "appointment": "", "note": f"load {i}",
                "submission": secrets.token_urlsafe(16)}))
        else:
            office = offices[(i // 2) % len(offices)]
            villages = townships[office]
            out.append(("office", office, {
                "village": villages[i % len(villages)], "grp": "elderly", "kind": "home_visit",
                "received_on": f"{PERIOD}-01", "languages": "", "requester": f"申请人{i}",
                "phone": "", "note": f"load {i}", "submission": secrets.token_urlsafe(16)}))
    return out


def run(data: Path, source: Path, submissions: int, workers: int,
        database: str | None = None, log: Callable[[str], None] = print,
        wait_booking: bool = False) -> Result:
    """Publish, serve, load, check; the measured :class:`Result`."""
    import portal as portal_pkg
    from portal.live import Live
    from portal.records import Records

    os.environ["ADVISORS_PORTAL_DATA"] = str(data)
    if database:
        os.environ["ADVISORS_PORTAL_DB"] = database
    the_portal = portal_pkg.Portal(data, database=database)
    the_portal.configure(source, PERIOD)
    the_portal.publish()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(data)],
                              stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        return _load(the_portal, Live(the_portal), Records(the_portal.url), server,
                     submissions, workers, log, wait_booking)
    finally:
        if server.poll() is None:
            server.terminate()
        server.wait(timeout=60)


def _load(the_portal: Any, live: Any, records: Any, server: subprocess.Popen[str],
          submissions: int, workers: int, log: Callable[[str], None],
          wait_booking: bool) -> Result:
    assert server.stdout is not None
    port = int(server.stdout.readline())  # the server says its port once it listens
    first_version = the_portal.store.current().id
    state = live.state()
    services_before = len(records.services())
    requests_before = len(records.requests())
    forms = _forms(the_portal, state, submissions)
    clients: dict[tuple[str, str], Client] = {}
    for kind, ident, _ in forms:
        if (kind, ident) not in clients:
            client = Client(port)
            client.sign_in(the_portal.store.rotate(kind, ident),
                           "/work/log/new" if kind == "advisor" else "/work/requests")
            clients[(kind, ident)] = client
    feeds = [f"/calendars/village/{v.id}.ics" for v in state.dataset.villages][:40]
    result = Result(expected_services=sum(1 for k, _, _ in forms if k == "advisor"),
                    expected_requests=sum(1 for k, _, _ in forms if k == "office"))
    lock = threading.Lock()
    queue = list(enumerate(forms))
    stop = threading.Event()

    def submit() -> None:
        mine: dict[tuple[str, str], Client] = {}
        while True:
            with lock:
                if not queue:
                    return
                i, (kind, ident, form) = queue.pop()
            client = mine.get((kind, ident))
            if client is None:  # one connection per thread and person, same session
                shared = clients[(kind, ident)]
                client = mine[(kind, ident)] = Client(port, shared.cookie, shared.csrf)
            path = "/work/log/new" if kind == "advisor" else "/work/requests"
            for attempt in range(2 if i % 10 == 0 else 1):
                began = time.perf_counter()
                try:
                    status, _, body = client.send("POST", path, {**form, "csrf": client.csrf})
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        result.form_errors.append(f"{path}: {exc}")
                    continue
                spent = time.perf_counter() - began
                with lock:
                    result.latencies.append(spent)
                    result.submissions += 1
                    result.retries += attempt
                    if status != 302:
                        result.form_errors.append(f"{path}: {status} {body[:200]!r}")

    def read_feeds() -> None:
        client = Client(port)
        etags: dict[str, str] = {}
        n = 0
        while not stop.is_set():
            path = feeds[n % len(feeds)]
            n += 1
            head = {"If-None-Match": etags[path]} if path in etags else {}
            try:
                status, answer, _ = client.send("GET", path, headers=head)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    result.feed_errors.append(f"{path}: {exc}")
                continue
            with lock:
                result.feed_answers += 1
                if status not in (200, 304):
                    result.feed_errors.append(f"{path}: {status}")
            if "etag" in answer:
                etags[path] = answer["etag"]

    readers = [threading.Thread(target=read_feeds) for _ in range(2)]
    for r in readers:
        r.start()
    senders = [threading.Thread(target=submit) for _ in range(workers)]
    cpu = _cpu(server.pid)
    began = time.perf_counter()
    for s in senders:
        s.start()
    for s in senders:
        s.join()
    result.seconds = time.perf_counter() - began
    spent = _cpu(server.pid)
    result.server_cpu, result.worker_cpu = spent[0] - cpu[0], spent[1] - cpu[1]
    stop.set()
    for r in readers:
        r.join()
    if wait_booking:  # the version that books every recorded request
        settling = time.perf_counter()
        refs = {r["ref"] for r in records.requests()}
        while not refs <= _booked(the_portal):
            if time.perf_counter() - settling > 900:
                result.form_errors.append("the requests were not booked within 15 minutes")
                break
            time.sleep(0.2)
        result.booked_after = time.perf_counter() - settling
    result.publications = the_portal.store.current().id - first_version
    server.terminate()  # the server ends its publisher with it
    server.wait(timeout=60)
    sent_services = {f["submission"] for k, _, f in forms if k == "advisor"}
    sent_requests = {f["submission"] for k, _, f in forms if k == "office"}
    stored = [s["submission"] for s in records.services()][services_before:]
    asked = [r["submission"] for r in records.requests()][requests_before:]
    result.stored_services = len(stored)
    result.stored_requests = len(asked)
    if set(stored) != sent_services or len(stored) != len(set(stored)):
        result.form_errors.append("services stored differ from those sent")
    if set(asked) != sent_requests or len(asked) != len(set(asked)):
        result.form_errors.append("requests stored differ from those sent")
    log(json.dumps(result.summary(), ensure_ascii=False))
    return result


def _cpu(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) of process ``pid`` and of its children alive now."""
    def of(p: int) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # not Linux, or the process ended
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    children = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children += of(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return of(pid), children


def _booked(the_portal: Any) -> set[str]:
    """Ids of the requests the current version books (on a service day or a home visit)."""
    import advisors

    version = the_portal.store.current()
    try:
        plan = advisors.Plan.read(version.folder / "plan.json")
    except FileNotFoundError:  # pruned by a newer version meanwhile
        return set()
    return {b.request for b in plan.visits.bookings}


def serve(data: Path) -> None:
    """The server process: the portal over ``data`` on a free loopback port (printed),
    until SIGTERM; then its publisher is closed."""
    import portal as portal_pkg
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one log line per request costs
    app = portal_pkg.create_app(data, database=os.environ.get("ADVISORS_PORTAL_DB") or None)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.socket.listen(256)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(server.server_port, flush=True)
    try:
        server.serve_forever()
    finally:
        app.extensions["portal_republisher"].close()


def main() -> int:
    if sys.argv[1:2] == ["--serve"]:
        sys.path.insert(0, str(ROOT / "examples" / "portal"))
        serve(Path(sys.argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--db", default=None, help="SQLAlchemy URL (default: SQLite)")
    parser.add_argument("--wait-booking", action="store_true",
                        help="Also time the background publication that books the requests.")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "examples" / "portal"))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "data"
        shutil.copytree(ROOT / "examples" / "tongren", source)
        result = run(Path(tmp) / "portal", source, args.submissions, args.workers, args.db,
                     wait_booking=args.wait_booking)
    print(f"| forms | {result.submissions} | {result.rate:.0f}/s | "
          f"p95 {result.summary()['p95_ms']} ms | feeds {result.feed_answers} answered, "
          f"{len(result.feed_errors)} errors | lost/duplicated: "
          f"{len(result.form_errors)} problems |")
    return 1 if result.form_errors or result.feed_errors else 0


if __name__ == "__main__":
    sys.exit(main())
