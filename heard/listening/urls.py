"""Staff pages for listening. Public survey pages live in public_urls.py, at the short /s/ address."""

from django.urls import path

from heard.listening.views import entry, feedback, imports, sources, surveys, tokens

app_name = "listening"
urlpatterns = [
    path("feedback/", feedback.feedback_list, name="feedback_list"),
    path("feedback/export.<str:file_format>", feedback.feedback_export, name="feedback_export"),
    path("feedback/<int:item_id>/", feedback.feedback_detail, name="feedback_detail"),
    path("api-keys/", tokens.token_list, name="api_tokens"),
    path("api-keys/<int:token_id>/revoke/", tokens.token_revoke, name="api_token_revoke"),
    path("feedback/<int:item_id>/flag/", feedback.feedback_flag_view, name="feedback_flag"),
    path("feedback/<int:item_id>/contact/", feedback.feedback_contact, name="feedback_contact"),
    path("sources/", sources.source_list, name="sources"),
    path("imports/", imports.import_list, name="imports"),
    path("imports/new/", imports.import_new, name="import_new"),
    path("imports/<int:batch_id>/", imports.import_detail, name="import_detail"),
    path("imports/<int:batch_id>/columns/", imports.import_columns, name="import_columns"),
    path("imports/<int:batch_id>/start/", imports.import_start, name="import_start"),
    # Surveys: the builder, its preview and paper entry.
    path("surveys/", surveys.survey_list, name="survey_list"),
    path("surveys/new/", surveys.survey_new, name="survey_new"),
    path("surveys/<int:survey_id>/", surveys.survey_detail, name="survey_detail"),
    path("surveys/<int:survey_id>/edit/", surveys.survey_edit, name="survey_edit"),
    path("surveys/<int:survey_id>/status/", surveys.survey_status, name="survey_status"),
    path("surveys/<int:survey_id>/equality/", surveys.survey_equality_add, name="survey_equality_add"),
    path("surveys/<int:survey_id>/sections/new/", surveys.section_form, name="section_new"),
    path(
        "surveys/<int:survey_id>/sections/<int:section_id>/edit/", surveys.section_form, name="section_edit"
    ),
    path(
        "surveys/<int:survey_id>/sections/<int:section_id>/move/", surveys.section_move, name="section_move"
    ),
    path(
        "surveys/<int:survey_id>/sections/<int:section_id>/delete/",
        surveys.section_delete,
        name="section_delete",
    ),
    path(
        "surveys/<int:survey_id>/sections/<int:section_id>/questions/new/",
        surveys.question_new,
        name="question_new",
    ),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/edit/",
        surveys.question_edit,
        name="question_edit",
    ),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/move/",
        surveys.question_move,
        name="question_move",
    ),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/delete/",
        surveys.question_delete,
        name="question_delete",
    ),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/skip/",
        surveys.question_skip,
        name="question_skip",
    ),
    path("surveys/<int:survey_id>/translations/", surveys.survey_translation, name="survey_translations"),
    path(
        "surveys/<int:survey_id>/translations/<str:language>/",
        surveys.survey_translation,
        name="survey_translation",
    ),
    path("surveys/<int:survey_id>/preview/", surveys.survey_preview_start, name="survey_preview_start"),
    path(
        "surveys/<int:survey_id>/preview/page/<int:number>/",
        surveys.survey_preview_page,
        name="survey_preview_page",
    ),
    path("surveys/<int:survey_id>/preview/check/", surveys.survey_preview_check, name="survey_preview_check"),
    path("surveys/<int:survey_id>/preview/done/", surveys.survey_preview_done, name="survey_preview_done"),
    path("surveys/<int:survey_id>/enter/", entry.survey_enter, name="survey_enter"),
    path(
        "projects/<slug:slug>/activities/<int:activity_id>/comments/",
        entry.activity_comments,
        name="activity_comments",
    ),
]
