"""Configuration comes from the environment and fails loudly, naming the variable, when it is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from heard import settings as heard_settings
from heard.settings import (
    BASE_DIR,
    DEMO_SECRET_KEY,
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
)

# --- the typed helpers --------------------------------------------------------------------------------------


def test_env_bool_reads_the_usual_spellings_of_yes_and_no(monkeypatch):
    monkeypatch.setenv("HEARD_FLAG", " Yes ")
    assert env_bool("HEARD_FLAG", False) is True
    monkeypatch.setenv("HEARD_FLAG", "off")
    assert env_bool("HEARD_FLAG", True) is False
    monkeypatch.setenv("HEARD_FLAG", "")
    assert env_bool("HEARD_FLAG", True) is True


def test_env_bool_refuses_a_value_that_is_neither_true_nor_false(monkeypatch):
    monkeypatch.setenv("HEARD_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match=r"HEARD_FLAG must be true or false, not 'maybe'"):
        env_bool("HEARD_FLAG", False)


def test_env_int_reads_a_whole_number_or_falls_back_to_the_default(monkeypatch):
    monkeypatch.delenv("HEARD_COUNT", raising=False)
    assert env_int("HEARD_COUNT", 7) == 7
    monkeypatch.setenv("HEARD_COUNT", "10")
    assert env_int("HEARD_COUNT", 7) == 10


def test_env_int_refuses_a_number_written_in_words(monkeypatch):
    monkeypatch.setenv("HEARD_COUNT", "ten")

    with pytest.raises(ImproperlyConfigured, match=r"HEARD_COUNT must be a whole number, not 'ten'"):
        env_int("HEARD_COUNT", 5)


def test_env_choice_refuses_a_value_outside_its_choices(monkeypatch):
    monkeypatch.setenv("HEARD_TASK_BACKEND", "celery")

    with pytest.raises(
        ImproperlyConfigured, match=r"HEARD_TASK_BACKEND must be one of database, rq.*'celery'"
    ):
        env_choice("HEARD_TASK_BACKEND", "database", ("database", "rq"))


def test_env_choice_accepts_one_of_its_choices(monkeypatch):
    monkeypatch.setenv("HEARD_TASK_BACKEND", "rq")

    assert env_choice("HEARD_TASK_BACKEND", "database", ("database", "rq")) == "rq"


def test_env_str_without_a_default_demands_the_variable(monkeypatch):
    monkeypatch.delenv("HEARD_SOMETHING_NEEDED", raising=False)

    with pytest.raises(ImproperlyConfigured, match="Set the environment variable HEARD_SOMETHING_NEEDED"):
        env_str("HEARD_SOMETHING_NEEDED")


def test_env_str_treats_an_empty_value_as_missing(monkeypatch):
    monkeypatch.setenv("HEARD_SOMETHING_NEEDED", "")

    assert env_str("HEARD_SOMETHING_NEEDED", "fallback") == "fallback"
    with pytest.raises(ImproperlyConfigured, match="HEARD_SOMETHING_NEEDED"):
        env_str("HEARD_SOMETHING_NEEDED")


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HEARD_ALLOWED_HOSTS", " heard.nhs.uk, ,www.heard.nhs.uk ")

    assert env_list("HEARD_ALLOWED_HOSTS", []) == ["heard.nhs.uk", "www.heard.nhs.uk"]


# --- DATABASE_URL -------------------------------------------------------------------------------------------


def test_a_relative_sqlite_url_is_a_file_under_the_project_folder():
    database = database_from_url("sqlite:///var/heard-settings-test.sqlite3")

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "var" / "heard-settings-test.sqlite3")


def test_an_absolute_sqlite_url_is_that_file_and_its_folder_is_made(tmp_path):
    target = tmp_path / "fresh-clone" / "heard.sqlite3"

    database = database_from_url(f"sqlite:///{target}")

    assert Path(str(database["NAME"])) == target
    assert target.parent.is_dir()
    assert "foreign_keys=ON" in database["OPTIONS"]["init_command"]  # type: ignore[index]


def test_a_sqlite_url_without_a_file_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL names no SQLite file"):
        database_from_url("sqlite:///")


def test_a_postgres_url_gives_every_connection_setting_and_its_query_options():
    database = database_from_url(
        "postgres://heard_app:s%40cret%2Fpass@db.internal.nhs.uk:6543/heard_live?sslmode=verify-full&connect_timeout=5"
    )

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "heard_live"
    assert database["USER"] == "heard_app"
    assert database["PASSWORD"] == "s@cret/pass"
    assert database["HOST"] == "db.internal.nhs.uk"
    assert database["PORT"] == "6543"
    assert database["OPTIONS"] == {"sslmode": "verify-full", "connect_timeout": "5"}
    assert database["TEST"] == {"NAME": "test_heard_live"}


def test_a_postgresql_url_without_a_name_uses_heard():
    database = database_from_url("postgresql://localhost")

    assert database["NAME"] == "heard"
    assert database["PORT"] == ""
    assert database["OPTIONS"] == {}


def test_a_database_url_of_another_kind_is_refused_by_name():
    with pytest.raises(
        ImproperlyConfigured, match=r"DATABASE_URL must start sqlite:/// or postgres://, not 'mysql'"
    ):
        database_from_url("mysql://heard@localhost/heard")


# --- production refuses to start without real secrets -------------------------------------------------------

REAL_SECRET_KEY = "k7Qm2vX9pL4rT8wZ1nB6cF3hJ5dS0aGyE"  # 33 characters, as a generator would give
REAL_PSEUDONYM_KEY = "P" * 40
REAL_ENCRYPTION_KEY = "E" * 44


def _import_settings(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """Imports heard.settings in a fresh interpreter with only the variables given (and PATH) set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HEARD_", "DJANGO_")) and key not in {"SECRET_KEY", "DATABASE_URL"}
    }
    env |= {"HEARD_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'heard.sqlite3'}"}
    env |= variables
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import heard.settings as s; print('DEBUG', s.DEBUG); print('HOSTS', s.ALLOWED_HOSTS)",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {
    "HEARD_ENV": "production",
    "SECRET_KEY": REAL_SECRET_KEY,
    "HEARD_PSEUDONYM_KEY": REAL_PSEUDONYM_KEY,
    "HEARD_ENCRYPTION_KEY": REAL_ENCRYPTION_KEY,
    "HEARD_ALLOWED_HOSTS": "heard.leeds.nhs.uk",
}


def test_production_with_real_secrets_and_host_names_starts(tmp_path):
    started = _import_settings(tmp_path, **PRODUCTION)

    assert started.returncode == 0, started.stderr
    assert "DEBUG False" in started.stdout
    assert "HOSTS ['heard.leeds.nhs.uk']" in started.stdout


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        ("SECRET_KEY", DEMO_SECRET_KEY, "SECRET_KEY is the demonstration value"),
        (
            "HEARD_PSEUDONYM_KEY",
            heard_settings.DEMO_PSEUDONYM_KEY,
            "HEARD_PSEUDONYM_KEY is the demonstration value",
        ),
        (
            "HEARD_ENCRYPTION_KEY",
            heard_settings.DEMO_ENCRYPTION_KEY,
            "HEARD_ENCRYPTION_KEY is the demonstration value",
        ),
        (
            "SECRET_KEY",
            "heard-demo-but-made-longer-than-thirty-two-characters",
            "SECRET_KEY is the demonstration value",
        ),
        ("SECRET_KEY", "too-short-a-secret", "SECRET_KEY is too short"),
        ("HEARD_PSEUDONYM_KEY", "short", "HEARD_PSEUDONYM_KEY is too short"),
    ],
)
def test_production_refuses_to_start_with_a_demonstration_or_short_secret(
    tmp_path, variable, value, complaint
):
    refused = _import_settings(tmp_path, **(PRODUCTION | {variable: value}))

    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert complaint in refused.stderr


@pytest.mark.parametrize("variable", ["SECRET_KEY", "HEARD_PSEUDONYM_KEY", "HEARD_ENCRYPTION_KEY"])
def test_production_refuses_to_start_without_each_secret(tmp_path, variable):
    without = {key: value for key, value in PRODUCTION.items() if key != variable}

    refused = _import_settings(tmp_path, **without)

    assert refused.returncode != 0
    assert f"Set the environment variable {variable}." in refused.stderr


def test_production_refuses_to_start_without_host_names(tmp_path):
    without = {key: value for key, value in PRODUCTION.items() if key != "HEARD_ALLOWED_HOSTS"}

    refused = _import_settings(tmp_path, **without)

    assert refused.returncode != 0
    assert "Set HEARD_ALLOWED_HOSTS" in refused.stderr


def test_a_development_machine_starts_with_the_demonstration_secrets(tmp_path):
    started = _import_settings(tmp_path, HEARD_ENV="development")

    assert started.returncode == 0, started.stderr
    assert "DEBUG True" in started.stdout


def test_an_unknown_kind_of_installation_is_refused_by_name(tmp_path):
    refused = _import_settings(tmp_path, HEARD_ENV="staging")

    assert refused.returncode != 0
    assert "HEARD_ENV must be one of development, demo, test, production, not 'staging'" in refused.stderr
