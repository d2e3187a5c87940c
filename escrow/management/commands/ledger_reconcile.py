from django.core.management.base import BaseCommand, CommandError

from escrow.services import ledger_reconcile


class Command(BaseCommand):
    help = "Check every ledger invariant, store a report (visible in admin) and e-mail the admins on drift."

    def add_arguments(self, parser):
        parser.add_argument("--no-email", action="store_true", help="Do not e-mail the admins, only report.")

    def handle(self, *args, no_email=False, **options):
        report = ledger_reconcile(notify=not no_email)
        totals = ", ".join(f"{currency} {total}" for currency, total in sorted(report.totals.items())) or "-"
        summary = (
            f"report #{report.pk}: {report.accounts_checked} accounts, {report.journals_checked} journals, "
            f"{report.transfers_checked} transfers; sum of balances: {totals}"
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"No drift ({summary})."))
            return
        for problem in report.problems:
            self.stderr.write(f"- {problem}")
        raise CommandError(f"Drift found: {len(report.problems)} problem(s) ({summary}).")
