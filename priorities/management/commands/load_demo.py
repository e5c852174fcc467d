from django.core.management.base import BaseCommand

from priorities.demo import (
    DEMO_FILE,
    DEMO_PASSWORD,
    create_demo_users,
    load_partnership,
    read_demo_file,
)
from priorities.demo_refresh import load_refresh


class Command(BaseCommand):
    help = "Load the Lichfield demo partnership and create the demo users. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEMO_FILE), help="Demo data file (JSON).")
        parser.add_argument("--password", default=DEMO_PASSWORD, help="Password for demo users.")

    def handle(self, *args, file, password, **options):
        data = read_demo_file(file)
        partnership, created = load_partnership(data)
        if created:
            self.stdout.write(f"Loaded the demo partnership: {partnership}.")
        else:
            self.stdout.write(f"The demo partnership is already loaded: {partnership}.")
        usernames = create_demo_users(partnership, password)
        # The draft refresh carries the demo users' comments, so it comes after them.
        draft = load_refresh(partnership, data)
        if draft is not None:
            self.stdout.write(
                f"Started the plan's {draft.label} and sent it for review, with partners' comments."
            )
        self.stdout.write(
            f"Demo users {', '.join(usernames)} can sign in with the password: {password}"
        )
