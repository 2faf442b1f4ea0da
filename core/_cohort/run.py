"""A cohort read and run: its events recorded in an engine, and what it reports.

`read_cohort` parses the text (`parse_cohort`), then records the events in an in-memory engine,
whose refusals are placed back on their rows; the `Cohort` it returns answers where everyone is
(`Cohort.report`), what one trainee is missing (`Cohort.explain`) and how its groups stand.
A row repeating a group session's credit is a problem, since it would count the session twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from pathlib import Path

from .._engine.engine import Engine
from .._engine.status import Explanation, Problem, TraineeStatus
from .._errors import InvalidEventError, UnknownKeyError, did_you_mean
from .._groups import report_group
from .._host.plugins import Hooks, PluginHost, load_plugins
from .._model.events import Attended, Event
from .._model.people import Person
from .._progress import step
from .._report import CohortReport, GroupsReport, summarise
from .._text import display_path
from .._toml import read_text
from .events import Located
from .parse import ParsedCohort, parse_cohort
from .places import Places


def read_cohort(text: str, path: str | Path, *, host: PluginHost | None = None) -> Cohort:
    """Read cohort TOML `text` that came from `path` (relative program files resolve there)."""
    host = host or load_plugins()
    parsed = parse_cohort(text, path, host=host)
    engine = Engine(parsed.registry, hooks=host.hooks, people=parsed.doc.contacts())
    step(f"recording {len(parsed.located):,} events")
    record(engine, parsed.located, parsed.places)
    return Cohort(
        **{f.name: getattr(parsed, f.name) for f in fields(ParsedCohort)},
        engine=engine, plugin_problems=[str(p) for p in host.problems], hooks=host.hooks,
    )


def load_cohort(path: str | Path, *, host: PluginHost | None = None) -> Cohort:
    """Read and run a cohort file; every error names the file and the place in it."""
    path = Path(path)
    step(f"reading {display_path(path)}")
    return read_cohort(read_text(path), path, host=host)


def run_cohort(
    path: str | Path, as_of: date | None = None, *, host: PluginHost | None = None
) -> CohortReport:
    """Where every trainee of the cohort file at `path` stands, as of `as_of` (default: all)."""
    return load_cohort(path, host=host).report(as_of)


def record_batches(events: Iterable[Event]) -> list[list[Event]]:
    """The three batches a cohort is recorded in: enrolments and people; every dated event, in
    date order; voids, last so they can name any row.

    The dated events go as one batch, so each trainee is folded once rather than once a day,
    while validation hooks still see each event with the state just before it in fold order;
    the voids follow, so that state still held the events they void. Their order is the
    store's arrival order.
    """
    first: list[Event] = []
    days: dict[date, list[Event]] = {}
    voids: list[Event] = []
    for event in events:  # one pass, told apart by kind: this runs once per row of a large file
        kind = event.kind
        if kind in ("enrolled", "person"):
            first.append(event)
        elif kind == "voided":
            voids.append(event)
        else:
            days.setdefault(event.on, []).append(event)
    return [first, [e for d in sorted(days) for e in days[d]], voids]


def record(engine: Engine, located: Sequence[Located], places: Places) -> None:
    """Record `located` in `record_batches`; a refusal names the row its event came from."""
    where = {item.event.id: item.where for item in located}
    try:
        for batch in record_batches(item.event for item in located):
            if batch:
                engine.record(batch)
    except (UnknownKeyError, InvalidEventError) as exc:
        event_id = getattr(exc.event, "id", None)
        if event_id in where:
            raise places.place(exc, where[event_id]) from None
        raise


@dataclass(kw_only=True)
class Cohort(ParsedCohort):
    """A cohort file read and run: its rows, its program, and an engine holding its events."""

    engine: Engine
    plugin_problems: list[str] = field(default_factory=list)
    hooks: Hooks | None = field(default=None, repr=False)

    def group_reports(self) -> GroupsReport:
        """Each ``[[groups]]`` table judged: the rules it breaks (placed as ``groups[0]...``),
        every parent's attendance and completion, and the sessions credited to each trainee."""
        step(f"judging {len(self.doc.groups):,} groups")
        people = self.people_certified()
        return GroupsReport(
            cohort=self.doc.cohort.name, file=display_path(self.path), program=self.program.key,
            version=self.program.version,
            groups=[
                report_group(group, self.program, people, hooks=self.hooks, where=f"groups[{g}]")
                for g, group in enumerate(self.doc.groups)
            ],
        )

    def people_certified(self) -> dict[str, Person]:
        """The people groups may name, each trainee with the day the journal certified them in
        the cohort's program (a role the program grants ``by_certification`` follows from it)."""
        people = dict(self.people)
        for row in self.doc.trainees:
            person = people.get(row.id)
            if person is None or not person.trainee:
                continue
            ps = self.engine.state(row.id)
            certified = [e.completed[-1][1] for e in ps.enrolments
                         if e.program.key == self.program.key and e.certified and e.completed]
            if certified:
                people[row.id] = person.model_copy(update={"certified_on": min(certified)})
        return people

    def trainee_row(self, trainee: str) -> int:
        """A trainee's position in ``[[trainees]]``; unknown ids raise with the nearest one."""
        for i, row in enumerate(self.doc.trainees):
            if row.id == trainee:
                return i
        ids = [t.id for t in self.doc.trainees]
        raise UnknownKeyError(
            f"no trainee {trainee!r} in this cohort", where=self.path, fix=did_you_mean(trainee, ids)
        )

    def report(self, as_of: date | None = None) -> CohortReport:
        """Every trainee's stage, certificates, what is missing and any problems."""
        step(f"reporting on {len(self.doc.trainees):,} trainees")
        trainees = [
            self._placed(i, self.engine.status(row.id, as_of=as_of), as_of)
            for i, row in enumerate(self.doc.trainees)
        ]
        header = self.doc.cohort
        return CohortReport(
            cohort=summarise(header.name, display_path(self.path), [self.program], trainees,
                             as_of=as_of, track=header.track, issuer=self.doc.issuer),
            trainees=trainees,
        )

    def explain(self, trainee: str, as_of: date | None = None) -> Explanation:
        """Each requirement of the trainee's current stage, the dates that counted, what is next."""
        i = self.trainee_row(trainee)
        expl = self.engine.explain(trainee, as_of=as_of)
        return expl.model_copy(update={"cohort": self.doc.cohort.name,
                                       "status": self._placed(i, expl.status, as_of)})

    def _placed(self, index: int, st: TraineeStatus, as_of: date | None) -> TraineeStatus:
        """The status with each problem placed on the row of the file it comes from."""
        problems = [p for p in self._credited_twice.get(st.id, []) if as_of is None or p.on <= as_of]
        for p in st.problems:
            where = f"trainees[{index}].{p.field}" if p.field else self._rows.get(p.event or "")
            problems.append(p.model_copy(update={"where": where}))
        return st.model_copy(update={"problems": problems})

    @cached_property
    def _rows(self) -> dict[str, str]:
        """The row each event came from, by event id."""
        return {x.event.id: x.where for x in self.located}

    @cached_property
    def _credited_twice(self) -> dict[str, list[Problem]]:
        """``attended`` rows repeating a group session's credit (same trainee, day, activity), by trainee.

        Both count, so the session would be credited twice; most likely the row predates the group.
        """
        attended = [(x.where, x.event) for x in self.located if isinstance(x.event, Attended)]
        by_group = {
            (event.trainee, event.on, event.activity): where
            for where, event in attended if where.startswith("groups[")
        }
        out: dict[str, list[Problem]] = {}
        for where, event in attended:
            group = by_group.get((event.trainee, event.on, event.activity))
            if group is not None and where.startswith("events["):
                out.setdefault(event.trainee, []).append(Problem(
                    where=where, event=event.id, on=event.on,
                    reason=f"{event.activity} on {event.on} is also credited by {group} (a group"
                    " session): both count; delete the row, or list the trainee absent there",
                ))
        return out
