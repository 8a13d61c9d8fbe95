from django.urls import include, path

urlpatterns = [
    path("", include("heard.core.urls")),
    path("projects/", include("heard.projects.urls")),
    path("", include("heard.listening.urls")),
    path("s/", include("heard.listening.public_urls")),
    path("api/", include("heard.api.urls")),
]

handler400 = "heard.core.views.errors.bad_request"
handler403 = "heard.core.views.errors.forbidden"
handler404 = "heard.core.views.errors.not_found"
handler500 = "heard.core.views.errors.server_error"
