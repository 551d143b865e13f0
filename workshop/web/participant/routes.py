"""The participant's routes: type a code, join, answer, wait for the next activity.

    GET  /j                 the code form (also ?code=ABC123 from that form)
    GET  /j/<CODE>          join (sets the anonymous cookie) and see the current activity
    POST /j/<CODE>          answer the activity named in the form
    GET  /j/<CODE>/wait     long poll: returns when the facilitator acts, or after 25 s; with
                            ?t=<answers taken>, also when the room's answers move (throttled);
                            with ?a=<activity>&s=<status> (what the page shows), the new page
                            comes with the answer when the room has moved on from it
    GET  /j/<CODE>/results  the results section alone, for the script to swap in
    GET  /j/assets/<file>   the one CSS file and the one small JS file
    GET  /j/language        ?to=es&next=/j/<CODE>: the language switch (a cookie, then back)

The cookie holds a random token the server signed for this join code, path-scoped to /j/<CODE>
so no two sessions ever see the same one; the database keeps only its keyed hash. A cookie the
server never issued makes no participant. Nothing here logs or stores an IP address or a user
agent. Every page works with JavaScript off; the script only saves a reload (and keeps what a
participant typed in the browser until it is sent).

The door (see docs/security.md): new phones per session are throttled and refused once the room
is locked or as full as the facilitator's headcount; codes that name no workshop are throttled
per process; forms sent from another site are refused; the wait endpoint tells nothing to a
request without this session's cookie.

Every page speaks the phone's language: the one chosen with the switch at the foot of each page
(a `lang` cookie holding "en" or "es" and nothing else), else the first its browser asks for
that Tandem speaks (Accept-Language), else English.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import anyio
import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from workshop import i18n
from workshop.activities import ActivitySpec, AnswerError, kind_of
from workshop.curriculum.decks import CurriculumError, Deck
from workshop.curriculum.practice import Practice, Support, load_practice, practice_file
from workshop.i18n import gettext as _
from workshop.room import live
from workshop.room.moderation import DEFAULT_FLAGS, FlagList, first_status
from workshop.room.results import Result
from workshop.store import Answer, JoinRefused, SessionRow, Store
from workshop.web import keys
from workshop.web.forms import bounded_body, parse_form
from workshop.web.origin import cross_site, over_https
from workshop.web.participant.recent import Recent
from workshop.web.participant.render import html_page, page, page_address, page_html, phone_page
from workshop.web.participant.waiting import Waiters
from workshop.web.throttle import JoinThrottle, TokenBucket

COOKIE = "tandem"
COOKIE_LIFETIME = 12 * 3600
# The language chosen with the switch: "en" or "es", for every workshop on this server (path
# /j), kept for a year so a phone that chose once is not asked again.
LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_LIFETIME = 365 * 24 * 3600
WAIT_SECONDS = 25.0
# A result shown on phones may be this old. After a reveal every phone reloads at once; without
# this, each would read and aggregate every answer again.
RESULT_SECONDS = 1.0
# The same for the page of an activity a phone has not answered: after a move every phone
# reloads it at once, and it is the same page for all of them.
PAGE_SECONDS = 1.0
# Codes that name no workshop: 30 at once, then one a second per process. At that pace the
# 2^28 possible codes take years to try; a phone whose cookie shows it belongs here never waits.
MISSES_AT_ONCE = 30
MISSES_PER_SECOND = 1.0
RETRY_SECONDS = 3
# Phone requests working in threads at once on SQLite, where only writes go to threads (see
# _reading) and commit together. 32 made no difference beyond the runs' spread at 1,000 phones
# (three runs each, docs/performance.md's third round), so the smaller number stays.
SQLITE_THREADS = 8
# What `_show` says when the page needs a join first, which it may not do where it was asked.
JOIN_FIRST = object()


@dataclass(frozen=True)
class Member:
    """A phone's participant, and its answer to the activity on screen: read together, since
    every page a phone loads needs both (one round trip to PostgreSQL, not two)."""

    participant_id: int
    answer: Answer | None


@dataclass(frozen=True)
class Asset:
    """One of the phone pages' two files, read once and served from memory: a file response
    looked the file up and read it again for every phone (3 ms of server time each)."""

    media_type: str
    content: bytes
    etag: str

    @classmethod
    def read(cls, media_type: str, name: str) -> Asset:
        content = (Path(__file__).parent / "static" / name).read_bytes()
        return cls(media_type, content, f'"{hashlib.sha256(content).hexdigest()[:16]}"')


ASSETS = {
    "tandem.css": Asset.read("text/css; charset=utf-8", "tandem.css"),
    "tandem.js": Asset.read("text/javascript; charset=utf-8", "tandem.js"),
}

Handler = Callable[["ParticipantPages", Request], Awaitable[Response]]


def in_language(handler: Handler) -> Handler:
    """Run a route in the phone's language, its pages carrying the switch that comes back here.

    The language is a context variable set here, in the request's task: `anyio.to_thread`
    copies the context into the worker thread, so pages drawn there speak it too.
    """

    @functools.wraps(handler)
    async def speaking(self: ParticipantPages, request: Request) -> Response:
        with i18n.speaking(language_of(request)), phone_page(return_address(request)):
            return await handler(self, request)

    return speaking


def worker_threads(store: Store) -> int:
    """How many phone requests may work in threads at once: on PostgreSQL, where every request
    does and holds a pooled connection while it works, as many as the pool keeps open (its
    overflow is left to the dashboard, which otherwise found every connection taken)."""
    if store.dialect == "sqlite":
        return SQLITE_THREADS
    return store.engine.pool.size()


def language_of(request: Request) -> str:
    """The phone's choice (the switch's cookie), else its browser's languages."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in i18n.LANGUAGES:
        return chosen
    return i18n.negotiate(request.headers.get("accept-language"))


def return_address(request: Request) -> str:
    """Where the language switch brings a phone back to: this page as it was asked for (a GET),
    or, after a form was sent, the session's page."""
    path = request.url.path
    if request.method == "GET":
        query = request.url.query
        return same_site_page(f"{path}?{query}" if query else path)
    code = request.path_params.get("code")
    return f"/j/{live.normalise_code(code)}" if code else "/j"


def same_site_page(address: str | None) -> str:
    """`address` if it is one of the phone pages here (a path under /j, no other host, no
    scheme, nothing a browser could read as another site), else the code form: the switch's
    `next` can never send a phone elsewhere."""
    fallback = "/j"
    if not address or len(address) > 512:
        return fallback
    if "\\" in address or any(
        ord(character) < 0x21 or ord(character) == 0x7F for character in address
    ):
        return fallback
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or parts.fragment:
        return fallback
    if not (parts.path == "/j" or parts.path.startswith("/j/")) or parts.path.startswith("//"):
        return fallback
    # No "." or ".." segment (a browser reads "%2e" as a dot too): nothing climbs out of /j.
    if any(segment in {".", ".."} for segment in unquote(parts.path).split("/")):
        return fallback
    if parts.path == "/j/language":
        return fallback
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class ParticipantPages:
    """The routes, bound to one store and one set of waiters."""

    def __init__(self, store: Store, waiters: Waiters, flags: FlagList | None = None) -> None:
        self.store = store
        self.waiters = waiters
        # The practice's safety phrases (read once at start): flagged text waits for the
        # facilitator and never reaches the projector or other phones.
        self.flags = flags if flags is not None else DEFAULT_FLAGS
        self.misses = TokenBucket(MISSES_AT_ONCE, MISSES_PER_SECOND)
        self.joins = JoinThrottle()
        self._results: Recent[Result] = Recent(RESULT_SECONDS)
        self._pages: Recent[str] = Recent(PAGE_SECONDS)
        self._limiter: tuple[asyncio.AbstractEventLoop, anyio.CapacityLimiter] | None = None

    @functools.cached_property
    def _practice(self) -> Practice:
        """The practice's settings (practice.toml), read once; the general ones if the file
        cannot be read."""
        try:
            return load_practice(practice_file())
        except CurriculumError:
            return Practice()

    def _practice_support(self) -> list[tuple[str, list[str]]]:
        """The practice's support resources, for an ended session whose deck listed none of
        its own: as the practice wrote them, or the general wording in the phone's language."""
        support = self._practice.support
        if support == Support():
            return [(_(support.heading), [_(resource) for resource in support.resources])]
        return [(support.heading, list(support.resources))]

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/j", self.code_form, methods=["GET"]),
            Route("/j/", self.code_form, methods=["GET"]),
            Route("/j/assets/{name}", self.asset, methods=["GET"]),
            Route("/j/language", self.choose_language, methods=["GET"]),
            Route("/j/{code}", self.activity_page, methods=["GET"]),
            Route("/j/{code}", self.answer, methods=["POST"]),
            Route("/j/{code}/wait", self.wait, methods=["GET"]),
            Route("/j/{code}/results", self.results, methods=["GET"]),
        ]

    # Pages ------------------------------------------------------------------------------------

    @in_language
    async def code_form(self, request: Request) -> Response:
        typed = request.query_params.get("code", "")
        code = live.normalise_code(typed)
        if code:
            return RedirectResponse(f"/j/{code}", status_code=303)
        return page("code.html", message=None)

    @in_language
    async def not_found(self, request: Request) -> Response:
        """An address under /j that no route knows (a link typed or copied wrong): the code
        form, which is where the phone can go on from."""
        return page(
            "code.html",
            status_code=404,
            message=_("There is no page at this address. Type the code shown on the screen."),
        )

    async def choose_language(self, request: Request) -> Response:
        """The switch at the foot of each page: keep the language chosen (nothing else) and go
        back to the same page, which now speaks it. A plain link, so it works without script."""
        target = same_site_page(request.query_params.get("next"))
        response = RedirectResponse(target, status_code=303)
        chosen = request.query_params.get("to")
        if chosen in i18n.LANGUAGES:
            response.set_cookie(
                LANGUAGE_COOKIE,
                chosen,
                max_age=LANGUAGE_COOKIE_LIFETIME,
                path="/j",
                httponly=True,
                samesite="lax",
                secure=over_https(request),
            )
        return response

    async def asset(self, request: Request) -> Response:
        found = ASSETS.get(request.path_params["name"])
        if not found:
            return Response("Not found", status_code=404)
        headers = {"Cache-Control": "public, max-age=86400", "ETag": found.etag}
        if request.headers.get("if-none-match") == found.etag:
            return Response(status_code=304, headers=headers)
        return Response(found.content, media_type=found.media_type, headers=headers)

    @in_language
    async def activity_page(self, request: Request) -> Response:
        code = request.path_params["code"]
        canonical = live.normalise_code(code)
        if canonical != code:
            return RedirectResponse(f"/j/{canonical}", status_code=303)
        token = request.cookies.get(COOKIE)
        change = request.query_params.get("change")
        if self._too_many_misses(code, token, request.query_params.get("k")):
            return _try_again_soon(
                429, _("Too many tries"), _("Please wait a moment and try again.")
            )
        show = (self._show, code, token, change, over_https(request))
        if token is not None and self._issued(code, token):
            shown = await self._reading(*show, False)
            if shown is not JOIN_FIRST:
                return shown
        # A new phone, or one whose participant is gone (a restored backup): it joins, a write.
        return await self._in_thread(*show)

    @in_language
    async def answer(self, request: Request) -> Response:
        code = request.path_params["code"]
        if cross_site(request):
            # Another site's page (another port of this host included) cannot answer for a phone.
            return page(
                "message.html",
                status_code=403,
                heading=_("Answer not sent"),
                message=_("This answer came from another site's page, so it was ignored."),
            )
        token = request.cookies.get(COOKIE)
        if self._too_many_misses(code, token, None):
            return _try_again_soon(
                429, _("Too many tries"), _("Please wait a moment and try again.")
            )
        body = await bounded_body(request)
        return await self._in_thread(self._answer, code, token, body)

    async def wait(self, request: Request) -> Response:
        code = request.path_params["code"]
        known = request.query_params.get("v", "")
        taken = _count(request.query_params.get("t"))
        showing = _showing(request)
        token = request.cookies.get(COOKIE)
        row = await self._reading(self._session_of_member, code, token)
        if row is None:
            # Without this session's cookie: the same answer whether or not the code names one.
            return JSONResponse({"gone": True}, status_code=403)
        if (
            known.isascii()
            and known.isdigit()
            and int(known) == row.version
            and row.status == "live"
        ):
            await self.waiters.wait(row.id, row.version, WAIT_SECONDS, taken=taken)
        # A page that came with the answer is the session's page, in the phone's language.
        with i18n.speaking(language_of(request)), phone_page(f"/j/{row.join_code}"):
            state = await self._reading(self._room_state, row.id, taken is not None, showing, token)
        return JSONResponse(state, headers={"Cache-Control": "no-store"})

    @in_language
    async def results(self, request: Request) -> Response:
        """The results section of the page after answering, as it is now: the script swaps it
        in when answers arrive, leaving the rest of the page (and anything typed) alone."""
        code = request.path_params["code"]
        token = request.cookies.get(COOKIE)
        activity_id = request.query_params.get("activity", "")
        return await self._reading(self._results_section, code, token, activity_id)

    # Where a request's database work runs (the store is synchronous) --------------------------

    async def _reading(self, work: Callable[..., Any], *arguments: Any) -> Any:
        """`work`, which only reads, every read through one database connection: on SQLite
        right here on the event loop, elsewhere in a worker thread (`_in_thread`).

        SQLite's reads are the machine's own work (no network, and WAL's readers never wait
        for a writer): 0.2 to 2 ms of CPU. Handed to a thread, each waited to be picked up and
        then for its result to be picked up again, each time for the interpreter lock: at
        1,000 phones, 0.5 to 1.4 s in the queue for work of 2 ms, with the threads idle.
        Writes still go to threads, where phones answering together commit together
        (the store's group commit); a PostgreSQL read waits on the network, so it does too.
        """
        if self.store.dialect == "sqlite":
            return self._connected(work, *arguments)
        return await self._in_thread(work, *arguments)

    async def _in_thread(self, work: Callable[..., Any], *arguments: Any) -> Any:
        """`work` in a worker thread, every read it makes through one database connection.

        At most `worker_threads` phone requests run in threads at once; the rest wait their
        turn on the event loop. When every request came here, forty threads (anyio's default)
        all runnable at once took turns at the interpreter lock with each other and with
        Streamlit's script threads, so the projector's redraw waited seconds behind a burst of
        phones; on SQLite only writes come here now, and they mostly wait for the writer.
        """
        loop = asyncio.get_running_loop()
        if self._limiter is None or self._limiter[0] is not loop:
            # One per event loop: the server has one; a test client may start several.
            self._limiter = (loop, anyio.CapacityLimiter(worker_threads(self.store)))
        task = functools.partial(self._connected, work, *arguments)
        return await anyio.to_thread.run_sync(task, limiter=self._limiter[1])

    def _connected(self, work: Callable[..., Any], *arguments: Any) -> Any:
        with self.store.one_connection():
            return work(*arguments)

    def _room_state(
        self,
        session_id: int,
        following: bool,
        showing: tuple[str, str] | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """What the long poll answers: where the room is, and (for a phone following the
        result) the marker it sends back next time, which moves with every answer stored.

        Given what the phone's page `showing` (its activity and status, as the script sends
        them), a room that has moved on from it comes with the phone's new page ("page"): the
        script shows it at once instead of asking for it. After a move every phone of the
        room does, all at once: one request each instead of two, a third less of the server's
        work per phone (the long poll's answer, the page and the next long poll were three)."""
        session = live.load(self.store, session_id)
        if session is None:
            return {"gone": True}
        current = session.current
        state: dict[str, Any] = {
            "version": session.row.version,
            "activity": current.id if current else None,
            "status": session.state(current.id).status if current else None,
            "ended": session.ended,
        }
        if following:
            state["taken"] = self._taken(session.id)
        if showing is not None and _moved_on(state, showing):
            new_page = self._page_after_move(session, token)
            if new_page is not None:
                state["page"] = new_page
        return state

    def _page_after_move(self, session: live.Live, token: str | None) -> str | None:
        """The page this phone would load now that the room has moved on; None when loading it
        would join (a participant gone with a restored backup): the script loads it then."""
        if session.ended:
            shown = self._not_running(session.row.join_code, session)
        else:
            member = self._member_of(session, token)
            if member is None:
                return None
            shown = self._render_current(session, member.answer, None)
        return bytes(shown.body).decode()

    def _show(
        self, code: str, token: str | None, change: str | None, https: bool, may_join: bool = True
    ) -> Response | object:
        """The phone's page; JOIN_FIRST instead of joining when not `may_join` (on the event
        loop, where a write would hold up every phone)."""
        session = live.load_by_code(self.store, code)
        if session is None or session.ended:
            return self._not_running(code, session)
        member = self._member_of(session, token)
        new_token = None
        if member is None:
            if not may_join:
                return JOIN_FIRST
            if not self.joins.allow(session.id, session.row.headcount):
                return _try_again_soon(
                    429,
                    _("Joining…"),
                    _("Many phones are joining at once. This page tries again by itself."),
                    session=session,
                )
            new_token = keys.new_token(self._cookie_key, code)
            joined = self._join(session, new_token)
            if isinstance(joined, Response):
                return joined
            member = Member(joined, None)  # a new token has answered nothing yet
        # Just joined: the privacy note is open, whatever is on screen.
        response = self._render_current(
            session, member.answer, change, first_visit=new_token is not None
        )
        if new_token is not None:
            self._set_cookie(response, code, new_token, https)
        return response

    def _answer(self, code: str, token: str | None, body: bytes | None) -> Response:
        session = live.load_by_code(self.store, code)
        if session is None or session.ended:
            return self._not_running(code, session)
        if body is None:
            return page(
                "message.html",
                status_code=413,
                session=session,
                heading=_("That answer is too long"),
                message=_("Please shorten it and send it again."),
            )
        member = self._member_of(session, token)
        if member is None:
            # No cookie (or one from before a reset): join first, then answer again.
            return RedirectResponse(f"/j/{code}", status_code=303)
        form = parse_form(body)
        return self._record(session, member, form)

    def _results_section(self, code: str, token: str | None, activity_id: str) -> Response:
        row = self._session_of_member(code, token)
        if row is None:
            return Response("", status_code=403, headers={"Cache-Control": "no-store"})
        session = live.from_row(self.store, row)  # the row just read, not read again
        member = self._member_of(session, token)
        if session.ended or member is None:
            return Response("", status_code=409, headers={"Cache-Control": "no-store"})
        activity = session.current
        if activity is None or activity.id != activity_id or not activity.answerable:
            # The room has moved on: the script loads the whole page instead.
            return Response("", status_code=409, headers={"Cache-Control": "no-store"})
        mine = member.answer  # to the activity on screen: `activity`
        if mine is None:
            return Response("", status_code=409, headers={"Cache-Control": "no-store"})
        state = session.state(activity.id)
        taken = self._taken(session.id)
        return page(
            "room_results.html",
            result=self._result(session, activity, taken),
            mine=mine,
            follow=state.status == "open",
            taken=taken,
        )

    def _taken(self, session_id: int) -> int:
        """How many answers the session has stored, changes included (one small query)."""
        return self.store.answers_taken([session_id]).get(session_id, 0)

    def _member_of(self, session: live.Live, token: str | None) -> Member | None:
        """The participant a cookie names, with its answer to the activity on screen (one
        read): only an issued token that joined, or one that joined before tokens were signed
        (its hash is in the database); never a new one."""
        if not token or len(token) > 64:
            return None
        token_hash = keys.token_hash(self._participant_key, session.id, token)
        current = session.current
        participant_id, answer = self.store.participant_and_answer(
            session.id, token_hash, current.id if current else None
        )
        return None if participant_id is None else Member(participant_id, answer)

    def _session_of_member(self, code: str, token: str | None) -> SessionRow | None:
        """The session `code` names, if this cookie is one of its participants' (a token issued
        for the code, or one that joined before tokens were signed); else None."""
        if not token or len(token) > 64:
            return None
        issued = self._issued(code, token)
        if not issued and self.misses.empty():
            return None  # not even a lookup for a stranger while guesses are throttled
        row = self.store.session_by_code(code)
        if row is None:
            if not issued:
                self.misses.spend()
            return None
        if issued:
            return row
        known = self.store.participant(
            row.id, keys.token_hash(self._participant_key, row.id, token)
        )
        return row if known is not None else None

    def _join(self, session: live.Live, token: str) -> int | Response:
        """A new participant, or the page saying why the room takes no more phones."""
        try:
            token_hash = keys.token_hash(self._participant_key, session.id, token)
            return self.store.join(session.id, token_hash)
        except JoinRefused as refused:
            if refused.reason == "locked":
                message = _(
                    "The facilitator has closed this workshop to new phones. If you are in the "
                    "room, please tell the facilitator."
                )
            else:
                message = _(
                    "As many phones have joined as there are people expected. If you are in the "
                    "room, please tell the facilitator."
                )
            return page(
                "message.html",
                status_code=403,
                session=None,
                heading=_("This workshop is full"),
                message=message,
            )

    def _issued(self, code: str, token: str | None) -> bool:
        return keys.token_issued(self._cookie_key, code, token)

    def _too_many_misses(self, code: str, token: str | None, proof: str | None) -> bool:
        """Whether to refuse looking up `code` now: codes that named no workshop came too fast,
        and neither this request's cookie nor the QR code's proof shows it belongs to `code`.
        (Only a phone that typed the code by hand waits, while someone floods guesses.)"""
        if not self.misses.empty():
            return False
        return not (
            self._issued(code, token) or keys.join_proof_matches(self._cookie_key, code, proof)
        )

    @functools.cached_property
    def _participant_key(self) -> bytes:
        return keys.participant_key(self.store)

    @functools.cached_property
    def _cookie_key(self) -> bytes:
        return keys.cookie_key(self.store)

    def _render_current(
        self,
        session: live.Live,
        mine: Answer | None,
        change: str | None,
        *,
        form: dict[str, list[str]] | None = None,
        error: str | None = None,
        status_code: int = 200,
        first_visit: bool = False,
    ) -> Response:
        activity = session.current
        context: dict[str, Any] = {
            "session": session,
            "activity": activity,
            "error": error,
            "privacy_open": first_visit,
        }
        # A page that holds nothing of this phone's own (no answer, nothing typed, no error) is
        # the page every such phone gets: made once, shared (`_shared`). A first visit (its
        # privacy note open) is shared among the phones joining.
        nothing_own = form is None and error is None and status_code == 200
        if activity is None:
            if nothing_own:
                return self._shared(
                    session, None, 0, first_visit, lambda: page_html("waiting.html", **context)
                )
            return page("waiting.html", **context)
        # `mine`: the phone's answer to `activity`, read with its participant (`_member_of`).
        state = session.state(activity.id)
        kind = kind_of(activity)
        if form is None and mine is not None and not mine.passed:
            form = kind.form_fields(activity, mine.value)
        show_form = (
            activity.answerable
            and state.status == "open"
            and (mine is None or change is not None or error is not None)
        )
        # The room's result and its count of answers, only on a page that shows them: a form
        # does not, so the phones still answering share one page while the answers come in.
        shows_result = activity.answerable and not show_form
        taken = self._taken(session.id) if shows_result else 0

        def activity_page() -> str:
            return page_html(
                "activity.html",
                state=state,
                mine=mine,
                result=self._result(session, activity, taken) if shows_result else None,
                show_form=show_form,
                form=form or {},
                kind_template=kind.template,
                # A page showing the result of an open activity follows the room's answers.
                follow=not show_form and state.status == "open",
                taken=taken,
                **context,
            )

        if nothing_own and mine is None:
            return self._shared(session, activity.id, taken, first_visit, activity_page)
        return html_page(activity_page(), status_code)

    def _shared(
        self,
        session: live.Live,
        activity_id: str | None,
        taken: int,
        first_visit: bool,
        make: Callable[[], str],
    ) -> Response:
        """The page `make` makes, shared with every phone that asks for it within PAGE_SECONDS.

        The key holds all the page is made from besides the deck: the session's version (every
        move, close, reveal and moderation), its threshold, the activity, the count of answers
        taken (the result shown and followed), whether it is a first visit, the language and
        the address asked at. (A new phone's cookie is set on its own response, not in the
        page.)"""
        key = (
            session.id,
            session.row.version,
            session.row.threshold,
            activity_id,
            taken,
            first_visit,
            i18n.current_language(),
            page_address(),
        )
        return html_page(self._pages.get(key, make))

    def _result(self, session: live.Live, activity: ActivitySpec, taken: int) -> Result:
        """The activity's result, shared by phones for up to RESULT_SECONDS.

        The key holds the session's version (close, reveal, moderation) and its count of answers
        taken (every answer stored, changes included, such as the phone's own), so none is ever
        hidden; phones woken together by a new answer share one aggregation.
        """
        key = (session.id, activity.id, session.row.version, taken)
        return self._results.get(key, lambda: live.result_of(self.store, session, activity))

    def _record(self, session: live.Live, member: Member, form: dict[str, list[str]]) -> Response:
        activity_id = (form.get("activity") or [""])[0]
        try:
            activity = session.deck.activity(activity_id)
        except KeyError:
            return RedirectResponse(f"/j/{session.row.join_code}", status_code=303)
        passed = bool(form.get("pass"))
        value = None
        moderation = None
        kind = kind_of(activity)
        if not passed:
            try:
                value = kind.parse_answer(activity, form)
            except AnswerError as problem:
                # Show the form again with what they typed, so nothing is lost.
                if session.current is None or session.current.id != activity.id:
                    return RedirectResponse(f"/j/{session.row.join_code}", status_code=303)
                # The activity on screen: the one `member.answer` was read for.
                return self._render_current(
                    session, member.answer, "1", form=form, error=str(problem), status_code=422
                )
            if kind.passes_everything(activity, value):
                # Every statement passed one by one is a pass, said and counted as one.
                passed, value = True, None
            elif kind.moderated:
                moderation = first_status(str(value), self.flags)
        stored = self.store.record_answer(
            session.id,
            activity.id,
            member.participant_id,
            passed=passed,
            value=value,
            moderation=moderation,
        )
        if not stored:
            return page(
                "message.html",
                status_code=409,
                session=session,
                heading=_("This activity has closed"),
                message=_("Your answer arrived after the facilitator closed it."),
            )
        return RedirectResponse(f"/j/{session.row.join_code}", status_code=303)

    # Small helpers ----------------------------------------------------------------------------

    def _not_running(self, code: str, session: live.Live | None) -> Response:
        """The page for a code that names no workshop, or one that has ended."""
        if session is not None:
            return page(
                "ended.html",
                session=session,
                support=_support_lists(session.deck) or self._practice_support(),
            )
        self.misses.spend()
        message = _("There is no workshop with the code %(code)s. Please check the screen.") % {
            "code": code[:12]
        }
        return page("code.html", status_code=404, message=message)

    @staticmethod
    def _set_cookie(response: Response, code: str, token: str, https: bool) -> None:
        response.set_cookie(
            COOKIE,
            token,
            max_age=COOKIE_LIFETIME,
            path=f"/j/{code}",
            httponly=True,
            samesite="lax",
            secure=https,
        )


def _showing(request: Request) -> tuple[str, str] | None:
    """What the phone's page shows, as the script sends it with its long poll (?a=<activity>
    &s=<status>, each empty on a page showing none); None from a script that does not send it
    (a page loaded before this server was upgraded), which loads the next page itself."""
    activity = request.query_params.get("a")
    status = request.query_params.get("s")
    if activity is None or status is None or len(activity) > 200 or len(status) > 20:
        return None
    return activity, status


def _moved_on(state: dict[str, Any], showing: tuple[str, str]) -> bool:
    """tandem.js's movedOn: the room ended, or shows another activity or status than the page
    (a session gone never gets here: `_room_state` says so first)."""
    if state["ended"]:
        return True
    activity, status = showing
    return (state["activity"] or "") != activity or (state["status"] or "") != status


def _count(text: str | None) -> int | None:
    """A count sent back by the script (plain digits, not absurdly long), else None."""
    if text and len(text) <= 15 and text.isascii() and text.isdigit():
        return int(text)
    return None


def _support_lists(deck: Deck) -> list[tuple[str, list[str]]]:
    """The support resources the deck's slides listed (the practice's, filled in when the
    session started, or the deck's own), under their headings, each line once: what the ended
    page keeps, so nobody loses them when the room ends."""
    lists: dict[str, list[str]] = {}
    for activity in deck.activities:
        reading = kind_of(activity).reading(activity)
        if reading is None or not reading.items:
            continue
        kept = lists.setdefault(reading.list_heading, [])
        kept.extend(item for item in reading.items if item not in kept)
    return list(lists.items())


def _try_again_soon(
    status_code: int, heading: str, message: str, session: live.Live | None = None
) -> Response:
    """A page that tries again by itself in a few seconds (no script needed)."""
    response = page(
        "message.html",
        status_code=status_code,
        session=session,
        heading=heading,
        message=message,
        refresh_seconds=RETRY_SECONDS,
    )
    response.headers["Retry-After"] = str(RETRY_SECONDS)
    return response
