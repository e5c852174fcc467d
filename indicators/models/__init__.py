from .indicators import Indicator, IndicatorTarget
from .periods import ReportingPeriod
from .returns import Return
from .workflow import (
    EDITABLE_STATUSES,
    SENT_IN_STATUSES,
    ReviewedSubmission,
    SubmissionQuerySet,
    SubmissionStatus,
)

__all__ = [
    "EDITABLE_STATUSES",
    "SENT_IN_STATUSES",
    "Indicator",
    "IndicatorTarget",
    "ReportingPeriod",
    "Return",
    "ReviewedSubmission",
    "SubmissionQuerySet",
    "SubmissionStatus",
]
