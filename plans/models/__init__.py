from .documents import Plan, PlanVersion, Section, Theme, VersionEvent
from .funding import Allocation, Fund
from .partnerships import Area, AreaGroup, Membership, Organisation, Partnership
from .risks import Risk

__all__ = [
    "Allocation",
    "Area",
    "AreaGroup",
    "Fund",
    "Membership",
    "Organisation",
    "Partnership",
    "Plan",
    "PlanVersion",
    "Risk",
    "Section",
    "Theme",
    "VersionEvent",
]
