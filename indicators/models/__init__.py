from .indicators import Indicator, IndicatorTarget
from .periods import ReportingPeriod
from .returns import Return
from .workflow import EDITABLE_STATUSES, ReviewedSubmission, SubmissionStatus

__all__ = [
    "EDITABLE_STATUSES",
    "Indicator",
    "IndicatorTarget",
    "ReportingPeriod",
    "Return",
    "ReviewedSubmission",
    "SubmissionStatus",
]
