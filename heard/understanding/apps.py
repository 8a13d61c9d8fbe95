from django.apps import AppConfig


class UnderstandingConfig(AppConfig):
    name = "heard.understanding"
    label = "understanding"
    verbose_name = "Understanding: themes, sentiment and coding"

    def ready(self) -> None:
        from heard.core.navigation import NavigationItem, navigation_register

        navigation_register(
            NavigationItem("Themes", "understanding:codebooks", "understanding.view_themes", order=30)
        )
        navigation_register(
            NavigationItem(
                "Who answered", "understanding:representation", "understanding.view_themes", order=32
            )
        )
