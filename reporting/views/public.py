"""Public pages of results: a partnership with its published reports, funds and indicators; a
published report; an indicator's published figures over time and by area; the open data."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from indicators.figures import RATING_RULE
from plans.public import partnership_stamp, public_partnership_or_404
from plans.public_cache import public_page
from plans.streaming import streamed

from .. import charts, exports
from ..public import (
    public_funds,
    public_indicator_or_404,
    public_indicators,
    published_figures,
    published_report_or_404,
    published_reports,
)


@require_safe
@public_page(partnership_stamp)
def partnership(request, partnership):
    found = public_partnership_or_404(partnership, listing_plans=True)
    return render(
        request,
        "public/partnership.html",
        {
            "partnership": found,
            "organisations": found.organisations.all(),
            "reports": published_reports(found),
            "funds": public_funds(found),
            "indicators": public_indicators(found),
            "site_partnership": found,
        },
    )


@require_safe
@public_page(partnership_stamp)
def report(request, partnership, year, yy, quarter):
    built = published_report_or_404(partnership, year, yy, quarter)
    return render(
        request,
        "reports/public_report.html",
        {
            "report": built,
            "period": built.period,
            "csv_parts": exports.PARTS,
            "site_partnership": built.partnership,
        },
    )


@require_safe
@public_page(partnership_stamp)
def report_download(request, partnership, year, yy, quarter, file_format):
    if file_format not in ("xlsx", "csv"):
        raise Http404("The report comes as XLSX or CSV.")
    built = published_report_or_404(partnership, year, yy, quarter)
    return exports.report_response(built, file_format, exports.requested_part(request))


@require_safe
@public_page(partnership_stamp)
def indicator(request, partnership, code):
    page = public_indicator_or_404(partnership, code)
    history = page.series.history()
    return render(
        request,
        "public/indicator.html",
        {
            "page": page,
            "indicator": page.indicator,
            "history": [
                (quarter, page.series.figures(quarter), figure) for quarter, figure in history
            ],
            "latest": page.series.latest(),
            "chart": charts.indicator_chart(page.indicator, page.series),
            "rating_rule": RATING_RULE,
            "site_partnership": page.indicator.partnership,
        },
    )


@require_safe
@public_page(partnership_stamp)
def open_figures(request, partnership, file_format):
    if file_format not in ("csv", "json"):
        raise Http404("The figures come as CSV or JSON.")
    found = public_partnership_or_404(partnership)
    rows = published_figures(found)
    if file_format == "json":
        content = exports.figures_json(rows, partnership=found)
    else:
        content = exports.figures_csv(rows)
    response = streamed(content, content_type=exports.CONTENT_TYPES[file_format])
    if file_format == "csv":
        response["Content-Disposition"] = f'attachment; filename="{found.slug}-figures.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Link"] = f'<{exports.LICENCE_URL}>; rel="license"'
    return response
