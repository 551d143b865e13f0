"""axe-core (bundled by axe-playwright-python, nothing downloaded) run on a Playwright page at
WCAG 2.1 AA, its violations told in a form a person can act on.

    found = violations(page, exclude=["[data-testid=stToolbar]"])
    assert not found, report(found, "the library")
"""

from __future__ import annotations

from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error, Page

# WCAG 2.0 and 2.1, levels A and AA: what the issue asks for.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe files these under best practice, not WCAG, but a screen-reader user moves by headings and
# a skipped level hides where a section belongs: the audit counted it, so do we.
ALSO = ["heading-order"]

_AXE = Axe()

# The words of each failing element, found from axe's selector (the selector alone, a chain of
# generated class names on a Streamlit page, says little to a person).
_TEXT_OF = """targets => targets.map(target => {
  try {
    const element = document.querySelector(target);
    if (!element) return "";
    const words = element.innerText || element.textContent || element.getAttribute("alt") || "";
    return words.replace(/\\s+/g, " ").trim().slice(0, 160);
  } catch (error) { return ""; }
})"""


@dataclass(frozen=True)
class Node:
    """One element that fails a rule: where it is, what it says, and why it fails."""

    target: str
    text: str
    html: str
    summary: str


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    nodes: tuple[Node, ...]

    def __str__(self) -> str:
        lines = [f"{self.rule} ({self.impact}): {self.help}"]
        for node in self.nodes:
            lines.append(f"  - {node.text!r}" if node.text else f"  - {node.html[:160]}")
            lines.append(f"    at {node.target}")
            lines.extend(f"    {line.strip()}" for line in node.summary.splitlines()[1:])
        return "\n".join(lines)


def violations(page: Page, exclude: list[str] | None = None) -> list[Violation]:
    """axe's WCAG 2.1 AA violations (and heading order) on `page` as it is drawn now, leaving
    out the elements the CSS selectors in `exclude` match, and everything inside them.

    The page needs JavaScript on (axe is a script). A page that loads anew while it is checked
    (a phone following the room) is checked again once loaded.
    """
    for _attempt in range(3):
        try:
            return _violations(page, exclude)
        except Error as error:
            # (A new document between the look for axe and its run has no axe yet.)
            if not any(
                said in error.message for said in ("context was destroyed", "axe is not defined")
            ):
                raise
            page.wait_for_load_state()
    return _violations(page, exclude)


def _violations(page: Page, exclude: list[str] | None) -> list[Violation]:
    # Injected once per document: a Streamlit page keeps its document, a phone page loads a new
    # one (and with it a window without axe). Injecting costs more than many a check.
    if not page.evaluate("() => typeof window.axe === 'object' && !!window.axe.run"):
        page.evaluate(_AXE.axe_script)
    context = {"include": [["html"]], "exclude": [[selector] for selector in exclude or []]}
    options = {
        "runOnly": {"type": "tag", "values": WCAG_21_AA},
        "rules": {rule: {"enabled": True} for rule in ALSO},
        "resultTypes": ["violations"],
    }
    # Handed over as arguments, not written into the script: a selector may hold any quote.
    response = page.evaluate(
        "([context, options]) => axe.run(context, options)", [context, options]
    )
    found = []
    for violation in response["violations"]:
        # A target inside a frame is a list of selectors, outermost first.
        targets = [" >>> ".join(map(str, node["target"])) for node in violation["nodes"]]
        texts = page.evaluate(_TEXT_OF, targets)
        nodes = tuple(
            Node(
                target=target,
                text=text,
                html=" ".join((node.get("html") or "").split()),
                summary=node.get("failureSummary") or "",
            )
            for target, text, node in zip(targets, texts, violation["nodes"], strict=True)
        )
        found.append(
            Violation(
                rule=violation["id"],
                impact=violation.get("impact") or "",
                help=violation.get("help", ""),
                nodes=nodes,
            )
        )
    return found


def report(found: list[Violation], where: str = "") -> str:
    """The violations as readable text, for an assertion's message."""
    heading = f"{len(found)} accessibility rule(s) failed" + (f" on {where}" if where else "")
    return "\n".join([heading, *(str(violation) for violation in found)])
