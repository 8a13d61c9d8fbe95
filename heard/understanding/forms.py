"""Forms for codebooks and coding."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms

from heard.core.models import Organisation
from heard.listening import selectors as listening_selectors
from heard.listening.forms import FeedbackFilterForm
from heard.listening.models import Channel, Survey
from heard.projects.models import Project
from heard.understanding.dashboards import DashboardFilters, whole_months
from heard.understanding.models import PopulationProfile, Sentiment, Theme
from heard.understanding.selectors import population_profiles


class CodebookForm(forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Enter a name for the codebook"})
    start = forms.ChoiceField(
        choices=[
            ("starter", "Start from the FFT-QDC structure (10 categories, 32 themes) and change it"),
            ("empty", "Start with no themes"),
        ],
        initial="starter",
        error_messages={"required": "Choose how to start"},
    )


class ThemeForm(forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Enter the theme's name"})
    category = forms.CharField(
        max_length=120, error_messages={"required": "Enter the category it belongs to"}
    )
    description = forms.CharField(required=False, widget=forms.Textarea, max_length=2000)
    examples = forms.CharField(required=False, widget=forms.Textarea, max_length=4000)


SENTIMENT_CHOICES = [("", "Not given"), *[(str(value), label) for value, label in Sentiment.choices]]


class CodingForm(forms.Form):
    """Typed codes (fastest: "3 12 s4 ?") or the boxes below them; both may be used at once."""

    codes = forms.CharField(required=False, max_length=200)
    themes = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    sentiment = forms.ChoiceField(required=False, choices=SENTIMENT_CHOICES)
    second_look = forms.BooleanField(required=False)
    note = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, themes: list[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.theme_list = themes
        field = self.fields["themes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(theme.pk), f"{theme.code}. {theme.name}") for theme in themes]


class DashboardFilterForm(FeedbackFilterForm):
    """The feedback list's filters that a coded comment carries: project, channel, source, service and dates."""

    theme = forms.IntegerField(required=False, min_value=1)
    also = forms.IntegerField(required=False, min_value=1)  # a second theme the comments must have too
    q = forms.CharField(required=False, max_length=200)
    complex = forms.BooleanField(required=False)
    question = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose a question from the list"}
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        questions: Sequence[str] = (),
        spell_service: Callable[[str], tuple[str, ...]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        # Turns a service as typed ("a&e") into the ways the comments write it ("A&E", "a&e"): asked once, so that
        # every count then compares plainly and keeps its speed.
        self.spell_service = spell_service
        self._filters: DashboardFilters | None = None
        del self.fields["survey"]
        del self.fields["flagged"]
        field = self.fields["question"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Any question"), *((question, question) for question in questions)]

    def dashboard_filters(self) -> DashboardFilters:
        if self._filters is None:
            self._filters = self._read_filters()
        return self._filters

    def _read_filters(self) -> DashboardFilters:
        data = self.cleaned_data
        service = (data.get("service") or "").strip()
        spellings: tuple[str, ...] = ()
        if service and self.spell_service is not None:
            spellings = self.spell_service(service)
            service = spellings[0]
        project = data.get("project")
        source = data.get("source")
        # Dashboards count whole months (their figures come from monthly counts); the comments behind them
        # follow the same months, so a number and its comments always agree.
        date_from, date_to = whole_months(data.get("date_from"), data.get("date_to"))
        return DashboardFilters(
            date_from=date_from,
            date_to=date_to,
            project_id=project.pk if project else None,
            channel=data.get("channel") or "",
            source_id=source.pk if source else None,
            service=service,
            question=data.get("question") or "",
            service_spellings=spellings,
        )

    def described(self) -> str:
        """The filters in words, for a chart that leaves the page: "Filtered: channel: text message; from March
        2026." """
        filters = self.dashboard_filters()
        data = self.cleaned_data
        parts = []
        if data.get("project"):
            parts.append(f"project: {data['project'].title}")
        if filters.channel:
            parts.append(f"channel: {dict(Channel.choices).get(filters.channel, filters.channel).lower()}")
        if data.get("source"):
            parts.append(f"source: {data['source'].name}")
        if filters.service:
            parts.append(f"service: {filters.service}")
        if filters.question:
            parts.append(f"question: {filters.question}")
        dates = []
        if filters.date_from:
            dates.append(f"from {filters.date_from:%B %Y}")
        if filters.date_to:
            dates.append(f"to {filters.date_to:%B %Y}")
        if dates:
            parts.append(" ".join(dates))
        return ("Filtered: " + "; ".join(parts) + ".") if parts else "All comments, with no filters."


class RepresentationForm(forms.Form):
    project = forms.ModelChoiceField[Project](
        queryset=Project.objects.none(), required=False, empty_label="Choose a project", to_field_name="slug"
    )
    survey = forms.ModelChoiceField[Survey](
        queryset=Survey.objects.none(), required=False, empty_label="Or choose a survey", to_field_name="code"
    )
    population = forms.ModelChoiceField[PopulationProfile](
        queryset=PopulationProfile.objects.none(), required=False, empty_label="No population to compare with"
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = listening_selectors.projects_of(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["survey"].queryset = listening_selectors.surveys_of(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["population"].queryset = population_profiles(organisation=organisation)  # type: ignore[attr-defined]


class PopulationForm(forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Enter a name for the population"})
    area = forms.CharField(max_length=200, required=False)
    source = forms.CharField(max_length=300, required=False)
    file = forms.FileField(error_messages={"required": "Choose a CSV file of population figures"})
