from django.urls import include, path

from .views import changes, docx, drafts, manage, public
from .views.print import plan_print_styles


def plan_pages(suffix: str) -> list:
    """The pages of a plan, for the current version ("") or a numbered one ("-version")."""
    return [
        path("", public.plan_version, name=f"plan{suffix}"),
        path("priorities/<slug:priority>/", public.priority, name=f"priority{suffix}"),
        path("plan.json", public.plan_json, name=f"plan-json{suffix}"),
        path("action-rows.csv", public.action_rows_csv, name=f"action-rows-csv{suffix}"),
    ]


PLAN = "partnerships/<slug:partnership>/<slug:plan>/"

DRAFT = PLAN + "drafts/<int:number>/"
MANAGE = "manage/plans/<int:plan_id>/"

urlpatterns = [
    path(PLAN, include(plan_pages(""))),
    path(PLAN + "versions/<int:number>/", include(plan_pages("-version"))),
    path(PLAN + "changes/<int:old>-<int:new>/", changes.plan_changes, name="plan-changes"),
    # Members only: drafts and their comments
    path(DRAFT, drafts.plan_draft, name="plan-draft"),
    path(DRAFT + "priorities/<slug:priority>/", drafts.priority_draft, name="priority-draft"),
    path(DRAFT + "comments/", drafts.comment_add, name="comment-add"),
    path(DRAFT + "comments/<int:comment_id>/reply/", drafts.comment_reply, name="comment-reply"),
    path(
        DRAFT + "comments/<int:comment_id>/resolve/",
        drafts.comment_resolve,
        name="comment-resolve",
    ),
    # The manager's
    path("manage/plans/import/", docx.upload, name="plan-import"),
    path("manage/plans/import/preview/", docx.preview, name="plan-import-preview"),
    path(MANAGE, manage.manage_plan, name="manage-plan"),
    path(MANAGE + "refresh/", manage.refresh_plan, name="plan-refresh"),
    path(MANAGE + "versions/<int:number>/publish/", manage.publish_version, name="version-publish"),
    path(
        MANAGE + "versions/<int:number>/unpublish/",
        manage.unpublish_version,
        name="version-unpublish",
    ),
    path(MANAGE + "versions/<int:number>/<slug:move>/", manage.move_version, name="version-move"),
    path(PLAN + "versions/<int:number>/print.css", plan_print_styles, name="plan-print-css"),
]
