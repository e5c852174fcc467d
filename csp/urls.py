from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Community Safety Partnership delivery plans"
admin.site.site_title = "CSP delivery plans"
admin.site.index_title = "Plans, indicators and returns"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Until the public pages exist, the front door is the managers' admin.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
