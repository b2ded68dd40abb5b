"""Issue 15 item 9: every redirect to a target a person or the visit supplied stays on the kiosk.

The help screen's Retour once accepted ``/\\evil.example/x``, which browsers open as
evil.example. Where a browser really goes is asked of Node's WHATWG URL parser (the standard
browsers implement: a backslash is a slash, tabs and newlines vanish), not of Python's urljoin,
which knows none of that.
"""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from support import Kiosk

import kiosk
from kiosk.core.redirects import is_local_path, safe_target

KIOSK_BASE = "http://localhost/help"

HOSTILE = (
    "/\\evil.example/x",
    "//evil.example/x",
    "\\\\evil.example/x",
    "/%5Cevil.example/x",
    "/%5C%5Cevil.example",
    "/%2F/evil.example",
    "https://evil.example/x",
    "http:/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "\x00//evil.example",
    "/\u200b/evil.example",
    "javascript:alert(1)",
    "java script:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "",
    "/" + "a" * 300,
)
LOCAL = ("/", "/booking/reason", "/booking/day/2026-12-01", "/vitals/problem?what=cuff",
         "/appointment/move/day/2026-12-02?page=2")


def where_browsers_go(hrefs: list[str], base: str = KIOSK_BASE) -> list[str]:
    """The host a browser opens for each href found on a page at ``base`` (Node's WHATWG URL)."""
    script = ("const [base, hrefs] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(hrefs.map(h => new URL(h, base).host)));")
    answer = subprocess.run(["node", "-e", script], input=json.dumps([base, hrefs]),
                            capture_output=True, text=True, timeout=60, check=True)
    return list(json.loads(answer.stdout))


def test_the_parser_used_here_is_the_one_that_made_the_hole() -> None:
    """The test below would pass for nothing if this parser kept these on the kiosk."""
    assert where_browsers_go(["/\\evil.example/x", "/\t/evil.example", "/booking/"]) == [
        "evil.example", "evil.example", "localhost"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_helper_refuses_anything_but_a_local_path(hostile: str) -> None:
    assert not is_local_path(hostile)
    assert safe_target(hostile) == "/"
    assert safe_target(hostile, "/booking/") == "/booking/"


def test_the_helper_keeps_local_paths_and_refuses_a_bad_default() -> None:
    for path in LOCAL:
        assert safe_target(path, "/x") == path
    assert where_browsers_go(list(LOCAL)) == ["localhost"] * len(LOCAL)
    assert safe_target(None) == "/" and safe_target(["/x"]) == "/"
    with pytest.raises(ValueError):
        safe_target("/x", default="//evil.example")


def test_every_hostile_form_the_helper_refuses_is_indeed_somewhere_else_or_odd() -> None:
    """Sanity of the list: most of these really leave the kiosk in a browser; the rest
    (an encoded backslash, a blank, a too long path) are refused because no screen has them."""
    hosts = where_browsers_go([h for h in HOSTILE if h and not h.startswith(("java", "JaVa",
                                                                            "data:"))])
    assert hosts.count("evil.example") >= 9


def _help_page_with(kiosk_: Kiosk, target: str) -> None:
    """Aide pressed from a forged form whose "next" is ``target``; the help screen shows."""
    kiosk_.open("/")
    response = kiosk_.client.post("/help", data={"csrf_token": kiosk_.csrf_token(),
                                                 "next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/help"
    kiosk_.open("/help")
    assert kiosk_.question == "Quelqu'un arrive."


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_help_screens_way_back_stays_on_the_kiosk(app: Flask, hostile: str) -> None:
    person = Kiosk(app.test_client())
    _help_page_with(person, hostile)
    assert person.soup is not None
    hrefs = [str(a["href"]) for a in person.soup.find_all("a", href=True)]
    assert hrefs, "the help screen has a way back"
    assert set(where_browsers_go(hrefs)) == {"localhost"}, hrefs
    person.tap("Continuer sans aide")
    assert person.response is not None and person.response.status_code == 200
    assert person.response.request.host == "localhost"


def test_a_local_next_is_where_the_help_screen_leads_back(app: Flask) -> None:
    person = Kiosk(app.test_client())
    _help_page_with(person, "/booking/")
    person.tap("Continuer sans aide")
    assert person.response is not None and person.response.request.path == "/booking/"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_toolbar_controls_go_back_to_the_kiosk_only(app: Flask, hostile: str) -> None:
    """Text size, language and volume return to the "next" the page sent, before a visit."""
    person = Kiosk(app.test_client())
    person.open("/")
    token = person.csrf_token()
    for action, field in (("/visit/text-size", {}), ("/visit/language", {"lang": "fr"}),
                          ("/visit/volume", {"direction": "up"})):
        answer = person.client.post(action, data={"csrf_token": token, "next": hostile, **field})
        assert answer.status_code == 303, action
        location = answer.headers["Location"]
        assert where_browsers_go([location]) == ["localhost"], (action, location)
        assert is_local_path(location)


# What the code may pass to a redirect: targets it builds itself. Anything else must go through
# safe_target (or remembered_screen, which uses it).
BUILT_HERE = {"url_for", "safe_target", "remembered_screen", "_back", "redirect_to"}
# Redirects whose target is not built by a call, each with why it is safe.
ALLOWED = {
    ("visit/card_reading.py", "outcome.headers['Location']"):
        "the Location of the kiosk's own view, itself a redirect_to",
    ("consult/checkin.py", "url"): "url_for(endpoint) two lines above",
    ("vitals/views.py", "_keep_result(state)"): "a fixed path of the vitals journey",
    ("fhir/observations.py", "location"): "a created resource's url_for(_external=True)",
    ("fhir/patients.py", "location"): "a created resource's url_for(_external=True)",
}


def unchecked_redirects(source: str, name: str) -> list[str]:
    """Each redirect or HX-Redirect in ``source`` whose target is neither a literal, nor built
    by one of BUILT_HERE, nor in ALLOWED."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called == "redirect" and node.args:
                targets.append(node.args[0])
        if isinstance(node, ast.Dict):
            targets += [v for k, v in zip(node.keys, node.values, strict=True)
                        if isinstance(k, ast.Constant) and k.value in ("HX-Redirect", "Location")]
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript):
            key = node.targets[0].slice
            if isinstance(key, ast.Constant) and key.value in ("HX-Redirect", "Location",
                                                                 "HX-Location"):
                targets.append(node.value)
        for target in targets:
            if _built_here(target) or (name, ast.unparse(target)) in ALLOWED:
                continue
            found.append(f"{name}:{target.lineno}: {ast.unparse(target)}")
    return found


def _built_here(target: ast.expr) -> bool:
    if isinstance(target, ast.Constant):
        return True
    if isinstance(target, ast.JoinedStr):  # f"/vitals/problem?what={key}": a fixed path first
        first = target.values[0] if target.values else None
        return isinstance(first, ast.Constant) and str(first.value).startswith("/") and \
            not str(first.value).startswith("//")
    if isinstance(target, ast.Call):
        func = target.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return called in BUILT_HERE
    return False


def test_the_redirect_check_sees_a_redirect_to_request_data() -> None:
    bad = ("from flask import redirect, request\n"
           "def view():\n"
           "    return redirect(request.form['next'], 303)\n"
           "def other():\n"
           "    return Response(headers={'HX-Redirect': request.args.get('to')})\n")
    assert len(unchecked_redirects(bad, "bad.py")) == 2
    assert unchecked_redirects("redirect(safe_target(request.form.get('next')))", "x") == []


def test_no_view_redirects_to_a_target_it_did_not_check() -> None:
    root = Path(kiosk.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        found += unchecked_redirects(path.read_text(), str(path.relative_to(root)))
    assert found == []
