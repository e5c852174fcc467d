from django.urls import include, path

from .views import public


def plan_pages(suffix: str) -> list:
    """The pages of a plan, for the current version ("") or a numbered one ("-version")."""
    return [
        path("", public.plan_version, name=f"plan{suffix}"),
        path("priorities/<slug:priority>/", public.priority, name=f"priority{suffix}"),
        path("plan.json", public.plan_json, name=f"plan-json{suffix}"),
        path("action-rows.csv", public.action_rows_csv, name=f"action-rows-csv{suffix}"),
    ]


PLAN = "partnerships/<slug:partnership>/<slug:plan>/"

urlpatterns = [
    path(PLAN, include(plan_pages(""))),
    path(PLAN + "versions/<int:number>/", include(plan_pages("-version"))),
]
