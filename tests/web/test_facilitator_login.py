"""The facilitator's door: first-run setup link, login sessions, the throttle, the gate."""

import threading

import pytest
from starlette.testclient import TestClient

from tests.web.test_participant import make_app
from workshop import PROJECT_FOLDER, i18n
from workshop.store import Store
from workshop.web import door, keys, links
from workshop.web.facilitator_login import COOKIE, LANGUAGE_SETTING

PASSCODE = "correct-horse"


def laptop(store):
    return TestClient(make_app(store), client=("127.0.0.1", 50000), follow_redirects=False)


def logged_in(store) -> TestClient:
    client = laptop(store)
    response = client.post("/facilitator/login", data={"passcode": PASSCODE})
    assert response.status_code == 303
    return client


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clocked_store(tmp_path):
    clock = Clock()
    store = Store(f"sqlite:///{tmp_path / 'clocked.db'}", clock=clock)
    store.migrate()
    keys.set_passcode(store, PASSCODE)
    yield store, clock
    store.close()


# First run --------------------------------------------------------------------------------------


def test_there_is_no_default_passcode(sqlite_store):
    assert not keys.passcode_is_set(sqlite_store)
    response = laptop(sqlite_store).get("/facilitator/login")
    assert response.headers["location"] == "/facilitator/setup"


def test_first_run_setup_needs_the_link_printed_in_the_terminal(sqlite_store):
    token = keys.setup_token(sqlite_store)
    client = laptop(sqlite_store)
    without = client.get("/facilitator/setup")
    assert without.status_code == 403 and "setup link" in without.text
    assert "Choose a facilitator passcode" in client.get(f"/facilitator/setup?token={token}").text
    wrong = client.post(
        "/facilitator/setup",
        data={"token": "guess", "passcode": "long-enough", "again": "long-enough"},
    )
    assert wrong.status_code == 403 and not keys.passcode_is_set(sqlite_store)
    short = client.post(
        "/facilitator/setup", data={"token": token, "passcode": "short", "again": "short"}
    )
    assert short.status_code == 422 and "at least 8" in short.text
    differ = client.post(
        "/facilitator/setup", data={"token": token, "passcode": "long-enough", "again": "other"}
    )
    assert "differ" in differ.text
    done = client.post(
        "/facilitator/setup",
        data={"token": token, "passcode": "long-enough", "again": "long-enough"},
    )
    assert done.status_code == 303 and COOKIE in done.headers["set-cookie"]
    stored = sqlite_store.setting(keys.PASSCODE_SETTING)
    assert stored.startswith("scrypt$") and "long-enough" not in stored
    # The link was for one use: it now opens nothing, and nobody else can set a passcode.
    assert not keys.setup_token_matches(sqlite_store, token)
    again = client.post(
        "/facilitator/setup", data={"token": token, "passcode": "mine-now!", "again": "mine-now!"}
    )
    assert again.headers["location"] == "/facilitator/login"
    assert keys.check_passcode(sqlite_store, "long-enough")


@pytest.mark.parametrize(
    "proxy_headers",
    [{"Forwarded": "for=203.0.113.9"}, {"X-Real-IP": "203.0.113.9"}, {}],
)
def test_a_visitor_through_a_local_reverse_proxy_gets_no_setup_form(sqlite_store, proxy_headers):
    """Finding 6: setup trusted any loopback peer, so a proxy on the laptop let anyone in."""
    keys.setup_token(sqlite_store)
    client = laptop(sqlite_store)  # the proxy connects from 127.0.0.1
    page = client.get("/facilitator/setup", headers=proxy_headers)
    assert page.status_code == 403 and 'name="passcode"' not in page.text
    posted = client.post(
        "/facilitator/setup",
        data={"passcode": "mine-now!", "again": "mine-now!"},
        headers=proxy_headers,
    )
    assert posted.status_code == 403
    assert not keys.passcode_is_set(sqlite_store)


# Login sessions ---------------------------------------------------------------------------------


def test_login_sets_a_strict_cookie_and_opens_the_gate(sqlite_store):
    keys.set_passcode(sqlite_store, PASSCODE)
    client = laptop(sqlite_store)
    gate = client.get("/control?session=3")
    assert gate.headers["location"] == "/facilitator/login?next=%2Fcontrol%3Fsession%3D3"
    wrong = client.post("/facilitator/login", data={"passcode": "wrong-horse", "next": "/"})
    assert wrong.status_code == 401 and "not right" in wrong.text
    right = client.post(
        "/facilitator/login", data={"passcode": PASSCODE, "next": "/control?session=3"}
    )
    assert right.headers["location"] == "/control?session=3"
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    assert keys.login_valid(sqlite_store, client.cookies.get(COOKIE))
    assert client.get("/control?session=3").status_code == 404  # past the gate (no page here)


def test_the_cookie_is_secure_when_served_over_https(sqlite_store, monkeypatch):
    keys.set_passcode(sqlite_store, PASSCODE)
    behind_proxy = laptop(sqlite_store).post(
        "/facilitator/login", data={"passcode": PASSCODE}, headers={"X-Forwarded-Proto": "https"}
    )
    assert "Secure" in behind_proxy.headers["set-cookie"]
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "https://workshop.example")
    configured = laptop(sqlite_store).post("/facilitator/login", data={"passcode": PASSCODE})
    assert "Secure" in configured.headers["set-cookie"]


def test_two_logins_get_different_cookies_and_only_a_hash_is_stored(sqlite_store):
    """Finding 3: the cookie was expiry.HMAC, the same for two logins in one second."""
    keys.set_passcode(sqlite_store, PASSCODE)
    first = logged_in(sqlite_store).cookies.get(COOKIE)
    second = logged_in(sqlite_store).cookies.get(COOKIE)
    assert first != second
    with sqlite_store.engine.connect() as connection:
        stored = [row[0] for row in connection.exec_driver_sql("SELECT id_hash FROM logins")]
    assert len(stored) == 2 and first not in stored and second not in stored


def test_logging_out_ends_the_login_everywhere(sqlite_store):
    """Finding 3: after logout the old cookie value still opened /control."""
    keys.set_passcode(sqlite_store, PASSCODE)
    client = logged_in(sqlite_store)
    value = client.cookies.get(COOKIE)
    assert "Log out" in client.get("/facilitator/logout").text  # a GET only asks
    assert keys.login_valid(sqlite_store, value)
    out = client.post("/facilitator/logout", headers={"Sec-Fetch-Site": "same-origin"})
    assert out.headers["location"] == "/facilitator/login"
    assert not keys.login_valid(sqlite_store, value)
    replayed = laptop(sqlite_store)
    replayed.cookies.set(COOKIE, value)
    assert replayed.get("/control").status_code == 303


def test_a_new_passcode_logs_every_browser_out(sqlite_store):
    """Finding 3: after a passcode change the old cookie still worked."""
    keys.set_passcode(sqlite_store, PASSCODE)
    values = [logged_in(sqlite_store).cookies.get(COOKIE) for _ in range(2)]
    keys.set_passcode(sqlite_store, "a-new-passcode")
    assert not any(keys.login_valid(sqlite_store, value) for value in values)


def test_a_login_expires(clocked_store):
    store, clock = clocked_store
    value = keys.new_login(store)
    clock.now += keys.LOGIN_LIFETIME_SECONDS - 1
    assert keys.login_valid(store, value)
    clock.now += 2
    assert not keys.login_valid(store, value)


def test_forged_and_odd_cookies_are_refused(sqlite_store):
    keys.set_passcode(sqlite_store, PASSCODE)
    for forged in ["", "²³.abc", "x" * 500, "1999999999.deadbeef"]:
        assert not keys.login_valid(sqlite_store, forged)


def test_a_cross_site_logout_is_refused(sqlite_store):
    """Finding 5: a cross-site POST to /facilitator/logout logged the facilitator out."""
    keys.set_passcode(sqlite_store, PASSCODE)
    client = logged_in(sqlite_store)
    value = client.cookies.get(COOKIE)
    for headers in (
        {"Sec-Fetch-Site": "same-site"},  # another port on this host is the same *site*
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": "null"},
    ):
        refused = client.post("/facilitator/logout", headers=headers)
        assert refused.status_code == 403, headers
        assert keys.login_valid(sqlite_store, value)


def test_login_never_redirects_off_site(sqlite_store):
    keys.set_passcode(sqlite_store, PASSCODE)
    response = laptop(sqlite_store).post(
        "/facilitator/login", data={"passcode": PASSCODE, "next": "https://evil.example/"}
    )
    assert response.headers["location"] == "/"


def test_the_login_pages_speak_the_dashboards_language(sqlite_store):
    """English until the facilitator chooses in the dashboard; then the login, the first-run
    setup and the logout pages speak that language too, and say so to the browser."""
    token = keys.setup_token(sqlite_store)
    client = laptop(sqlite_store)
    setup = client.get(f"/facilitator/setup?token={token}").text
    assert '<html lang="en">' in setup and "Choose a facilitator passcode" in setup
    sqlite_store.put_setting(LANGUAGE_SETTING, "es")
    setup = client.get(f"/facilitator/setup?token={token}").text
    assert '<html lang="es">' in setup and "Elige la contraseña de quien facilita" in setup
    differ = client.post(
        "/facilitator/setup", data={"token": token, "passcode": "long-enough", "again": "other"}
    )
    assert differ.status_code == 422 and "no coinciden" in differ.text
    keys.set_passcode(sqlite_store, PASSCODE)
    login = client.get("/facilitator/login").text
    assert '<html lang="es">' in login and "Acceso para quien facilita" in login
    assert "<code>workshop passcode</code>" in login  # our markup kept inside the sentence
    wrong = client.post("/facilitator/login", data={"passcode": "not-this-one"})
    assert wrong.status_code == 401 and "Esa contraseña no es correcta." in wrong.text
    logout = client.get("/facilitator/logout").text
    assert '<html lang="es">' in logout and "Volver al panel" in logout
    sqlite_store.put_setting(LANGUAGE_SETTING, "en")
    assert "Facilitator login" in client.get("/facilitator/login").text


def test_the_doors_refusals_are_said_in_the_chosen_language(clocked_store):
    store, clock = clocked_store
    store.put_setting(LANGUAGE_SETTING, "es")
    client = laptop(store)

    def attempt():
        return client.post("/facilitator/login", data={"passcode": "wrong-horse"})

    for _attempt in range(door.FREE_ATTEMPTS):
        assert attempt().status_code == 401
    waiting = attempt()
    assert waiting.status_code == 429
    assert "Demasiadas contraseñas incorrectas. Espera 2 segundos y vuelve a intentarlo." in (
        waiting.text
    )
    while not door.is_locked(store):
        clock.now += door.LONGEST_WAIT
        attempt()
    locked = client.get("/facilitator/login").text
    assert "Demasiadas contraseñas incorrectas: el acceso está bloqueado." in locked
    assert "`workshop unlock`" in locked and "Too many" not in locked
    store.put_setting(LANGUAGE_SETTING, "en")
    assert (
        "Too many wrong passcodes: logging in is locked." in client.get("/facilitator/login").text
    )


def test_a_short_or_unreadable_passcode_is_refused_in_the_chosen_language(sqlite_store):
    token = keys.setup_token(sqlite_store)
    sqlite_store.put_setting(LANGUAGE_SETTING, "es")
    client = laptop(sqlite_store)
    short = client.post(
        "/facilitator/setup", data={"token": token, "passcode": "short", "again": "short"}
    )
    assert short.status_code == 422 and "Usa al menos 8 caracteres." in short.text
    assert not keys.passcode_is_set(sqlite_store)
    sqlite_store.put_setting(keys.PASSCODE_SETTING, "scrypt$not base64$!!!")
    damaged = client.post("/facilitator/login", data={"passcode": "anything-1"})
    assert damaged.status_code == 500
    assert "No se puede leer la contraseña guardada de quien facilita" in damaged.text


def test_the_refusals_are_english_where_no_language_is_chosen():
    """The terminal (`workshop passcode`, `workshop init`) and an English page say these."""
    assert keys.passcode_problem("short") == "Please use at least 8 characters."
    assert keys.passcode_problem("long-enough") is None
    assert str(keys.UnreadablePasscode()).startswith("The stored facilitator passcode cannot")
    assert door.Refusal(locked=False, wait_seconds=1).message == (
        "Too many wrong passcodes. Please wait a second and try again."
    )
    assert door.Refusal(locked=False, wait_seconds=8).message == (
        "Too many wrong passcodes. Please wait 8 seconds and try again."
    )
    assert door.Refusal(locked=True, wait_seconds=0).message == (
        f"Too many wrong passcodes: logging in is locked. {door.UNLOCK_ADVICE}"
    )
    with i18n.speaking("es"):
        assert door.Refusal(locked=False, wait_seconds=1).message == (
            "Demasiadas contraseñas incorrectas. Espera un segundo y vuelve a intentarlo."
        )


def test_the_environment_passcode_is_stored_hashed(sqlite_store, monkeypatch):
    monkeypatch.setenv("WORKSHOP_PASSCODE", "from-the-env")
    keys.adopt_environment_passcode(sqlite_store)
    assert keys.check_passcode(sqlite_store, "from-the-env")
    assert "from-the-env" not in sqlite_store.setting(keys.PASSCODE_SETTING)


# The passcode's hash ----------------------------------------------------------------------------


@pytest.mark.owasp_scrypt
def test_passcodes_are_hashed_at_owasps_cost_and_old_hashes_are_renewed(sqlite_store):
    """Finding 2: scrypt ran at N=2^14; OWASP recommends N=2^17, r=8, p=1."""
    assert keys.CURRENT_COST == keys.ScryptCost(log_n=17, r=8, p=1)
    old = keys.hash_passcode(PASSCODE, keys.ScryptCost(log_n=14, r=8, p=1))
    # What Tandem used to write: no parameters in the text.
    sqlite_store.put_setting(keys.PASSCODE_SETTING, old.replace("ln=14,r=8,p=1$", ""))
    assert keys.needs_new_hash(sqlite_store.setting(keys.PASSCODE_SETTING))
    assert logged_in(sqlite_store).cookies.get(COOKIE)
    renewed = sqlite_store.setting(keys.PASSCODE_SETTING)
    assert renewed.startswith("scrypt$ln=17,r=8,p=1$") and not keys.needs_new_hash(renewed)
    assert keys.check_passcode(sqlite_store, PASSCODE)


def test_a_damaged_passcode_hash_says_what_to_do(sqlite_store, monkeypatch, capsys):
    sqlite_store.put_setting(keys.PASSCODE_SETTING, "scrypt$not base64$!!!")
    answer = laptop(sqlite_store).post("/facilitator/login", data={"passcode": "anything-1"})
    assert answer.status_code == 500
    assert "cannot be read" in answer.text and "workshop passcode" in answer.text
    from workshop.cli import main

    monkeypatch.setenv("WORKSHOP_DATABASE_URL", sqlite_store.url)
    monkeypatch.delenv("WORKSHOP_PASSCODE", raising=False)
    assert main(["init"]) == 0
    assert "cannot be read" in capsys.readouterr().err
    monkeypatch.setenv("WORKSHOP_PASSCODE", "a-configured-passcode")
    keys.adopt_environment_passcode(sqlite_store)  # replaces the damaged hash
    assert keys.check_passcode(sqlite_store, "a-configured-passcode")


# The throttle -----------------------------------------------------------------------------------


def test_wrong_passcodes_meet_a_growing_wait_then_a_lock_the_laptop_lifts(
    clocked_store, monkeypatch, capsys
):
    """Finding 2: the right passcode still worked right after 200 wrong ones."""
    store, clock = clocked_store
    client = laptop(store)

    def attempt(passcode: str):
        return client.post("/facilitator/login", data={"passcode": passcode})

    for _ in range(door.FREE_ATTEMPTS):
        assert attempt("wrong-horse").status_code == 401
    waits = []
    while not door.is_locked(store):
        refused = attempt("wrong-horse")
        assert refused.status_code == 429 and "Please wait" in refused.text
        waits.append(int(refused.headers["retry-after"]))
        clock.now += waits[-1]
        assert attempt("wrong-horse").status_code == 401
    assert waits == [2, 4, 8, 16, 32] + [60] * (door.LOCK_AFTER - door.FREE_ATTEMPTS - 5)
    clock.now += 3600
    locked = attempt(PASSCODE)
    assert locked.status_code == 429 and "workshop unlock" in locked.text
    assert "workshop unlock" in client.get("/facilitator/login").text

    from workshop.cli import main

    monkeypatch.setenv("WORKSHOP_DATABASE_URL", store.url)
    assert main(["unlock"]) == 0
    assert "open again" in capsys.readouterr().out
    assert attempt(PASSCODE).status_code == 303


def test_a_right_passcode_clears_the_count(clocked_store):
    store, _clock = clocked_store
    client = laptop(store)
    for _ in range(door.FREE_ATTEMPTS - 1):
        client.post("/facilitator/login", data={"passcode": "wrong-horse"})
    assert client.post("/facilitator/login", data={"passcode": PASSCODE}).status_code == 303
    assert door.failures(store) == 0


def test_parallel_guesses_cannot_share_a_free_moment(store):
    """Finding 2: 25 parallel attempts reached 30 guesses a second. Every attempt is counted
    before it is checked, so only the free ones are let through, on either database."""
    allowed = []
    barrier = threading.Barrier(25)

    def guess() -> None:
        barrier.wait()
        if door.reserve_attempt(store) is None:
            allowed.append(1)

    threads = [threading.Thread(target=guess) for _ in range(25)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= len(allowed) <= door.FREE_ATTEMPTS
    assert door.failures(store) == len(allowed)


# The gate ---------------------------------------------------------------------------------------


def test_every_dashboard_page_is_behind_the_gate(sqlite_store):
    """Each st.Page in the dashboard script is guarded: a new page cannot be left open."""
    import ast

    from workshop.web.facilitator_login import DASHBOARD_PATHS

    script = PROJECT_FOLDER / "workshop" / "dashboard" / "main.py"
    url_paths = {
        keyword.value.value
        for node in ast.walk(ast.parse(script.read_text("utf-8")))
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "url_path"
    }
    assert url_paths == {"library", "editor", "control", "screen", "review"}
    keys.set_passcode(sqlite_store, PASSCODE)
    client = laptop(sqlite_store)
    for path in sorted(url_paths):
        assert f"/{path}" in DASHBOARD_PATHS
        response = client.get(f"/{path}")
        assert response.status_code == 303, path
        assert response.headers["location"] == f"/facilitator/login?next=%2F{path}"


def test_a_link_opens_its_one_page_of_its_one_session(sqlite_store, deck):
    from workshop.room import live

    session = live.start_session(sqlite_store, deck)
    other = live.start_session(sqlite_store, deck)
    secret = links.new_link_secret(sqlite_store, session.id, "screen")
    client = laptop(sqlite_store)
    assert client.get(f"/screen?session={session.id}&key={secret}").status_code == 404  # passed
    for refused in (
        f"/control?session={session.id}&key={secret}",  # a screen link controls nothing
        f"/review?session={session.id}&key={secret}",
        f"/screen?session={other.id}&key={secret}",  # nor opens another session
        f"/screen?session={session.id}&key=guess",
    ):
        assert client.get(refused).status_code == 303, refused
    renewed = links.new_link_secret(sqlite_store, session.id, "screen")
    assert client.get(f"/screen?session={session.id}&key={secret}").status_code == 303
    remote = links.new_link_secret(sqlite_store, session.id, "remote")
    assert client.get(f"/control?session={session.id}&key={remote}").status_code == 404
    links.revoke(sqlite_store, session.id, "remote")
    assert client.get(f"/control?session={session.id}&key={remote}").status_code == 303
    assert client.get(f"/screen?session={session.id}&key={renewed}").status_code == 404


def test_a_participant_cookie_or_join_code_opens_no_dashboard_page(sqlite_store, deck):
    from workshop.room import live

    keys.set_passcode(sqlite_store, PASSCODE)
    session = live.start_session(sqlite_store, deck)
    phone = laptop(sqlite_store)
    phone.get(f"/j/{session.row.join_code}")
    token = phone.cookies.get("tandem")
    assert token
    for path in ("/control", "/screen", "/review", "/library"):
        for query in (f"?session={session.id}&key={token}", f"?key={session.row.join_code}"):
            client = laptop(sqlite_store)
            client.cookies.set(COOKIE, token)
            client.cookies.set("tandem", token)
            assert client.get(path + query).status_code == 303, path + query


def test_a_huge_login_post_is_refused_without_being_read(sqlite_store):
    """Finding 4: one 200 MB POST to /facilitator/login grew the server by 187 MB."""
    keys.set_passcode(sqlite_store, "long-enough")
    client = laptop(sqlite_store)
    declared = client.post("/facilitator/login", content=b"passcode=" + b"x" * 5_000_000)
    assert declared.status_code == 413 and "far longer than a passcode" in declared.text

    def chunks():  # no length declared: the server must stop reading by itself
        for _ in range(1000):
            yield b"x" * 10_000

    streamed = client.post(
        "/facilitator/login",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert streamed.status_code == 413
    setup = client.post("/facilitator/setup", content=b"token=" + b"x" * 5_000_000)
    assert setup.status_code in (303, 413)  # the passcode is set: sent to the login
    assert client.post("/facilitator/login", data={"passcode": "long-enough"}).status_code == 303


def test_only_the_facilitator_can_upload_files(sqlite_store):
    """Streamlit's upload route took 100 MB files from anyone who opened a websocket."""
    keys.set_passcode(sqlite_store, PASSCODE)
    path = "/_stcore/upload_file/some-session/file-0"
    stranger = laptop(sqlite_store).put(path, content=b"x" * 1000)
    assert stranger.status_code == 403
    facilitator = logged_in(sqlite_store).put(path, content=b"x" * 1000)
    assert facilitator.status_code == 404  # past the gate (no Streamlit behind it here)


def test_the_gate_holds_under_a_base_path(sqlite_store):
    """With Streamlit's server.baseUrlPath, its pages and uploads move under the base path."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware

    from workshop.web.facilitator_login import DashboardGate

    keys.set_passcode(sqlite_store, PASSCODE)
    app = Starlette(middleware=[Middleware(DashboardGate, store=sqlite_store, base_path="tandem")])
    client = TestClient(app, follow_redirects=False)
    assert client.put("/tandem/_stcore/upload_file/s/f", content=b"x").status_code == 403
    assert client.get("/tandem/control").status_code == 303
    assert client.get("/tandem/").status_code == 303
