from django.urls import path

from . import views

app_name = "escrow"

urlpatterns = [
    path("wallet/", views.wallet_view, name="wallet"),
    path("wallet/top-up/", views.top_up_view, name="top_up"),
    path("wallet/withdraw/", views.withdraw_view, name="withdraw"),
    path("wallet/return-to-card/", views.card_refund_view, name="card_refund"),
    path("wallet/payout-methods/", views.payout_methods_view, name="payout_methods"),
    path(
        "wallet/payout-methods/<id:method_id>/remove/",
        views.payout_method_remove_view,
        name="payout_method_remove",
    ),
    path("payments/sandbox/<uuid:payment_id>/", views.sandbox_checkout_view, name="sandbox_checkout"),
    path("payments/<uuid:payment_id>/return/", views.payment_return_view, name="payment_return"),
    path("webhooks/<slug:provider>/", views.webhook_view, name="webhook"),
]
