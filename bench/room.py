"""A room of phones against one Tandem server, beside the plain-app floor, in one invocation.

    .venv/bin/python bench/room.py [--phones 100] [--workers N] [--spread 10] [--think 3]
        [--database sqlite|postgresql|URL] [--deck codependency-to-interdependency-90]
        [--facilitator both|same|other] [--no-projector] [--no-floor]
        [--no-reuse-connections] [--profile FILE] [--processes N] [--nginx]

Two servers are measured one after the other with the same phones:

- the plain-app floor (bench/floor.py): a plain Starlette app on uvicorn that shows a form,
  stores the answer in SQLite (WAL) and shows the room's counts with one GROUP BY, with the
  same long poll; always SQLite;
- Tandem: `streamlit run streamlit_app.py` on 127.0.0.1 with its own database (an SQLite file
  in a temporary folder, or a PostgreSQL schema of its own), a session on the deck moved to its
  first question, the facilitator's control view and the projector open in Chromium.

Each phone has its own cookie jar and does what a phone running the page's script does
(workshop/web/participant/static/tandem.js): it arrives at its moment in the arrival spread,
joins (GET /j/CODE, then the page's CSS and script), parks on the long poll while it reads the
question, answers (reads the form, picks, POSTs, follows the redirect), parks again on the page
after answering (following the room's answers: the results section fetched again when woken
with a new count) and, when the room moves on, shows the new page that came with the long
poll's answer (the floor's long poll does the same).

The room: every phone answers the first question; the facilitator moves on from another
process (this one, through the store: phones hear of it from the server's tenth-of-a-second check);
every phone answers the second; the facilitator moves on from the server's own process (a
click on Next in the control view, in Chromium: the click wakes the phones directly). With
`--facilitator other` (or `same`) both moves are taken that way.

The load generator: the phones run in `--workers` processes (spawned, each with its own asyncio
loop, its own clients and cookie jars); phone n runs in worker n mod N, so every worker's phones
arrive evenly over the whole spread and the room's arrivals are the same whatever N is. This
process only coordinates: it starts the workers together, follows what they report (how many
phones joined, answered each question, show each activity; every 0.1 s), makes the
facilitator's moves when the room has answered, stops the workers and adds up the raw
measurements they send back (every latency, when each phone first showed each activity, errors,
how late their loops woke). The clocks agree across processes: arrivals are scheduled on
time.monotonic() (CLOCK_MONOTONIC, one clock for the whole machine on Linux), and a move and a
phone showing it are both stamped with time.time() (the browser's click with Date.now(), the
same wall clock), so advance-to-phone is still from the facilitator's action to the phone.
The workers' CPU is read from /proc by this process, over the same window as the server's.

How many workers (the default): 1 below 200 phones, 2 below 500, 4 from 500 on. One loop is
enough while it keeps up (at 100 phones it was late by 30 ms at p99). An asyncio loop handles
every reply that arrived together before it looks at its timers again, so when hundreds of
phones wake at once the last reply, and the loop's own clock, wait for all the others to be
parsed: at 300 phones on the 2-core machine (shared, load 2 to 10) one worker's loop was late
by 1.1 s at p99, two workers' by 0.2 to 0.4 s, four workers' by 0.07 s. Splitting the burst
helps beyond the number of cores, since the kernel interleaves the processes and each loop
goes through only its share; but it does not make the work smaller: the workers together used
40% to 65% of a core at 300 phones, whatever their number, and on 2 cores that is CPU the
server (most of a core) and the browser (about 40%) do not get. Each worker also costs an
interpreter (about 60 MB, a second of imports, spent before the clock starts). So: as few as
keep the loops' lateness well under the figures measured, at most 4; pass --workers to choose.

Prints: join, answer and page p50/p95/p99; advance-to-phone p50/p95 for each move (from the
action to the phone showing the new activity, from the page that came with the long poll's
answer); answer-to-projector delay
(from an answer stored, its 303, to the projector's "N answered" including it; counts show only
once the response threshold, 5, is met); server CPU and memory (RSS of the server process and
its children); errors (HTTP 5xx, connection errors, timeouts); the load generator's CPU (its
workers', and this process's) and how late each worker's event loop woke (is the generator
itself the bottleneck?), and the browser's CPU. Each Tandem figure is printed beside the
floor's and their ratio.

`--processes N` (PostgreSQL only): N Tandem processes on one PostgreSQL schema behind nginx
running deploy/tandem.conf over https (workshop.testing.proxy, a throwaway certificate), as
docs/scaling.md deploys them and tests/test_two_processes.py tests them: nginx sends each phone
request to whichever process has the fewest open, the facilitator's browser stays on one
process (its routing cookie), and a move made there reaches the phones parked on the others
through their processes' tenth-of-a-second check. The server's CPU and memory are the
processes' together; nginx's CPU is apart, and its log (which process served what, nothing
about anyone) says how the phones' requests were spread. `--nginx` puts one process behind the
same nginx: the comparison that leaves out what nginx and TLS cost.

`--no-reuse-connections`: a phone opens a new connection for every request (no keep-alive), as
phones on a flaky network or behind a NAT that drops idle connections might; the default keeps
them open, as a browser does.

Prints figures; asserts nothing. Only loopback addresses are used. Nothing identifies anyone.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import concurrent.futures
import contextlib
import dataclasses
import math
import multiprocessing
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from multiprocessing.connection import Connection
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).parent))

import floor  # noqa: E402
import harness  # noqa: E402
import wire  # noqa: E402

from workshop.room import live  # noqa: E402
from workshop.store import Store  # noqa: E402
from workshop.testing.proxy import Proxy, deployed  # noqa: E402
from workshop.testing.server import free_port  # noqa: E402

# Behind the run's own nginx (`--processes`, `--nginx`) the certificate is a throwaway one.
CHROMIUM_FLAGS_PROXIED = ["--ignore-certificate-errors"]
HEADINGS = (
    "Phones",
    "Latency",
    "Advance to phone",
    "Answer to projector",
    "Server",
    "Errors",
    "Load generator",
)
WORDS = ["calm", "tired", "curious", "hopeful", "ready", "unsure", "open", "warm"]
BODY = re.compile(r"<body([^>]*)>")
ATTRIBUTE = re.compile(r'data-([a-z-]+)="([^"]*)"')
TAKEN = re.compile(r'id="room-results"[^>]*data-taken="(\d+)"')
ANSWER_FORM = re.compile(r'<form[^>]*class="[^"]*\banswer\b.*?</form>', re.DOTALL)
# What the projector says under a result: "12 answered · 0 passed" (room/vocabulary.py).
COUNT_SEEN = """
() => {
  window.tandemSeen = [];
  let last = null;
  const look = () => {
    // Text node by text node: the slide's whole text runs a timer's digits into a count.
    const slide = document.querySelector(".st-key-tandem-slide");
    let count = null;
    const walker = slide ? document.createTreeWalker(slide, NodeFilter.SHOW_TEXT) : null;
    while (walker && walker.nextNode()) {
      const found = /(?:^|[^\\d])(\\d+) answered/.exec(walker.currentNode.textContent);
      if (found) { count = Number(found[1]); break; }
    }
    if (count !== last) { last = count; window.tandemSeen.push([Date.now() / 1000, count]); }
  };
  new MutationObserver(look).observe(document.body,
    {childList: true, subtree: true, characterData: true});
  look();
}
"""
CLICK_SEEN = """
() => document.addEventListener("click", (event) => {
  if (event.target.closest(".st-key-next")) window.tandemClicked = Date.now() / 1000;
}, true)
"""


# What a phone reads in a page ----------------------------------------------------------------


class FormReader(HTMLParser):
    """The answer form's fields, as a browser would send them once a person has chosen."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.found = False
        self.hidden: dict[str, str] = {}
        self.radios: dict[str, list[str]] = collections.defaultdict(list)
        self.checkboxes: dict[str, list[str]] = collections.defaultdict(list)
        self.selects: list[tuple[str, list[str]]] = []
        self.texts: list[str] = []
        self._select: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attributes}
        if tag == "form" and "answer" in named.get("class", ""):
            self.inside = self.found = True
        if not self.inside:
            return
        name = named.get("name", "")
        if tag == "input" and name:
            kind = named.get("type", "text")
            if kind == "hidden":
                self.hidden[name] = named.get("value", "")
            elif kind == "radio":
                self.radios[name].append(named.get("value", ""))
            elif kind == "checkbox":
                self.checkboxes[name].append(named.get("value", ""))
            elif kind in {"text", "search"}:
                self.texts.append(name)
        elif tag == "textarea" and name:
            self.texts.append(name)
        elif tag == "select" and name:
            self._select = (name, [])
            self.selects.append(self._select)
        elif tag == "option" and self._select is not None and named.get("value"):
            self._select[1].append(named["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None

    def answer(self, chance: random.Random) -> list[tuple[str, str]]:
        """What a person sends: one choice per question, a box or two, a place per item (each
        place once), a word."""
        fields = list(self.hidden.items())
        for name, values in self.radios.items():
            fields.append((name, chance.choice(values)))
        for name, values in self.checkboxes.items():
            fields.append((name, chance.choice(values)))
        places = [values for unused, values in self.selects]
        if (
            places
            and all(values == places[0] for values in places)
            and len(places[0]) >= len(places)
        ):
            order = chance.sample(places[0], len(places))  # a ranking: each place once
            fields.extend(
                (name, place) for (name, unused), place in zip(self.selects, order, strict=True)
            )
        else:
            fields.extend((name, chance.choice(values)) for name, values in self.selects if values)
        fields.extend((name, chance.choice(WORDS)) for name in self.texts)
        fields.append(("send", "1"))
        return fields


@dataclass
class Page:
    """A phone page as the script reads it (its body's data-* attributes)."""

    version: str = ""
    activity: str = ""
    status: str = ""
    taken: str | None = None  # the results section follows the room's answers
    form_html: str | None = None  # the answer form, read only if the phone answers
    received: float = 0.0  # time.time() when it arrived
    _form: FormReader | None = field(default=None, repr=False)

    @classmethod
    def read(cls, text: str) -> Page:
        body = BODY.search(text)
        data = dict(ATTRIBUTE.findall(body.group(1))) if body else {}
        taken = TAKEN.search(text)
        form = ANSWER_FORM.search(text)
        return cls(
            version=data.get("version", ""),
            activity=data.get("activity", ""),
            status=data.get("status", ""),
            taken=taken.group(1) if taken else None,
            form_html=form.group(0) if form else None,
            received=time.time(),
        )

    @property
    def form(self) -> FormReader | None:
        """The answer form's fields (parsed the first time they are asked for: most pages a
        phone reads are not answered, and parsing HTML is most of a phone's own work)."""
        if self._form is None and self.form_html is not None:
            self._form = FormReader()
            self._form.feed(self.form_html)
        return self._form


def as_form(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Fields as the client sends them (a name may repeat: a ranking's places, boxes)."""
    form: dict[str, list[str]] = {}
    for name, value in fields:
        form.setdefault(name, []).append(value)
    return form


def moved_on(state: dict, page: Page) -> bool:
    """tandem.js's movedOn: the room ended, or shows another activity or status."""
    if state.get("gone") or state.get("ended"):
        return True
    return (state.get("activity") or "") != page.activity or (
        state.get("status") or ""
    ) != page.status


# The room, as the phones and the facilitator share it ----------------------------------------


@dataclass
class Site:
    """Where phones go: Tandem's /j/CODE or the floor's /f/CODE."""

    name: str
    base: str
    prefix: str  # "/j" or "/f"
    code: str
    assets: tuple[str, ...] = ()
    results: bool = False  # has the results section a page after answering fetches again

    @property
    def page(self) -> str:
        return f"{self.prefix}/{self.code}"


# What each worker measures and sends back; the rest of Figures is this process's.
MEASURED = (
    "join",
    "answer",
    "page",
    "results",
    "loop_lag",
    "errors",
    "joined",
    "waited_to_join",
    "answered",
    "stored_at",
    "answer_by_question",
    "first_shown",
    "requests",
)


@dataclass
class Figures:
    join: list[float] = field(default_factory=list)
    answer: list[float] = field(default_factory=list)
    page: list[float] = field(default_factory=list)
    results: list[float] = field(default_factory=list)
    advance: dict[str, list[float]] = field(default_factory=dict)
    projector: dict[str, list[float]] = field(default_factory=dict)  # activity: delays
    loop_lag: list[float] = field(default_factory=list)  # seconds the loop woke sleepers late
    worker_lag: list[list[float]] = field(default_factory=list)  # the same, worker by worker
    projector_seen: list[tuple[float, int | None]] = field(default_factory=list)
    errors: collections.Counter = field(default_factory=collections.Counter)
    joined: int = 0
    waited_to_join: int = 0
    answered: collections.Counter = field(default_factory=collections.Counter)
    stored_at: dict[str, list[float]] = field(default_factory=dict)  # activity: 303 moments
    # activity: the answer latencies (as `answer`) question by question, in the room's order:
    # the first answered as the phones arrive, the next all at once after a move
    answer_by_question: dict[str, list[float]] = field(default_factory=dict)
    # activity: when each phone first showed it (time.time()), for advance-to-phone
    first_shown: dict[str, list[float]] = field(default_factory=dict)
    stored: dict[str, int] = field(default_factory=dict)  # what the database holds afterwards
    requests: int = 0
    workers: int = 0  # the load generator's processes
    memory: dict[str, float] = field(default_factory=dict)  # MB: idle, parked, peak
    cpu: dict[str, float] = field(default_factory=dict)  # share of one core
    generator: dict[str, float] = field(default_factory=dict)
    browser: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    rounds: list[str] = field(default_factory=list)  # the questions answered, in order
    processes: int = 1  # Tandem's server processes (several behind nginx)
    # process (127.0.0.1:PORT): requests it served, by kind (from nginx's log, --processes)
    spread: dict[str, dict[str, int]] = field(default_factory=dict)

    def measured(self) -> dict:
        """A worker's raw measurements, as plain values (lists, dicts, counters) to send."""
        return {name: getattr(self, name) for name in MEASURED}

    def add(self, measured: dict) -> None:
        """A worker's measurements added to the room's: samples pooled, counts summed."""
        for name, value in measured.items():
            mine = getattr(self, name)
            if isinstance(mine, int):
                setattr(self, name, mine + value)
            elif isinstance(mine, collections.Counter):
                mine.update(value)
            elif isinstance(mine, list):
                mine.extend(value)
            else:  # activity: samples
                for key, values in value.items():
                    mine.setdefault(key, []).extend(values)
        self.worker_lag.append(list(measured["loop_lag"]))

    def progress(self) -> tuple[int, dict[str, int], dict[str, int]]:
        """What a worker reports as the room goes: phones joined, answers per activity, phones
        showing each activity."""
        shown = {activity: len(moments) for activity, moments in self.first_shown.items()}
        return self.joined, dict(self.answered), shown


@dataclass
class Room:
    """The room as a worker's phones share it."""

    site: Site
    figures: Figures
    answering: set[str]  # the activities phones answer
    think: float
    stop: asyncio.Event = field(default_factory=asyncio.Event)


class Phone:
    def __init__(self, number: int, room: Room, client: wire.Client) -> None:
        self.number = number
        self.room = room
        self.client = client
        self.chance = random.Random(number)
        self.site = room.site
        self.figures = room.figures
        self.shown: set[str] = set()  # the activities this phone has shown

    async def request(self, method: str, path: str, **options) -> wire.Reply | None:
        """One request; an error is counted, never raised."""
        self.figures.requests += 1
        try:
            reply = await self.client.request(method, path, **options)
        except wire.Timeout:
            self.figures.errors["timeouts"] += 1
            return None
        except wire.TransportError:
            self.figures.errors["connection errors"] += 1
            return None
        if reply.status_code >= 500:
            self.figures.errors["HTTP 5xx"] += 1
        return reply

    async def run(self, arrival: float, started: float) -> None:
        try:
            await self._run(arrival, started)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a benchmark reports, never stops: say what broke
            self.figures.errors[f"phone broke: {type(error).__name__}: {error}"[:120]] += 1

    async def _run(self, arrival: float, started: float) -> None:
        # `started` is on time.monotonic(), the clock every worker and the coordinator share.
        await asyncio.sleep(max(0.0, started + arrival - time.monotonic()))
        page = await self.join()
        while page is not None and not self.room.stop.is_set():
            if page.activity in self.room.answering and page.form is not None:
                page = await self.read_and_answer(page)
            else:
                page = await self.follow(page)

    async def join(self) -> Page | None:
        began = time.perf_counter()
        while not self.room.stop.is_set():
            reply = await self.request("GET", self.site.page)
            if reply is None or reply.status_code >= 500:
                return None
            if reply.status_code == 429:  # "Joining…": the page tries again by itself
                self.figures.waited_to_join += 1
                await asyncio.sleep(float(reply.headers.get("retry-after", "3")))
                continue
            if reply.status_code != 200:
                self.figures.errors[f"join refused ({reply.status_code})"] += 1
                return None
            self.figures.join.append(time.perf_counter() - began)
            self.figures.joined += 1
            # The page's stylesheet and script, fetched at once by the browser on a first visit.
            await asyncio.gather(*(self.request("GET", asset) for asset in self.site.assets))
            return self.seen(Page.read(reply.text))
        return None

    async def reload(self) -> Page | None:
        began = time.perf_counter()
        reply = await self.request("GET", self.site.page)
        if reply is None or reply.status_code != 200:
            return None
        self.figures.page.append(time.perf_counter() - began)
        return self.seen(Page.read(reply.text))

    def seen(self, page: Page) -> Page:
        """A page arrived: the first showing an activity is when a move reached this phone."""
        if page.activity not in self.shown:
            self.shown.add(page.activity)
            self.figures.first_shown.setdefault(page.activity, []).append(page.received)
        return page

    async def move_on(self, state: dict) -> Page | None:
        """tandem.js's moveOn: the new page came with the long poll's answer, else it is
        loaded."""
        if state.get("page"):
            return self.seen(Page.read(state["page"]))
        return await self.reload()

    async def wait(self, page: Page) -> dict | None:
        # What the page shows, as the script says it: a move comes with the new page.
        parameters = {"v": page.version, "a": page.activity, "s": page.status}
        if page.taken is not None:
            parameters["t"] = page.taken
        reply = await self.request("GET", f"{self.site.page}/wait", params=parameters)
        if reply is None or reply.status_code != 200:
            return None
        return reply.json()

    async def read_and_answer(self, page: Page) -> Page | None:
        """The question is read (the page still following the room meanwhile), then answered."""
        deadline = time.perf_counter() + self.chance.uniform(0, self.room.think)
        while (remaining := deadline - time.perf_counter()) > 0:
            poll = asyncio.ensure_future(self.wait(page))
            done, _pending = await asyncio.wait({poll}, timeout=remaining)
            if not done:
                poll.cancel()  # Send pressed: the browser leaves the page and its long poll
                with contextlib.suppress(asyncio.CancelledError):
                    await poll
                break
            state = poll.result()
            if state is not None and moved_on(state, page):
                return await self.move_on(state)
            if state is None:
                await asyncio.sleep(min(2.0, max(0.0, deadline - time.perf_counter())))
        return await self.answer(page)

    async def answer(self, page: Page) -> Page | None:
        assert page.form is not None
        fields = as_form(page.form.answer(self.chance))
        began = time.perf_counter()
        headers = {"Origin": self.site.base, "Sec-Fetch-Site": "same-origin"}
        reply = await self.request("POST", self.site.page, data=fields, headers=headers)
        if reply is not None and reply.status_code == 422:  # refused: pass instead
            self.figures.errors["answers refused (422), passed instead"] += 1
            fields = as_form([*page.form.hidden.items(), ("pass", "1")])
            reply = await self.request("POST", self.site.page, data=fields, headers=headers)
        if reply is None or reply.status_code != 303:
            if reply is not None and reply.status_code < 500:
                self.figures.errors[f"answer not taken ({reply.status_code})"] += 1
            return None if reply is None else await self.reload()
        self.figures.stored_at.setdefault(page.activity, []).append(time.time())
        thanks = await self.request("GET", reply.headers["location"])
        if thanks is None or thanks.status_code != 200:
            return None
        took = time.perf_counter() - began
        self.figures.answer.append(took)
        self.figures.answer_by_question.setdefault(page.activity, []).append(took)
        self.figures.answered[page.activity] += 1
        return self.seen(Page.read(thanks.text))

    async def follow(self, page: Page) -> Page | None:
        """tandem.js's poll and follow: show the new page when the room moves on, fetch the
        results section again when only the room's answers moved."""
        state = await self.wait(page)
        if state is None:
            await asyncio.sleep(2)  # as the script does after a failed poll
            return page
        if state.get("retry"):
            await asyncio.sleep(5)
            return page
        if str(state.get("version")) != page.version:
            if moved_on(state, page):
                return await self.move_on(state)
            page.version = str(state["version"])
            if page.taken is not None and "taken" in state:
                page.taken = str(state["taken"])
            return await self.refresh_results(page)
        if page.taken is not None and "taken" in state and str(state["taken"]) != page.taken:
            page.taken = str(state["taken"])
            return await self.refresh_results(page)
        return page

    async def refresh_results(self, page: Page) -> Page | None:
        if not self.site.results or page.taken is None:
            return page
        began = time.perf_counter()
        reply = await self.request(
            "GET", f"{self.site.page}/results", params={"activity": page.activity}
        )
        if reply is not None and reply.status_code == 409:
            return await self.reload()
        if reply is not None and reply.status_code == 200:
            self.figures.results.append(time.perf_counter() - began)
        return page


# Processes measured while the room runs --------------------------------------------------------


@dataclass
class Sample:
    moment: float  # time.monotonic()
    cpu: dict[str, float]  # CPU seconds used so far: server, workers, worker 1.., coordinator
    memory: float  # the server's RSS, MB


class Sampler:
    """Every half second: CPU used by the server (every Tandem process together), by each
    worker, by this process, by the browser and by nginx (`--processes`), and the server's
    memory. Figures are shares of one core between two moments."""

    def __init__(
        self, server_pids: list[int], worker_pids: list[int], proxy_pid: int | None = None
    ) -> None:
        self.server_pids = server_pids
        self.worker_pids = worker_pids
        self.proxy_pid = proxy_pid
        self.ignored: set[int] = set()  # this process's children that are not the browser
        self.samples: list[Sample] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> Sample:
        server = {pid for each in self.server_pids for pid in harness.process_tree(each)}
        workers = set(self.worker_pids)  # they start no processes of their own
        proxy = set(harness.process_tree(self.proxy_pid)) if self.proxy_pid else set()
        # The browser: this process's other children (Chromium and Playwright's driver).
        others = [
            pid
            for pid in harness.process_tree(os.getpid())[1:]
            if pid not in server | workers | proxy and pid not in self.ignored
        ]
        each_worker = {
            f"worker {number}": harness.cpu_seconds(pid)
            for number, pid in enumerate(self.worker_pids, start=1)
        }
        cpu = {
            "server": sum(harness.tree_cpu_seconds(pid) for pid in self.server_pids),
            "workers": sum(each_worker.values()),
            **each_worker,
            "coordinator": harness.own_cpu_seconds(),
            "browser": sum(harness.cpu_seconds(pid) for pid in others),
            "proxy": sum(harness.cpu_seconds(pid) for pid in proxy),
        }
        return Sample(time.monotonic(), cpu, servers_rss_megabytes(self.server_pids))

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.mark()

    def mark(self) -> None:
        """A sample now: a phase begins or ends."""
        self.samples.append(self.sample())

    def __enter__(self) -> Sampler:
        self.samples.append(self.sample())
        self._thread.start()
        return self

    def __exit__(self, *exception) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(self.sample())

    def shares(self, name: str, since: float, until: float) -> tuple[float, float]:
        """(mean, busiest second) share of one core `name` used in [since, until]."""
        window = [sample for sample in self.samples if since <= sample.moment <= until]
        if len(window) < 2:
            return float("nan"), float("nan")

        def share(first: Sample, last: Sample) -> float:
            return (last.cpu[name] - first.cpu[name]) / (last.moment - first.moment)

        mean = share(window[0], window[-1])
        busiest = mean  # a window shorter than a second has no busier second in it
        for first, second in zip(window, window[2:], strict=False):
            busiest = max(busiest, share(first, second))
        return mean, busiest

    def peak_memory(self) -> float:
        return max(sample.memory for sample in self.samples)


def servers_rss_megabytes(pids: list[int]) -> float:
    """The resident memory of every Tandem process (or the floor's) and their children, in MB."""
    return sum(harness.tree_rss_megabytes(pid) for pid in pids)


class Profiler:
    """py-spy recording the server while the phones arrive and answer the first question
    (`--profile FILE`): only the interpreter's holder is sampled (--gil), so the stacks say
    what the server's Python spends its one core on. Raw collapsed stacks, one per line with
    its count, for grep and sort; py-spy must be on PATH or in the virtual environment."""

    def __init__(self, path: Path, server_pid: int) -> None:
        self.path = path
        self.server_pid = server_pid
        self.process: subprocess.Popen | None = None

    def start(self) -> int:
        """Starts recording; returns py-spy's pid."""
        program = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        self.process = subprocess.Popen(
            [program, "record", "--pid", str(self.server_pid), "--gil", "--threads"]
            + ["--format", "raw", "--rate", "200", "--nonblocking", "--output", str(self.path)],
            stdout=subprocess.DEVNULL,
        )
        return self.process.pid

    def stop(self) -> None:
        """py-spy writes its file when interrupted; says where, or that it failed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=30)
        code, self.process = self.process.returncode, None
        if code not in (0, -signal.SIGINT) or not self.path.exists():
            # Attaching to another process needs ptrace (root, or kernel.yama.ptrace_scope=0).
            progress(f"  no profile: py-spy failed (exit {code})")
        else:
            progress(f"  profile of the arrival: {self.path}")


def processes_figures(figures: Figures, sampler: Sampler, since: float, until: float) -> None:
    figures.cpu["mean"], figures.cpu["busiest"] = sampler.shares("server", since, until)
    figures.generator["mean"], figures.generator["busiest"] = sampler.shares(
        "workers", since, until
    )
    each_busiest = [
        sampler.shares(f"worker {number}", since, until)[1]
        for number in range(1, len(sampler.worker_pids) + 1)
    ]
    figures.generator["busiest worker"] = max(
        (share for share in each_busiest if share == share), default=float("nan")
    )
    figures.generator["coordinator"] = sampler.shares("coordinator", since, until)[0]
    figures.browser["mean"], figures.browser["busiest"] = sampler.shares("browser", since, until)
    figures.cpu["proxy"] = sampler.shares("proxy", since, until)[0]
    figures.cpu["window"] = until - since  # seconds: the figures above are shares of it
    figures.memory["peak"] = sampler.peak_memory()


# The facilitator's browser ----------------------------------------------------------------------


class Browser:
    """Debian's Chromium in a thread of its own (Playwright's sync API stays in the thread
    that started it): the facilitator's control view and the projector."""

    def __init__(self, *, proxied: bool = False) -> None:
        self.flags = list(CHROMIUM_FLAGS_PROXIED) if proxied else []
        self._calls: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from playwright.sync_api import sync_playwright

        from workshop.testing.browser import CHROMIUM, CHROMIUM_FLAGS

        with sync_playwright() as playwright:
            self.browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=[*CHROMIUM_FLAGS, *self.flags]
            )
            while True:
                call, future = self._calls.get()
                if call is None:
                    break
                try:
                    future.set_result(call())
                except Exception as error:  # handed to the caller
                    future.set_exception(error)
            self.browser.close()

    def call(self, action: Callable) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._calls.put((action, future))
        return future

    def close(self) -> None:
        self._calls.put((None, None))
        self._thread.join(timeout=30)

    # Run in the browser's thread ------------------------------------------------------------

    def open_room(self, base: str, session_id: int, projector: bool) -> None:
        from workshop.testing.browser import facilitator_logs_in, open_screen

        self.control = facilitator_logs_in(self.browser, base)
        # What the control view's page went through, said if it ever fails the room: its
        # script's errors and its connection to the server closing.
        self.control_troubles: list[str] = []
        self.control.on(
            "console",
            lambda message: (
                self.control_troubles.append(message.text.splitlines()[0][:200])
                if message.type == "error" and "Cannot send" not in message.text
                else None
            ),
        )
        self.control.on(
            "websocket",
            lambda socket: socket.on(
                "close", lambda _socket: self.control_troubles.append("its websocket closed")
            ),
        )
        self.control.goto(f"{base}/control?session={session_id}")
        self.control.locator(".st-key-next button").wait_for()
        self.control.evaluate(CLICK_SEEN)
        self.screen = None
        if projector:
            self.screen = open_screen(self.control, base, session_id)
            self.screen.locator(".st-key-tandem-slide").wait_for()
            self.screen.evaluate(COUNT_SEEN)

    def press_next(self, showing: str) -> float:
        """Press Next once the control view shows `showing`; when the click happened."""
        from playwright.sync_api import expect

        from workshop.testing.browser import click

        try:
            expect(self.control.get_by_role("heading", name=showing, exact=True)).to_be_visible()
        except AssertionError:
            # Say what the facilitator saw instead: the control view is part of what is measured.
            shot = Path(tempfile.gettempdir()) / "tandem-bench-control.png"
            self.control.screenshot(path=shot)
            said = self.control.inner_text("body")[:600].replace("\n", " / ")
            print(
                f"The control view never showed {showing!r}; it said: {said} ({shot})",
                file=sys.stderr,
                flush=True,
            )
            for trouble in self.control_troubles:
                print(f"  the control view's page: {trouble}", file=sys.stderr, flush=True)
            raise
        click(self.control, "next")
        return self.control.evaluate("() => window.tandemClicked")

    def counts_seen(self) -> list[tuple[float, int | None]]:
        if self.screen is None:
            return []
        return [tuple(item) for item in self.screen.evaluate("() => window.tandemSeen")]


def projector_delays(
    stored_at: list[float], seen: list[tuple[float, int | None]], since: float, threshold: int
) -> list[float]:
    """For each answer stored (the k-th, from the threshold on), from its 303 to the projector
    first showing a count of at least k."""
    delays = []
    after = [(moment, count) for moment, count in seen if moment >= since]
    # Until it draws the new question the projector still shows the last one's count: start
    # where it shows a count under the threshold (or none), as a question no one answered yet.
    fresh = next(
        (
            index
            for index, (_moment, count) in enumerate(after)
            if count is None or count < threshold
        ),
        len(after),
    )
    shown = [(moment, count) for moment, count in after[fresh:] if count is not None]
    for number, stored in enumerate(sorted(stored_at), start=1):
        if number < threshold:
            continue
        first = next((moment for moment, count in shown if count >= number), None)
        if first is not None:
            delays.append(max(0.0, first - stored))
    return delays


# The load generator: worker processes, each with its share of the phones -------------------

REPORT_EVERY = 0.1  # seconds between a worker's reports of how far its phones are


def default_workers(phones: int) -> int:
    """The load generator's processes when --workers is not given (why: the docstring)."""
    if phones < 200:
        return 1
    return 2 if phones < 500 else 4


def generate(index: int, count: int, connection: Connection) -> None:
    """A worker process, one of `count`: for each room it is given (the floor's, then
    Tandem's), its share of the phones, from the coordinator's word to start to its word to
    stop; then its measurements, sent back. Only plain values cross the pipe."""
    # EOF or a broken pipe: the coordinator has gone, and the worker goes with it.
    with contextlib.suppress(EOFError, BrokenPipeError, KeyboardInterrupt):
        while True:
            word, plan = connection.recv()
            if word != "room":
                return
            asyncio.run(run_phones({**plan, "index": index, "workers": count}, connection))


async def run_phones(plan: dict, connection: Connection) -> None:
    figures = Figures()
    room = Room(Site(**plan["site"]), figures, set(plan["answering"]), plan["think"])
    # Phone n in worker n mod N: every worker's phones arrive over the whole spread.
    numbers = range(plan["index"], plan["phones"], plan["workers"])
    # Made before the clock starts (no connection is opened until a phone arrives).
    clients = [
        wire.Client(room.site.base, reuse_connections=plan["reuse_connections"]) for _ in numbers
    ]
    team = [Phone(number, room, client) for number, client in zip(numbers, clients, strict=True)]
    connection.send(("ready", None))
    _word, started = connection.recv()  # nothing else to do until the word to start
    spacing = plan["spread"] / plan["phones"]
    tasks = [asyncio.ensure_future(phone.run(phone.number * spacing, started)) for phone in team]
    lag = asyncio.ensure_future(loop_lag(figures.loop_lag))
    reported = None
    try:
        while not connection.poll():  # the word to stop (or the coordinator gone: EOF)
            progress = figures.progress()
            if progress != reported:
                connection.send(("progress", progress))
                reported = progress
            await asyncio.sleep(REPORT_EVERY)
        connection.recv()  # the word to stop, read
    finally:
        room.stop.set()
        for task in [*tasks, lag]:
            task.cancel()
        await asyncio.gather(*tasks, lag, return_exceptions=True)
        await asyncio.gather(*(client.aclose() for client in clients), return_exceptions=True)
    connection.send(("measured", figures.measured()))


@dataclass
class Progress:
    """How far the room is, over every worker's phones."""

    joined: int
    answered: collections.Counter
    shown: collections.Counter  # activity: phones that have shown it

    def __str__(self) -> str:
        answers = ", ".join(f"{key} {value}" for key, value in self.answered.items())
        return f"{self.joined} joined, answered: {answers or 'none'}"


class Workers:
    """The load generator's processes, as the coordinator sees them: given a room, started
    together, followed as they report, stopped and their measurements collected; the same
    processes for the floor and for Tandem. Each has a pipe of its own: ("room", plan),
    ("start", moment) and ("stop") go down it; ("ready"), ("progress", ...) and
    ("measured", ...) come up."""

    def __init__(self, count: int) -> None:
        # Spawned, not forked: this process has threads (the browser's, the sampler's).
        context = multiprocessing.get_context("spawn")
        self.count = count
        self.connections: list[Connection] = []
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self.reports: list[tuple[int, dict[str, int], dict[str, int]]] = []
        for index in range(count):
            ours, theirs = context.Pipe()
            process = context.Process(
                target=generate,
                args=(index, count, theirs),
                name=f"phones-{index + 1}",
                daemon=True,  # never outlives this process
            )
            process.start()
            theirs.close()  # only the worker holds its end now: either side going is an EOF
            self.connections.append(ours)
            self.processes.append(process)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exception) -> None:
        self.close()

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]

    def receive(self, index: int) -> tuple[str, object]:
        try:
            return self.connections[index].recv()
        except EOFError:
            raise RuntimeError(f"load generator worker {index + 1} ended early") from None

    async def prepare(self, plan: dict) -> None:
        """The room's plan to every worker; returns once each has made its phones' clients."""
        self.reports = [(0, {}, {})] * self.count
        for connection in self.connections:
            connection.send(("room", plan))
        for index in range(self.count):
            await asyncio.to_thread(self.receive, index)

    def start(self) -> float:
        """The word to start, with the moment the first phone arrives (time.monotonic())."""
        started = time.monotonic() + 0.05  # every worker has heard it by then
        for connection in self.connections:
            connection.send(("start", started))
        return started

    async def follow(self) -> None:
        """Reads every report as it comes, so that no worker ever waits on a full pipe."""
        while True:
            for index, connection in enumerate(self.connections):
                while connection.poll():
                    word, value = self.receive(index)
                    if word == "progress":
                        self.reports[index] = value
            await asyncio.sleep(REPORT_EVERY / 2)

    def progress(self) -> Progress:
        answered: collections.Counter = collections.Counter()
        shown: collections.Counter = collections.Counter()
        for _joined, their_answers, their_shown in self.reports:
            answered.update(their_answers)
            shown.update(their_shown)
        return Progress(sum(report[0] for report in self.reports), answered, shown)

    async def stop(self) -> list[dict]:
        """The word to stop; each worker's measurements once its phones have stopped."""
        for connection in self.connections:
            connection.send(("stop", None))
        measured = []
        for index in range(self.count):
            while True:  # the reports still on their way come first
                word, value = await asyncio.to_thread(self.receive, index)
                if word == "measured":
                    measured.append(value)
                    break
        return measured

    def close(self) -> None:
        """Whatever happened: no worker left behind (a closed pipe is a worker's word to go)."""
        for connection in self.connections:
            connection.close()
        for process in self.processes:
            process.join(5)
            if process.is_alive():
                process.terminate()
                process.join(5)


# One run: the floor or Tandem ----------------------------------------------------------------


async def until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.05)
    return condition()


async def drive(
    arguments: argparse.Namespace,
    workers: Workers,
    site: Site,
    answering: set[str],
    figures: Figures,
    moves: list[tuple[str, str, Callable]],
    server_pids: list[int],
    rounds: list[str],
    profile: Path | None = None,
    proxy_pid: int | None = None,
) -> dict[str, float]:
    """The phones arrive and answer `answering`, in the workers; the facilitator makes each
    move once the room has answered the question before it. `moves`: (label, the activity it
    shows, a coroutine function that makes the move and returns when it was made, by
    time.time()). `server_pids`: the server's processes (several behind nginx, whose own
    process is `proxy_pid`). `profile`: record the (first) server with py-spy while the phones
    arrive into this file. Fills `figures`; returns when each move was made."""
    figures.workers = workers.count
    plan = {
        "site": dataclasses.asdict(site),
        "answering": sorted(answering),
        "think": arguments.think,
        "spread": arguments.spread,
        "phones": arguments.phones,
        "reuse_connections": arguments.reuse_connections,
    }
    moved_at: dict[str, float] = {}
    await workers.prepare(plan)
    profiler = Profiler(profile, server_pids[0]) if profile is not None else None
    with Sampler(server_pids, workers.pids, proxy_pid) as sampler:
        if profiler is not None:
            sampler.ignored.add(profiler.start())
        sampler.mark()
        started = workers.start()
        following = asyncio.ensure_future(workers.follow())
        try:
            for position, (label, target, action) in enumerate(moves):
                if position < len(rounds):

                    def answered(activity: str = rounds[position]) -> bool:
                        now = workers.progress()
                        return (
                            time.monotonic() > started + arguments.spread
                            and now.answered[activity] >= now.joined
                        )

                    await until(answered, arguments.spread + arguments.think + 60)
                progress(f"  {workers.progress()}")
                if position == 0:
                    sampler.mark()
                    processes_figures(figures, sampler, started - 0.1, time.monotonic())
                    if profiler is not None:
                        profiler.stop()
                await asyncio.sleep(arguments.settle)  # followers settle; projector catches up
                if position == 0:
                    figures.memory["parked"] = servers_rss_megabytes(server_pids)
                moved_at[label] = await action()

                def arrived(target: str = target) -> bool:
                    now = workers.progress()
                    return now.shown[target] >= now.joined

                await until(arrived, 60)
                showing = workers.progress().shown[target]
                progress(f"  moved ({label}): {showing} phones show {target}")
            figures.seconds = time.monotonic() - started
        finally:
            if profiler is not None:
                profiler.stop()  # a run cut short still writes what it recorded
            following.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await following
        for measured in await workers.stop():
            figures.add(measured)
    for label, target, _action in moves:
        if label in moved_at:
            figures.advance[label] = [
                shown - moved_at[label] for shown in figures.first_shown.get(target, [])
            ]
    return moved_at


async def loop_lag(lags: list[float], every: float = 0.1) -> None:
    """How late the generator's own event loop wakes a sleeper: when it is late, the phones'
    figures include the generator's waiting, not only the server's."""
    while True:
        asked = time.perf_counter()
        await asyncio.sleep(every)
        lags.append(time.perf_counter() - asked - every)


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def move_labels(facilitator: str) -> list[str]:
    """The two moves' labels: where each facilitator action is taken."""
    if facilitator == "both":
        return ["other process", "same process"]
    return [f"{facilitator} process"] * 2 if facilitator == "other" else ["same process"] * 2


async def run_floor(arguments: argparse.Namespace, workers: Workers, folder: Path) -> Figures:
    path = folder / "floor.db"
    code = "FLOOR1"
    floor.create_room(path, code)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, str(Path(floor.__file__)), "--port", str(port), "--database"]
    process = subprocess.Popen([*command, str(path)], stdout=subprocess.DEVNULL)
    figures = Figures()
    try:
        async with harness.phone(base, asynchronous=True) as probe:
            for _ in range(100):
                with contextlib.suppress(httpx2.TransportError):
                    if (await probe.get("/health")).status_code == 200:
                        break
                await asyncio.sleep(0.1)

            async def other() -> float:
                moment = time.time()
                await asyncio.to_thread(floor.advance, path, code)
                return moment

            async def same() -> float:
                moment = time.time()
                await probe.post(f"/f/{code}/next")
                return moment

            labels = move_labels(arguments.facilitator)
            actions = {"other process": other, "same process": same}
            moves = [
                (f"{label} {'2nd' if index else '1st'}", target, actions[label])
                for index, (label, target) in enumerate(zip(labels, floor.ORDER[1:], strict=True))
            ]
            site = Site("floor", base, "/f", code)
            figures.memory["idle"] = servers_rss_megabytes([process.pid])
            answering = set(floor.ORDER[:2])
            figures.rounds = list(floor.ORDER[:2])
            await drive(
                arguments, workers, site, answering, figures, moves, [process.pid], floor.ORDER[:2]
            )
        with contextlib.closing(floor.connect(path)) as connection:
            rows = connection.execute("SELECT activity, count(*) FROM answers GROUP BY activity")
            figures.stored = dict(rows.fetchall())
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    return figures


@dataclass
class Deployment:
    """Tandem as the phones reach it: one server, or several behind nginx."""

    url: str
    pids: list[int]  # the server processes
    store: Store  # this process's own, on the same database
    proxy: Proxy | None = None


@contextlib.contextmanager
def tandem_deployed(arguments: argparse.Namespace, folder: Path) -> Iterator[Deployment]:
    """One Tandem server on 127.0.0.1; or, with `--processes N`, N of them on one PostgreSQL
    schema behind nginx running deploy/tandem.conf (workshop.testing.proxy, as
    tests/test_two_processes.py runs it, https with a throwaway certificate), as
    docs/scaling.md deploys them: each phone request goes to whichever process nginx picks,
    the facilitator's browser stays on one."""
    with harness.database(arguments.database, folder) as url:
        if not behind_nginx(arguments):
            with harness.running_server(folder, database_url=url) as (server, store):
                yield Deployment(server.url, [server.process.pid], store)
            return
        store = Store(url)
        try:
            store.migrate()
            # nginx holds two connections for each parked phone (its own and one to a process),
            # a phone answering holds a second pair, and the dashboard's take a few hundred.
            connections = 4 * arguments.phones + 1024
            with deployed(folder, url, arguments.processes, connections=connections) as (
                servers,
                proxy,
            ):
                pids = [server.process.pid for server in servers]
                yield Deployment(proxy.url, pids, store, proxy)
        finally:
            store.close()


def behind_nginx(arguments: argparse.Namespace) -> bool:
    return arguments.processes > 1 or arguments.nginx


def spread_over_processes(proxy: Proxy, code: str) -> dict[str, dict[str, int]]:
    """From nginx's log of the run (which process served what; no address, no time): how many
    phone requests, and how many long polls, each process answered, and how many of the
    dashboard's requests."""
    spread: dict[str, dict[str, int]] = {}
    for request in proxy.served():
        counts = spread.setdefault(request.upstream, collections.Counter())
        if request.path.startswith(f"/j/{code}/wait"):
            counts["long polls"] += 1
        if request.path.startswith("/j/"):
            counts["phone requests (long polls among them)"] += 1
        else:
            counts["dashboard requests"] += 1
    return {upstream: dict(counts) for upstream, counts in sorted(spread.items())}


async def run_tandem(arguments: argparse.Namespace, workers: Workers, folder: Path) -> Figures:
    deck = harness.built_in_deck(arguments.deck)
    first = next(index for index, activity in enumerate(deck.activities) if activity.answerable)
    following = deck.activities[first + 1 : first + 3]
    rounds = [deck.activities[first].id]
    if following and following[0].answerable:
        rounds.append(following[0].id)
    labels = move_labels(arguments.facilitator)
    browser = None
    if "same process" in labels or arguments.projector:
        browser = Browser(proxied=behind_nginx(arguments))
    figures = Figures(rounds=rounds, processes=arguments.processes)
    try:
        with tandem_deployed(arguments, folder) as deployment:
            store = deployment.store
            session = harness.start_session(store, deck, index=first, headcount=arguments.phones)
            if browser is not None:
                await asyncio.wrap_future(
                    browser.call(
                        lambda: browser.open_room(deployment.url, session.id, arguments.projector)
                    )
                )
            showing = [deck.activities[first].title, following[0].title]

            def other_process(position: int) -> Callable:
                async def move() -> float:
                    moment = time.time()
                    await asyncio.to_thread(live.next_activity, store, session.id)
                    return moment

                return move

            def same_process(position: int) -> Callable:
                async def move() -> float:
                    return await asyncio.wrap_future(
                        browser.call(lambda: browser.press_next(showing[position]))
                    )

                return move

            makers = {"other process": other_process, "same process": same_process}
            moves = [
                (
                    f"{label} {'2nd' if position else '1st'}",
                    activity.id,
                    makers[label](position),
                )
                for position, (label, activity) in enumerate(zip(labels, following, strict=False))
            ]
            site = Site(
                "Tandem",
                deployment.url,
                "/j",
                session.row.join_code,
                assets=("/j/assets/tandem.css", "/j/assets/tandem.js"),
                results=True,
            )
            figures.memory["idle"] = servers_rss_megabytes(deployment.pids)
            proxy = deployment.proxy
            moved_at = await drive(
                arguments,
                workers,
                site,
                set(rounds),
                figures,
                moves,
                deployment.pids,
                rounds,
                profile=arguments.profile,
                proxy_pid=proxy.process.pid if proxy and proxy.process else None,
            )
            if proxy is not None:
                figures.spread = spread_over_processes(proxy, session.row.join_code)
            if browser is not None and arguments.projector:
                seen = await asyncio.wrap_future(browser.call(browser.counts_seen))
                figures.projector_seen = seen
                windows = [0.0, *moved_at.values()]
                for activity, since in zip(rounds, windows, strict=False):
                    figures.projector[activity] = projector_delays(
                        figures.stored_at.get(activity, []),
                        seen,
                        since,
                        live.DEFAULT_THRESHOLD,
                    )
            counts = store.answer_counts(session.id)
            figures.stored = {activity: counts.get(activity, 0) for activity in rounds}
    finally:
        if browser is not None:
            browser.close()
    return figures


# The report -----------------------------------------------------------------------------------


def shown(value: float, unit: str) -> str:
    if value != value:
        return "-"
    if unit == "ms":
        return harness.milliseconds(value)
    if unit == "%":
        return f"{value * 100:.0f}%"
    return f"{value:,.0f} {unit}"


def line(name: str, tandem: float, floor_value: float | None, unit: str = "ms") -> None:
    ratio = "-"
    if floor_value is not None and floor_value == floor_value and floor_value > 0:
        ratio = f"x{tandem / floor_value:,.1f}" if tandem == tandem else "-"
    floor_text = shown(floor_value, unit) if floor_value is not None else "-"
    print(f"  {name:<44}{shown(tandem, unit):>12}{floor_text:>12}{ratio:>10}")


def table_head() -> None:
    print(f"  {'':<44}{'Tandem':>12}{'floor':>12}{'ratio':>10}")


def question(figures: Figures, position: int) -> list[float]:
    """The answer latencies of the room's `position`th question (0: the first)."""
    if position >= len(figures.rounds):
        return []
    return figures.answer_by_question.get(figures.rounds[position], [])


def report(arguments: argparse.Namespace, tandem: Figures, base: Figures | None) -> None:
    def of(figures: Figures | None, name: str) -> list[float] | None:
        return None if figures is None else getattr(figures, name)

    def at(values: list[float] | None, share: float) -> float | None:
        return None if values is None else harness.percentile(values, share)

    print()
    print("Phones")
    workers = tandem.workers
    fewest, most = arguments.phones // workers, math.ceil(arguments.phones / workers)
    print(
        f"  {arguments.phones} phones in {workers} worker process{'es' if workers > 1 else ''} "
        f"({fewest if fewest == most else f'{fewest} to {most}'} each), arriving over "
        f"{arguments.spread:g} s, "
        f"each reading for up to {arguments.think:g} s before answering"
        f"{'' if arguments.reuse_connections else ', a new connection for every request'}; "
        f"deck {arguments.deck}; Tandem on {arguments.database}, the floor on SQLite (WAL)"
    )
    if tandem.spread:
        print(
            f"  Tandem: {tandem.processes} process{'es' if tandem.processes > 1 else ''} on one "
            "database behind nginx (deploy/tandem.conf, https); what each served (from nginx's "
            "log, when the run ended):"
        )
        for upstream, counts in tandem.spread.items():
            said = ", ".join(f"{count:,} {kind}" for kind, count in sorted(counts.items()))
            print(f"    {upstream}: {said}")
    for name, figures in (("Tandem", tandem), ("floor", base)):
        if figures is None:
            continue
        answered = ", ".join(f"{key} {value}" for key, value in figures.answered.items())
        stored = ", ".join(f"{key} {value}" for key, value in figures.stored.items())
        print(
            f"  {name}: joined {figures.joined}, answered {answered or 'none'}; the database "
            f"holds {stored or 'none'}; {figures.waited_to_join} asked to wait to join; "
            f"{figures.requests:,} requests in {figures.seconds:.0f} s"
        )

    print()
    print("Latency (each request as the phone saw it)")
    table_head()
    rows = (
        ("join", "join"),
        ("answer (POST + page)", "answer"),
        ("page (reload)", "page"),
        ("results section", "results"),
    )
    for label, name in rows:
        for share in (0.5, 0.95, 0.99):
            line(
                f"{label} p{round(share * 100)}",
                harness.percentile(getattr(tandem, name), share),
                at(of(base, name), share),
            )
    # The first question is answered as the phones arrive over the spread; the next, by every
    # phone within the reading time of the move that showed it: the room's densest moment.
    questions = ("1st question (phones arriving)", "2nd question (all after a move)")
    for position, label in enumerate(questions):
        values = question(tandem, position)
        floor_values = question(base, position) if base else None
        for share in (0.5, 0.95, 0.99):
            line(
                f"  answer, {label} p{round(share * 100)}",
                harness.percentile(values, share),
                at(floor_values, share),
            )

    print()
    print("Advance to phone (the facilitator's action to the new activity on the phone)")
    table_head()
    for position, label in enumerate(tandem.advance):
        floor_label = list(base.advance)[position] if base and len(base.advance) > position else ""
        floor_values = base.advance.get(floor_label) if base else None
        count = len(tandem.advance[label])
        for share in (0.5, 0.95):
            line(
                f"{label} p{round(share * 100)} (n={count})",
                harness.percentile(tandem.advance[label], share),
                at(floor_values, share),
            )

    print()
    print("Answer to projector (an answer stored to the projector counting it)")
    if not arguments.projector:
        print("  not measured (--no-projector)")
    else:
        print(
            f"  from the {live.DEFAULT_THRESHOLD}th answer of each question on (counts show "
            "from the threshold); the first chart of a session also loads the browser's plotly"
        )
        for position, (activity, delays) in enumerate(tandem.projector.items()):
            said = f"{activity} ({'first chart' if position == 0 else 'later'}, n={len(delays)})"
            for share in (0.5, 0.95):
                line(f"{said} p{round(share * 100)}", harness.percentile(delays, share), None)
        if not any(tandem.projector.values()):
            counts = [count for _moment, count in tandem.projector_seen]
            print(
                f"  no delay measured: the projector's count changed {len(counts)} times; the "
                f"counts it showed: {counts[:12]}{' ...' if len(counts) > 12 else ''}"
            )

    print()
    several = f"its {tandem.processes} processes together" if tandem.processes > 1 else "process"
    print(
        f"Server ({several} and children; CPU while the phones arrived and answered the first "
        f"question, {tandem.cpu['window']:.0f} s)"
    )
    table_head()
    line("CPU, mean (share of one core)", tandem.cpu["mean"], of_dict(base, "cpu", "mean"), "%")
    line("CPU, busiest second", tandem.cpu["busiest"], of_dict(base, "cpu", "busiest"), "%")
    if tandem.spread:
        line("nginx's CPU, mean", tandem.cpu["proxy"], None, "%")
        # TLS included: each phone's connections are full handshakes here (the generator keeps
        # no TLS session between them, as a phone coming back would).
        per_phone = tandem.cpu["proxy"] * tandem.cpu["window"] / arguments.phones  # seconds
        line("nginx's CPU per phone over that time", per_phone, None)
    for key, label in (("idle", "before phones"), ("parked", "phones parked"), ("peak", "peak")):
        line(f"memory (RSS), {label}", tandem.memory[key], of_dict(base, "memory", key), "MB")
    per_phone = (tandem.memory["parked"] - tandem.memory["idle"]) * 1024 / arguments.phones
    floor_per_phone = (
        (base.memory["parked"] - base.memory["idle"]) * 1024 / arguments.phones if base else None
    )
    line("memory per phone parked", per_phone, floor_per_phone, "KB")

    print()
    print("Errors (HTTP 5xx, connection errors, timeouts, anything refused)")
    for name, figures in (("Tandem", tandem), ("floor", base)):
        if figures is None:
            continue
        said = ", ".join(f"{count} {kind}" for kind, count in figures.errors.items())
        print(f"  {name}: {said or 'none'}")

    print()
    print(
        f"Load generator ({workers} worker process{'es' if workers > 1 else ''} for the phones; "
        "this process coordinates; the browser is the facilitator's and the projector's)"
    )
    table_head()
    rows = (
        ("workers' CPU, mean (all together)", "mean"),
        ("workers' CPU, busiest second (all together)", "busiest"),
        ("busiest worker's busiest second", "busiest worker"),
        ("coordinator's CPU, mean (this process)", "coordinator"),
    )
    for label, key in rows:
        line(label, tandem.generator[key], of_dict(base, "generator", key), "%")
    line("browser CPU, mean", tandem.browser["mean"], None, "%")
    for share in (0.5, 0.99):
        line(
            f"event loop late by, p{round(share * 100)} (every worker)",
            harness.percentile(tandem.loop_lag, share),
            at(of(base, "loop_lag"), share),
        )
    line(
        "event loop late by, worst worker's p99",
        worst_worker(tandem, 0.99),
        None if base is None else worst_worker(base, 0.99),
    )
    for name, figures in (("Tandem", tandem), ("floor", base)):
        if figures is None:
            continue
        each = ", ".join(
            f"{number}: {harness.milliseconds(max(lags, default=float('nan')))}"
            for number, lags in enumerate(figures.worker_lag, start=1)
        )
        print(f"  {name}: each worker's event loop late by at worst: {each}")
    busiest = max(
        or_zero(tandem.generator["busiest worker"]),
        or_zero(base.generator["busiest worker"]) if base else 0.0,
    )
    late = max(
        or_zero(worst_worker(tandem, 0.99)), or_zero(worst_worker(base, 0.99)) if base else 0.0
    )
    if late > 0.05:
        print(
            "  A worker's event loop was late by more than 50 ms at times: the phones' "
            "figures include that waiting (the machine's other work, or the generator itself)."
        )
    if busiest > 0.8:
        print(
            "  A worker used most of a core at its busiest: its phones' latencies include its "
            "own waiting, so they are pessimistic."
        )
    else:
        print("  Each worker used less than a core at its busiest.")
    together = sum(
        or_zero(share)
        for share in (
            tandem.cpu["mean"],
            tandem.generator["mean"],
            tandem.generator["coordinator"],
            tandem.browser["mean"],
            tandem.cpu.get("proxy", 0.0),
        )
    )
    print(
        f"  With Tandem, the server, {'nginx, ' if tandem.spread else ''}the load generator and "
        "the browser together used "
        f"{together:.1f} of the machine's {os.cpu_count()} cores on average while the phones "
        "arrived and answered."
    )


def or_zero(share: float) -> float:
    """A figure, or 0 where none was measured (NaN)."""
    return share if share == share else 0.0


def worst_worker(figures: Figures, share: float) -> float:
    """The `share` percentile of the worker whose event loop was latest."""
    return max(
        (harness.percentile(lags, share) for lags in figures.worker_lag if lags),
        default=float("nan"),
    )


def of_dict(figures: Figures | None, name: str, key: str) -> float | None:
    return None if figures is None else getattr(figures, name).get(key)


async def run(arguments: argparse.Namespace, folder: Path | None = None) -> Figures:
    """Measure the floor, then Tandem, with the same worker processes; print the report.
    `folder` keeps the databases (tests)."""
    count = arguments.workers or default_workers(arguments.phones)
    with contextlib.ExitStack() as stack:
        if folder is None:
            folder = stack.enter_context(harness.temporary_folder("tandem-room-"))
        # Spawned first: their start-up overlaps the servers'.
        workers = stack.enter_context(Workers(max(1, min(count, arguments.phones))))
        base = None
        if arguments.floor:
            print(f"The floor: {arguments.phones} phones...", flush=True)
            base = await run_floor(arguments, workers, folder)
        print(f"Tandem: {arguments.phones} phones...", flush=True)
        tandem = await run_tandem(arguments, workers, folder)
        report(arguments, tandem, base)
        return tandem


def parser() -> argparse.ArgumentParser:
    made = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    made.add_argument("--phones", type=int, default=100)
    made.add_argument(
        "--workers",
        type=int,
        default=None,
        help="the load generator's processes (default: 1 below 200 phones, 2 below 500, else 4)",
    )
    made.add_argument("--spread", type=float, default=10.0, help="seconds the phones arrive over")
    made.add_argument(
        "--think", type=float, default=3.0, help="a phone reads for up to this many seconds"
    )
    made.add_argument(
        "--settle",
        type=float,
        default=2.5,
        help="seconds between the room's last answer and the facilitator's move",
    )
    made.add_argument(
        "--database",
        default="sqlite",
        help="sqlite, postgresql (a schema of its own at 127.0.0.1:5432/test) or a URL",
    )
    made.add_argument(
        "--processes",
        type=int,
        default=1,
        help="Tandem processes on one PostgreSQL database behind nginx (PostgreSQL only)",
    )
    made.add_argument(
        "--nginx",
        action="store_true",
        help="behind nginx even with one process (as --processes N puts N): the same path",
    )
    made.add_argument("--deck", default=harness.DEFAULT_DECK, help="a built-in deck's id")
    made.add_argument(
        "--facilitator",
        choices=["both", "same", "other"],
        default="both",
        help="where the facilitator's moves are taken: the server's process, another, or one each",
    )
    made.add_argument(
        "--no-projector", dest="projector", action="store_false", help="no projector in Chromium"
    )
    made.add_argument("--no-floor", dest="floor", action="store_false", help="Tandem only")
    made.add_argument(
        "--reuse-connections",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="phones keep their connections open between requests, as browsers do",
    )
    made.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="record Tandem's server with py-spy while the phones arrive into this file "
        "(py-spy installed; attaching needs root or kernel.yama.ptrace_scope=0)",
    )
    return made


def main() -> None:
    made = parser()
    arguments = made.parse_args()
    if arguments.processes < 1:
        made.error("--processes: at least 1")
    if behind_nginx(arguments) and not harness.is_postgresql(arguments.database):
        made.error("--processes, --nginx: behind nginx, processes share PostgreSQL (--database)")
    asyncio.run(run(arguments))


if __name__ == "__main__":
    main()
