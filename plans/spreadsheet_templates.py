"""A blank spreadsheet to start an import from: the columns the import reads, under them one
example row, as XLSX or CSV, linked from each import page."""

import tablib
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.text import slugify

from .spreadsheets import SafeCSV, SafeXLSX

TEMPLATE_FORMATS = {"xlsx": SafeXLSX, "csv": SafeCSV}


def blank_template(resource_class) -> tablib.Dataset:
    """The resource's `example_row` (column: example value) as headers and one row."""
    example = resource_class.example_row
    return tablib.Dataset(list(example.values()), headers=list(example))


def template_response(resource_class, file_format: str, name: str) -> HttpResponse:
    if file_format not in TEMPLATE_FORMATS:
        raise Http404("Templates are XLSX or CSV.")
    chosen = TEMPLATE_FORMATS[file_format]()
    response = HttpResponse(
        chosen.export_data(blank_template(resource_class)), content_type=chosen.get_content_type()
    )
    filename = f"{slugify(name)}-template.{chosen.get_extension()}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class BlankTemplates:
    """Admin mixin for import-export admins: import/template.xlsx and import/template.csv."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        template = path(
            "import/template.<str:file_format>",
            self.admin_site.admin_view(self.blank_template_view),
            name="{}_{}_import_template".format(*info),
        )
        return [template, *super().get_urls()]

    def blank_template_view(self, request, file_format):
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource_class = self.get_import_resource_classes(request)[0]
        return template_response(resource_class, file_format, str(self.opts.verbose_name_plural))
