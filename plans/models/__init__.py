from .documents import Plan, PlanVersion, Section, Theme
from .funding import Allocation, Fund
from .partnerships import Area, Membership, Organisation, Partnership
from .risks import Risk

__all__ = [
    "Allocation",
    "Area",
    "Fund",
    "Membership",
    "Organisation",
    "Partnership",
    "Plan",
    "PlanVersion",
    "Risk",
    "Section",
    "Theme",
]
