import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def encrypt_accounts(apps, schema_editor):
    from escrow.payout_details import payout_details_encrypt

    PayoutMethod = apps.get_model("escrow", "PayoutMethod")
    for method in PayoutMethod.objects.exclude(account="").only("pk", "account").iterator():
        PayoutMethod.objects.filter(pk=method.pk).update(details=payout_details_encrypt(method.account))


def decrypt_accounts(apps, schema_editor):
    from escrow.payout_details import payout_details_decrypt

    PayoutMethod = apps.get_model("escrow", "PayoutMethod")
    for method in PayoutMethod.objects.exclude(details="").exclude(kind="card").only("pk", "details").iterator():
        PayoutMethod.objects.filter(pk=method.pk).update(account=payout_details_decrypt(method.details))


class Migration(migrations.Migration):

    dependencies = [
        ('escrow', '0004_payment_order_id'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PayoutDetailsView',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP address')),
                ('viewed_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='seen at')),
            ],
            options={
                'verbose_name': 'payout details view',
                'verbose_name_plural': 'payout details views',
                'ordering': ['-viewed_at'],
            },
        ),
        migrations.AlterModelOptions(
            name='reconciliationreport',
            options={'ordering': ['-created_at'], 'permissions': [('run_reconciliation', 'Can run the ledger reconciliation now')], 'verbose_name': 'reconciliation report', 'verbose_name_plural': 'reconciliation reports'},
        ),
        migrations.AlterModelOptions(
            name='withdrawal',
            options={'ordering': ['-created_at'], 'permissions': [('view_payout_details', 'Can see the full payout details of withdrawals')], 'verbose_name': 'withdrawal', 'verbose_name_plural': 'withdrawals'},
        ),
        migrations.AddField(
            model_name='payoutmethod',
            name='details',
            field=models.TextField(blank=True, editable=False, verbose_name='payout details (encrypted)'),
        ),
        # The e-mails, purses and wallets kept in plain text until now, encrypted; then the
        # plain column goes. Cards kept only their last 4 digits: nothing to move.
        migrations.RunPython(encrypt_accounts, decrypt_accounts, elidable=False),
        migrations.RemoveConstraint(
            model_name='payoutmethod',
            name='payout_method_card_no_number',
        ),
        migrations.RemoveField(
            model_name='payoutmethod',
            name='account',
        ),
        migrations.AddField(
            model_name='reconciliationreport',
            name='started_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='started'),
        ),
        migrations.AddField(
            model_name='reconciliationreport',
            name='triggered_by',
            field=models.ForeignKey(blank=True, help_text='Empty: the nightly schedule or the command line.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='run by'),
        ),
        migrations.AlterField(
            model_name='sandboxcharge',
            name='id',
            field=models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='charge id'),
        ),
        migrations.AlterField(
            model_name='payoutmethod',
            name='fingerprint',
            field=models.CharField(max_length=64, verbose_name='fingerprint'),
        ),
        migrations.AlterField(
            model_name='reconciliationreport',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='finished'),
        ),
        migrations.AddField(
            model_name='payoutdetailsview',
            name='payout_method',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='details_views', to='escrow.payoutmethod', verbose_name='payout method'),
        ),
        migrations.AddField(
            model_name='payoutdetailsview',
            name='viewer',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='seen by'),
        ),
        migrations.AddField(
            model_name='payoutdetailsview',
            name='withdrawal',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='details_views', to='escrow.withdrawal', verbose_name='withdrawal'),
        ),
    ]
