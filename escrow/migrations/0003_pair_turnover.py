"""The turnover of each buyer-seller pair, kept at settlement, and its first values computed
from the settle and split journals already in the ledger (the rule of
`escrow.services.turnover`, copied here so that this migration never changes with it)."""

from collections import defaultdict
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

import django.db.models.deletion
import djmoney.models.fields
import djmoney.money
from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    Transfer = apps.get_model("escrow", "Transfer")
    PairTurnover = apps.get_model("escrow", "PairTurnover")
    payers = defaultdict(set)  # order id -> users whose wallet paid its hold
    holds = Transfer.objects.filter(
        journal__kind="hold", journal__order_id__isnull=False, debit__kind="wallet"
    ).values_list("journal__order_id", "debit__user_id")
    for order_id, user_id in holds.iterator(chunk_size=5000):
        payers[order_id].add(user_id)
    releases = (
        Transfer.objects.filter(
            journal__kind__in=["settle", "split"], journal__order_id__isnull=False, journal__reversed_by__isnull=True
        )
        .order_by("journal_id", "id")
        .values_list("journal_id", "journal__order_id", "debit__kind", "credit__user_id", "amount", "amount_currency")
    )
    totals = defaultdict(Decimal)
    for _journal, group in groupby(releases.iterator(chunk_size=5000), key=itemgetter(0)):
        group = list(group)
        paid = {user_id for _j, _o, _k, user_id, _a, _c in group if user_id is not None}
        for buyer_id in payers.get(group[0][1], ()):
            for _j, _o, debit_kind, user_id, amount, currency in group:
                if debit_kind != "escrow" or user_id == buyer_id:
                    continue
                for seller_id in paid - {buyer_id}:
                    totals[(buyer_id, seller_id, currency)] += Decimal(amount)
    rows = [
        PairTurnover(buyer_id=buyer_id, seller_id=seller_id, amount=djmoney.money.Money(amount, currency))
        for (buyer_id, seller_id, currency), amount in sorted(totals.items())
        if amount
    ]
    PairTurnover.objects.bulk_create(rows, batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('escrow', '0002_ledger_triggers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PairTurnover',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount_currency', djmoney.models.fields.CurrencyField(choices=[('RUB', 'Russian Ruble')], default='RUB', editable=False, max_length=3)),
                ('amount', djmoney.models.fields.MoneyField(decimal_places=2, default=djmoney.money.Money(0, 'RUB'), max_digits=20, verbose_name='turnover')),
                ('buyer', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='buyer')),
                ('seller', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='seller')),
            ],
            options={
                'verbose_name': 'turnover between a buyer and a seller',
                'verbose_name_plural': 'turnovers between buyers and sellers',
                'constraints': [models.UniqueConstraint(fields=('buyer', 'seller', 'amount_currency'), name='ledger_pair_turnover_once'), models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='ledger_pair_turnover_not_negative'), models.CheckConstraint(condition=models.Q(('buyer', models.F('seller')), _negated=True), name='ledger_pair_turnover_two_people')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
