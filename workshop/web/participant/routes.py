"""The participant's routes: type a code, join, answer, wait for the next activity.

    GET  /j                 the code form (also ?code=ABC123 from that form)
    GET  /j/<CODE>          join (sets the anonymous cookie) and see the current activity
    POST /j/<CODE>          answer the activity named in the form
    GET  /j/<CODE>/wait     long poll: returns when the facilitator acts, or after 25 s
    GET  /j/assets/<file>   the one CSS file and the one small JS file

The cookie holds a random token the server signed for this join code, path-scoped to /j/<CODE>
so no two sessions ever see the same one; the database keeps only its keyed hash. A cookie the
server never issued makes no participant. Nothing here logs or stores an IP address or a user
agent. Every page works with JavaScript off; the script only saves a reload.

The door (see docs/security.md): new phones per session are throttled and refused once the room
is locked or as full as the facilitator's headcount; codes that name no workshop are throttled
per process; forms sent from another site are refused; the wait endpoint tells nothing to a
request without this session's cookie.
"""

from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from workshop.activities import ActivitySpec, AnswerError, kind_of
from workshop.renderers import phone
from workshop.room import live
from workshop.room.moderation import DEFAULT_FLAGS, FlagList, first_status
from workshop.room.results import Result
from workshop.store import JoinRefused, SessionRow, Store
from workshop.web import keys
from workshop.web.forms import bounded_body, parse_form
from workshop.web.origin import cross_site, over_https
from workshop.web.participant.render import page
from workshop.web.participant.waiting import Waiters
from workshop.web.throttle import JoinThrottle, TokenBucket

COOKIE = "tandem"
COOKIE_LIFETIME = 12 * 3600
WAIT_SECONDS = 25.0
# A result shown on phones may be this old. After a reveal every phone reloads at once; without
# this, each would read and aggregate every answer again.
RESULT_SECONDS = 1.0
# Codes that name no workshop: 30 at once, then one a second per process. At that pace the
# 2^28 possible codes take years to try; a phone whose cookie shows it belongs here never waits.
MISSES_AT_ONCE = 30
MISSES_PER_SECOND = 1.0
RETRY_SECONDS = 3
ASSETS = {
    "tandem.css": ("text/css", Path(__file__).parent / "static" / "tandem.css"),
    "tandem.js": ("text/javascript", Path(__file__).parent / "static" / "tandem.js"),
}


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
        self._results: dict[tuple[int, str, int, int], tuple[float, Result]] = {}

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/j", self.code_form, methods=["GET"]),
            Route("/j/", self.code_form, methods=["GET"]),
            Route("/j/assets/{name}", self.asset, methods=["GET"]),
            Route("/j/{code}", self.activity_page, methods=["GET"]),
            Route("/j/{code}", self.answer, methods=["POST"]),
            Route("/j/{code}/wait", self.wait, methods=["GET"]),
        ]

    # Pages ------------------------------------------------------------------------------------

    async def code_form(self, request: Request) -> Response:
        typed = request.query_params.get("code", "")
        code = live.normalise_code(typed)
        if code:
            return RedirectResponse(f"/j/{code}", status_code=303)
        return page("code.html", message=None)

    async def asset(self, request: Request) -> Response:
        found = ASSETS.get(request.path_params["name"])
        if not found:
            return Response("Not found", status_code=404)
        media_type, path = found
        return FileResponse(
            path, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"}
        )

    async def activity_page(self, request: Request) -> Response:
        code = request.path_params["code"]
        canonical = live.normalise_code(code)
        if canonical != code:
            return RedirectResponse(f"/j/{canonical}", status_code=303)
        token = request.cookies.get(COOKIE)
        change = request.query_params.get("change")
        if self._too_many_misses(code, token, request.query_params.get("k")):
            return _try_again_soon(429, "Too many tries", "Please wait a moment and try again.")
        # All of a request's database work happens in one trip to a worker thread.
        return await run_in_threadpool(self._show, code, token, change, over_https(request))

    async def answer(self, request: Request) -> Response:
        code = request.path_params["code"]
        if cross_site(request):
            # Another site's page (another port of this host included) cannot answer for a phone.
            return page(
                "message.html",
                status_code=403,
                heading="Answer not sent",
                message="This answer came from another site's page, so it was ignored.",
            )
        token = request.cookies.get(COOKIE)
        if self._too_many_misses(code, token, None):
            return _try_again_soon(429, "Too many tries", "Please wait a moment and try again.")
        body = await bounded_body(request)
        return await run_in_threadpool(self._answer, code, token, body)

    async def wait(self, request: Request) -> Response:
        code = request.path_params["code"]
        known = request.query_params.get("v", "")
        token = request.cookies.get(COOKIE)
        row = await run_in_threadpool(self._session_of_member, code, token)
        if row is None:
            # Without this session's cookie: the same answer whether or not the code names one.
            return JSONResponse({"gone": True}, status_code=403)
        if (
            known.isascii()
            and known.isdigit()
            and int(known) == row.version
            and row.status == "live"
        ):
            await self.waiters.wait(row.id, row.version, WAIT_SECONDS)
        session = await run_in_threadpool(live.load, self.store, row.id)
        assert session is not None
        current = session.current
        return JSONResponse(
            {
                "version": session.row.version,
                "activity": current.id if current else None,
                "status": session.state(current.id).status if current else None,
                "ended": session.ended,
            },
            headers={"Cache-Control": "no-store"},
        )

    # Work done in a thread (the store is synchronous) -----------------------------------------

    def _show(self, code: str, token: str | None, change: str | None, https: bool) -> Response:
        session = live.load_by_code(self.store, code)
        if session is None or session.ended:
            return self._not_running(code, session)
        participant_id = self._participant_of(session, token)
        new_token = None
        if participant_id is None:
            if not self.joins.allow(session.id, session.row.headcount):
                return _try_again_soon(
                    429,
                    "Joining…",
                    "Many phones are joining at once. This page tries again by itself.",
                    session=session,
                )
            new_token = keys.new_token(self._cookie_key, code)
            participant_id = self._join(session, new_token)
            if isinstance(participant_id, Response):
                return participant_id
        # Just joined: the privacy note is open, whatever is on screen.
        response = self._render_current(
            session, participant_id, change, first_visit=new_token is not None
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
                heading="That answer is too long",
                message="Please shorten it and send it again.",
            )
        participant_id = self._participant_of(session, token)
        if participant_id is None:
            # No cookie (or one from before a reset): join first, then answer again.
            return RedirectResponse(f"/j/{code}", status_code=303)
        form = parse_form(body)
        return self._record(session, participant_id, form)

    def _participant_of(self, session: live.Live, token: str | None) -> int | None:
        """The participant a cookie names: only an issued token that joined, or one that
        joined before tokens were signed (its hash is in the database); never a new one."""
        if not token or len(token) > 64:
            return None
        token_hash = keys.token_hash(self._participant_key, session.id, token)
        return self.store.participant(session.id, token_hash)

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
                message = "The facilitator has closed this workshop to new phones."
            else:
                message = "As many phones have joined as there are people expected."
            return page(
                "message.html",
                status_code=403,
                session=None,
                heading="This workshop is full",
                message=f"{message} If you are in the room, please tell the facilitator.",
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
        participant_id: int,
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
        if activity is None:
            return page("waiting.html", **context)
        state = session.state(activity.id)
        mine = self.store.answer_of(session.id, activity.id, participant_id)
        result = self._result(session, activity) if activity.answerable else None
        kind = kind_of(activity)
        if form is None and mine is not None and not mine.passed:
            form = kind.form_fields(activity, mine.value)
        show_form = (
            activity.answerable
            and state.status == "open"
            and (mine is None or change is not None or error is not None)
        )
        return page(
            "activity.html",
            status_code=status_code,
            state=state,
            mine=mine,
            result=result,
            show_form=show_form,
            form=form or {},
            lines=phone.lines(result) if result is not None else [],
            kind_template=kind.template,
            **context,
        )

    def _result(self, session: live.Live, activity: ActivitySpec) -> Result:
        """The activity's result, shared by phones for up to RESULT_SECONDS.

        The key holds the session's version (close, reveal) and the number of answers (a new
        answer, such as the phone's own), so neither is ever hidden; a changed answer shows
        within a second.
        """
        count = self.store.answer_count(session.id, activity.id)
        key = (session.id, activity.id, session.row.version, count)
        now = time.monotonic()
        cached = self._results.get(key)
        if cached and now - cached[0] < RESULT_SECONDS:
            return cached[1]
        result = live.result_of(self.store, session, activity)
        if len(self._results) > 1000:
            self._results.clear()
        self._results[key] = (now, result)
        return result

    def _record(
        self, session: live.Live, participant_id: int, form: dict[str, list[str]]
    ) -> Response:
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
                return self._render_current(
                    session, participant_id, "1", form=form, error=str(problem), status_code=422
                )
            if kind.moderated:
                moderation = first_status(str(value), self.flags)
        stored = self.store.record_answer(
            session.id,
            activity.id,
            participant_id,
            passed=passed,
            value=value,
            moderation=moderation,
        )
        if not stored:
            return page(
                "message.html",
                status_code=409,
                session=session,
                heading="This activity has closed",
                message="Your answer arrived after the facilitator closed it.",
            )
        return RedirectResponse(f"/j/{session.row.join_code}", status_code=303)

    # Small helpers ----------------------------------------------------------------------------

    def _not_running(self, code: str, session: live.Live | None) -> Response:
        """The page for a code that names no workshop, or one that has ended."""
        if session is not None:
            return page("ended.html", session=session)
        self.misses.spend()
        message = f"There is no workshop with the code {code[:12]}. Please check the screen."
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
