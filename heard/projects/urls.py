from django.urls import path

from heard.projects import views, views_activities

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_new, name="new"),
    path("<slug:slug>/", views.project_detail, name="detail"),
    path("<slug:slug>/edit/", views.project_edit, name="edit"),
    path("<slug:slug>/activities/", views_activities.activity_list, name="activities"),
    path("<slug:slug>/activities/new/", views_activities.activity_form, name="activity_new"),
    path(
        "<slug:slug>/activities/<int:activity_id>/", views_activities.activity_detail, name="activity_detail"
    ),
    path(
        "<slug:slug>/activities/<int:activity_id>/edit/", views_activities.activity_form, name="activity_edit"
    ),
]
