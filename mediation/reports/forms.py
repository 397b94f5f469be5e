"""The period picker of the summary page (a GET form: it changes nothing, so it carries no CSRF token)."""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField

from mediation.core.forms import BaseForm
from mediation.reports import periods
from mediation.reports.periods import Period, PeriodError

KIND_LABELS = {
    "month": _l("Month"),
    "quarter": _l("Quarter"),
    "half": _l("Half-year"),
    "year": _l("Year"),
    "range": _l("From – to"),
}
# The fields (by their names in the URL) each kind of period reads; the page hides the others.
KIND_FIELDS = {
    "month": ("year", "month"),
    "quarter": ("year", "quarter"),
    "half": ("year", "half"),
    "year": ("year",),
    "range": ("from", "to"),
}


def _number(value):
    """Select values arrive as text; a forged non-number becomes None (and a clear error)."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PeriodForm(BaseForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Period"), choices=[SelectChoice(k, label) for k, label in KIND_LABELS.items()],
                       default="month")
    year = SelectField(_l("Year"), coerce=_number, validate_choice=False)
    month = SelectField(_l("Month"), coerce=_number, validate_choice=False,
                        choices=[SelectChoice(m, f"{m:02d}") for m in range(1, 13)])
    quarter = SelectField(_l("Quarter"), coerce=_number, validate_choice=False,
                          choices=[SelectChoice(q, f"Q{q}") for q in range(1, 5)])
    half = SelectField(_l("Half-year"), coerce=_number, validate_choice=False,
                       choices=[SelectChoice(1, "H1"), SelectChoice(2, "H2")])
    start = StringField(_l("From"), name="from", render_kw={"type": "date"})
    end = StringField(_l("To"), name="to", render_kw={"type": "date"})

    def __init__(self, formdata, today: dt.date, first_year: int | None = None):
        super().__init__(formdata=formdata)
        self.today = today
        first = min(first_year or today.year, today.year - 4)
        self.year.choices = [SelectChoice(y, str(y)) for y in range(today.year, first - 1, -1)]
        for field, value in ((self.year, today.year), (self.month, today.month),
                             (self.quarter, (today.month - 1) // 3 + 1),
                             (self.half, 1 if today.month <= 6 else 2)):
            if not field.raw_data:  # not asked for: today's; asked for but unreadable stays None
                field.data = value
        self.period: Period | None = None

    def resolve(self, args) -> Period | None:
        """The period the request asks for, or None (with the error on the field concerned).

        ``?period=2025-H1`` and ``?from=…&to=…`` work as well as the picker's own fields, so that
        links and scripts can name a period briefly; with nothing given, the current month.
        """
        blame = self.kind
        try:
            if args.get("period"):
                self.period = periods.parse_period(args["period"])
                self._show(self.period)
            elif "kind" not in args and ("from" in args or "to" in args):
                self.kind.data = "range"
                self.period = periods.period_from_dates(args.get("from"), args.get("to"))
            elif "kind" in args:
                self.period = self._from_fields()
            else:
                self.period = periods.month_of(self.today)
        except PeriodError as error:
            if self.kind.data not in KIND_FIELDS:
                blame = self.kind
            elif error.field:
                blame = getattr(self, error.field)
            blame.errors = [*blame.errors, error.message]
            return None
        shown = self.period.start.year
        if all(choice.value != shown for choice in self.year.choices):
            # A year before the list (asked for by URL) still shows as chosen.
            self.year.choices = sorted([*self.year.choices, SelectChoice(shown, str(shown))],
                                       key=lambda choice: -choice.value)
        return self.period

    def _from_fields(self) -> Period:
        kind = self.kind.data
        if kind not in KIND_FIELDS:
            raise PeriodError(_("Choose a kind of period."), "kind")
        if kind == "range":
            return periods.period_from_dates(self.start.data, self.end.data)
        if self.year.data is None:
            raise PeriodError(_("Choose a year."), "year")
        if kind == "year":
            return periods.year(self.year.data)
        number = getattr(self, kind).data
        build = {"month": periods.month, "quarter": periods.quarter, "half": periods.half_year}[kind]
        return build(self.year.data, number if number is not None else 0)

    def _show(self, period: Period) -> None:
        """Set the picker to a period given in short form, so the page shows what was chosen."""
        self.kind.data = period.kind
        self.year.data = period.start.year
        self.month.data = period.start.month
        self.quarter.data = (period.start.month - 1) // 3 + 1
        self.half.data = 1 if period.start.month <= 6 else 2

    def visible(self, name: str) -> bool:
        return name in KIND_FIELDS.get(self.kind.data, ())

