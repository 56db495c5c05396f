from django.urls import path

from documents import views

app_name = "documents"

# Included under /c/<center>/: CenterScopeMiddleware resolves the centre.
urlpatterns = [
    path("people/<int:pk>/documents/new/", views.upload, name="upload"),
    path("people/<int:pk>/photo/", views.photo, name="photo"),
    path("cases/<int:pk>/documents/new/", views.case_upload, name="case_upload"),
    path("documents/<int:pk>/", views.preview, name="preview"),
    path("documents/<int:pk>/file/", views.download, name="download"),
    path("documents/<int:pk>/page.png", views.first_page, name="first_page"),
    path("documents/<int:pk>/delete/", views.remove, name="remove"),
]
