from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "heard.projects"
    label = "projects"
    verbose_name = "Engagement projects"

    def ready(self) -> None:
        from heard.core.home_panels import HomePanel, home_panel_register
        from heard.core.navigation import NavigationItem, navigation_register
        from heard.projects.selectors import projects_home_panel

        navigation_register(NavigationItem("Projects", "projects:list", "projects.view", order=10))
        home_panel_register(
            HomePanel(
                key="projects",
                template="projects/home_panel.jinja",
                permission="projects.view",
                order=10,
                context=projects_home_panel,
            )
        )
