from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "heard.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from heard.core.home_panels import HomePanel, home_panel_register
        from heard.core.page_panels import PagePanel, page_panel_register
        from heard.reports.panels import project_panel

        page_panel_register(
            PagePanel(
                page="project",
                key="reports",
                template="reports/project_panel.jinja",
                permission="reports.view",
                order=40,
                context=project_panel,
            )
        )
        home_panel_register(
            HomePanel(
                key="reports",
                template="reports/home_panel.jinja",
                permission="reports.view",
                order=90,
                context=lambda organisation: {},
            )
        )
