from django.contrib import admin
from django.urls import include, path

from plans import views as plan_views
from priorities.views import account, entry, manage
from priorities.views import public as priority_views

admin.site.site_header = "Community Safety Partnership delivery plans"
admin.site.site_title = "CSP delivery plans"
admin.site.index_title = "Plans, indicators and returns"


def plan_pages(suffix: str) -> list:
    """The pages of a plan, for the current version ("") or a numbered one ("-version")."""
    return [
        path("", plan_views.plan_version, name=f"plan{suffix}"),
        path("priorities/<slug:priority>/", priority_views.priority, name=f"priority{suffix}"),
        path("plan.json", priority_views.plan_json, name=f"plan-json{suffix}"),
        path("action-rows.csv", priority_views.action_rows_csv, name=f"action-rows-csv{suffix}"),
    ]


PLAN = "partnerships/<slug:partnership>/<slug:plan>/"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("signed-in/", account.signed_in, name="signed-in"),
    path("returns/", entry.due, name="due"),
    path("returns/<int:period_id>/<int:organisation_id>/", entry.entry, name="entry"),
    path("manage/", manage.manage, name="manage"),
    path("manage/periods/<int:period_id>/", manage.period, name="manage-period"),
    path("manage/<str:kind>/<int:pk>/", manage.review, name="review"),
    path("", plan_views.home, name="home"),
    path("partnerships/<slug:partnership>/", plan_views.partnership, name="partnership"),
    path(PLAN, include(plan_pages(""))),
    path(PLAN + "versions/<int:number>/", include(plan_pages("-version"))),
]
