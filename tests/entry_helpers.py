"""Posting the officer's entry page the way the browser does: every field of every item."""


def entry_url(cast) -> str:
    return f"/returns/{cast.period.pk}/{cast.police.pk}/"


def entry_form_data(response, **changes) -> dict:
    """The form as shown on the page (its initial values, or what was typed), with `changes`
    applied.

    `changes` keys are field names like "returns-12-value" or "updates-3-progress".
    """
    data = {}
    for kind in ("returns", "updates"):
        for form in response.context[kind].forms:
            for name in form.fields:
                value = form[name].value()  # what the page shows, typed or initial
                data[form.add_prefix(name)] = "" if value is None else value
    data.update(changes)
    return data


def field(cast_indicator_or_row, name: str) -> str:
    """The posted name of one item's field."""
    kind = "returns" if hasattr(cast_indicator_or_row, "unit") else "updates"
    return f"{kind}-{cast_indicator_or_row.pk}-{name}"
