"""Staff pages for themes, coding and models."""

from django.urls import path

from heard.understanding import views, views_dashboards, views_representation

app_name = "understanding"
urlpatterns = [
    path("", views.codebook_list, name="codebooks"),
    path("<int:codebook_id>/", views.codebook_detail, name="codebook"),
    path("<int:codebook_id>/themes/new/", views.theme_form, name="theme_new"),
    path("<int:codebook_id>/themes/<int:theme_id>/edit/", views.theme_form, name="theme_edit"),
    path("<int:codebook_id>/themes/<int:theme_id>/retire/", views.theme_retire, name="theme_retire"),
    path("<int:codebook_id>/code/", views.code_comments, name="code"),
    path("<int:codebook_id>/train/", views.train_model, name="train"),
    path("<int:codebook_id>/models/<int:run_id>/", views.model_run, name="model_run"),
    path("<int:codebook_id>/suggestions/", views.suggestion_list, name="suggestions"),
    path(
        "<int:codebook_id>/suggestions/accept/", views.suggestions_accept_confident, name="suggestions_accept"
    ),
    path(
        "<int:codebook_id>/suggestions/<int:suggestion_id>/accept/",
        views.suggestion_accept,
        name="suggestion_accept",
    ),
    path("<int:codebook_id>/agreement/", views.agreement_view, name="agreement"),
    path("who-answered/", views_representation.representation_view, name="representation"),
    path("populations/", views_representation.population_list, name="populations"),
    path("populations/example.csv", views_representation.population_example, name="population_example"),
    path("<int:codebook_id>/dashboard/", views_dashboards.dashboard_view, name="dashboard"),
    path("<int:codebook_id>/comments/", views_dashboards.comments_view, name="comments"),
]
