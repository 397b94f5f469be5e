"""Both languages: the Chinese catalogue loads and is complete, and the chosen language is remembered."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext

from mediation.auth.models import User
from tests.factories import csrf_from, sign_in

TRANSLATIONS = Path(__file__).resolve().parent.parent / "mediation" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[sdifrx]")
HAN = re.compile(r"[\u4e00-\u9fff]")


def catalogue():
    with open(TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale="zh_Hans_CN")


def template():
    """Every message the source holds now (extracted as `make messages` does), not a template that may be
    stale: a new string without a Chinese translation fails the tests below."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    root = TRANSLATIONS.parent.parent
    method_map = [("mediation/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = Catalog()
    for _file, _line, message, _comments, context in extract_from_dir(
            root, method_map, {"**.html": {"extensions": "jinja2.ext.do"}}, keywords=keywords):
        found.add(message, context=context)
    return found


def forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def test_zh_cn_resolves_to_the_catalogue_directory():
    # Flask-Babel looks for the catalogue under the normalised name of the configured locale.
    assert str(Locale.parse("zh_CN")) == "zh_Hans_CN"
    assert (TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES" / "messages.mo").exists()


def test_the_chinese_catalogue_really_loads(app):
    with app.test_request_context("/"):
        with force_locale("zh_CN"):
            text = gettext("Case queue")
    assert text != "Case queue"
    assert HAN.search(text)


def test_english_stays_english(app):
    with app.test_request_context("/?lang=en"):
        assert gettext("Case queue") == "Case queue"


def test_every_message_has_a_chinese_translation():
    translated = catalogue()
    missing = []
    for message in template():
        if not message.id:
            continue
        found = translated.get(message.id)
        if found is None or found.fuzzy or not all(s.strip() for s in forms(found)):
            missing.append(ids(message)[0])
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:10]}"


def test_translations_keep_the_placeholders():
    wrong = []
    for message in catalogue():
        if not message.id:
            continue
        wanted = set(PLACEHOLDER.findall(ids(message)[0]))
        for text in forms(message):
            if text and set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(f"{ids(message)[0]!r} → {text!r}")
    assert not wrong, "\n".join(wrong)


def test_no_translation_is_left_marked_fuzzy():
    fuzzy = [ids(m)[0] for m in catalogue() if m.id and m.fuzzy]
    assert not fuzzy


def test_the_default_interface_language_is_chinese(client, users):
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)


def test_switching_language_is_remembered_in_the_session(client, users):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/language/en", data={"csrf_token": token, "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    with client.session_transaction() as session:
        assert session["lang"] == "en"
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_switching_language_is_remembered_on_the_account(app, client, users, db):
    sign_in(client, "mediator")
    token = csrf_from(client.get("/").get_data(as_text=True))
    client.post("/language/en", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, users["mediator"].id).locale == "en"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    # Another browser: the account's choice applies as soon as they sign in.
    elsewhere = app.test_client()
    sign_in(elsewhere, "mediator")
    assert '<html lang="en">' in elsewhere.get("/").get_data(as_text=True)
    token = csrf_from(elsewhere.get("/").get_data(as_text=True))
    elsewhere.post("/language/zh_CN", data={"csrf_token": token})
    assert '<html lang="zh-CN">' in elsewhere.get("/").get_data(as_text=True)


def test_an_unknown_language_is_refused(client, users):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    assert client.post("/language/fr", data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize("text", ["Case %(no)s registered.", "%(num)d case", "The password must have at least %(n)d characters."])
def test_the_placeholder_pattern_finds_names(text):
    assert PLACEHOLDER.findall(text)
