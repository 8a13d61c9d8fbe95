from django.urls import path

from heard.acting import views_public

app_name = "you_said"
urlpatterns = [
    path("<slug:organisation_slug>/", views_public.organisation_page, name="organisation"),
    path("<slug:organisation_slug>/feed.atom", views_public.atom_feed, name="atom"),
    path("<slug:organisation_slug>/feed.json", views_public.json_feed, name="json"),
    path("<slug:organisation_slug>/<slug:project_slug>/", views_public.project_page, name="project"),
]
