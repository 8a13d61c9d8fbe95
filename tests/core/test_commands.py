"""The operator's command line: ``heard projects list``, ``heard createadmin`` and ``heard demo``'s loader."""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from heard.core.models import AuditEntry, Membership, Organisation, Role, User
from heard.demo.generator import DEMO_USERS
from heard.projects.models import Project
from heard.settings import BASE_DIR

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "lantern-orchard-quartz-47"


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- heard projects list ------------------------------------------------------------------------------------


def test_projects_list_prints_one_tab_separated_line_per_project_sorted_by_organisation_then_slug(
    leeds, wakefield, project_factory
):
    project_factory(organisation=wakefield, slug="maternity-voices", title="Maternity voices")
    project_factory(organisation=leeds, slug="urgent-care", title="Urgent care in Leeds North")
    project_factory(organisation=leeds, slug="dementia-support", title="Dementia support")

    printed = _run("projects", "list")

    assert printed.splitlines() == [
        "leeds-north\tdementia-support\tDementia support",
        "leeds-north\turgent-care\tUrgent care in Leeds North",
        "wakefield\tmaternity-voices\tMaternity voices",
    ]


def test_projects_list_keeps_its_columns_when_a_title_holds_a_tab_or_newline(leeds, project_factory):
    project_factory(organisation=leeds, slug="awkward", title="Urgent\tcare\nin  Leeds")

    assert _run("projects", "list").splitlines() == ["leeds-north\tawkward\tUrgent care in Leeds"]


def test_projects_list_for_one_organisation_leaves_out_the_others(leeds, wakefield, project_factory):
    project_factory(organisation=leeds, slug="urgent-care", title="Urgent care")
    project_factory(organisation=wakefield, slug="maternity-voices", title="Maternity voices")

    printed = _run("projects", "list", "--organisation", "wakefield")

    assert printed.splitlines() == ["wakefield\tmaternity-voices\tMaternity voices"]


def test_projects_list_for_an_unknown_organisation_is_an_error(leeds):
    with pytest.raises(CommandError, match="There is no organisation 'leeds-south'"):
        call_command("projects", "list", "--organisation", "leeds-south")


# --- heard createadmin --------------------------------------------------------------------------------------


def test_createadmin_creates_the_organisation_and_its_first_administrator(monkeypatch):
    monkeypatch.setenv("HEARD_ADMIN_PASSWORD", STRONG_PASSWORD)

    printed = _run(
        "createadmin",
        "--username",
        "olu",
        "--email",
        "olu@nhs.net",
        "--organisation",
        "bradford-icb",
        "--organisation-name",
        "Bradford and Craven ICB",
    )

    organisation = Organisation.objects.get(slug="bradford-icb")
    assert organisation.name == "Bradford and Craven ICB"
    olu = User.objects.get(username="olu")
    assert olu.check_password(STRONG_PASSWORD)
    assert Membership.objects.get(user=olu).organisation == organisation
    assert Membership.objects.get(user=olu).role == Role.ADMINISTRATOR
    assert "olu is an administrator of Bradford and Craven ICB (bradford-icb)" in printed
    assert set(AuditEntry.objects.values_list("action", "channel")) == {
        ("organisation.created", "command line"),
        ("user.created", "command line"),
        ("membership.granted", "command line"),
    }


def test_createadmin_adds_an_administrator_to_an_organisation_that_exists(monkeypatch, leeds, alice):
    monkeypatch.setenv("HEARD_ADMIN_PASSWORD", STRONG_PASSWORD)

    _run("createadmin", "--username", "priya", "--organisation", "leeds-north")

    assert Membership.objects.get(user__username="priya").organisation == leeds
    assert Organisation.objects.count() == 1


def test_createadmin_refuses_a_weak_password_and_creates_nothing(monkeypatch):
    monkeypatch.setenv("HEARD_ADMIN_PASSWORD", "password")

    with pytest.raises(CommandError, match=r"too short|too common"):
        call_command(
            "createadmin", "--username", "olu", "--organisation", "bradford-icb", "--organisation-name", "B"
        )

    assert not User.objects.filter(username="olu").exists()
    assert not Organisation.objects.filter(slug="bradford-icb").exists()


def test_createadmin_refuses_a_username_that_is_taken_whatever_its_case(monkeypatch, alice):
    monkeypatch.setenv("HEARD_ADMIN_PASSWORD", STRONG_PASSWORD)

    with pytest.raises(CommandError, match="The username 'Alice' is taken"):
        call_command("createadmin", "--username", "Alice", "--organisation", "leeds-north")

    assert User.objects.filter(username__iexact="alice").count() == 1


def test_createadmin_refuses_an_unknown_organisation_without_its_name(monkeypatch):
    monkeypatch.setenv("HEARD_ADMIN_PASSWORD", STRONG_PASSWORD)

    with pytest.raises(
        CommandError, match="There is no organisation 'bradford-icb': give --organisation-name"
    ):
        call_command("createadmin", "--username", "olu", "--organisation", "bradford-icb")

    assert not User.objects.filter(username="olu").exists()


# --- heard demo's loader ------------------------------------------------------------------------------------

DEMO_USERNAMES = [username for username, *_ in DEMO_USERS]


@pytest.fixture
def demo_var_dir(settings, tmp_path, monkeypatch) -> Path:
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("HEARD_DEMO_PASSWORD", raising=False)
    return tmp_path


def _printed_password(printed: str) -> str:
    match = re.search(r"Password:\s+(\S+)", printed)
    assert match, printed
    return match.group(1)


def _everything() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Project.objects.count(),
        AuditEntry.objects.count(),
    )


def test_demo_load_creates_leeds_west_with_one_demo_user_per_role_and_prints_the_logins(demo_var_dir):
    printed = _run("demo_load", "--port", "8123")

    leeds_west = Organisation.objects.get(slug="leeds-west")
    assert leeds_west.is_demo
    roles = dict(Membership.objects.filter(organisation=leeds_west).values_list("user__username", "role"))
    assert roles == {
        "demo-admin": Role.ADMINISTRATOR,
        "demo-lead": Role.ENGAGEMENT_LEAD,
        "demo-analyst": Role.ANALYST,
        "demo-casework": Role.CASE_HANDLER,
        "demo-viewer": Role.VIEWER,
    }
    assert sorted(roles.values()) == sorted(Role.values)
    assert Project.objects.filter(organisation=leeds_west).count() >= 4
    assert "http://127.0.0.1:8123/" in printed
    assert "Leeds West Health Partnership" in printed
    for username in DEMO_USERNAMES:
        assert f"    {username}\n" in printed


def test_demo_load_keeps_the_neighbouring_organisation_out_of_reach_of_the_demo_users(demo_var_dir):
    _run("demo_load")

    neighbour = Organisation.objects.exclude(slug="leeds-west").get()
    assert Project.objects.filter(organisation=neighbour).exists()
    assert not Membership.objects.filter(organisation=neighbour).exists()


def test_demo_load_twice_creates_nothing_new(demo_var_dir):
    _run("demo_load")
    after_first = _everything()

    _run("demo_load")

    assert _everything() == after_first


def test_the_generated_demo_password_is_the_one_that_signs_in_and_is_reused_next_time(demo_var_dir):
    first = _printed_password(_run("demo_load"))

    for username in DEMO_USERNAMES:
        assert User.objects.get(username=username).check_password(first), username
    assert "(set HEARD_DEMO_PASSWORD to choose)" in _run("demo_load")
    assert _printed_password(_run("demo_load")) == first
    assert (demo_var_dir / "demo-password").read_text().strip() == first
    assert oct((demo_var_dir / "demo-password").stat().st_mode & 0o777) == "0o600"


def test_a_chosen_demo_password_is_every_demo_users_password(demo_var_dir, monkeypatch):
    monkeypatch.setenv("HEARD_DEMO_PASSWORD", "kestrel-meadow-amber-12")

    printed = _run("demo_load")

    assert "kestrel-meadow-amber-12  (from HEARD_DEMO_PASSWORD)" in printed
    for username in DEMO_USERNAMES:
        assert User.objects.get(username=username).check_password("kestrel-meadow-amber-12"), username
    assert not (demo_var_dir / "demo-password").exists(), "a chosen password is not written to disk"


def test_choosing_a_demo_password_later_replaces_the_generated_one(demo_var_dir, monkeypatch):
    generated = _printed_password(_run("demo_load"))
    monkeypatch.setenv("HEARD_DEMO_PASSWORD", "kestrel-meadow-amber-12")

    _run("demo_load")

    demo_admin = User.objects.get(username="demo-admin")
    assert demo_admin.check_password("kestrel-meadow-amber-12")
    assert not demo_admin.check_password(generated)


# --- the ``heard`` console entry point ----------------------------------------------------------------------


def _heard(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HEARD_", "DJANGO_")) and key not in {"DATABASE_URL", "SECRET_KEY"}
    }
    env |= {
        "HEARD_ENV": "test",
        "HEARD_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'heard.sqlite3'}",
    }
    return subprocess.run(
        [str(BASE_DIR / ".venv" / "bin" / "heard"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_heard_command_lists_no_projects_in_a_fresh_database_and_explains_itself(tmp_path):
    migrated = _heard(tmp_path, "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    assert (tmp_path / "heard.sqlite3").exists()

    listed = _heard(tmp_path, "projects", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == ""

    unknown = _heard(tmp_path, "projects", "list", "--organisation", "nowhere")
    assert unknown.returncode != 0
    assert "There is no organisation 'nowhere'" in unknown.stderr

    usage = _heard(tmp_path, "help")
    assert usage.returncode == 0
    assert "heard projects list" in usage.stdout
    assert "heard createadmin" in usage.stdout


def test_after_a_chosen_password_is_dropped_the_printed_password_still_signs_in(demo_var_dir, monkeypatch):
    _run("demo_load")
    monkeypatch.setenv("HEARD_DEMO_PASSWORD", "kestrel-meadow-amber-12")
    _run("demo_load")
    monkeypatch.delenv("HEARD_DEMO_PASSWORD")

    printed = _printed_password(_run("demo_load"))

    assert User.objects.get(username="demo-viewer").check_password(printed)


def test_a_lost_password_file_prints_a_password_that_signs_in(demo_var_dir):
    _run("demo_load")
    (demo_var_dir / "demo-password").unlink()

    printed = _printed_password(_run("demo_load"))

    assert User.objects.get(username="demo-admin").check_password(printed)


def test_demo_organisation_cannot_be_loaded_in_production(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo_load", stdout=io.StringIO())
    assert not Organisation.objects.filter(slug="leeds-west").exists()
