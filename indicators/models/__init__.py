from .indicators import Indicator, IndicatorTarget
from .periods import ReportingPeriod
from .returns import Return
from .workflow import ReviewedSubmission, SubmissionStatus

__all__ = [
    "Indicator",
    "IndicatorTarget",
    "ReportingPeriod",
    "Return",
    "ReviewedSubmission",
    "SubmissionStatus",
]
