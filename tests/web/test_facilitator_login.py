"""The facilitator's door: first-run passcode, login cookie, and the dashboard gate."""

from starlette.testclient import TestClient

from tests.web.test_participant import make_app
from workshop import PROJECT_FOLDER
from workshop.web import keys
from workshop.web.facilitator_login import COOKIE


def laptop(store):
    return TestClient(make_app(store), client=("127.0.0.1", 50000), follow_redirects=False)


def test_there_is_no_default_passcode(sqlite_store):
    assert not keys.passcode_is_set(sqlite_store)
    response = laptop(sqlite_store).get("/facilitator/login")
    assert response.headers["location"] == "/facilitator/setup"


def test_first_run_asks_the_laptop_itself_for_a_passcode(sqlite_store):
    client = laptop(sqlite_store)
    assert "Choose a facilitator passcode" in client.get("/facilitator/setup").text
    short = client.post("/facilitator/setup", data={"passcode": "short", "again": "short"})
    assert short.status_code == 422 and "at least 8" in short.text
    differ = client.post(
        "/facilitator/setup", data={"passcode": "long-enough", "again": "other-one"}
    )
    assert "differ" in differ.text
    done = client.post(
        "/facilitator/setup", data={"passcode": "long-enough", "again": "long-enough"}
    )
    assert done.status_code == 303 and COOKIE in done.headers["set-cookie"]
    stored = sqlite_store.setting(keys.PASSCODE_SETTING)
    assert stored.startswith("scrypt$") and "long-enough" not in stored


def test_another_device_cannot_claim_the_first_passcode(sqlite_store):
    phone = TestClient(make_app(sqlite_store), client=("192.0.2.40", 50000))
    response = phone.post(
        "/facilitator/setup", data={"passcode": "mine-now!", "again": "mine-now!"}
    )
    assert response.status_code == 403
    assert not keys.passcode_is_set(sqlite_store)


def test_login_sets_a_strict_signed_cookie_and_opens_the_gate(sqlite_store):
    keys.set_passcode(sqlite_store, "correct-horse")
    client = laptop(sqlite_store)
    gate = client.get("/control?session=3")
    assert gate.headers["location"] == "/facilitator/login?next=%2Fcontrol%3Fsession%3D3"
    wrong = client.post("/facilitator/login", data={"passcode": "wrong-horse", "next": "/"})
    assert wrong.status_code == 401 and "not right" in wrong.text
    right = client.post(
        "/facilitator/login", data={"passcode": "correct-horse", "next": "/control?session=3"}
    )
    assert right.headers["location"] == "/control?session=3"
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    value = client.cookies.get(COOKIE)
    assert keys.login_cookie_valid(keys.server_key(sqlite_store), value)


def test_login_never_redirects_off_site(sqlite_store):
    keys.set_passcode(sqlite_store, "correct-horse")
    response = laptop(sqlite_store).post(
        "/facilitator/login", data={"passcode": "correct-horse", "next": "https://evil.example/"}
    )
    assert response.headers["location"] == "/"


def test_a_forged_or_expired_cookie_is_refused(sqlite_store):
    key = keys.server_key(sqlite_store)
    good = keys.login_cookie(key, now=1000)
    assert keys.login_cookie_valid(key, good, now=1001)
    assert not keys.login_cookie_valid(key, good, now=1000 + keys.LOGIN_LIFETIME_SECONDS + 1)
    expires, signature = good.split(".")
    assert not keys.login_cookie_valid(key, f"{int(expires) + 999}.{signature}", now=1001)
    assert not keys.login_cookie_valid(b"another key", good, now=1001)


def test_the_environment_passcode_is_stored_hashed(sqlite_store, monkeypatch):
    monkeypatch.setenv("WORKSHOP_PASSCODE", "from-the-env")
    keys.adopt_environment_passcode(sqlite_store)
    assert keys.check_passcode(sqlite_store, "from-the-env")
    assert "from-the-env" not in sqlite_store.setting(keys.PASSCODE_SETTING)


def test_a_cookie_with_odd_digits_is_simply_refused(sqlite_store):
    key = keys.server_key(sqlite_store)
    assert not keys.login_cookie_valid(key, "²³.abc")


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
    keys.set_passcode(sqlite_store, "correct-horse")
    client = laptop(sqlite_store)
    for path in sorted(url_paths):
        assert f"/{path}" in DASHBOARD_PATHS
        response = client.get(f"/{path}")
        assert response.status_code == 303, path
        assert response.headers["location"] == f"/facilitator/login?next=%2F{path}"


def test_a_huge_login_post_is_refused_without_being_read(sqlite_store):
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
    assert client.post("/facilitator/login", data={"passcode": "long-enough"}).status_code == 303


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
