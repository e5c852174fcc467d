"""The closing summary: the pages' table in Markdown, then throughput and memory lines."""

from .measure import Result
from .serving import Memory, Throughput

FINE = {200, 302, 304}


def _ms(result: Result) -> str:
    if result.median_ms is None:
        return "–"
    shown = f"{result.median_ms:,.1f}"
    odd = sorted(result.statuses - FINE)
    return f"{shown} ({'/'.join(map(str, odd))})" if odd else shown


def _ratio(demo: Result, national: Result) -> str:
    if not demo.median_ms or national.median_ms is None or demo.statuses != national.statuses:
        return "–"  # not the same answer on both (e.g. a page the demo does not have)
    return f"{national.median_ms / demo.median_ms:.2f}"


def page_table(rows: list[tuple[str, Result, Result]]) -> list[str]:
    lines = [
        "| page | demo ms | national ms | ratio | queries (demo/national) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, demo, national in rows:
        lines.append(
            f"| {label} | {_ms(demo)} | {_ms(national)} | {_ratio(demo, national)} "
            f"| {demo.queries}/{national.queries} |"
        )
    return lines


def throughput_lines(measured: Throughput) -> list[str]:
    static = measured.tallies["static file"]
    lines = []
    for label, tally in measured.tallies.items():
        statuses = ", ".join(f"{status}×{count}" for status, count in sorted(
            tally.statuses.items(), key=str))  # fmt: skip
        lines.append(
            f"- {label}: {tally.per_second:,.1f} requests/s, p50 {tally.p50_ms:.1f} ms ({statuses})"
        )
    plan = measured.tallies["plan page"].per_second
    revalidated = measured.tallies["plan page, revalidated"].per_second
    if static.per_second:
        lines.append(
            f"- ratio plan/static {plan / static.per_second:.3f}; "
            f"304/static {revalidated / static.per_second:.3f}"
        )
    return lines


def memory_lines(measured: Memory) -> list[str]:
    def mib(kib: int) -> str:
        return f"{kib / 1024:.1f} MiB"

    if not measured.same_worker:
        return ["- memory: the worker was replaced during the downloads (killed, e.g. at "
                "Gunicorn's timeout): no figure."]  # fmt: skip
    rss = measured.after["VmRSS"] - measured.idle["VmRSS"]
    peak = measured.after["VmHWM"] - measured.idle["VmHWM"]
    return [
        f"- worker memory (1 worker): VmRSS idle {mib(measured.idle['VmRSS'])}, after "
        f"{mib(measured.after['VmRSS'])} (+{mib(rss)}); VmHWM idle "
        f"{mib(measured.idle['VmHWM'])}, after {mib(measured.after['VmHWM'])} (+{mib(peak)})"
    ]


def download_lines(measured: Memory) -> list[str]:
    """Each hundredfold download: its size, the first time and the slowest of the rest."""
    lines = []
    for path in dict.fromkeys(path for path, *_ in measured.downloads):
        done = [row for row in measured.downloads if row[0] == path]
        statuses = sorted({status for _, status, _, _ in done})
        first, *rest = [seconds for *_, seconds in done]
        later = f", then {min(rest):.2f}–{max(rest):.2f} s" if rest else ""
        lines.append(
            f"- {path} ({done[0][2]:,} bytes, status {'/'.join(map(str, statuses))}) "
            f"×{len(done)}: first {first:.2f} s{later}"
        )
    return lines
