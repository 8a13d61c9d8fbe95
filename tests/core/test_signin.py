"""Signing in: password, lock-out, the second factor, recovery codes, session lifetime and the demo exemption."""

from __future__ import annotations

import time

import pyotp
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from heard.core.middleware import SESSION_SIGNED_IN_AT
from heard.core.models import AuditEntry, RecoveryCode, TwoFactorDevice
from heard.core.services.signin import (
    signin_check_second_factor,
    two_factor_begin,
    two_factor_confirm,
    two_factor_secret,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in_with_password(client: Client, username: str, password: str = PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def enrol(user) -> tuple[str, list[str]]:
    """Sets up an authenticator for ``user`` as the set-up page would; returns its secret and recovery codes."""
    device = two_factor_begin(user=user)
    secret = two_factor_secret(device)
    codes = two_factor_confirm(user=user, code=pyotp.TOTP(secret).now())
    assert codes is not None
    return secret, codes


def next_step_code(secret: str) -> str:
    # The set-up used the current 30-second step, and a step is never accepted twice; the server allows one
    # step of clock drift, so the next step's code is what a person would type half a minute later.
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_sign_in_page_has_username_and_password_fields(client):
    page = client.get("/login/").content.decode()
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert 'autocomplete="current-password"' in page


def test_staff_pages_send_signed_out_visitors_to_sign_in(client):
    response = client.get("/projects/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/projects/"


def test_wrong_password_says_so_without_saying_which_part_was_wrong(client, alice):
    response = sign_in_with_password(client, "alice", "not-her-password")
    assert response.status_code == 400
    assert "The username or password is not right" in response.content.decode()
    unknown = sign_in_with_password(client, "nobody-by-this-name", "whatever-password")
    assert "The username or password is not right" in unknown.content.decode()


def test_real_organisation_member_without_authenticator_must_set_one_up_before_anything_else(client, alice):
    response = sign_in_with_password(client, "alice")
    assert response.status_code == 302
    home = client.get("/home/")
    assert home.status_code == 302
    assert home["Location"] == "/account/two-factor/"
    setup = client.get("/account/two-factor/")
    assert "Set up two-factor sign-in" in setup.content.decode()


def test_setting_up_the_authenticator_shows_recovery_codes_once_and_opens_heard(client, alice):
    sign_in_with_password(client, "alice")
    client.get("/account/two-factor/")
    secret = two_factor_secret(TwoFactorDevice.objects.get(user=alice))
    response = client.post("/account/two-factor/", {"code": pyotp.TOTP(secret).now()})
    page = response.content.decode()
    assert "Your recovery codes" in page
    assert RecoveryCode.objects.filter(user=alice, used_at__isnull=True).count() == 10
    assert client.get("/home/").status_code == 200
    assert AuditEntry.objects.filter(actor=alice, action="two_factor.set_up").exists()


def test_a_wrong_set_up_code_is_refused_with_a_message(client, alice):
    sign_in_with_password(client, "alice")
    client.get("/account/two-factor/")
    response = client.post("/account/two-factor/", {"code": "000000"})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert not TwoFactorDevice.objects.get(user=alice).is_confirmed


def test_member_with_authenticator_needs_the_code_after_the_password(client, alice):
    secret, _ = enrol(alice)
    response = sign_in_with_password(client, "alice")
    assert response["Location"] == "/login/code/"
    assert client.get("/home/").status_code == 302  # not signed in yet
    wrong = client.post("/login/code/", {"code": "123456"})
    assert "That code is not right" in wrong.content.decode()
    right = client.post("/login/code/", {"code": next_step_code(secret)})
    assert right.status_code == 302
    assert client.get("/home/").status_code == 200


def test_a_code_cannot_be_used_twice(alice):
    secret, _ = enrol(alice)
    code = next_step_code(secret)
    assert signin_check_second_factor(user=alice, code=code).succeeded
    assert not signin_check_second_factor(user=alice, code=code).succeeded


def test_a_recovery_code_works_once(client, alice):
    _, codes = enrol(alice)
    sign_in_with_password(client, "alice")
    assert client.post("/login/code/", {"code": codes[0]}).status_code == 302
    assert client.get("/home/").status_code == 200
    client.post("/logout/")
    sign_in_with_password(client, "alice")
    again = client.post("/login/code/", {"code": codes[0]})
    assert again.status_code == 400
    assert AuditEntry.objects.filter(actor=alice, action="two_factor.recovery_code_used").count() == 1


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, alice, settings):
    for _ in range(settings.HEARD_LOCKOUT_FAILURES):
        sign_in_with_password(client, "alice", "wrong-password-guess")
    locked = sign_in_with_password(client, "alice")
    assert locked.status_code == 400
    assert "too many attempts" in locked.content.decode()
    assert AuditEntry.objects.filter(actor=alice, action="signin.locked").exists()


def test_the_lock_lifts_after_its_time(client, alice, settings):
    for _ in range(settings.HEARD_LOCKOUT_FAILURES):
        sign_in_with_password(client, "alice", "wrong-password-guess")
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=settings.HEARD_LOCKOUT_MINUTES + 1)):
        response = sign_in_with_password(client, "alice")
    assert response.status_code == 302


def test_wrong_codes_count_towards_the_lock(client, alice, settings):
    enrol(alice)
    sign_in_with_password(client, "alice")
    for _ in range(settings.HEARD_LOCKOUT_FAILURES):
        response = client.post("/login/code/", {"code": "000000"})
    assert "too many attempts" in response.content.decode()


def test_demo_organisation_member_may_skip_the_second_factor_and_every_page_says_so(
    client, dee, project_factory
):
    project = project_factory(organisation=dee.memberships.get().organisation)
    assert sign_in_with_password(client, "dee").status_code == 302
    for path in ("/home/", "/projects/", f"/projects/{project.slug}/"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "two-factor sign-in is off" in page.content.decode(), path


def test_a_demo_member_who_also_belongs_to_a_real_organisation_must_set_up_two_factor(
    client, dee, leeds, member_factory
):
    from heard.core.models import Membership, Role

    Membership.objects.create(user=dee, organisation=leeds, role=Role.VIEWER)
    sign_in_with_password(client, "dee")
    assert client.get("/home/")["Location"] == "/account/two-factor/"


def test_sessions_end_after_the_maximum_time_however_active(client, dee, settings):
    sign_in_with_password(client, "dee")
    session = client.session
    session[SESSION_SIGNED_IN_AT] = time.time() - settings.HEARD_SESSION_MAX_HOURS * 3600 - 1
    session.save()
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_idle_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE == settings.HEARD_SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_passwords_follow_ncsc_rules(alice):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("short1!A", alice)  # too short, however "complex"
    with pytest.raises(ValidationError):
        validate_password("password1234", alice)  # common
    validate_password("purple hedgehog lantern", alice)  # three random words: no digits or symbols needed


def test_signing_out_ends_the_session(client, dee):
    sign_in_with_password(client, "dee")
    client.post("/logout/")
    assert client.get("/home/").status_code == 302


def test_next_address_is_followed_only_within_heard(client, dee):
    client.get("/login/?next=https://evil.example/")
    response = sign_in_with_password(client, "dee")
    assert response["Location"] == "/home/"
    client.post("/logout/")
    client.get("/login/?next=/projects/")
    assert sign_in_with_password(client, "dee")["Location"] == "/projects/"


def test_secrets_are_encrypted_at_rest(alice):
    secret, _ = enrol(alice)
    stored = bytes(TwoFactorDevice.objects.get(user=alice).encrypted_secret)
    assert secret.encode() not in stored
    assert all(len(code.digest) == 64 for code in RecoveryCode.objects.filter(user=alice))


def test_a_person_changes_their_own_password_and_stays_signed_in(client, dee):
    sign_in_with_password(client, "dee")
    wrong = client.post(
        "/account/password/", {"current_password": "not-it", "new_password": "silver kettle orchard"}
    )
    assert wrong.status_code == 400
    assert "Your current password is not right" in wrong.content.decode()
    weak = client.post("/account/password/", {"current_password": PASSWORD, "new_password": "password1234"})
    assert "too common" in weak.content.decode()
    response = client.post(
        "/account/password/", {"current_password": PASSWORD, "new_password": "silver kettle orchard"}
    )
    assert response.status_code == 302
    assert client.get("/home/").status_code == 200
    dee.refresh_from_db()
    assert dee.check_password("silver kettle orchard")
    assert AuditEntry.objects.filter(actor=dee, action="password.changed").exists()


def test_someone_given_a_first_password_by_an_administrator_must_choose_their_own(client, alice, signed_in):
    admin = signed_in(alice)
    admin.post(
        "/people/add/",
        {"username": "newstarter", "role": "analyst", "password": "first password from admin"},
    )
    sign_in_with_password(client, "newstarter", "first password from admin")
    assert client.get("/home/")["Location"] == "/account/password/"
    page = client.get("/account/password/").content.decode()
    assert "Your administrator chose your first password" in page
    client.post(
        "/account/password/",
        {"current_password": "first password from admin", "new_password": "walnut ferry lighthouse"},
    )
    # Next comes the second factor, as for anyone in a real organisation.
    assert client.get("/home/")["Location"] == "/account/two-factor/"
