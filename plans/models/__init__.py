from .documents import Plan, PlanVersion, Section, Theme, VersionEvent
from .funding import Allocation, Fund
from .notices import PartnershipLogo, PublicNotice
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
    "PartnershipLogo",
    "Plan",
    "PlanVersion",
    "PublicNotice",
    "Risk",
    "Section",
    "Theme",
    "VersionEvent",
]
