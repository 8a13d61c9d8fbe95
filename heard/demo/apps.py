from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration organisation's generator. It reads from every app and is read by none."""

    name = "heard.demo"
    label = "demo"
    verbose_name = "Demonstration data"
