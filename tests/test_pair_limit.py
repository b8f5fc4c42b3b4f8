"""Above the schema's `pair-pages: {every-pair-up-to: N}`, only written and related pairs get a page.

The pure selection on small data first, then a copy of the real project built with a low limit
(the real site, below its limit, is covered by test_pairs.py: every pair has a page there).
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import pytest

import concept_pairs as pairs_mod
from concept_records import build_model, parse_schema, parse_yaml
from conftest import copy_project, run_mkdocs
from html_pages import read_page
from records_data import SCHEMA_YAML, comparison_text, concept_text, doc, schema

LOW_LIMIT = 10  # the real site's 10 concepts make 45 pairs


def model_of(concepts: dict[str, str], comparisons=(), limit: int = 0):
    model, problems = build_model(
        dataclasses.replace(schema(), every_pair_up_to=limit),
        [(slug, doc(f"docs/concepts/{slug}.md", text)) for slug, text in concepts.items()],
        [(f"{a}-vs-{b}", doc(f"docs/compare/{a}-vs-{b}.md", comparison_text(a, b))) for a, b in comparisons],
    )
    assert problems == [], problems
    return model


# A chain a -applies-> b -part-of-> c -applies-> e, and d and f on their own.
CHAIN = {
    "a": concept_text("Alpha", "applies: [b]\n"),
    "b": concept_text("Beta", "part-of: [c]\n"),
    "c": concept_text("Gamma", "applies: [e]\n"),
    "e": concept_text("Epsilon"),
    "d": concept_text("Delta"),
    "f": concept_text("Zeta"),
}


def slugs_of(found) -> set[frozenset]:
    return {frozenset(p.concepts) for p in found}


def test_above_the_limit_only_written_and_related_pairs_have_pages():
    model = model_of(CHAIN, comparisons=(("d", "f"),))
    assert not pairs_mod.every_pair(model)
    found = pairs_mod.pairs(model)
    # One or two relations apart (either direction); three (a to e) is too far; d-f is written.
    assert slugs_of(found) == {frozenset(p) for p in ("ab", "bc", "ce", "ac", "be", "df")}
    written = next(p for p in found if p.written is not None)
    assert written.slug == "d-vs-f"
    assert [p.slug for p in found] == sorted(p.slug for p in found)


def test_up_to_the_limit_every_pair_has_a_page():
    every = len(list(combinations(CHAIN, 2)))  # 15
    for limit in (every, every + 1):
        model = model_of(CHAIN, limit=limit)
        assert pairs_mod.every_pair(model)
        assert slugs_of(pairs_mod.pairs(model)) == {frozenset(p) for p in combinations(CHAIN, 2)}
    assert not pairs_mod.every_pair(model_of(CHAIN, limit=every - 1))


def test_the_limit_defaults_to_fifty_concepts_worth_of_pairs():
    parsed, problems = parse_schema("data/schema.yml", parse_yaml(SCHEMA_YAML))
    assert problems == [] and parsed.every_pair_up_to == 1225 == 50 * 49 // 2


@pytest.mark.parametrize(("value", "got"), [
    ("-1", "got '-1'"), ("many", "got text"), ("true", "got true/false"), ("2.5", "got '2.5'"),
])
def test_a_bad_limit_is_one_line_naming_file_field_and_fix(value, got):
    text = SCHEMA_YAML + f"pair-pages:\n  every-pair-up-to: {value}\n"
    parsed, problems = parse_schema("data/schema.yml", parse_yaml(text))
    assert parsed is None
    [problem] = problems
    line = len(SCHEMA_YAML.splitlines()) + 2
    assert str(problem).startswith(f"data/schema.yml:{line}: field 'pair-pages.every-pair-up-to': expected a whole")
    assert got in str(problem) and "write a number such as 1225" in str(problem) and "\n" not in str(problem)


def test_a_misspelt_limit_key_is_named():
    text = SCHEMA_YAML + "pair-pages:\n  every-pair-upto: 10\n"
    _, problems = parse_schema("data/schema.yml", parse_yaml(text))
    assert [p.field for p in problems] == ["pair-pages.every-pair-upto"]
    assert "every-pair-up-to" in str(problems[0])


# --------------------------------------------------------------------------- a real build, low limit


def set_limit(project: Path, value: str) -> None:
    path = project / "data" / "schema.yml"
    text = path.read_text(encoding="utf-8")
    assert "every-pair-up-to: 1225" in text
    path.write_text(text.replace("every-pair-up-to: 1225", f"every-pair-up-to: {value}"), encoding="utf-8")


def test_a_bad_limit_stops_the_build_with_one_line(tmp_path):
    project = copy_project(tmp_path)
    set_limit(project, "lots")
    result = run_mkdocs("build", cwd=project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if "pair-pages" in line]
    assert re.search(r"data/schema\.yml:\d+: field 'pair-pages\.every-pair-up-to': expected a whole number", line)


@pytest.fixture(scope="module")
def low_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("low-limit"))
    set_limit(project, str(LOW_LIMIT))
    out = project / "site"
    result = run_mkdocs("build", "--strict", "--site-dir", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    return out


def real_model():
    from mkdocs.config import load_config

    import concept_site
    from conftest import ROOT

    return concept_site.load(load_config(str(ROOT / "mkdocs.yml"))).model


@pytest.fixture(scope="module")
def expected():
    """(pairs with a page at the low limit, pairs without), worked out here from the relations."""
    model = real_model()
    related, unrelated = {}, []
    for a, b in combinations(sorted(model.concepts), 2):
        written = model.comparison_for(a, b)
        path = pairs_mod.relation_path(model, a, b)
        if written is not None:
            related[frozenset((a, b))] = written.slug
        elif path is not None and len(path) <= 2:
            related[frozenset((a, b))] = f"{a}-vs-{b}"
        else:
            unrelated.append((a, b))
    assert related and unrelated  # the real records have both, or this test proves nothing
    return related, unrelated


def test_above_the_limit_related_pairs_have_pages_and_unrelated_do_not(low_site, expected):
    related, unrelated = expected
    for slug in related.values():
        assert (low_site / "compare" / slug / "index.html").is_file(), slug
    for a, b in unrelated:
        for slug in (f"{a}-vs-{b}", f"{b}-vs-{a}"):
            assert not (low_site / "compare" / slug).exists(), slug
    made = {p.name for p in (low_site / "compare").iterdir() if "-vs-" in p.name}
    reversed_slugs = {"-vs-".join(reversed(s.split("-vs-"))) for s in related.values()}
    assert made == set(related.values()) | reversed_slugs


def test_reversed_order_redirects_only_for_pairs_with_pages(low_site, expected):
    related, _ = expected
    for slug in related.values():
        a, b = slug.split("-vs-")
        html = (low_site / "compare" / f"{b}-vs-{a}" / "index.html").read_text(encoding="utf-8")
        assert f'data-to="../{slug}/"' in html, slug


def test_compare_lists_exactly_the_pairs_with_pages(low_site, expected):
    related, unrelated = expected
    html = (low_site / "compare" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<a data-pair="([a-z-]+) ([a-z-]+)" href="([^"]+)"', html)
    pairs_listed = {(a, b) for a, b, _ in listed}
    assert {href for _, _, href in listed} == {f"{s}/" for s in related.values()}
    assert len(listed) == 2 * len(related)
    assert {frozenset(p) for p in pairs_listed} == set(related)
    assert f"there are 45 pairs, more than the {LOW_LIMIT} that each get a page" in html
    assert 'data-records="../data/concepts.json"' in html
    # Concept pages link only to pairs that have a page; the sitemap holds only pages that exist.
    for a, b in unrelated:
        page = read_page(low_site, f"concepts/{a}/")
        assert not any(f"{a}-vs-{b}/" in h or f"{b}-vs-{a}/" in h for h in page.parsed.main_links), (a, b)
        html = (low_site / "concepts" / a / "index.html").read_text(encoding="utf-8")
        assert re.search(r'Any other concept: choose the pair in <a href="\.\./\.\./compare/">the picker</a>', html)
    sitemap = ET.parse(low_site / "sitemap.xml").getroot()
    locs = {el.text.split("/", 3)[3] for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {loc for loc in locs if "-vs-" in loc} == {f"compare/{s}/" for s in related.values()}
