"""Parents' completion: who finished the series, who missed too many sessions, and their record."""

from __future__ import annotations

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
    series = rules.series_for(group.kind, SessionKind.group) if rules else None
    over = series_over(group, rules)
    held = [s for _, s in group.group_sessions()]
    delivered = series is None or len(held) >= series.count.min
    makeups_allowed = attendance is not None and attendance.makeup
    out = []
    for p in group.participants:
        absences = [s.on for s in held if p.id in s.absent]
        made_up = [
            s.on for s in group.sessions
            if s.makeup and makeups_allowed and p.id in s.participants and p.id not in s.absent
        ]
        missed = max(len(absences) - len(made_up), 0)
        present = sorted(
            [s.on for s in held if p.id not in s.absent]
            + [s.on for s in individual_sessions(group, p.id)]
            + made_up
        )
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
        elif not present:
            status = "not_completed"
            reason = "attended no session"
        else:
            status = "completed"
            limit = f" (at most {allowed} allowed)" if allowed is not None else ""
            reason = f"completed: missed {missed} of {counted(len(held), 'session')}{limit}"
            source = attendance.source if attendance else None
            certificate = CompletionCertificate(
                issued_by=group.agency, court_ordered=court, first_session=present[0],
                last_session=present[-1], on=max(s.on for s in group.sessions),
            )
        out.append(ParentCompletion(
            id=p.id, parent=p.parent, status=status, completed=status == "completed", missed=missed,
            absences=absences, attended=len(held) - len(absences), sessions=len(held), allowed_missed=allowed,
            court_ordered=court, first_attended=present[0] if present else None,
            last_attended=present[-1] if present else None, certificate=certificate,
            reason=reason, source=source,
        ))
    return out
