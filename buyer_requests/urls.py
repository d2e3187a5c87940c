from django.urls import path

from . import views

app_name = "buyer_requests"

urlpatterns = [
    path("requests/", views.board_view, name="board"),
    path("requests/new/", views.request_create_view, name="create"),
    path("requests/<id:pk>/", views.request_detail_view, name="detail"),
    path("requests/<id:pk>/edit/", views.request_edit_view, name="edit"),
    path("requests/<id:pk>/close/", views.request_close_view, name="close"),
    path("requests/<id:pk>/renew/", views.request_renew_view, name="renew"),
    path("requests/<id:pk>/offers/", views.compare_view, name="compare"),
    path("requests/<id:pk>/offer/", views.offer_send_view, name="offer_send"),
    path("requests/<id:pk>/files/<id:file_id>/", views.request_file_view, name="file"),
    path("requests/offers/<id:offer_id>/edit/", views.offer_edit_view, name="offer_edit"),
    path("requests/offers/<id:offer_id>/withdraw/", views.offer_withdraw_view, name="offer_withdraw"),
    path("requests/offers/<id:offer_id>/accept/", views.offer_accept_view, name="offer_accept"),
    path("requests/offers/<id:offer_id>/decline/", views.offer_decline_view, name="offer_decline"),
    path("requests/invite/<str:username>/", views.invite_view, name="invite"),
    path("my/requests/", views.my_requests_view, name="mine"),
    path("my/offers/", views.my_offers_view, name="my_offers"),
    path("my/request-alerts/", views.alerts_view, name="alerts"),
]
