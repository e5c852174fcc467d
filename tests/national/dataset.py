"""The national dataset: the demo partnership plus 300 more, written by the server in bulk.

Each added partnership is a copy of the demo's shape: its agencies (the demo's, renamed), a
manager and an officer, 22 wards, 30 indicators (the demo's 15, twice), 24 quarters (2018/19
Q1 to 2023/24 Q4, all reported), an approved figure for every indicator, quarter and ward and
for the whole area, and a published plan copied from the demo's (sections, priorities, action
rows, outcomes, data lines tied to its indicators, lead agencies), with an approved progress
update on every action row each quarter. One more partnership, "hundredfold", has the same
figures and a plan a hundred times the demo's (every priority copied 100 times), for memory.

Every row is made by INSERT … SELECT over temporary tables numbering the copies (see
schema.Inserter), within the demo's constraints: unique names, slugs, codes and orders.
"""

import time
from dataclasses import dataclass

from .plan_copies import PlanCopies
from .schema import Inserter
from .sizes import (
    DEMO_SLUG,
    FIRST_YEAR,
    HUNDREDFOLD,
    HUNDREDFOLD_SLUG,
    INDICATORS,
    LAST_YEAR,
    WARDS,
)


@dataclass(frozen=True)
class Demo:
    """The demo rows the copies are made from."""

    partnership: int
    version: int  # its published plan version
    plan: int
    managers_group: int


def build(connection, partnerships: int, say=print) -> list[str]:
    """Add `partnerships` copies of the demo and the hundredfold partnership, in one
    transaction; returns the columns it filled without knowing them."""
    with connection, connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            # Django's foreign keys are checked at COMMIT by a trigger per row and key (30
            # million for the figures, minutes); with triggers off for this transaction they
            # are checked below instead, one anti-join per key.
            cursor.execute("SET LOCAL session_replication_role = replica")
        steps = Steps(Inserter(cursor), find_demo(cursor), say)
        steps.run(partnerships)
        started = time.perf_counter()
        dangling = steps.inserter.dangling_references()
        if dangling:
            raise ValueError(f"Rows pointing at nothing: {', '.join(dangling)}")
        say(f"  {'foreign keys checked, none dangling':<44} {'':>15} "
            f"{time.perf_counter() - started:7.1f} s")  # fmt: skip
        return sorted(steps.inserter.filled)


def find_demo(cursor) -> Demo:
    cursor.execute(
        """
        SELECT p.id, v.id, v.plan_id, (SELECT id FROM auth_group
                                       WHERE name = 'Partnership managers')
        FROM plans_partnership p
        JOIN plans_plan pl ON pl.partnership_id = p.id
        JOIN plans_planversion v ON v.plan_id = pl.id AND v.status = 'published'
        WHERE p.slug = %s
        """,
        [DEMO_SLUG],
    )
    row = cursor.fetchone()
    if row is None:
        raise LookupError("The demo partnership and its published plan are not loaded.")
    return Demo(*row)


class Steps(PlanCopies):
    def __init__(self, inserter: Inserter, demo: Demo, say):
        self.inserter, self.demo, self.say = inserter, demo, say
        self.cursor = inserter.cursor

    def step(self, label: str, *work) -> None:
        started = time.perf_counter()
        rows = sum(work_item() for work_item in work)
        self.say(f"  {label:<44} {rows:>10,} rows {time.perf_counter() - started:7.1f} s")

    def run(self, partnerships: int) -> None:
        self.number_copies(partnerships)
        self.step("partnerships, agencies, people", self.partnerships, self.agencies, self.people)
        self.step("wards, indicators, targets, quarters", self.wards, self.indicators,
                  self.quarters)  # fmt: skip
        self.step("plans, versions, sections", self.plans)
        self.step("priorities, action rows, outcomes, lines", self.priorities, self.action_rows)
        self.step("figures (returns)", self.returns)
        self.step("action updates, risks", self.action_updates, self.risks)

    # The copies: n = 1…N for the national partnerships, n = 0 for the hundredfold one.

    def number_copies(self, partnerships: int) -> None:
        from plans.models import Partnership

        self.inserter.numbering(
            "copies",
            Partnership,
            f"""
            SELECT n, CASE n WHEN 0 THEN '{HUNDREDFOLD_SLUG}'
                             ELSE 'national-' || lpad(n::text, 3, '0') END AS slug,
                   CASE n WHEN 0 THEN 'Hundredfold Community Safety Partnership'
                          ELSE 'National Community Safety Partnership ' || lpad(n::text, 3, '0')
                   END AS name,
                   CASE n WHEN 0 THEN {HUNDREDFOLD} ELSE 1 END AS multiplier
            FROM generate_series(0, {partnerships}) n
            """,
        )

    def partnerships(self) -> int:
        from plans.models import Partnership

        return self.inserter.insert(
            Partnership,
            {"id": "c.new_id", "name": "c.name", "slug": "c.slug",
             "short_name": "'CSP ' || c.n", "area_name": "'Area ' || c.n"},
            f"FROM copies c JOIN plans_partnership src ON src.id = {self.demo.partnership}",
            copy_from="src",
        )  # fmt: skip

    def agencies(self) -> int:
        """The demo's agencies, renamed for each copy (agency names are unique)."""
        from plans.models import Organisation, Partnership

        members = Partnership.organisations.through
        self.inserter.numbering(
            "agency_copies",
            Organisation,
            f"""SELECT m.organisation_id AS old_id, c.n FROM copies c
                CROSS JOIN {members._meta.db_table} m
                WHERE m.partnership_id = {self.demo.partnership}""",
        )
        return self.inserter.insert(
            Organisation,
            {"id": "a.new_id", "name": "left(src.name, 150) || ' (' || c.slug || ')'"},
            "FROM agency_copies a JOIN copies c USING (n) "
            "JOIN plans_organisation src ON src.id = a.old_id",
            copy_from="src",
        ) + self.inserter.insert(
            members,
            {"partnership_id": "c.new_id", "organisation_id": "a.new_id"},
            "FROM agency_copies a JOIN copies c USING (n)",
        )

    def people(self) -> int:
        """A manager (staff, in the managers' group) and an officer, members through the same
        agencies as the demo's `manager` and `officer`."""
        from django.contrib.auth import get_user_model

        from plans.models import Membership

        User = get_user_model()
        self.inserter.numbering(
            "people",
            User,
            "SELECT c.n, r.role FROM copies c CROSS JOIN (VALUES ('manager'), ('officer')) r(role)",
        )
        made = self.inserter.insert(
            User,
            {"id": "p.new_id", "username": "c.slug || '-' || p.role", "password": "'!'",
             "email": "c.slug || '-' || p.role || '@example.org'",
             "is_staff": "p.role = 'manager'", "is_active": "true", "is_superuser": "false",
             "first_name": "''", "last_name": "''", "date_joined": "now()"},
            "FROM people p JOIN copies c USING (n)",
        )  # fmt: skip
        made += self.inserter.insert(
            User.groups.through,
            {"user_id": "p.new_id", "group_id": str(self.demo.managers_group)},
            "FROM people p WHERE p.role = 'manager'",
        )
        return made + self.inserter.insert(
            Membership,
            {"user_id": "p.new_id", "partnership_id": "c.new_id", "organisation_id": "a.new_id",
             "role": "p.role"},
            f"""FROM people p JOIN copies c USING (n)
                JOIN auth_user du ON du.username = p.role
                JOIN plans_membership dm ON dm.user_id = du.id AND dm.role = p.role
                     AND dm.partnership_id = {self.demo.partnership}
                JOIN agency_copies a ON a.old_id = dm.organisation_id AND a.n = p.n""",
        )  # fmt: skip

    def wards(self) -> int:
        from plans.models import Area

        self.inserter.numbering(
            "wards", Area, f"SELECT c.n, k FROM copies c CROSS JOIN generate_series(1, {WARDS}) k"
        )
        return self.inserter.insert(
            Area,
            {"id": "w.new_id", "partnership_id": "c.new_id",
             "name": "'Ward ' || lpad(w.k::text, 2, '0')", "kind": "'ward'",
             "population": "4000 + 150 * w.k"},
            "FROM wards w JOIN copies c USING (n)",
        )  # fmt: skip

    def indicators(self) -> int:
        """30 a copy: the demo's indicators in code order, again and again; the second round's
        codes end in -2."""
        from indicators.models import Indicator, IndicatorTarget

        self.inserter.numbering(
            "indicator_copies",
            Indicator,
            f"""
            WITH demo AS (
                SELECT id, row_number() OVER (ORDER BY code) AS ordinal, count(*) OVER () AS size
                FROM indicators_indicator WHERE partnership_id = {self.demo.partnership})
            SELECT c.n, k, demo.id AS template_id, (k - 1) / demo.size + 1 AS round
            FROM copies c CROSS JOIN generate_series(1, {INDICATORS}) k
            JOIN demo ON demo.ordinal = (k - 1) % demo.size + 1
            """,
        )
        made = self.inserter.insert(
            Indicator,
            {"id": "i.new_id", "partnership_id": "c.new_id",
             "code": "CASE i.round WHEN 1 THEN src.code "
                     "ELSE left(src.code, 36) || '-' || i.round END",
             "owner_id": "a.new_id"},
            """FROM indicator_copies i JOIN copies c USING (n)
               JOIN indicators_indicator src ON src.id = i.template_id
               LEFT JOIN agency_copies a ON a.old_id = src.owner_id AND a.n = i.n""",
            copy_from="src",
        )  # fmt: skip
        return made + self.inserter.insert(
            IndicatorTarget,
            {"indicator_id": "i.new_id", "financial_year": "year",
             "value": "coalesce(src.baseline_value, 50)", "direction": "''", "text": "''"},
            f"""FROM indicator_copies i JOIN indicators_indicator src ON src.id = i.template_id
                CROSS JOIN generate_series({FIRST_YEAR}, {LAST_YEAR}) year""",
        )  # fmt: skip

    def quarters(self) -> int:
        from indicators.models import ReportingPeriod

        self.inserter.numbering(
            "quarters",
            ReportingPeriod,
            f"""SELECT c.n, year, quarter,
                       (make_date(year, 4, 1) + make_interval(months => 3 * quarter))::date
                       + 27 AS due
                FROM copies c CROSS JOIN generate_series({FIRST_YEAR}, {LAST_YEAR}) year
                CROSS JOIN generate_series(1, 4) quarter""",
        )
        return self.inserter.insert(
            ReportingPeriod,
            {"id": "q.new_id", "partnership_id": "c.new_id", "financial_year": "q.year",
             "quarter": "q.quarter", "due_date": "q.due", "is_open": "false",
             "report_published_at": "q.due + interval '25 days'",
             "report_withdrawn_reason": "''"},
            "FROM quarters q JOIN copies c USING (n)",
        )  # fmt: skip

    def returns(self) -> int:
        """An approved figure for every indicator, quarter and ward, and the whole area's;
        entered by the copy's officer and approved by its manager when the quarter closed."""
        from indicators.models import Return

        self.cursor.execute(
            "CREATE TEMPORARY TABLE places AS SELECT n, k, new_id AS area_id FROM wards "
            "UNION ALL SELECT n, 0, NULL FROM copies"
        )
        self.cursor.execute("ANALYZE places")
        return self.inserter.insert(
            Return,
            {"indicator_id": "i.new_id", "reporting_period_id": "q.new_id",
             "area_id": "w.area_id", "status": "'approved'", "revision": "1",
             # 1 to 97: a whole count, and a percentage, whatever the indicator's unit.
             "value": "(i.k * 37 + q.year * 11 + q.quarter * 5 + w.k * 3) % 97 + 1",
             "entered_by_id": "officer.new_id", "submitted_by_id": "officer.new_id",
             "approved_by_id": "manager.new_id", "submitted_at": "q.due - 7",
             "approved_at": "q.due + 3", "created_at": "q.due - 20", "updated_at": "q.due + 3",
             "commentary": "''", "rag_override": "''", "rag_override_reason": "''",
             "returned_reason": "''"},
            """FROM indicator_copies i JOIN quarters q USING (n) JOIN places w USING (n)
               JOIN people officer ON officer.n = i.n AND officer.role = 'officer'
               JOIN people manager ON manager.n = i.n AND manager.role = 'manager'""",
        )  # fmt: skip

    def risks(self) -> int:
        from plans.models import Risk

        return self.inserter.insert(
            Risk,
            {"partnership_id": "c.new_id", "owner_id": "a.new_id"},
            f"""FROM copies c JOIN plans_risk src ON src.partnership_id = {self.demo.partnership}
                LEFT JOIN agency_copies a ON a.old_id = src.owner_id AND a.n = c.n""",
            copy_from="src",
        )
