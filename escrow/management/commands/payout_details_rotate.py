from django.core.management.base import BaseCommand, CommandError

from escrow.services import payout_details_rotate


class Command(BaseCommand):
    help = "Re-encrypt the kept payout details with the first PAYOUT_DETAILS_KEY (after adding a new key in front)."

    def handle(self, *args, **options):
        counts = payout_details_rotate()
        self.stdout.write(self.style.SUCCESS(f"{counts['rotated']} payout method(s) re-encrypted with the newest key."))
        if counts["unreadable"]:
            raise CommandError(
                f"{counts['unreadable']} payout method(s) are under a key that is not configured: keep the old keys."
            )
