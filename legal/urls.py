from django.urls import path

from . import views
from .models import LegalDocument

app_name = "legal"

K = LegalDocument.Kind
urlpatterns = [
    path("terms/", views.document_view, {"kind": K.TERMS}, name="terms"),
    path("terms/<id:version>/", views.document_view, {"kind": K.TERMS}, name="terms_version"),
    path("privacy/", views.document_view, {"kind": K.PRIVACY}, name="privacy"),
    path("privacy/<id:version>/", views.document_view, {"kind": K.PRIVACY}, name="privacy_version"),
    path("consent/", views.document_view, {"kind": K.CONSENT}, name="consent"),
    path("consent/<id:version>/", views.document_view, {"kind": K.CONSENT}, name="consent_version"),
    path("legal/accept/", views.accept_view, name="accept"),
]
