"""The national-scale benchmark: `make bench-national`, or

    .venv/bin/python -m tests.national            # build (under 2 min here), then measure
    .venv/bin/python -m tests.national --reuse    # measure the national database already built
    .venv/bin/python -m tests.national --scale 0.05   # 15 partnerships, for a quick try

DATABASE_URL names the PostgreSQL server and the national database (default
postgres://postgres@127.0.0.1:5432/csp_national); the demo alone goes in <name>_demo beside
it. Both are dropped and created here. Prints figures; asserts nothing.

In order: the demo database (migrate, load_demo), the national one (a copy of the demo plus
the national dataset), every page in-process on both, the officer's entry form and its saves on
a copy of the national one, then Gunicorn on the national one for
throughput (2 workers) and memory (1 worker).
"""

import argparse
import time

from . import sizes
from .database import server_from_environment, setup_django, use_database


def arguments():
    parser = argparse.ArgumentParser(
        prog="python -m tests.national",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep a complete national database from before"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the 300 partnerships (default 1)"
    )
    return parser.parse_args()


def main() -> None:
    started = time.perf_counter()
    options = arguments()
    partnerships = max(1, round(sizes.PARTNERSHIPS * options.scale))
    server = server_from_environment()
    setup_django(server, server.demo)
    from .prepare import prepare

    print(f"National benchmark on {server.url_of(server.national)}: {partnerships} "
          f"partnerships{'' if options.scale == 1 else f' (scale {options.scale})'}.")  # fmt: skip
    build_seconds = prepare(server, partnerships, options.reuse)
    try:
        summary = measure_everything(server)
    finally:
        from django.db import connection

        connection.close()
    print("\n## Summary\n")
    print("\n".join(summary))
    if build_seconds is not None:
        print(f"\nBuilding the national dataset took {build_seconds / 60:.1f} min "
              f"({build_seconds:.0f} s).")  # fmt: skip
    else:
        print("\nThe national dataset was reused (built by an earlier run).")
    print(f"Total time: {(time.perf_counter() - started) / 60:.1f} min.")


def measure_everything(server) -> list[str]:
    from . import report, serving
    from .measure import FEWEST_ROUNDS, ROUNDS, SLOW_SECONDS, Sides, measure
    from .pages import catalogue, find_demo, hundredfold_pages
    from .prepare import row_counts
    from .saving import entry_lines
    from .server import collect_static, environment, static_root
    from .slow import SLOW_MS, slow_pages

    print("\n## Rows\n")
    print("| table | demo | national |\n| --- | ---: | ---: |")
    for label, demo_count, national_count in row_counts(server):
        print(f"| {label} | {demo_count:,} | {national_count:,} |")

    use_database(server.demo)
    demo = find_demo()
    sides = Sides([server.demo, server.national])
    print(f"\n## Pages in-process (the demo partnership's own people; median of {ROUNDS} "
          f"rounds, {FEWEST_ROUNDS} for a page over {SLOW_SECONDS:.0f} s)\n")  # fmt: skip
    rows = []
    for page in catalogue(demo):
        results = measure(page, sides)
        on_demo, on_national = results[server.demo], results[server.national]
        rows.append((page.label, on_demo, on_national))
        print(f"{page.label:<40} demo {on_demo.median_ms:9.1f}  national "
              f"{on_national.median_ms:9.1f}  queries {on_demo.queries}/{on_national.queries}"
              f"  status {sorted(on_demo.statuses)}/{sorted(on_national.statuses)}",
              flush=True)  # fmt: skip
    print(f"\n## The hundredfold plan ({sizes.HUNDREDFOLD}× the demo's), national database, "
          "uncached\n")  # fmt: skip
    grown = []
    for page in hundredfold_pages(demo):
        result = measure(page, Sides([server.national]))[server.national]
        grown.append(f"- {page.label}: {result.median_ms:,.0f} ms, {result.queries} queries, "
                     f"status {'/'.join(map(str, sorted(result.statuses)))}")  # fmt: skip
        print(grown[-1], flush=True)
    print("\n## The officer's entry form, on a copy of the national database\n", flush=True)
    saving = entry_lines(server)
    print("\n".join(saving), flush=True)
    use_database(server.demo)
    from django.db import connection

    connection.close()  # Gunicorn's workers have the database to themselves
    explained = slow_pages(server, server.national, rows)
    if explained:
        print(f"\n## Pages over {SLOW_MS:,} ms at national scale: the slowest query\n")
        print("\n".join(explained), flush=True)

    print("\n## Under Gunicorn (national database, DEBUG off)\n", flush=True)
    with static_root() as folder:
        env = environment(server, server.national, folder)
        collect_static(env)
        measured = serving.throughput(env, folder, demo.plan)
        throughput = [
            f"Gunicorn, 2 workers: static file {measured.static_path} "
            f"({measured.static_bytes:,} bytes) against the demo's plan page, anonymous "
            f"({measured.plan_bytes:,} bytes); its revalidation answered "
            f"{measured.revalidation_status}. {serving.CONNECTIONS} connections, "
            f"{serving.SECONDS_PER_CASE} s a case in {serving.SLICES} turns.",
            *report.throughput_lines(measured),
        ]
        print("\n".join(throughput), flush=True)
        big = demo.plan.replace("/lichfield/", f"/{sizes.HUNDREDFOLD_SLUG}/")
        memory = serving.memory(
            env,
            warm_up=["/", demo.plan, f"{demo.plan}action-rows.csv", f"{demo.plan}plan.json"],
            downloads=[f"{big}action-rows.csv", f"{big}plan.json"],
        )
        memory_lines = [
            "Gunicorn, 1 worker (every request in the process measured): the hundredfold "
            "plan's exports, each downloaded several times after a warm-up on the demo's pages.",
            *report.download_lines(memory),
            *report.memory_lines(memory),
        ]
        print("\n".join(memory_lines))
    return [*report.page_table(rows), "", *grown, "", *saving, "", *throughput, "",
            *memory_lines]  # fmt: skip


if __name__ == "__main__":
    main()
