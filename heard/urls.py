from django.urls import include, path

urlpatterns = [
    # First, so that the busiest route (connected systems sending feedback) is matched without trying the rest.
    path("api/", include("heard.api.urls")),
    path("", include("heard.core.urls")),
    path("projects/", include("heard.projects.urls")),
    path("projects/", include("heard.acting.urls")),
    path("", include("heard.listening.urls")),
    path("themes/", include("heard.understanding.urls")),
    path("reports/", include("heard.reports.urls")),
    path("s/", include("heard.listening.public_urls")),
    path("you-said-we-did/", include("heard.acting.public_urls")),
]

handler400 = "heard.core.views.errors.bad_request"
handler403 = "heard.core.views.errors.forbidden"
handler404 = "heard.core.views.errors.not_found"
handler500 = "heard.core.views.errors.server_error"
