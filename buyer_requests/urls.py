from django.urls import path

from . import views

app_name = "buyer_requests"

urlpatterns = [
    path("requests/", views.board_view, name="board"),
    path("requests/new/", views.request_create_view, name="create"),
    path("requests/<int:pk>/", views.request_detail_view, name="detail"),
    path("requests/<int:pk>/edit/", views.request_edit_view, name="edit"),
    path("requests/<int:pk>/close/", views.request_close_view, name="close"),
    path("requests/<int:pk>/renew/", views.request_renew_view, name="renew"),
    path("requests/<int:pk>/offers/", views.compare_view, name="compare"),
    path("requests/<int:pk>/offer/", views.offer_send_view, name="offer_send"),
    path("requests/<int:pk>/files/<int:file_id>/", views.request_file_view, name="file"),
    path("requests/offers/<int:offer_id>/edit/", views.offer_edit_view, name="offer_edit"),
    path("requests/offers/<int:offer_id>/withdraw/", views.offer_withdraw_view, name="offer_withdraw"),
    path("requests/offers/<int:offer_id>/accept/", views.offer_accept_view, name="offer_accept"),
    path("requests/offers/<int:offer_id>/decline/", views.offer_decline_view, name="offer_decline"),
    path("requests/invite/<str:username>/", views.invite_view, name="invite"),
    path("my/requests/", views.my_requests_view, name="mine"),
    path("my/offers/", views.my_offers_view, name="my_offers"),
    path("my/request-alerts/", views.alerts_view, name="alerts"),
]
