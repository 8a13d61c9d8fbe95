"""Form fields shaped for the NHS.UK design system's components."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms


class DateParts(forms.MultiWidget):
    """Day, month and year as three boxes, as the NHS.UK date input asks."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class NhsDateField(forms.MultiValueField):
    widget = DateParts

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            fields=[forms.CharField(required=False) for _ in range(3)],
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list: list[Any]) -> date | None:
        if not data_list or not any(data_list):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"The date must include a {' and '.join(missing)}", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError("Enter a real date, like 27 3 2026", code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError("Enter a real date, like 27 3 2026", code="invalid") from None
