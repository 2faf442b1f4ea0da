"""Parents' completion: who finished the series, who missed too many sessions, and their record.

Which sessions date a parent's record is the program's choice (`CompletionRule`): any session
the parent was at (facilitrack 0.1's reading), or only the series' regular group sessions, so
that a make-up or an individual session never becomes a parent's first or last session. A
program that holds no individual sessions (`IndividualRule`, RPP) counts none as attendance.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .._model.group_results import CompletionCertificate, CompletionStatus, ParentCompletion
from .._model.group_rules import SessionKind
from .._model.groups import Group
from .._text import counted
from .series import individual_sessions, series_over

if TYPE_CHECKING:
    from .._model.program import Program


def parent_completions(group: Group, program: Program) -> list[ParentCompletion]:
    """Each parent's attendance and completion, in the order the group lists them."""
    rules = program.groups
    attendance = rules.attendance if rules else None
    series = rules.series_for(group.kind, SessionKind.group, group.format) if rules else None
    over = series_over(group, rules)
    held = [s for _, s in group.group_sessions()]
    delivered = series is None or len(held) >= series.count.min
    makeups_allowed = attendance is not None and attendance.makeup
    individual_allowed = rules is None or rules.individual is None or rules.individual.allowed
    by_group_sessions = (
        rules is not None and rules.completion is not None and rules.completion.dated_by == "group_sessions"
    )
    out = []
    for p in group.participants:
        absences = [s.on for s in held if p.id in s.absent]
        made_up = [
            s.on for s in group.sessions
            if s.makeup and makeups_allowed and p.id in s.participants and p.id not in s.absent
        ]
        missed = max(len(absences) - len(made_up), 0)
        in_group = [s.on for s in held if p.id not in s.absent]
        individual = [s.on for s in individual_sessions(group, p.id)] if individual_allowed else []
        present = sorted(in_group + individual + made_up)
        dated_by = sorted(in_group) if by_group_sessions else present
        allowed = attendance.max_missed if attendance else None
        court = group.court_ordered_for(p)
        status: CompletionStatus
        certificate = None
        source = None
        if allowed is not None and missed > allowed:
            status, source = "not_completed", attendance.source if attendance else None
            dates = ", ".join(d.isoformat() for d in absences)
            reason = (f"missed {counted(missed, 'session')} ({dates}); more than {allowed} missed:"
                      " not completed")
        elif not over:
            status = "in_progress"
            reason = f"series in progress: {counted(len(held), 'session')} held, {missed} missed"
        elif not delivered:
            assert series is not None
            status, source = "not_completed", series.source
            reason = f"the series ended after {len(held)} of {counted(series.count.min, 'session')}"
        elif not present or not dated_by:
            status = "not_completed"
            reason = "attended no session" if not present else "attended no group session of the series"
        else:
            status = "completed"
            limit = f" (at most {allowed} allowed)" if allowed is not None else ""
            reason = f"completed: missed {missed} of {counted(len(held), 'session')}{limit}"
            source = attendance.source if attendance else None
            certificate = CompletionCertificate(
                issued_by=group.agency, court_ordered=court, first_session=dated_by[0],
                last_session=dated_by[-1], on=_series_end(group, by_group_sessions),
            )
        out.append(ParentCompletion(
            id=p.id, parent=p.parent, status=status, completed=status == "completed", missed=missed,
            absences=absences, attended=len(held) - len(absences), sessions=len(held), allowed_missed=allowed,
            court_ordered=court, first_attended=dated_by[0] if dated_by else None,
            last_attended=dated_by[-1] if dated_by else None, certificate=certificate,
            reason=reason, source=source,
        ))
    return out


def _series_end(group: Group, by_group_sessions: bool) -> date:
    """The day the series ended: its last regular group session, or (0.1) any last session."""
    if by_group_sessions:
        return max(s.on for _, s in group.group_sessions())
    return max(s.on for s in group.sessions)
