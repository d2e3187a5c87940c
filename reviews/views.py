from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import user_get_public
from gigs.selectors import gig_get_public
from marketplace.errors import DomainError
from marketplace.redirects import redirect_back
from orders.selectors import order_get_for_party
from orders.views import order_page_with_errors

from . import selectors, services
from .forms import BuyerReviewForm, ReplyForm, ReviewFilterForm, SellerReviewForm
from .models import Review


def _data(form) -> services.ReviewData:
    data = form.cleaned_data
    return services.ReviewData(
        rating=data["rating"], text=data["text"], communication=data.get("communication"),
        quality=data.get("quality"), on_time=data.get("on_time"),
    )  # fmt: skip


@require_POST
@login_required
def review_submit_view(request, order_id):
    order = order_get_for_party(user=request.user, order_id=order_id)
    form_class = BuyerReviewForm if order.buyer_id == request.user.pk else SellerReviewForm
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rate every line with stars and write a few words."))
        return order_page_with_errors(request, order, review_form=form)
    existing = Review.objects.filter(order=order, author=request.user).first()
    try:
        if existing is None:
            review = services.review_submit(order_id=order.pk, author=request.user, data=_data(form))
        else:
            review = services.review_edit(review_id=existing.pk, author=request.user, data=_data(form))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if review.visible_at:
            messages.success(request, _("Thank you! Both reviews are now published."))
        else:
            messages.success(
                request, _("Thank you! Your review is published when the other side leaves theirs, or in 10 days.")
            )
    return redirect("orders:detail", order_id=order.pk)


@require_POST
@login_required
def review_reply_view(request, review_id):
    review = Review.objects.filter(pk=review_id, subject=request.user, role=Review.Role.BUYER).first()
    if review is None:
        raise Http404
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.review_reply(review_id=review.pk, seller=request.user, text=form.cleaned_data["text"])
            messages.success(request, _("Your reply is published."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect_back(request.POST.get("next"), "orders:detail", order_id=review.order_id)


@require_GET
def gig_reviews_view(request, gig_id):
    gig = gig_get_public(gig_id=gig_id)
    return _reviews_page(request, selectors.reviews_public(gig_id=gig.pk), {"gig": gig})


@require_GET
def profile_reviews_view(request, username):
    person = user_get_public(username=username)
    role = Review.Role.SELLER if request.GET.get("as") == "buyer" else Review.Role.BUYER
    return _reviews_page(request, selectors.reviews_public(subject=person, role=role), {"person": person, "role": role})


def _reviews_page(request, reviews, context):
    form = ReviewFilterForm(request.GET)
    rating = form.cleaned_data.get("rating") if form.is_valid() else None
    if rating:
        reviews = reviews.filter(rating=rating)
    page = Paginator(reviews, 10).get_page(request.GET.get("page"))
    template = "reviews/_list.html" if request.headers.get("HX-Request") else "reviews/list.html"
    return render(request, template, {"page": page, "filter_form": form, "rating": rating, **context})
