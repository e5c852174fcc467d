"""The entry page's boxes in GOV.UK markup, written out here rather than by templates: a page
of a hundred items has six hundred boxes, and a template per box (the form library's, or an
include) costs about 2 ms an item, most of a page's time."""

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

KINDS = {"input": "govuk-input", "textarea": "govuk-textarea", "select": "govuk-select"}


@register.simple_tag
def box(field, kind="input", width="govuk-input--width-10", inputmode="", rows=3, tight=False):
    """One bound field as a GOV.UK form group: label, hint, error message and the box (a text
    input, a textarea or a select), the box described by its hint and its error. `tight`
    leaves less room below it, for the boxes side by side with an item's other figures."""
    box_id, errors, hint = field.auto_id, field.errors, field.help_text
    described = " ".join(
        name for name, shown in ((f"{box_id}-hint", hint), (f"{box_id}-error", errors)) if shown
    )
    parts = [
        format_html(
            '<label class="govuk-label govuk-!-font-size-16" for="{}">{}</label>',
            box_id,
            field.label,
        )
    ]
    if hint:
        parts.append(
            format_html(
                '<div class="govuk-hint govuk-!-font-size-16" id="{}-hint">{}</div>', box_id, hint
            )
        )
    if errors:
        parts.append(
            format_html(
                '<p class="govuk-error-message" id="{}-error"><span class="govuk-visually-hidden">'
                "Error:</span> {}</p>",
                box_id,
                mark_safe("<br>".join(conditional_escape(message) for message in errors)),
            )
        )
    css = KINDS[kind] + (f" {KINDS[kind]}--error" if errors else "")
    common = format_html(
        'class="{}" id="{}" name="{}"{}',
        f"{css} {width}" if kind == "input" else css,
        box_id,
        field.html_name,
        format_html(' aria-describedby="{}"', described) if described else "",
    )
    value = field.value()
    value = "" if value is None else value
    if kind == "textarea":
        parts.append(format_html('<textarea {} rows="{}">\n{}</textarea>', common, rows, value))
    elif kind == "select":
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (choice, mark_safe(" selected") if str(choice) == str(value) else "", label)
                for choice, label in field.field.choices
            ),
        )
        parts.append(format_html("<select {}>{}</select>", common, options))
    else:
        parts.append(
            format_html(
                '<input {} type="text" value="{}" spellcheck="false" autocomplete="off"{}>',
                common,
                value,
                format_html(' inputmode="{}"', inputmode) if inputmode else "",
            )
        )
    group = "govuk-form-group govuk-form-group--error" if errors else "govuk-form-group"
    if tight:
        group += " govuk-!-margin-bottom-2"
    return format_html('<div class="{}">{}</div>', group, mark_safe("".join(parts)))
