"""Every rationale a comment cites lives in the repository, and every citation resolves.

The policies, the thresholds and the package cite `docs/<file>.md#<anchor>` (or a README
section); a bare reference to a document outside the repository ("DESIGN.md", "pitfall 3",
"matrix row 2", "[R21]", "section 2") is refused, since an auditor cannot follow it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from conftest import REPO

SCANNED = sorted([*(REPO / "policies").rglob("*.rego"), *(REPO / "policies").rglob("*.yaml"),
                  *(REPO / "gatekeeper").rglob("*.py")])
BARE = re.compile(
    r"DESIGN\.md|STYLE\.md|governance-anchors|research note|\b[Pp]itfalls? \d"
    r"|\b[Mm]atrix rows? \d|\[R\d+|\bR\d+\]|(?<!RFC \d\d\d\d )\b[Ss]ection \d"
    r"|\b[Pp]rotocols? \d|\[[PSU]\]")
LINK = re.compile(r"\b((?:docs/[\w.-]+\.md|README\.md)(?:#[\w-]+)?)")
DOC_LINK = re.compile(r"\]\(([\w.-]+\.md)(#[\w-]+)?\)")
_HEADING = re.compile(r"^#{1,6} +(.+?) *$", re.MULTILINE)
_ANCHOR = re.compile(r'<a id="([\w-]+)"></a>')


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@cache
def anchors(document: Path) -> frozenset[str]:
    text = document.read_text()
    return frozenset({slug(h) for h in _HEADING.findall(text)} | set(_ANCHOR.findall(text)))


def resolves(target: str, base: Path = REPO) -> bool:
    path, _, anchor = target.partition("#")
    document = base / path
    return document.is_file() and (not anchor or anchor in anchors(document))


@pytest.mark.parametrize("path", SCANNED, ids=[str(p.relative_to(REPO)) for p in SCANNED])
def test_no_citation_points_outside_the_repository(path: Path) -> None:
    found = [(n, m.group(0)) for n, line in enumerate(path.read_text().splitlines(), 1)
             for m in BARE.finditer(line)]
    assert not found, f"{path.relative_to(REPO)}: cite a docs/ anchor instead: {found}"


def test_every_citation_resolves() -> None:
    cited = {(path, target) for path in SCANNED for target in LINK.findall(path.read_text())}
    assert len(cited) > 50, "the policies and thresholds cite docs/ throughout"
    broken = sorted(f"{p.relative_to(REPO)}: {t}" for p, t in cited if not resolves(t))
    assert not broken, broken


def test_the_docs_link_to_each_other_by_anchors_that_exist() -> None:
    docs = sorted((REPO / "docs").glob("*.md"))
    links = [(d, path + anchor) for d in docs for path, anchor in DOC_LINK.findall(d.read_text())]
    assert links
    broken = [f"{d.name}: {t}" for d, t in links if not resolves(t, d.parent)]
    assert not broken, broken


def test_every_rule_of_the_matrix_exists() -> None:
    """The matrix names the rules that implement each row; each is a real rule id."""
    matrix = (REPO / "docs" / "verdict-matrix.md").read_text()
    sources = "".join(p.read_text() for p in (REPO / "policies").rglob("*.rego"))
    named = set(re.findall(r"\bGK-[A-Z]{3}-\d{3}\b", matrix))
    assert named and all(f'"rule_id": "{rule}"' in sources for rule in named), named
