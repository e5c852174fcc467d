from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .account_forms import ChangePasswordForm, NewPasswordForm, ResetPasswordForm, SignInForm
from .accounts import ThrottledPasswordResetView

admin.site.site_header = "Community Safety Partnership delivery plans"
admin.site.site_title = "CSP delivery plans"
admin.site.index_title = "Plans, indicators and returns"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's account pages, with the GOV.UK pattern's messages (see csp/account_forms.py).
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm),
        name="password_change",
    ),
    path(
        "accounts/password_reset/",
        ThrottledPasswordResetView.as_view(form_class=ResetPasswordForm),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("reporting.urls")),
    path("", include("plans.urls")),
    path("", include("priorities.urls")),
]
