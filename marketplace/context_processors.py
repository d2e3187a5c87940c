from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.MARKETPLACE_NAME,
        "MARKETPLACE_CURRENCY": settings.MARKETPLACE_CURRENCY,
        "GIG_MIN_PRICE": f"{settings.GIG_MIN_PRICE} {settings.MARKETPLACE_CURRENCY}",
    }
