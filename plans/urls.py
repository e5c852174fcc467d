from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/<slug:partnership>/", views.partnership, name="partnership"),
]
