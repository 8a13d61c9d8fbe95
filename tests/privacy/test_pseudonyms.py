"""Keyed pseudonyms: stable, keyed, separate per purpose, and blind to how an identifier was written."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ImproperlyConfigured

from heard.privacy.pseudonyms import normalise_identifier, pseudonym_for


@pytest.mark.parametrize(
    "written, normal",
    [
        ("999 000 0018", "9990000018"),
        ("999-000-0018", "9990000018"),
        ("Jo.Bloggs@Example.COM ", "jo.bloggs@example.com"),
        ("07700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("0044 113 496 0123", "+441134960123"),
        ("ls1 4ap", "LS14AP"),
        ("  Tamsin   ODUYA ", "tamsin oduya"),
    ],
)
def test_identifiers_are_normalised_before_keying(written, normal):
    assert normalise_identifier(written) == normal


def test_the_same_identifier_written_differently_gets_one_pseudonym():
    assert pseudonym_for("999 000 0018", purpose="vault") == pseudonym_for("9990000018", purpose="vault")
    assert pseudonym_for("07700 900123", purpose="vault") == pseudonym_for("+447700900123", purpose="vault")


def test_different_identifiers_get_different_pseudonyms():
    assert pseudonym_for("9990000018", purpose="vault") != pseudonym_for("9990000026", purpose="vault")


def test_pseudonyms_differ_between_purposes():
    assert pseudonym_for("9990000018", purpose="vault") != pseudonym_for("9990000018", purpose="linkage")


def test_pseudonym_is_keyed_not_a_plain_hash(settings):
    plain = hashlib.sha256(b"9990000018").hexdigest()
    first = pseudonym_for("9990000018", purpose="vault")
    assert first != plain and len(first) == 64
    settings.HEARD_PSEUDONYM_KEY = "another-key-entirely-0123456789abcdef"
    assert pseudonym_for("9990000018", purpose="vault") != first


def test_missing_key_is_a_loud_configuration_error(settings):
    settings.HEARD_PSEUDONYM_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="HEARD_PSEUDONYM_KEY"):
        pseudonym_for("9990000018", purpose="vault")


@pytest.mark.parametrize("purpose", ["", "Vault With Spaces", "x" * 80])
def test_purpose_must_be_a_short_label(purpose):
    with pytest.raises(ValueError, match="purpose"):
        pseudonym_for("9990000018", purpose=purpose)


def test_an_empty_identifier_has_no_pseudonym():
    with pytest.raises(ValueError, match="no identifier"):
        pseudonym_for("  ", purpose="vault")
