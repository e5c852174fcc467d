from django.urls import path, register_converter

from .views import account, entry, manage, members, public, report


class SubmissionKind:
    """What the review page reviews: leaves /manage/plans/… to the plan's pages."""

    regex = "returns|updates"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SubmissionKind, "submission_kind")

QUARTER = "<int:year>-<int:yy>-q<int:quarter>"

urlpatterns = [
    path("signed-in/", account.signed_in, name="signed-in"),
    path("members/", members.members_home, name="members"),
    path("members/<slug:partnership>/", members.partnership, name="members-partnership"),
    path("returns/", entry.due, name="due"),
    path("returns/<int:period_id>/<int:organisation_id>/", entry.entry, name="entry"),
    path("manage/", manage.manage, name="manage"),
    path("manage/periods/<int:period_id>/", manage.period, name="manage-period"),
    path(
        "manage/periods/<int:period_id>/approve/",
        manage.approve_selected,
        name="manage-period-approve",
    ),
    path("manage/<submission_kind:kind>/<int:pk>/", manage.review, name="review"),
    path("manage/periods/<int:period_id>/publish/", report.publish_report, name="publish-report"),
    path(
        "manage/periods/<int:period_id>/withdraw/", report.withdraw_report, name="withdraw-report"
    ),
    path("reports/", report.reports, name="reports"),
    path("reports/<int:period_id>/", report.report, name="report"),
    path(
        "reports/<int:period_id>/report.<str:file_format>",
        report.report_download,
        name="report-download",
    ),
    path(
        f"partnerships/<slug:partnership>/reports/{QUARTER}/print.css",
        report.print_styles,
        name="report-print-css",
    ),
    # Public results
    path("partnerships/<slug:partnership>/", public.partnership, name="partnership"),
    path(
        f"partnerships/<slug:partnership>/reports/{QUARTER}/",
        public.report,
        name="public-report",
    ),
    path(
        f"partnerships/<slug:partnership>/reports/{QUARTER}/report.<str:file_format>",
        public.report_download,
        name="public-report-download",
    ),
    path(
        "partnerships/<slug:partnership>/indicators/<str:code>/",
        public.indicator,
        name="indicator",
    ),
    path(
        "partnerships/<slug:partnership>/figures.<str:file_format>",
        public.open_figures,
        name="open-figures",
    ),
]
