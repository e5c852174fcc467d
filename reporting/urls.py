from django.urls import path

from .views import account, entry, manage

urlpatterns = [
    path("signed-in/", account.signed_in, name="signed-in"),
    path("returns/", entry.due, name="due"),
    path("returns/<int:period_id>/<int:organisation_id>/", entry.entry, name="entry"),
    path("manage/", manage.manage, name="manage"),
    path("manage/periods/<int:period_id>/", manage.period, name="manage-period"),
    path("manage/<str:kind>/<int:pk>/", manage.review, name="review"),
]
