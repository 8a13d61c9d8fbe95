from django.urls import path

from heard.api.api import api

urlpatterns = [path("v1/", api.urls)]
