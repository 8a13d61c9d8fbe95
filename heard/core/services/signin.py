"""Checking who someone is: password, lock-out after repeated failures, and the second factor."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from heard.core import crypto
from heard.core.audit import audit_record
from heard.core.models import Organisation, RecoveryCode, TwoFactorDevice, User

RECOVERY_CODE_COUNT = 10
ISSUER = "Heard"


@dataclass(frozen=True)
class SigninOutcome:
    """What a sign-in step found. ``locked_minutes`` is set while the account is locked, even for the right
    password; the services return it rather than raise, so that the failure they record is kept."""

    user: User | None
    needs_second_factor: bool = False
    locked_minutes: int | None = None

    @property
    def succeeded(self) -> bool:
        return self.user is not None and self.locked_minutes is None


def _find_user(username: str) -> User | None:
    # Locked for the rest of the transaction, so that guesses sent at once are all counted.
    return User.objects.select_for_update().filter(username__iexact=username.strip()).first()


def _locked_minutes(user: User) -> int | None:
    if user.locked_until is None or user.locked_until <= timezone.now():
        return None
    remaining: timedelta = user.locked_until - timezone.now()
    return max(1, int(remaining.total_seconds() // 60) + 1)


def _record_failure(user: User, *, what: str) -> None:
    user.failed_signins += 1
    detail = {"failures": user.failed_signins, "step": what}
    if user.failed_signins >= settings.HEARD_LOCKOUT_FAILURES:
        user.locked_until = timezone.now() + timedelta(minutes=settings.HEARD_LOCKOUT_MINUTES)
        user.failed_signins = 0
        user.save(update_fields=["failed_signins", "locked_until"])
        audit_record(actor=user, action="signin.locked", target=user, detail=detail)
        return
    user.save(update_fields=["failed_signins"])
    audit_record(actor=user, action="signin.failed", target=user, detail=detail)


def _record_success(user: User) -> None:
    if user.failed_signins or user.locked_until:
        user.failed_signins = 0
        user.locked_until = None
        user.save(update_fields=["failed_signins", "locked_until"])


@transaction.atomic
def signin_check_password(*, request: HttpRequest, username: str, password: str) -> SigninOutcome:
    """The first step: the password, unless the account is locked."""
    user = _find_user(username)
    if user is None:
        # Spend the time a real check would, so that response times do not reveal which usernames exist.
        User().set_password(password)
        audit_record(actor=None, action="signin.failed", detail={"step": "password", "known_user": False})
        return SigninOutcome(user=None)
    locked = _locked_minutes(user)
    if locked is not None:
        User().set_password(password)  # the same time as a real check, so locks reveal nothing by timing
        audit_record(actor=user, action="signin.refused_while_locked", target=user)
        return SigninOutcome(user=None, locked_minutes=locked)
    authenticated = authenticate(request, username=user.username, password=password)
    if authenticated is None or not isinstance(authenticated, User):
        _record_failure(user, what="password")
        return SigninOutcome(user=None, locked_minutes=_locked_minutes(user))
    device = TwoFactorDevice.objects.filter(user=authenticated, confirmed_at__isnull=False).first()
    if device is None:
        _record_success(authenticated)
        audit_record(actor=authenticated, action="signin.succeeded", detail={"second_factor": False})
    return SigninOutcome(user=authenticated, needs_second_factor=device is not None)


def _totp(device: TwoFactorDevice) -> pyotp.TOTP:
    return pyotp.TOTP(crypto.decrypt(device.encrypted_secret).decode())


def _verify_totp(device: TwoFactorDevice, code: str) -> bool:
    """Accepts the current code or its neighbours (clock drift), never the same time step twice."""
    totp = _totp(device)
    now_step = int(timezone.now().timestamp()) // totp.interval
    for step in (now_step - 1, now_step, now_step + 1):
        if step > device.last_used_step and secrets.compare_digest(totp.at(step * totp.interval), code):
            device.last_used_step = step
            device.save(update_fields=["last_used_step"])
            return True
    return False


def _digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def _use_recovery_code(user: User, code: str) -> bool:
    recovery = RecoveryCode.objects.filter(user=user, digest=_digest(code), used_at__isnull=True).first()
    if recovery is None:
        return False
    recovery.used_at = timezone.now()
    recovery.save(update_fields=["used_at"])
    audit_record(actor=user, action="two_factor.recovery_code_used", target=user)
    return True


@transaction.atomic
def signin_check_second_factor(*, user: User, code: str) -> SigninOutcome:
    """The second step: a code from the authenticator app, or one unused recovery code."""
    user = User.objects.select_for_update().get(pk=user.pk)
    locked = _locked_minutes(user)
    if locked is not None:
        return SigninOutcome(user=None, locked_minutes=locked)
    device = TwoFactorDevice.objects.get(user=user, confirmed_at__isnull=False)
    cleaned = code.strip().replace(" ", "")
    ok = (cleaned.isdigit() and len(cleaned) == 6 and _verify_totp(device, cleaned)) or _use_recovery_code(
        user, cleaned
    )
    if not ok:
        _record_failure(user, what="second factor")
        return SigninOutcome(user=None, locked_minutes=_locked_minutes(user))
    _record_success(user)
    audit_record(actor=user, action="signin.succeeded", detail={"second_factor": True})
    return SigninOutcome(user=user)


@transaction.atomic
def two_factor_begin(*, user: User) -> TwoFactorDevice:
    """Starts (or restarts) setting up an authenticator app with a new secret."""
    if TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        raise ValueError("This account already has an authenticator app; reset it first.")
    secret = pyotp.random_base32()
    TwoFactorDevice.objects.filter(user=user).delete()
    device = TwoFactorDevice.objects.create(user=user, encrypted_secret=crypto.encrypt(secret.encode()))
    return device


def two_factor_secret(device: TwoFactorDevice) -> str:
    """The secret, for people who type it into their app rather than scan the QR code."""
    return crypto.decrypt(device.encrypted_secret).decode()


def two_factor_uri(device: TwoFactorDevice) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return _totp(device).provisioning_uri(name=device.user.username, issuer_name=ISSUER)


@transaction.atomic
def two_factor_confirm(*, user: User, code: str) -> list[str] | None:
    """Confirms the app with a first code; returns fresh recovery codes (shown once), or None if wrong."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
    if device is None or not _verify_totp(device, code.strip().replace(" ", "")):
        return None
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    audit_record(actor=user, action="two_factor.set_up", target=user)
    return recovery_codes_replace(user=user)


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """Issues a new set of recovery codes, voiding the old ones. Only digests are stored."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digest(code)) for code in codes)
    audit_record(actor=user, action="two_factor.recovery_codes_issued", target=user)
    return codes


@transaction.atomic
def two_factor_reset(*, actor: User, user: User, organisation: Organisation) -> None:
    """An administrator removes someone's authenticator (a lost phone); they set it up again at next sign-in."""
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_record(actor=actor, action="two_factor.reset", organisation=organisation, target=user)
