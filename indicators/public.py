"""The published-only query path for figures: public pages show approved returns, nothing else."""

from .models import Return


def public_figures():
    """Approved whole-area figures, newest quarter first, with their quarter."""
    return Return.objects.public().whole_area().select_related("reporting_period").newest_first()
