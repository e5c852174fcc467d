from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from ...daily_digest import send_daily_digests


class Command(BaseCommand):
    help = (
        "E-mail each partnership manager the items sent in for approval, and each officer "
        "their items approved, that no digest has told them of yet (run daily, e.g. from cron)."
    )

    def handle(self, *args, **options):
        sent = send_daily_digests()
        self.stdout.write(
            ngettext("Sent %(count)d digest e-mail.", "Sent %(count)d digest e-mails.", sent)
            % {"count": sent}
        )
