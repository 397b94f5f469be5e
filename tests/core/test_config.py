"""Configuration: the mail settings and the public address may come from the environment."""
from __future__ import annotations

from mediation import create_app


def test_mail_settings_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIATION_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.setenv("MEDIATION_MAIL_SERVER", "smtp.example.cn")
    monkeypatch.setenv("MEDIATION_MAIL_PORT", "587")
    monkeypatch.setenv("MEDIATION_MAIL_USE_TLS", "yes")
    monkeypatch.setenv("MEDIATION_MAIL_PASSWORD", "s3cret")
    (tmp_path / "config.py").write_text('MAIL_FROM = "tiaojie@example.cn"\nMAIL_PORT = 25\n')
    config = create_app().config
    assert (config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_USE_TLS"]) == ("smtp.example.cn", 587, True)
    assert (config["MAIL_PASSWORD"], config["MAIL_FROM"], config["MAIL_USE_SSL"]) == ("s3cret", "tiaojie@example.cn",
                                                                                      False)
