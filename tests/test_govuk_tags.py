"""The shared GOV.UK markup: table headers, banners, warnings and the error summary."""

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_table_head_writes_one_header_per_column_with_modifiers():
    html = render('{% table_head "Agency" "Due|numeric" "Action|app-wide" %}')

    assert html.count('<th scope="col"') == 3
    assert '<th scope="col" class="govuk-table__header">Agency</th>' in html
    assert 'class="govuk-table__header govuk-table__header--numeric">Due</th>' in html
    assert 'class="govuk-table__header app-wide">Action</th>' in html


def test_warning_text_wraps_its_body_and_keeps_links():
    html = render(
        '{% warning_text %}Replaced. <a href="{{ url }}">Read the current one</a>.'
        "{% endwarning_text %}",
        url="/plan/",
    )

    assert 'class="govuk-warning-text"' in html
    assert '<span class="govuk-visually-hidden">Warning</span>Replaced. <a href="/plan/">' in html


def test_warning_text_escapes_what_it_is_given():
    html = render("{% warning_text %}{{ label }}{% endwarning_text %}", label="<script>")

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_notification_banner_labels_itself_and_says_success():
    html = render(
        '{% notification_banner title="Success" success=True id=2 %}Saved.'
        "{% endnotification_banner %}"
    )

    assert "govuk-notification-banner--success" in html
    assert 'role="alert"' in html
    assert 'aria-labelledby="banner-2"' in html
    assert 'id="banner-2">Success</h2>' in html
    assert "Saved." in html


def test_a_neutral_banner_is_a_region_not_an_alert():
    html = render(
        '{% notification_banner title="Important" id="draft" %}Draft{% endnotification_banner %}'
    )

    assert 'role="region"' in html
    assert "--success" not in html


def test_components_take_only_named_arguments():
    with pytest.raises(TemplateSyntaxError):
        Template('{% warning_text "loose" %}x{% endwarning_text %}')


class ReasonForm(forms.Form):
    reason = forms.CharField()
    size = forms.IntegerField()

    def clean(self):
        raise forms.ValidationError("Choose approve or return.")


def test_error_links_point_each_message_at_its_field():
    form = ReasonForm({"reason": "", "size": "many"})

    html = render(
        '{% include "includes/error_summary.html" with errors=form|error_links %}', form=form
    )

    assert html.count("<li>") == 3
    assert '<a href="#id_reason">Choose approve or return.</a>' in html
    assert '<a href="#id_reason">This field is required.</a>' in html
    assert '<a href="#id_size">Enter a whole number.</a>' in html


def test_no_error_summary_for_a_valid_or_unbound_form():
    assert (
        render(
            '{% include "includes/error_summary.html" with errors=form|error_links %}',
            form=ReasonForm(),
        ).strip()
        == ""
    )
