"""The State Council's yearly schedule as the office enters it (CONTRACTS §7), and a year as the app counts it.

Each verb checks, changes the office's entries (:class:`~mediation.calendar.models.CalendarDay`), writes
the admin log in the same transaction and flushes; the caller's edge commits.  The office's entries take
precedence over the published package and the statutory holidays (:mod:`mediation.calendar.working`), so
a change moves the deadlines of every open case: the caller (the page, the command) works them out again
with ``mediation.clocks.store.refresh_open_cases`` — the clocks stand on the calendar, not under it.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Iterable, NamedTuple

import chinese_calendar
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mediation.audit.labels import label_values
from mediation.audit.services import record_admin_event
from mediation.calendar import working
from mediation.calendar.models import CalendarDay, DayKind
from mediation.calendar.statutory import statutory_holidays
from mediation.core.errors import Refused
from mediation.extensions import db

FIRST_YEAR, LAST_YEAR = 2000, 2100
NOTE_LENGTH = 100  # CalendarDay.note
NOTICE_FROM_MONTH = 11  # from 1 November, next year's schedule is due (the State Council publishes it then)

label_values(DayKind, "day_kind")  # the admin log shows "Day off" / "Working day"

# The statutory festivals (named in Chinese by :mod:`.statutory`) in the user's language.
FESTIVALS = {
    "元旦": _l("New Year's Day"),
    "春节": _l("Spring Festival"),
    "清明节": _l("Qingming Festival"),
    "劳动节": _l("Labour Day"),
    "端午节": _l("Dragon Boat Festival"),
    "中秋节": _l("Mid-Autumn Festival"),
    "国庆节": _l("National Day"),
}
# ``chinesecalendar`` names its holidays in English; these are the same festivals.
PACKAGE_FESTIVALS = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节", "National Day": "国庆节",
}
SOURCES = {
    "statutory": _l("Statutory public holiday"),
    "package": _l("Published schedule"),
    "office": _l("The office's entry"),
}


def festival_name(name: str) -> str:
    """A festival's name in the user's language (a name the list does not know, as it is)."""
    return str(FESTIVALS.get(name, name))


# --- checks ---------------------------------------------------------------------------------------

def _check_day(day: dt.date, kind: DayKind) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Refused(_("A date from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR), "day")
    if kind == DayKind.WORKDAY:
        name = statutory_holidays(day.year).get(day)
        if name is not None:
            raise Refused(_("%(day)s is a statutory public holiday (%(name)s): the law makes it a day off.",
                            day=day.isoformat(), name=festival_name(name)), "kind")


def _checked_note(note: str | None) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise Refused(_("Too long: at most %(max)d characters.", max=NOTE_LENGTH), "note")
    return note


def _state(entry: CalendarDay | None) -> dict:
    if entry is None:
        return {"day_kind": None, "note": None}
    return {"day_kind": entry.kind.value, "note": entry.note or None}


def _changes(before: dict, after: dict) -> dict[str, list]:
    return {key: [before[key], after[key]] for key in after if before[key] != after[key]}


def _entries(years: Iterable[int]) -> list[CalendarDay]:
    spans = [CalendarDay.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31)) for year in years]
    if not spans:
        return []
    return list(db.session.scalars(sa.select(CalendarDay).where(sa.or_(*spans)).order_by(CalendarDay.day)))


def _changed_schedule() -> None:
    db.session.flush()
    working.forget()  # this request or command counts on the new schedule from here


# --- the verbs ------------------------------------------------------------------------------------

def set_day(actor, *, day: dt.date, kind: DayKind, note: str = "") -> CalendarDay:
    """Enter one day of the schedule, or change the office's entry for it (logged with before and after).

    A working day cannot be entered on a statutory public holiday: the law makes it a day off."""
    kind = DayKind(kind)
    _check_day(day, kind)
    note = _checked_note(note)
    entry = db.session.get(CalendarDay, day)
    before = _state(entry)
    if entry is None:
        entry = CalendarDay(day=day, kind=kind, note=note)
        db.session.add(entry)
    else:
        entry.kind, entry.note = kind, note
    changes = _changes(before, _state(entry))
    if changes:
        record_admin_event(actor, "calendar_day_set", entry, changes)
    _changed_schedule()
    return entry


def remove_day(actor, *, day: dt.date) -> None:
    """Remove the office's entry for ``day``: the published package or the statutory rules count again."""
    entry = db.session.get(CalendarDay, day)
    if entry is None:
        raise Refused(_("%(day)s is not among the office's entries.", day=day.isoformat()), "day")
    record_admin_event(actor, "calendar_day_removed", entry, _changes(_state(entry), _state(None)))
    db.session.delete(entry)
    _changed_schedule()


class ScheduleRow(NamedTuple):
    day: dt.date
    kind: DayKind
    note: str = ""


def import_schedule(actor, rows: Iterable[tuple]) -> int:
    """Import the State Council's schedule: ``rows`` of ``(date, kind, note)``; returns how many days.

    An import is the *whole* schedule of each year it covers: every listed day is entered (or its entry
    changed), and the office's earlier entries for those years that the rows do not list are removed.
    Other years are left as they are.  One entry in the admin log says which years, how many days off and
    how many working days (and how many earlier entries went).  Check a file with
    :func:`parse_schedule_csv` first: this refuses a working day on a statutory holiday as a whole.
    """
    wanted: dict[dt.date, tuple[DayKind, str]] = {}
    for day, kind, *rest in rows:
        kind = DayKind(kind)
        _check_day(day, kind)
        wanted[day] = (kind, _checked_note(rest[0] if rest else ""))
    if not wanted:
        raise Refused(_("The file holds no days."))
    years = sorted({day.year for day in wanted})
    entered = {entry.day: entry for entry in _entries(years)}
    removed = [entry for day, entry in entered.items() if day not in wanted]
    for entry in removed:
        db.session.delete(entry)
    for day, (kind, note) in wanted.items():
        entry = entered.get(day)
        if entry is None:
            db.session.add(CalendarDay(day=day, kind=kind, note=note))
        else:
            entry.kind, entry.note = kind, note
    days_off = sum(1 for kind, _note in wanted.values() if kind == DayKind.HOLIDAY)
    changes = {"years": [None, ", ".join(str(year) for year in years)], "days_off": [None, days_off],
               "working_days": [None, len(wanted) - days_off]}
    if removed:
        changes["days_removed"] = [None, len(removed)]
    # The log's subject is the schedule (the calendar_days table), not one of its days.
    record_admin_event(actor, "calendar_imported", CalendarDay(), changes)
    _changed_schedule()
    return len(wanted)


def imported_message(rows: Iterable[ScheduleRow]) -> str:
    """What an import of ``rows`` entered, to tell the user."""
    rows = list(rows)
    days_off = sum(1 for row in rows if DayKind(row[1]) == DayKind.HOLIDAY)
    years = ", ".join(str(year) for year in sorted({row[0].year for row in rows}))
    return _("Schedule imported for %(years)s: %(off)d days off and %(worked)d working days.",
             years=years, off=days_off, worked=len(rows) - days_off)


# --- the CSV file (CONTRACTS §7) ------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """A bad line of a schedule file: ``line N: column: reason`` (the header being line 1)."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        if not self.column:
            return _("line %(line)d: %(reason)s", line=self.line, reason=self.reason)
        return _("line %(line)d: %(column)s: %(reason)s", line=self.line, column=self.column, reason=self.reason)


HEADINGS = ("date", "kind", "note")
KIND_WORDS = {"holiday": DayKind.HOLIDAY, "休": DayKind.HOLIDAY, "workday": DayKind.WORKDAY, "班": DayKind.WORKDAY}
DATE_RE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")  # 2027-02-05, or 2027/2/5 as Excel writes it


def parse_schedule_csv(text: str | bytes) -> tuple[list[ScheduleRow], list[Problem]]:
    """Read a schedule file: a header ``date,kind`` (and optionally ``note``), then one day a line, kind
    ``holiday`` or ``workday`` (UTF-8, with or without a BOM).

    Returns the rows and every problem, each bad line named; when there is any problem there are no rows,
    so that nothing of a bad file can be imported."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [Problem(1, "", _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma "
                                         "delimited)”."))]
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        return [], [Problem(1, "", _("The file is not a CSV text file."))]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        # A cell may hold a line break; a spreadsheet still counts its row as one line.
        lines = list(enumerate(reader, start=1))
    except csv.Error:
        line = max(reader.line_num, 1)
        return [], [Problem(line, "", _("The CSV file is malformed near line %(line)d.", line=line))]
    problems: list[Problem] = []
    header = lines[0][1] if lines else []
    columns = _read_header(header, problems)
    if columns is None:
        return [], problems
    rows: list[ScheduleRow] = []
    first_line: dict[dt.date, int] = {}
    for line, cells in lines[1:]:
        row = _read_line(line, cells, columns, problems, first_line)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(Problem(2, "", _("The file holds no days.")))
    return ([] if problems else rows), problems


def _read_header(header: list[str], problems: list[Problem]) -> dict[int, tuple[str | None, str]] | None:
    """Column index → (key, heading as written), the key ``None`` for a column already reported (unknown, or
    twice); ``None`` when the rows cannot be read."""
    columns: dict[int, tuple[str | None, str]] = {}
    seen: dict[str, str] = {}
    unknown: list[Problem] = []
    for index, cell in enumerate(header):
        heading = cell.strip()
        key = heading.lower()
        if key in HEADINGS:
            if key in seen:
                problems.append(Problem(1, heading, _("The same column as “%(other)s”.", other=seen[key])))
                columns[index] = (None, heading)
            else:
                seen[key] = heading
                columns[index] = (key, heading)
        elif heading:
            unknown.append(Problem(1, heading, _("Unknown column.")))
            columns[index] = (None, heading)
    if not seen:  # a file without its header, or no CSV at all: each column would only repeat the news
        problems.append(Problem(1, "", _("The first line must hold the column headings.")))
        return None
    problems.extend(unknown)
    missing = [key for key in ("date", "kind") if key not in seen]
    for key in missing:
        problems.append(Problem(1, key, _("Required column missing.")))
    return None if missing else columns


def _read_line(line: int, cells: list[str], columns: dict[int, tuple[str | None, str]], problems: list[Problem],
               first_line: dict[dt.date, int]) -> ScheduleRow | None:
    if not any(cell.strip() for cell in cells):
        return None  # spreadsheets keep blank lines at the end; they are no days
    values: dict[str, str] = {}
    headings = {key: heading for key, heading in columns.values() if key}
    found = len(problems)
    for index, cell in enumerate(cells):
        if index in columns:
            key = columns[index][0]
            if key:
                values[key] = cell.strip()
        elif cell.strip():
            problems.append(Problem(line, _("column %(number)d", number=index + 1),
                                    _("A value in a column without a heading.")))
    day = _read_date(line, values.get("date", ""), headings["date"], problems)
    kind = _read_kind(line, values.get("kind", ""), headings["kind"], problems)
    note = values.get("note", "")
    if len(note) > NOTE_LENGTH:
        problems.append(Problem(line, headings["note"], _("Too long: at most %(max)d characters.", max=NOTE_LENGTH)))
    if day is not None:
        if day in first_line:
            problems.append(Problem(line, headings["date"], _("Already on line %(line)d.", line=first_line[day])))
        else:
            first_line[day] = line
    if day is not None and kind is not None:
        try:
            _check_day(day, kind)
        except Refused as refused:
            problems.append(Problem(line, headings["kind" if refused.field == "kind" else "date"],
                                    str(refused.message)))
    return ScheduleRow(day, kind, note) if len(problems) == found else None


def _read_date(line: int, value: str, heading: str, problems: list[Problem]) -> dt.date | None:
    if not value:
        problems.append(Problem(line, heading, _("This field is required.")))
        return None
    match = DATE_RE.match(value)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass  # 2027-02-30
    problems.append(Problem(line, heading, _("Not a date (YYYY-MM-DD): “%(value)s”.", value=_shown(value))))
    return None


def _read_kind(line: int, value: str, heading: str, problems: list[Problem]) -> DayKind | None:
    if not value:
        problems.append(Problem(line, heading, _("This field is required.")))
        return None
    kind = KIND_WORDS.get(value.lower())
    if kind is None:
        problems.append(Problem(line, heading, _("Not holiday or workday (休 or 班): “%(value)s”.",
                                                 value=_shown(value))))
    return kind


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


# --- a year as the app counts it ------------------------------------------------------------------

@dataclass(frozen=True)
class ScheduledDay:
    """A day that is off or worked otherwise than Monday to Friday, or that some source names."""

    day: dt.date
    working: bool
    source: str          # "office", "package" or "statutory": the one that decides (in that order)
    festival: str = ""   # in the user's language, where known
    note: str = ""       # the office's note

    @property
    def source_label(self) -> str:
        return str(SOURCES[self.source])

    @property
    def kind_label(self) -> str:
        return str((DayKind.WORKDAY if self.working else DayKind.HOLIDAY).label)

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5

    @property
    def entered(self) -> bool:
        """The office's own entry (which it may remove)."""
        return self.source == "office"


def _package_festival(day: dt.date) -> str:
    _holiday, name = chinese_calendar.get_holiday_detail(day)
    if not name:
        return ""
    if name in PACKAGE_FESTIVALS:
        return festival_name(PACKAGE_FESTIVALS[name])
    try:
        return chinese_calendar.Holiday(name).chinese
    except ValueError:
        return name


def year_schedule(year: int) -> list[ScheduledDay]:
    """The year's days off and worked days as :mod:`~mediation.calendar.working` counts them: every statutory
    holiday, every day of the published schedule, every office entry (each with the source that decides
    it, the festival's name where known, and the office's note)."""
    statutory = statutory_holidays(year)
    package = {day for day in chinese_calendar.holidays if day.year == year} | {
        day for day in chinese_calendar.workdays if day.year == year}
    office = {entry.day: entry for entry in _entries([year])}
    found = []
    for day in sorted(set(statutory) | package | set(office)):
        source = "office" if day in office else "package" if day in package else "statutory"
        if day in statutory:
            festival = festival_name(statutory[day])
        elif day in package:
            festival = _package_festival(day)
        else:
            festival = ""
        found.append(ScheduledDay(day=day, working=working.is_working_day(day), source=source, festival=festival,
                                  note=office[day].note if day in office else ""))
    return found


def schedule_entered(year: int) -> bool:
    """Whether the State Council's schedule for ``year`` is known: the office has entries for it, or the
    ``chinesecalendar`` package publishes it."""
    if working.published_by_package(year):
        return True
    return db.session.scalar(sa.select(CalendarDay.day).where(
        CalendarDay.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31))).limit(1)) is not None


def next_year_notice(today: dt.date) -> int | None:
    """From 1 November: next year, when its schedule is not entered yet (else ``None``)."""
    if today.month < NOTICE_FROM_MONTH:
        return None
    year = today.year + 1
    return None if schedule_entered(year) else year
