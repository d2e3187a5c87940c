"""A payment provider's webhook arrives while the database is down: it is answered 503 (so the
provider keeps the event and sends it again), then the same delivery, resent once the
database is back, tops the wallet up once; a third delivery changes nothing."""

WEBHOOK = "/webhooks/sandbox/"


def test_a_webhook_refused_while_the_database_is_down_is_applied_once_when_resent(chaos):
    world = chaos.probe("world", buyers=1)
    buyer = world["buyers"][0]
    hook = chaos.probe("webhook_for_new_payment", user_id=buyer["id"], amount=2500)
    body = hook["body"].encode()
    provider = chaos.browser("provider")  # no cookies: a server calling ours

    chaos.postgres.stop("fast")
    try:
        refused = provider.request("POST", WEBHOOK, body=body, headers=hook["headers"])
    finally:
        chaos.postgres.start()
    assert refused.status == 503, (refused.status, refused.error, refused.body[:300])
    assert refused.headers.get("retry-after") == "30"
    assert chaos.probe("payment", payment_id=hook["payment_id"]) == {
        "status": "pending", "wallet": "0.00", "top_ups": 0, "webhook_events": 0,
    }  # fmt: skip

    resent = provider.request("POST", WEBHOOK, body=body, headers=hook["headers"])
    assert (resent.status, resent.body) == (200, "ok")
    applied = {"status": "succeeded", "wallet": "2500.00", "top_ups": 1, "webhook_events": 1}
    assert chaos.probe("payment", payment_id=hook["payment_id"]) == applied

    again = provider.request("POST", WEBHOOK, body=body, headers=hook["headers"])
    assert (again.status, again.body) == (200, "duplicate")
    assert chaos.probe("payment", payment_id=hook["payment_id"]) == applied

    assert chaos.probe("consistency") == []
    chaos.note("webhook-db-down", f"503 with Retry-After {refused.headers['retry-after']} while down, then "
               f"{resent.body!r}, then {again.body!r}: the wallet topped up once")  # fmt: skip
    chaos.note("webhook-db-down", chaos.site.reconcile())
