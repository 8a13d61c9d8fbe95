from django.urls import path

from heard.core.views import account, audit, health, home, members, signin

app_name = "core"
urlpatterns = [
    path("", home.root, name="root"),
    path("home/", home.home, name="home"),
    path("login/", signin.signin, name="login"),
    path("login/code/", signin.signin_code, name="signin_code"),
    path("logout/", signin.signout, name="logout"),
    path("organisation/", signin.organisation_switch, name="organisation_switch"),
    path("account/two-factor/", account.two_factor_setup, name="two_factor_setup"),
    path("account/password/", account.password_change, name="password_change"),
    path("account/two-factor/recovery-codes/", account.recovery_codes_new, name="recovery_codes_new"),
    path("people/", members.member_list, name="members"),
    path("people/add/", members.member_add, name="member_add"),
    path("people/<int:membership_id>/", members.member_change, name="member_change"),
    path("people/<int:membership_id>/remove/", members.member_remove, name="member_remove"),
    path(
        "people/<int:membership_id>/reset-two-factor/",
        members.member_reset_two_factor,
        name="member_reset_two_factor",
    ),
    path("audit/", audit.audit_log, name="audit_log"),
    path("audit/export.csv", audit.audit_log_export, name="audit_log_export"),
    path("healthz", health.healthz, name="healthz"),
    path("accessibility/", home.accessibility, name="accessibility"),
]
