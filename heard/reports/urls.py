from django.urls import path

from heard.reports import views

app_name = "reports"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("projects/<slug:slug>/ppie/", views.ppie, name="ppie"),
    path("projects/<slug:slug>/consultation/", views.consultation, name="consultation"),
]
