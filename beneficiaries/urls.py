from django.urls import path

from beneficiaries import views
from beneficiaries.importing import views as importing

app_name = "beneficiaries"

# Included under /c/<center>/: CenterScopeMiddleware resolves the centre.
urlpatterns = [
    path("people/", views.search, name="search"),
    path("people/register/", views.register, name="register"),
    path("people/lookup/", views.lookup, name="lookup"),
    path("people/import/", importing.upload, name="import"),
    path("people/import/template.xlsx", importing.template, name="import_template"),
    path("people/imports/<int:pk>/", importing.job, name="import_job"),
    path("people/imports/<int:pk>/columns/", importing.columns, name="import_columns"),
    path("people/<int:pk>/", views.detail, name="detail"),
    path("people/<int:pk>/edit/", views.edit, name="edit"),
    path("people/<int:pk>/card/", views.card, name="card"),
    path("people/<int:pk>/card.pdf", views.card_pdf, name="card_pdf"),
    path("people/<int:pk>/card/reissue/", views.card_reissue, name="card_reissue"),
    path("people/<int:pk>/merge/", views.merge, name="merge"),
    path("people/merge-requests/", views.merge_requests, name="merge_requests"),
    path("merge-requests/<int:pk>/<str:decision>/", views.merge_request_decide, name="merge_request_decide"),
    path("households/<int:pk>/add-member/", views.member_add, name="member_add"),
]
