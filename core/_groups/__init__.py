"""Groups: who facilitates them, who takes part, which sessions were held, and who completed.

A group is data from the cohort file (`tables`, `people`): facilitators (trainees and staff),
the trainees taking part or leading, parent-child dyads, and its sessions with who was absent.
A program declares the rules its groups follow as `GroupRules` in its definition (`rules`,
``[groups]`` in program.toml). A group whose ids do not resolve is refused (`references`);
`check_group` judges the rest against the rules (`composition`, `ages`, `series`), and plugins
add rules data cannot express through the ``facilitrack_check_group`` hook. Every problem names
its rule and the rule's source.

From the same sessions come two results (`results`):

* parents' completion (`completion`): a parent who misses more sessions than the program
  allows has not completed; one who completes gets a record with the dates of their first and
  last session and the certificate the delivering agency issues;
* trainees' credit (`credits`): each session credits the trainees present with an ``attended``
  event of the activity the program's rules name for the group's kind, under an id made of
  group, date and trainee, so importing the same file twice records nothing new.

`report_group` (`report`) does all of it for one group.
"""

from .._model.group_results import (
    CompletionCertificate,
    CompletionStatus,
    GroupProblem,
    GroupReport,
    ParentCompletion,
    TraineeCredit,
)
from .._model.group_rules import (
    ALL_KINDS,
    AgeBand,
    AgeRule,
    AttendanceRule,
    Bounds,
    ChildTeamRule,
    CourtOrderedRule,
    FacilitatorRule,
    GroupKind,
    GroupRules,
    PairingRule,
    RuleLine,
    SeriesRule,
    SessionKind,
    SizeRule,
    describe_rules,
)
from .._model.groups import Group, GroupError, GroupSession, Participant
from .._model.people import Person, StaffMember, people_index
from .ages import whole_months
from .completion import parent_completions
from .composition import check_group
from .credits import group_events, session_credits, session_event_id, trainee_credits
from .references import validate_group, validate_groups
from .report import report_group
from .series import series_over

__all__ = [
    "ALL_KINDS",
    "AgeBand",
    "AgeRule",
    "AttendanceRule",
    "Bounds",
    "ChildTeamRule",
    "CompletionCertificate",
    "CompletionStatus",
    "CourtOrderedRule",
    "FacilitatorRule",
    "Group",
    "GroupError",
    "GroupKind",
    "GroupProblem",
    "GroupReport",
    "GroupRules",
    "GroupSession",
    "PairingRule",
    "ParentCompletion",
    "Participant",
    "Person",
    "RuleLine",
    "SeriesRule",
    "SessionKind",
    "SizeRule",
    "StaffMember",
    "TraineeCredit",
    "check_group",
    "describe_rules",
    "group_events",
    "parent_completions",
    "people_index",
    "report_group",
    "series_over",
    "session_credits",
    "session_event_id",
    "trainee_credits",
    "validate_group",
    "validate_groups",
    "whole_months",
]
