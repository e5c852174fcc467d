from django.contrib import admin
from django.urls import include, path

from .accounts import ThrottledPasswordResetView

admin.site.site_header = "Community Safety Partnership delivery plans"
admin.site.site_title = "CSP delivery plans"
admin.site.index_title = "Plans, indicators and returns"

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accounts/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("reporting.urls")),
    path("", include("plans.urls")),
    path("", include("priorities.urls")),
]
