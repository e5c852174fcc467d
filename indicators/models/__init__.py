from .comparators import Comparator
from .indicators import Indicator, IndicatorTarget
from .periods import ReportingPeriod
from .returns import Return
from .workflow import (
    EDITABLE_STATUSES,
    SENT_IN_STATUSES,
    DecisionRefused,
    ReviewedSubmission,
    SubmissionQuerySet,
    SubmissionStatus,
)

__all__ = [
    "EDITABLE_STATUSES",
    "SENT_IN_STATUSES",
    "Comparator",
    "DecisionRefused",
    "Indicator",
    "IndicatorTarget",
    "ReportingPeriod",
    "Return",
    "ReviewedSubmission",
    "SubmissionQuerySet",
    "SubmissionStatus",
]
