app_name = "buyer_requests"

urlpatterns: list = []
