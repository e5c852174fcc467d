from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from ...comment_digest import send_comment_digests


class Command(BaseCommand):
    help = (
        "E-mail each partnership manager the comments on their drafts that no digest has "
        "carried yet (run daily, e.g. from cron)."
    )

    def handle(self, *args, **options):
        sent = send_comment_digests()
        self.stdout.write(
            ngettext("Sent %(count)d digest e-mail.", "Sent %(count)d digest e-mails.", sent)
            % {"count": sent}
        )
