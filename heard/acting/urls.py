from django.urls import path

from heard.acting import views

app_name = "acting"
urlpatterns = [
    path("<slug:slug>/decisions/", views.decision_list, name="decisions"),
    path("<slug:slug>/decisions/new/", views.decision_form, name="decision_new"),
    path("<slug:slug>/decisions/<int:decision_id>/", views.decision_detail, name="decision_detail"),
    path("<slug:slug>/decisions/<int:decision_id>/edit/", views.decision_form, name="decision_edit"),
    path("<slug:slug>/decisions/<int:decision_id>/voices/", views.decision_voices, name="decision_voices"),
    path("<slug:slug>/decisions/<int:decision_id>/evidence/", views.evidence_add, name="evidence_add"),
    path(
        "<slug:slug>/decisions/<int:decision_id>/evidence/<int:evidence_id>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("<slug:slug>/decisions/<int:decision_id>/publish/", views.decision_publish, name="decision_publish"),
    path("<slug:slug>/decisions/<int:decision_id>/remove/", views.decision_remove, name="decision_remove"),
    path("<slug:slug>/quotes/", views.quote_list, name="quotes"),
    path("<slug:slug>/quotes/new/", views.quote_new, name="quote_new"),
    path("<slug:slug>/quotes/<int:quote_id>/approve/", views.quote_approve, name="quote_approve"),
    path("<slug:slug>/quotes/<int:quote_id>/withdraw/", views.quote_withdraw, name="quote_withdraw"),
]
