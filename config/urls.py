from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from beneficiaries import audit_views
from centers import two_factor
from centers import views as center_views
from centers.health import healthz
from reports import views as report_views

urlpatterns = [
    path("", center_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("audit/", audit_views.audit_events, name="audit_events"),
    path("audit/export.csv", audit_views.audit_export, name="audit_export"),
    path("audit/access/", audit_views.access_log, name="access_log"),
    path("audit/people/", audit_views.subject_search, name="subject_search"),
    path("audit/people/<int:pk>/", audit_views.subject_detail, name="subject_detail"),
    path("audit/people/<int:pk>/export.<str:fmt>", audit_views.subject_export, name="subject_export"),
    path("audit/people/<int:pk>/anonymise/", audit_views.subject_anonymise, name="subject_anonymise"),
    path("national/dashboard/", report_views.national_dashboard, name="national_dashboard"),
    path("national/reports/", report_views.national_reports, name="national_reports"),
    path("national/reports/<int:pk>/", report_views.national_report, name="national_report"),
    path(
        "national/reports/<int:pk>/download.<str:fmt>",
        report_views.national_report_download,
        name="national_report_download",
    ),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Everything under /c/<center>/ is scoped to that centre by CenterScopeMiddleware.
    path("c/<str:center>/", include("centers.urls")),
    path("c/<str:center>/", include("beneficiaries.urls")),
    path("c/<str:center>/", include("services.urls")),
    path("c/<str:center>/", include("beneficiaries.urls_cases")),
    path("c/<str:center>/", include("reports.urls")),
]
