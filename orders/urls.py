from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("checkout/<id:gig_id>/", views.checkout_view, name="checkout"),
    path("orders/", views.orders_list_view, {"side": "buyer"}, name="purchases"),
    path("orders/sales/", views.orders_list_view, {"side": "seller"}, name="sales"),
    path("orders/<id:order_id>/", views.order_detail_view, name="detail"),
    path("orders/<id:order_id>/pay/", views.pay_view, name="pay"),
    path("orders/<id:order_id>/files/<id:file_id>/", views.order_file_view, name="file"),
    path("orders/<id:order_id>/files/<id:file_id>/thumb/", views.order_file_thumbnail_view, name="file_thumbnail"),
    path("orders/<id:order_id>/<slug:action>/", views.order_action_view, name="action"),
]
