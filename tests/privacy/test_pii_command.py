"""``heard pii redact``: run as an analyst would, through the installed ``heard`` command."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEARD = Path(sys.executable).parent / "heard"

ROWS = [
    ["id", "service", "text", "score"],
    ["r1", "A&E", "Dr Okonkwo was kind. Ring me on 07700 900123.", "1"],
    ["r2", "Ward 23", 'She said "ward 23, 20mg, 10:30", fine', "2"],
    ["r3", "GP, Leeds", "My NHS number is 999 000 0018\nand my email jo@example.com", "5"],
    ["r4", "", "", ""],
]


def _write(path: Path, rows: list[list[str]], *, bom: bool = False) -> bytes:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path.read_bytes()


@pytest.fixture(scope="module")
def word_list_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Shared by this module's runs: building the name lists once is enough.
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _cache(word_list_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARD_CACHE_DIR", str(word_list_cache))


def _heard(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    import os

    # No settings and no database in the environment: none is needed.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "HEARD_CACHE_DIR": os.environ["HEARD_CACHE_DIR"]}
    return subprocess.run(
        [str(HEARD), "pii", *args], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path
    )


def test_redact_keeps_rows_order_and_other_columns_and_redacts_only_the_text(tmp_path):
    source = tmp_path / "in.csv"
    _write(source, ROWS)
    result = _heard("redact", str(source), "--out", str(tmp_path / "out.csv"), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        out = list(csv.reader(handle))
    assert [row[0] for row in out] == ["id", "r1", "r2", "r3", "r4"]
    assert [[row[0], row[1], row[3]] for row in out] == [[row[0], row[1], row[3]] for row in ROWS]
    assert out[1][2] == "Dr [NAME] was kind. Ring me on [PHONE]."
    assert out[2][2] == ROWS[2][2]
    assert out[3][2] == "My NHS number is [NHS_NUMBER]\nand my email [EMAIL]"
    assert "Redacted 4 rows" in result.stderr


def test_unchanged_rows_and_other_fields_are_byte_for_byte_the_same(tmp_path):
    source = tmp_path / "in.csv"
    # Unusual but valid quoting, and CRLF line endings, must come through untouched.
    source.write_bytes(b'id,"service",text\r\n"r1","Ward 7",fine thanks\r\nr2,"A&E","Call 07700 900123"\r\n')
    result = _heard("redact", str(source), "--out", str(tmp_path / "out.csv"), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.csv").read_bytes() == (
        b'id,"service",text\r\n"r1","Ward 7",fine thanks\r\nr2,"A&E","Call [PHONE]"\r\n'
    )


def test_a_byte_order_mark_is_read_and_kept(tmp_path):
    source = tmp_path / "in.csv"
    _write(source, ROWS, bom=True)
    result = _heard("redact", str(source), "--out", str(tmp_path / "out.csv"), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "out.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbfid,service,text,score")
    assert b"[PHONE]" in written


def test_another_text_column_can_be_named(tmp_path):
    source = tmp_path / "in.csv"
    _write(source, [["id", "comment"], ["1", "Ask for Bartholomew please"]])
    result = _heard(
        "redact",
        str(source),
        "--out",
        str(tmp_path / "out.csv"),
        "--text-column",
        "comment",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Ask for [NAME] please" in (tmp_path / "out.csv").read_text(encoding="utf-8")


def test_a_missing_column_is_named_in_the_error_and_no_output_is_left(tmp_path):
    source = tmp_path / "in.csv"
    _write(source, [["id", "comment"], ["1", "hello"]])
    out = tmp_path / "out.csv"
    result = _heard("redact", str(source), "--out", str(out), tmp_path=tmp_path)
    assert result.returncode == 1
    assert "no column 'text'" in result.stderr and "'comment'" in result.stderr
    assert not out.exists()
    assert list(tmp_path.glob(".out.csv*")) == []


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes("id,text\n1,caf\xe9 with Dr Okonkwo\n".encode("latin-1"))
    result = _heard("redact", str(source), "--out", str(tmp_path / "out.csv"), tmp_path=tmp_path)
    assert result.returncode == 1
    assert "not UTF-8" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_a_missing_input_file_is_reported(tmp_path):
    result = _heard(
        "redact", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out.csv"), tmp_path=tmp_path
    )
    assert result.returncode == 1
    assert "cannot read" in result.stderr


def test_usage_errors_exit_with_status_two(tmp_path):
    result = _heard("redact", str(tmp_path / "in.csv"), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "--out" in result.stderr


def test_the_django_management_command_runs_the_same_redaction_without_a_database(tmp_path):
    source = tmp_path / "in.csv"
    _write(source, ROWS)
    # No `db` fixture: touching the database here would fail the test.
    call_command("pii", "redact", str(source), "--out", str(tmp_path / "out.csv"), verbosity=0)
    assert "Dr [NAME] was kind" in (tmp_path / "out.csv").read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="no column 'body'"):
        call_command("pii", "redact", str(source), "--out", str(tmp_path / "o2.csv"), "--text-column", "body")
