"""Forms of a partnership's own site: its statements, and its logo in the admin."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms

from .branding import checked_logo, logo_digest
from .models import Partnership, PartnershipLogo, text


class NoticeForm(forms.Form):
    body = forms.CharField(
        label="Text",
        max_length=text.NARRATIVE,
        widget=forms.Textarea(attrs={"rows": 30}),
        help_text="Markdown: start each heading with #, each list item with -, and write a link "
        "as [words](https://…).",
        error_messages={
            "required": "Write the text: the page cannot be empty.",
            "max_length": text.TOO_LONG,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("body")


class PartnershipSiteForm(forms.ModelForm):
    """The partnership in the admin, with its logo uploaded as a file and stored in the database;
    the logo is checked here, so a refused file leaves everything else unsaved too."""

    logo_upload = forms.FileField(
        label="Logo",
        required=False,
        help_text="A PNG or JPEG of 200 KB or less, shown beside the partnership's name at the "
        "top of its pages.",
    )
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)
    website = forms.URLField(
        required=False,
        assume_scheme="https",
        help_text=Partnership._meta.get_field("website").help_text,
    )

    class Meta:
        model = Partnership
        fields = "__all__"  # noqa: DJ007 - the admin's own fields and fieldsets decide

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        return checked_logo(upload)

    def save(self, commit=True):
        partnership = super().save(commit=False)
        logo = self.cleaned_data.get("logo_upload")
        if logo:
            data, content_type = logo
            partnership.logo_digest, partnership.logo_type = logo_digest(data), content_type
            self._new_logo = data
        elif self.cleaned_data.get("remove_logo"):
            partnership.logo_digest = partnership.logo_type = ""
            self._new_logo = b""
        if commit:
            partnership.save()
            self._save_m2m()
        return partnership

    def _save_m2m(self):
        super()._save_m2m()
        new_logo = getattr(self, "_new_logo", None)
        if new_logo:
            PartnershipLogo.objects.update_or_create(
                partnership=self.instance, defaults={"image": new_logo}
            )
        elif new_logo == b"":
            PartnershipLogo.objects.filter(partnership=self.instance).delete()
