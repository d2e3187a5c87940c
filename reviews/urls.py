from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("orders/<id:order_id>/review/", views.review_submit_view, name="submit"),
    path("reviews/<id:review_id>/reply/", views.review_reply_view, name="reply"),
    path("gig/<id:gig_id>/reviews/", views.gig_reviews_view, name="gig"),
    path("u/<str:username>/reviews/", views.profile_reviews_view, name="profile"),
]
