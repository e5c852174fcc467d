"""axe-core in the real browser: every page the browser tests visit must have no violations."""

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.2 AA and everything below it, plus axe's best practices (landmarks, one h1…).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}

_axe = Axe()


def accessibility_violations(page) -> list[dict]:
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def assert_accessible(page) -> None:
    """Fail with one line per problem: the rule, its impact and the elements it found."""
    violations = accessibility_violations(page)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]
    assert not problems, f"axe-core found problems on {page.url}:\n" + "\n".join(problems)
