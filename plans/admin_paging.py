"""Admin lists paged only as deep as a person reads: the first ADMIN_LIST_MAX_ROWS rows.

A page's rows are fetched with OFFSET, which reads and throws away every row before them: at
millions of returns, page 40,000 of the unfiltered list is a scan of minutes. One partnership's
whole history is about 16,000 returns, so the first 20,000 rows (200 pages of 100) hold all of
any one partnership's; further than that, a filter or a search finds a row sooner than paging.

A page number past the last page served, or below the first, shows the nearest page served,
never an error; the list says that it holds more than can be paged through. Rows are counted
only that far, so the count costs no more at millions of rows than the page does.

A page past the first is found by its rows' ids, then only those rows are read with what the
list shows beside them: the rows skipped come from the ordering's index alone, not each joined
to its indicator, quarter and ward (page 150 of the national returns: 37 ms of SQL, 8 so).
"""

from math import ceil

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Rows a list can be paged through, unless settings.ADMIN_LIST_MAX_ROWS says otherwise.
MAX_ROWS = 20_000


class BoundedPaginator(Paginator):
    """Pages of a list, at most `max_rows` rows' worth (at least one page)."""

    @cached_property
    def max_rows(self) -> int:
        return getattr(settings, "ADMIN_LIST_MAX_ROWS", MAX_ROWS)

    @cached_property
    def max_pages(self) -> int:
        return max(1, self.max_rows // self.per_page)

    @cached_property
    def count(self) -> int:
        """The rows, counted no further than one past those the pages hold: at millions of
        rows the count cost more than the page, and past the bound says nothing more."""
        try:
            # Unordered: any max_rows + 1 rows tell whether there are more.
            return self.object_list.order_by()[: self.max_rows + 1].count()
        except (AttributeError, TypeError):  # a list, not a queryset
            return len(self.object_list)

    @cached_property
    def all_pages(self) -> int:
        """The pages the whole list would fill (as Paginator counts them)."""
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return ceil(max(1, self.count - self.orphans) / self.per_page)

    @cached_property
    def num_pages(self) -> int:
        return min(self.all_pages, self.max_pages)

    @property
    def is_bounded(self) -> bool:
        """Whether the list holds more rows than its pages show."""
        return self.all_pages > self.max_pages

    @property
    def rows_shown(self) -> int:
        return min(self.count, self.num_pages * self.per_page)

    def page(self, number):
        """The page; past the first, its rows read by their ids (see the module's notes)."""
        page = super().page(number)
        if page.number > 1 and isinstance(self.object_list, QuerySet):
            ids = list(page.object_list.values_list("pk", flat=True))
            page.object_list = self.object_list.filter(pk__in=ids)
        return page

    def validate_number(self, number) -> int:
        """The page asked for, or the nearest page served (not a number is still an error)."""
        try:
            return super().validate_number(number)
        except EmptyPage:
            return 1 if int(number) < 1 else max(1, self.num_pages)


class BoundedChangeList(ChangeList):
    """A change list that shows the page it served as the current one, and says when the list
    holds more rows than its pages."""

    def get_results(self, request):
        super().get_results(request)
        paginator = self.paginator
        if not isinstance(paginator, BoundedPaginator):
            return
        if self.multi_page and not self.show_all:
            self.page_num = paginator.validate_number(self.page_num)
        if paginator.is_bounded:
            messages.info(request, bounded_message(paginator, self.opts.verbose_name_plural))


def bounded_message(paginator: BoundedPaginator, things: str) -> str:
    return (
        f"This list holds more than {paginator.max_rows:,} {things}: showing the first "
        f"{paginator.rows_shown:,} ({paginator.num_pages:,} pages). Filter or search to find "
        "the others."
    )
