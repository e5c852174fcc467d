"""The national partnerships' plans: the demo's published version copied into each (its
sections, themes, priorities, action rows with their agencies, outcomes and data lines tied
to the copy's indicators), and every action row's approved progress each quarter.

Methods of dataset.Steps, which numbers the copies first (temporary tables `copies`,
`agency_copies`, `wards`, `indicator_copies`, `quarters`); each returns the rows it wrote.
"""

from .sizes import WARDS


class PlanCopies:
    def plans(self) -> int:
        """The demo's plan and its published version, with that version's sections and
        themes, the version's publication and the quarters it is in force for."""
        from indicators.models import ReportingPeriod
        from plans.models import Plan, PlanVersion, Section, Theme, VersionEvent

        for name, model in (("plan_copies", Plan), ("version_copies", PlanVersion)):
            self.inserter.numbering(name, model, "SELECT n FROM copies")
        self.inserter.numbering(
            "theme_copies",
            Theme,
            f"SELECT t.id AS old_id, c.n FROM copies c "
            f"JOIN plans_theme t ON t.plan_version_id = {self.demo.version}",
        )
        made = self.inserter.insert(
            Plan,
            {"id": "p.new_id", "partnership_id": "c.new_id"},
            f"FROM plan_copies p JOIN copies c USING (n) "
            f"JOIN plans_plan src ON src.id = {self.demo.plan}",
            copy_from="src",
        )
        made += self.inserter.insert(
            PlanVersion,
            {"id": "v.new_id", "plan_id": "p.new_id", "number": "1", "status": "'published'"},
            f"FROM version_copies v JOIN plan_copies p USING (n) "
            f"JOIN plans_planversion src ON src.id = {self.demo.version}",
            copy_from="src",
        )
        made += self.inserter.insert(
            VersionEvent,
            {"version_id": "v.new_id", "kind": "'published'", "on": "src.published_on",
             "at": "src.published_on::timestamptz", "reason": "''"},
            f"FROM version_copies v JOIN plans_planversion src ON src.id = {self.demo.version}",
        )  # fmt: skip
        made += self.inserter.insert(
            Section,
            {"plan_version_id": "v.new_id"},
            f"FROM version_copies v JOIN plans_section src "
            f"ON src.plan_version_id = {self.demo.version}",
            copy_from="src",
        )
        made += self.inserter.insert(
            Theme,
            {"id": "t.new_id", "plan_version_id": "v.new_id"},
            "FROM theme_copies t JOIN version_copies v USING (n) "
            "JOIN plans_theme src ON src.id = t.old_id",
            copy_from="src",
        )
        return made + self.inserter.insert(
            ReportingPeriod.plan_versions.through,
            {"reportingperiod_id": "q.new_id", "planversion_id": "v.new_id"},
            "FROM quarters q JOIN version_copies v USING (n)",
        )

    def priorities(self) -> int:
        """The demo version's priorities, `multiplier` times over (copies after the first
        numbered after the demo's, slugs and titles suffixed), with their priority areas."""
        from priorities.models import Priority

        self.inserter.numbering(
            "priority_copies",
            Priority,
            f"""SELECT p.id AS old_id, c.n, m FROM copies c
                CROSS JOIN generate_series(1, c.multiplier) m
                JOIN priorities_priority p ON p.plan_version_id = {self.demo.version}""",
        )
        made = self.inserter.insert(
            Priority,
            {"id": "p.new_id", "plan_version_id": "v.new_id",
             "order": "src.order + (p.m - 1) * 100000", "theme_id": "t.new_id",
             "slug": "CASE p.m WHEN 1 THEN src.slug ELSE left(src.slug, 44) || '-' || p.m END",
             "title": "CASE p.m WHEN 1 THEN src.title ELSE left(src.title, 190) || ' ' || p.m "
                      "END"},
            """FROM priority_copies p JOIN version_copies v USING (n)
               JOIN priorities_priority src ON src.id = p.old_id
               LEFT JOIN theme_copies t ON t.old_id = src.theme_id AND t.n = p.n""",
            copy_from="src",
        )  # fmt: skip
        return made + self.inserter.insert(
            Priority.hotspots.through,
            {"priority_id": "p.new_id", "area_id": "w.new_id"},
            f"""FROM priority_copies p
                JOIN {Priority.hotspots.through._meta.db_table} h ON h.priority_id = p.old_id
                JOIN (SELECT id, row_number() OVER (ORDER BY id) AS ordinal FROM plans_area
                      WHERE partnership_id = {self.demo.partnership}) demo_area
                     ON demo_area.id = h.area_id
                JOIN wards w ON w.n = p.n AND w.k = (demo_area.ordinal - 1) % {WARDS} + 1""",
        )

    def action_rows(self) -> int:
        from priorities.models import ActionRow, DataLine, Outcome

        self.inserter.numbering(
            "row_copies",
            ActionRow,
            "SELECT r.id AS old_id, p.n, p.m, p.new_id AS priority_id FROM priority_copies p "
            "JOIN priorities_actionrow r ON r.priority_id = p.old_id",
        )
        made = self.inserter.insert(
            ActionRow,
            {"id": "r.new_id", "priority_id": "r.priority_id", "theme_id": "t.new_id"},
            """FROM row_copies r JOIN priorities_actionrow src ON src.id = r.old_id
               LEFT JOIN theme_copies t ON t.old_id = src.theme_id AND t.n = r.n""",
            copy_from="src",
        )
        for field in (ActionRow.lead_organisations, ActionRow.supporting_organisations):
            made += self.inserter.insert(
                field.through,
                {"actionrow_id": "r.new_id", "organisation_id": "a.new_id"},
                f"""FROM row_copies r JOIN {field.through._meta.db_table} l
                    ON l.actionrow_id = r.old_id
                    JOIN agency_copies a ON a.old_id = l.organisation_id AND a.n = r.n""",
            )
        made += self.inserter.insert(
            Outcome,
            {"action_row_id": "r.new_id"},
            "FROM row_copies r JOIN priorities_outcome src ON src.action_row_id = r.old_id",
            copy_from="src",
        )
        self.inserter.numbering(
            "line_copies",
            DataLine,
            "SELECT l.id AS old_id, r.n, r.new_id AS row_id FROM row_copies r "
            "JOIN priorities_dataline l ON l.action_row_id = r.old_id",
        )
        made += self.inserter.insert(
            DataLine,
            {"id": "l.new_id", "action_row_id": "l.row_id"},
            "FROM line_copies l JOIN priorities_dataline src ON src.id = l.old_id",
            copy_from="src",
        )
        # Each demo link becomes links to every copy of its indicator (both rounds).
        links = DataLine.indicators.through
        return made + self.inserter.insert(
            links,
            {"dataline_id": "l.new_id", "indicator_id": "i.new_id"},
            f"""FROM line_copies l JOIN {links._meta.db_table} src ON src.dataline_id = l.old_id
                JOIN indicator_copies i ON i.template_id = src.indicator_id AND i.n = l.n""",
        )

    def action_updates(self) -> int:
        """Every row's progress, each quarter, from its first lead agency (as the demo's)."""
        from priorities.models import ActionRow, ActionUpdate

        leads = ActionRow.lead_organisations.through._meta.db_table
        return self.inserter.insert(
            ActionUpdate,
            {"action_row_id": "r.new_id", "reporting_period_id": "q.new_id",
             "organisation_id": "a.new_id", "action_status": "src.status",
             "progress": "coalesce(demo_update.progress, '')", "status": "'approved'",
             "revision": "1", "submitted_at": "q.due - 7", "approved_at": "q.due + 3",
             "created_at": "q.due - 20", "updated_at": "q.due + 3",
             "returned_reason": "''", "status_note": "''"},
            f"""FROM row_copies r JOIN priorities_actionrow src ON src.id = r.old_id
                JOIN quarters q ON q.n = r.n
                LEFT JOIN (SELECT actionrow_id, min(organisation_id) AS organisation_id
                           FROM {leads} GROUP BY actionrow_id) lead ON lead.actionrow_id = src.id
                LEFT JOIN agency_copies a ON a.old_id = lead.organisation_id AND a.n = r.n
                LEFT JOIN LATERAL (SELECT progress FROM priorities_actionupdate u
                                   WHERE u.action_row_id = src.id ORDER BY u.id LIMIT 1)
                     demo_update ON true""",
        )  # fmt: skip
