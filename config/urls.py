from django.contrib import admin
from django.urls import include, path

from centers import views as center_views
from config.metrics import metrics
from core.health import healthz, livez, readyz

urlpatterns = [
    path("", center_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("", include("accounts.urls")),
    path("", include("privacy.urls")),
    path("", include("reports.urls")),
    path("", include("planning.urls")),
    path("partner/", include("cases.partner_urls")),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Everything under /c/<center>/ is scoped to that centre by CenterScopeMiddleware.
    path("c/<str:center>/", include("centers.urls")),
    path("c/<str:center>/", include("beneficiaries.urls")),
    path("c/<str:center>/", include("services.urls")),
    path("c/<str:center>/", include("cases.urls")),
    path("c/<str:center>/", include("documents.urls")),
    path("c/<str:center>/", include("listening.urls")),
    path("c/<str:center>/", include("finance.urls")),
    path("c/<str:center>/", include("messaging.urls")),
    path("c/<str:center>/", include("api.center_urls")),
    path("", include("messaging.webhook_urls")),
]
