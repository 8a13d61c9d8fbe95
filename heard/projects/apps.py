from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "heard.projects"
    label = "projects"
    verbose_name = "Engagement projects"
