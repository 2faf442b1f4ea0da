"""From a person's folded state to the answers: statuses, requirement trees, explanations."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, cast

from .._model.issuer import Contact
from .._model.program import CERTIFIED, NOT_ENROLLED, ON_HOLD, WITHDRAWN
from .._model.requirements import Measure
from .certificates import periods
from .context import LeafContext
from .fold import Folder
from .state import EnrolmentState, PersonState
from .status import Certificate, Explanation, Problem, Progress, TraineeStatus


class Answers:
    """Builds the output models from state; measures leaves through the fold's own context.

    :param people: how to name each person (`Contact`s by id), where known.
    """

    def __init__(self, folder: Folder, people: Mapping[str, Contact] | None = None) -> None:
        self.folder = folder
        self.people: Mapping[str, Contact] = people if people is not None else {}

    def status(
        self,
        ps: PersonState,
        enrolment: EnrolmentState | None,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
        revoked: list[Certificate] = (),  # type: ignore[assignment]
        orphans: bool = True,
        today: date | None = None,
    ) -> TraineeStatus:
        """One enrolment's status (or a person with none); `orphans`: include the problems
        that belong to no enrolment."""
        profile = self.people.get(ps.id)
        person: dict[str, Any] = {
            "id": ps.id,
            **(profile.model_dump(exclude={"id"}) if profile is not None else {}),
            "as_of": as_of,
            "known_at": known_at,
        }
        problems = list(ps.problems) if orphans else []
        if enrolment is None:
            return TraineeStatus(
                **person, program=None, version=None, track=None, stage=NOT_ENROLLED,
                stage_title="Not enrolled", certified=False, certificates=[], missing=[],
                problems=_problems(problems),
            )
        event = enrolment.enrolment
        program = enrolment.program
        horizon = as_of or today or date.today()
        held = enrolment.comp.held_states.get(enrolment.state)
        stage = ON_HOLD if held is not None else enrolment.state
        current = enrolment.comp.stage_index(enrolment.state)
        missing = []
        blockers: list[Problem] = []
        if current is not None:
            missing = [
                p for p in self._roots(ps, enrolment, current, horizon, trace=False) if not p.met
            ]
            blockers = self._blockers(ps, enrolment, current, horizon)
        return TraineeStatus(
            **person,
            credential=event.credential, trainer=event.trainer, co_leader=event.co_leader,
            program=program.key, version=program.version, track=event.track, enrolled_on=event.on,
            stage=stage, stage_title=_title(enrolment),
            held_stage=enrolment.comp.stage_keys[held] if held is not None else None,
            certified=enrolment.certified,
            certificates=[*self.certificates(enrolment, horizon), *revoked],
            missing=missing,
            problems=[*blockers, *_problems([*problems, *enrolment.problems])],
        )

    def _blockers(
        self, ps: PersonState, enrolment: EnrolmentState, stage: int, horizon: date
    ) -> list[Problem]:
        """Unmet requirements of the stage that only the enrolment itself can change."""
        out = []
        context = LeafContext(ps, enrolment, horizon, self.folder.directory)
        key = enrolment.comp.stage_keys[stage]
        for index in enrolment.comp.context_leaves[stage]:
            if enrolment.done(index):
                continue
            leaf = enrolment.comp.nodes[index].leaf
            assert leaf is not None
            found = leaf.blocker(self.folder.measure(ps, enrolment, index, horizon), context)
            if found is not None:
                field, reason = found
                out.append(Problem(event=enrolment.enrolment.id, on=enrolment.enrolment.on,
                                   reason=f"stage {key} {reason}", field=field))
        return out

    def certificates(self, enrolment: EnrolmentState, horizon: date) -> list[Certificate]:
        """Every certificate period of the enrolment, with its standing on `horizon`."""
        out = []
        spans = list(periods(enrolment))
        for i, period in enumerate(spans):
            renewed = any(later.stage == period.stage and later.renewal for later in spans[i + 1 :])
            if renewed:
                status = "renewed"
            elif period.expires is not None and horizon >= period.expires:
                status = "expired"
            else:
                status = "valid"
            out.append(Certificate(
                stage=period.stage, title=period.title, on=period.issued, event=period.event,
                expires=period.expires, status=status,
            ))
        return out

    def explanation(self, ps: PersonState, enrolment: EnrolmentState | None, status: TraineeStatus,
                    horizon: date, cohort: str | None = None) -> Explanation:
        """Every requirement of the current stage (and of stages open early), with the dates."""
        if enrolment is None:
            return Explanation(status=status, cohort=cohort, requirements=[])
        comp = enrolment.comp
        program = enrolment.program
        current = comp.stage_index(enrolment.state)
        requirements: list[Progress] = []
        upcoming: list[Progress] = []
        renewal: list[Progress] = []
        next_stage = next_title = next_cert = None
        if current is not None:
            requirements = self._roots(ps, enrolment, current, horizon, trace=True)
            for later in range(current + 1, len(program.stages)):
                if enrolment.opened_on[later] is not None:
                    upcoming += self._roots(ps, enrolment, later, horizon, trace=True)
            following = program.stages[current + 1 :]
            next_stage, next_title = (
                (following[0].key, following[0].title) if following else (CERTIFIED, "Certified")
            )
            cert = program.stages[current].certificate
            next_cert = cert.title if cert else None
        elif enrolment.certified and comp.roots[comp.renewal_stage]:
            renewal = self._roots(ps, enrolment, comp.renewal_stage, horizon, trace=True)
        return Explanation(
            status=status, cohort=cohort,
            stage=program.stages[current].key if current is not None else None,
            requirements=requirements, upcoming=upcoming, renewal=renewal,
            next_stage=next_stage, next_title=next_title, next_certificate=next_cert,
        )

    def stages(
        self, ps: PersonState, enrolment: EnrolmentState, horizon: date
    ) -> dict[str, list[Progress]]:
        """Every stage's requirements (and the renewal's), with the days that counted: what a
        certificate's evidence is made of. `ps` must come from a traced fold."""
        comp = enrolment.comp
        out = {
            key: self._roots(ps, enrolment, i, horizon, trace=True) for i, key in enumerate(comp.stage_keys)
        }
        if comp.roots[comp.renewal_stage]:
            out["renewal"] = self._roots(ps, enrolment, comp.renewal_stage, horizon, trace=True)
        return out

    def _roots(self, ps: PersonState, enrolment: EnrolmentState, stage: int, horizon: date,
               *, trace: bool) -> list[Progress]:
        return [self._node(ps, enrolment, r, horizon, trace) for r in enrolment.comp.roots[stage]]

    def _node(self, ps: PersonState, enrolment: EnrolmentState, index: int, horizon: date,
              trace: bool) -> Progress:
        comp = enrolment.comp
        cn = comp.nodes[index]
        node = cn.node
        stage_key = comp.stage_keys[cn.stage] if cn.stage < comp.renewal_stage else "renewal"
        children = [self._node(ps, enrolment, c, horizon, trace) for c in cn.children]
        if cn.leaf is not None:
            measure = self.folder.measure(ps, enrolment, index, horizon)
            if index in comp.context_index and measure.met != enrolment.met[index]:
                # Read from the enrolment, it counts as the fold last measured it.
                met = bool(enrolment.met[index])
                measure = Measure(measure.need if met else 0, measure.need, met,
                                  None if met else "not held when last measured")
        else:
            combine = cast("Any", node).combine
            measure = combine([Measure(c.have, c.need, c.met or c.waived) for c in children])
        gates = [comp.nodes[g].node.node_key for g in cn.gates if enrolment.met_on[g] is None]
        window = node.window.describe() if node.window is not None else None
        dates = (enrolment.trace or {}).get(index, []) if trace else []
        waived = index in enrolment.waived
        return Progress(  # met as the fold found it: what held the stage; have/need as of the day
            stage=stage_key, requirement=node.node_key, kind=node.kind, title=node.label(),
            have=measure.have, need=measure.need, met=enrolment.done(index), waived=waived,
            reason=measure.reason, window=window,
            opens=f"opens when {' and '.join(gates)} {'is' if len(gates) == 1 else 'are'} met"
            if gates else None,
            source=node.source, note=node.note, dates=list(dates), children=children,
        )


def _title(enrolment: EnrolmentState) -> str:
    state = enrolment.state
    if state == CERTIFIED:
        return "Certified"
    if state == WITHDRAWN:
        return "Withdrawn"
    comp = enrolment.comp
    held = comp.held_states.get(state)
    if held is not None:
        return f"On hold ({enrolment.program.stages[held].title})"
    return enrolment.program.stages[comp.index_of_state[state]].title


def _problems(entries: list[tuple[date, str, str]]) -> list[Problem]:
    return [Problem(event=e, on=on, reason=r) for on, e, r in sorted(entries)]
