"""The public side of listening: survey pages anyone may answer, with no account."""

from django.urls import path

from heard.listening.views import public

app_name = "public"
urlpatterns = [
    path("<slug:code>/", public.survey_start, name="survey_start"),
    path("<slug:code>/page/<int:number>/", public.survey_page, name="survey_page"),
    path("<slug:code>/check/", public.survey_check, name="survey_check"),
    path("<slug:code>/done/", public.survey_done, name="survey_done"),
    path("<slug:code>/return/<str:token>/", public.survey_return, name="survey_return"),
]
