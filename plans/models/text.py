from django.core.validators import MaxLengthValidator
from django.db import models

# How long free text may be: generous for what people write, bounded so that nothing pasted by
# mistake (a whole document, a megabyte of commentary) is stored and copied into history.
NARRATIVE = 20_000  # a section, or a part of a priority: pages of a plan
NOTE = 5_000  # commentary, progress, reasons, descriptions
LINE = 2_000  # an action, an outcome, a data line

TOO_LONG = "Shorten this to %(limit_value)d characters or fewer (it has %(show_value)d)."


def bounded_text(limit: int, *args, **kwargs) -> models.TextField:
    """A TextField whose length is checked wherever the model is validated (forms, the admin,
    imports), not only by the browser."""
    return models.TextField(
        *args, max_length=limit, validators=[MaxLengthValidator(limit, TOO_LONG)], **kwargs
    )
