"""How `heard serve` runs gunicorn: threaded workers that leave connections to each other."""

from __future__ import annotations

import pytest

from heard import cli


def _option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_serve_caps_the_connections_each_worker_takes(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(cli.os, "execv", lambda path, args: started.append(args))
    monkeypatch.setenv("HEARD_WEB_WORKERS", "5")
    monkeypatch.setenv("HEARD_WEB_THREADS", "3")
    monkeypatch.setattr("django.setup", lambda: None)

    cli.main(["serve"])

    command = started[0]
    assert _option(command, "--worker-class") == "gthread"
    assert _option(command, "--workers") == "5"
    assert _option(command, "--threads") == "3"
    # Without a cap one worker would accept every kept-alive connection (ADR 0016).
    assert _option(command, "--worker-connections") == "6"
    # The access log leaves out query strings, which can carry search words.
    assert "%(q)s" not in _option(command, "--access-logformat")


def test_operators_can_set_the_connection_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(cli.os, "execv", lambda path, args: started.append(args))
    monkeypatch.setenv("HEARD_WEB_CONNECTIONS", "20")
    monkeypatch.setattr("django.setup", lambda: None)

    cli.main(["serve"])

    assert _option(started[0], "--worker-connections") == "20"
