"""Every pair of concepts at its own address: the pure module on small data, then the real built site."""

from __future__ import annotations

import html as html_text
import json
import re
import xml.etree.ElementTree as ET
from itertools import combinations

import pytest
import yaml

import concept_pairs as pairs_mod
from concept_records import build_model
from conftest import ROOT
from html_pages import read_page, row_label
from records_data import comparison_text, concept_text, doc, schema

SCHEMA_ATTRIBUTES = yaml.safe_load((ROOT / "data" / "schema.yml").read_text(encoding="utf-8"))["attributes"]


def model_of(concepts: dict[str, str], comparisons: tuple[tuple[str, str], ...] = ()):
    model, problems = build_model(
        schema(),
        [(slug, doc(f"docs/concepts/{slug}.md", text)) for slug, text in concepts.items()],
        [(f"{a}-vs-{b}", doc(f"docs/compare/{a}-vs-{b}.md", comparison_text(a, b))) for a, b in comparisons],
    )
    assert problems == [], problems
    return model


# A chain a -applies-> b -part-of-> c, and d on its own.
CHAIN = {
    "a": concept_text("Alpha", "applies: [b]\n", **{"key-measures": "[cycle time, yield]"}),
    "b": concept_text("Beta", "part-of: [c]\n", **{"key-measures": "[Cycle time, throughput]"}),
    "c": concept_text("Gamma Ray"),
    "d": concept_text("Delta", **{"key-measures": "[cost]"}),
}


def test_every_pair_once_with_the_written_order_kept():
    model = model_of(CHAIN, comparisons=(("c", "a"),))
    found = pairs_mod.pairs(model)
    assert len(found) == 6 == len(list(combinations(CHAIN, 2)))
    assert {frozenset(p.concepts) for p in found} == {frozenset(p) for p in combinations(CHAIN, 2)}
    written = next(p for p in found if set(p.concepts) == {"a", "c"})
    assert (written.slug, written.concepts, written.reversed_slug) == ("c-vs-a", ("c", "a"), "a-vs-c")
    generated = next(p for p in found if set(p.concepts) == {"b", "d"})
    assert (generated.slug, generated.written) == ("b-vs-d", None)


def test_relation_path_follows_relations_either_way():
    model = model_of(CHAIN)
    assert [(s.source, s.relation, s.target) for s in pairs_mod.relation_path(model, "a", "b")] == [("a", "applies", "b")]
    # From c back to a: against the arrows, each step still named in its recorded direction.
    path = pairs_mod.relation_path(model, "c", "a")
    assert [(s.source, s.relation, s.target) for s in path] == [("b", "part-of", "c"), ("a", "applies", "b")]
    assert pairs_mod.relation_path(model, "a", "d") is None


def test_relation_sentence_states_the_path_or_that_there_is_none():
    model = model_of(CHAIN)

    def href(slug):
        return f"{slug}.md"

    assert pairs_mod.relation_sentence(model, "a", "b", href) == "[Alpha](a.md) *applies* [beta](b.md)."
    indirect = pairs_mod.relation_sentence(model, "a", "c", href)
    assert indirect.startswith("not directly. Through the recorded relations:")
    assert "[Alpha](a.md) *applies* [beta](b.md), and [beta](b.md) *part of* [gamma Ray](c.md)." in indirect
    assert pairs_mod.relation_sentence(model, "a", "d", href).startswith("not directly related.")


def test_shared_items_match_ignoring_case():
    model = model_of(CHAIN)
    assert pairs_mod.shared_items(model, "a", "b") == [("Key measures", ["cycle time"])]
    assert pairs_mod.shared_items(model, "a", "d") == []


def test_redirect_page_runs_its_script_before_the_meta_refresh():
    page = pairs_mod.redirect_html("../a-vs-b/", "https://example.org/compare/a-vs-b/", "../../javascripts/redirect.js")
    assert page.index('<script src="../../javascripts/redirect.js" data-to="../a-vs-b/">') < page.index("http-equiv")
    assert 'content="0; url=../a-vs-b/"' in page and 'name="robots" content="noindex"' in page


# --------------------------------------------------------------------------- the built site


def concept_slugs() -> list[str]:
    return sorted(p.stem for p in (ROOT / "docs" / "concepts").glob("*.md") if p.stem != "index")


def written() -> dict[frozenset, str]:
    found = {}
    for path in (ROOT / "docs" / "compare").glob("*-vs-*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])
        found[frozenset(meta["comparison"]["concepts"])] = path.stem
    return found


def pair_slug(a: str, b: str) -> str:
    return written().get(frozenset((a, b))) or "-vs-".join(sorted((a, b)))


ALL_PAIRS = list(combinations(concept_slugs(), 2))


def test_every_pair_has_a_page_with_the_full_table(built_site):
    assert len(ALL_PAIRS) == len(concept_slugs()) * (len(concept_slugs()) - 1) // 2
    for a, b in ALL_PAIRS:
        slug = pair_slug(a, b)
        page = read_page(built_site, f"compare/{slug}/")
        [table] = page.generated_tables
        body = table.rows[1:]
        assert len(body) >= 6, slug
        assert all(row[0].ids and row[0].hrefs == [f"#{row[0].ids[0]}"] for row in body), slug
        heads = [cell.hrefs[0] for cell in table.rows[0][1:]]
        assert sorted(page.resolve(h) for h in heads) == sorted((f"concepts/{a}/", f"concepts/{b}/")), slug


def test_a_generated_pair_page_has_what_the_issue_asks(built_site):
    a, b = next((a, b) for a, b in ALL_PAIRS if frozenset((a, b)) not in written())
    url = f"compare/{pair_slug(a, b)}/"
    html = (built_site / url / "index.html").read_text(encoding="utf-8")
    page = read_page(built_site, url)
    [table] = page.generated_tables
    # Same rows, in schema order, as a written comparison, and the glossary tooltips.
    assert [row[0].ids[0] for row in table.rows[1:]] == [a["key"] for a in SCHEMA_ATTRIBUTES]
    assert [row_label(row[0]) for row in table.rows[1:]] == [a["label"] for a in SCHEMA_ATTRIBUTES]
    assert re.search(r'<abbr\b[^>]* title="', html)
    assert "How they relate:" in html and "There is no written guide for this pair yet" in html
    assert "What they share" in html
    links = {page.resolve(h).split("#")[0] for h in page.parsed.main_links}
    assert {f"concepts/{a}/", f"concepts/{b}/"} <= links
    theirs = [s for pair, s in written().items() if a in pair or b in pair]
    assert all(f"compare/{s}/" in links for s in theirs)
    # Its own title, description, Open Graph tags and canonical link.
    assert page.parsed.title.startswith(page.parsed.meta["og:title"].split(" - ")[0])
    assert page.parsed.canonical.endswith("/" + url)
    assert page.parsed.meta["og:url"] == page.parsed.canonical
    assert "side by side" in page.parsed.meta["description"]


def test_pair_pages_have_their_own_descriptions_and_are_in_the_sitemap_not_the_sidebar(built_site):
    urls = [f"compare/{pair_slug(a, b)}/" for a, b in ALL_PAIRS]
    descriptions = [read_page(built_site, u).parsed.meta["description"] for u in urls]
    assert len(set(descriptions)) == len(descriptions)
    sitemap = ET.parse(built_site / "sitemap.xml").getroot()
    locs = {el.text.split("/", 3)[3] for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert set(urls) <= locs
    assert not any("-vs-" in loc and loc not in urls for loc in locs)  # no redirect page in the sitemap
    generated = [u for u in urls if u.split("/")[1] not in written().values()]
    sidebar = (built_site / "index.html").read_text(encoding="utf-8").split('class="md-content"')[0]
    assert not any(u in sidebar for u in generated)  # the navigation does not grow with the pairs


def test_pair_pages_are_in_the_search_index_under_both_orders(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = {d["location"]: d for d in index["docs"]}
    a, b = next((a, b) for a, b in ALL_PAIRS if frozenset((a, b)) not in written())
    entry = docs[f"compare/{pair_slug(a, b)}/"]
    # Named by both concepts' words (either order matches) and as a comparison (hooks/concept_search.py)
    words = set(entry["names"].split())
    assert {w.casefold() + "_" for s in (a, b) for w in s.split("-")} <= words and "comparison_" in words


def test_the_other_order_of_every_pair_redirects_keeping_the_row(built_site):
    for a, b in ALL_PAIRS:
        slug = pair_slug(a, b)
        for other in {f"{a}-vs-{b}", f"{b}-vs-{a}"} - {slug}:
            html = (built_site / "compare" / other / "index.html").read_text(encoding="utf-8")
            assert f'data-to="../{slug}/"' in html and f'url=../{slug}/"' in html, other
            assert 'src="../../javascripts/redirect.js"' in html


def test_concept_pages_offer_every_pair_and_compare_lists_them(built_site):
    slugs = concept_slugs()
    for slug in slugs:
        page = read_page(built_site, f"concepts/{slug}/")
        html = (built_site / "concepts" / slug / "index.html").read_text(encoding="utf-8")
        assert re.search(r"<h2[^>]*>Compare .+ with …", html), slug
        links = {page.resolve(h) for h in page.parsed.main_links}
        assert all(f"compare/{pair_slug(slug, o)}/" in links for o in slugs if o != slug), slug
    html = (built_site / "compare" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'data-pair="', html)) == 2 * len(ALL_PAIRS)
    assert 'href="#compare-any-two"' in html.split('class="md-sidebar md-sidebar--secondary"')[1]  # in the TOC


def test_written_comparisons_open_with_their_summary(built_site):
    for path in (ROOT / "docs" / "compare").glob("*-vs-*.md"):
        summary = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])["comparison"]["summary"]
        html = (built_site / "compare" / path.stem / "index.html").read_text(encoding="utf-8")
        article = html.split("<article", 1)[1]
        first = re.search(r"<p[^>]*>(.*?)</p>", article, re.DOTALL).group(1)
        text = " ".join(html_text.unescape(re.sub(r"<[^>]+>", "", first)).split())
        assert text == "In short: " + " ".join(summary.split()), path.stem


def test_footer_follows_the_sidebar_and_editor_pages_come_last(built_site):
    order = []
    url = ""
    while url is not None and len(order) < 200:
        order.append(url)
        html = (built_site / url / "index.html").read_text(encoding="utf-8")
        found = re.search(r'<a href="([^"]*)" class="md-footer__link md-footer__link--next"', html)
        url = read_page(built_site, url).resolve(found.group(1)) if found else None
    assert order[1] == "compare/"
    assert order[-2:] == ["contributing/", "data/"]
    assert order.index("glossary/") < order.index("contributing/")
    sidebar = (built_site / "index.html").read_text(encoding="utf-8").split('class="md-content"')[0]
    assert sidebar.index("Glossary") < sidebar.index("For editors") < sidebar.index("Contributing")


def test_printed_pages_carry_their_address_and_build_date(built_site):
    html = (built_site / "compare" / "lean-vs-process-improvement" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<p class="print-meta">Printed from (\S+); .* built on (\d{4}-\d{2}-\d{2})\.</p>', html)
    assert found and found.group(1).endswith("/compare/lean-vs-process-improvement/")


@pytest.mark.parametrize("url", ["compare/", ""])
def test_picker_and_search_offered_in_plain_html(built_site, url):
    html = (built_site / url / "index.html").read_text(encoding="utf-8")
    if url:
        assert '<select id="compare-pick-a" name="a">' in html and len(re.findall(r"<option value=\"[a-z]", html)) >= 2
    else:
        assert 'name="q"' in html and 'href="compare/#compare-any-two"' in html


REFERENCE_ID = re.compile(r'<p class="reference" id="(ref-[^"]+)"')


def test_every_generated_pair_page_lists_the_works_its_two_concepts_cite(built_site):
    def html_of(url: str) -> str:
        return (built_site / url / "index.html").read_text(encoding="utf-8")

    cited = {slug: set(REFERENCE_ID.findall(html_of(f"concepts/{slug}/"))) for slug in concept_slugs()}
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pairs_written = written()
    generated = [(a, b) for a, b in ALL_PAIRS if frozenset((a, b)) not in pairs_written]
    assert generated
    for a, b in generated:
        slug = pair_slug(a, b)
        pair_html = html_of(f"compare/{slug}/")
        listed = REFERENCE_ID.findall(pair_html)
        assert sorted(listed) == sorted(cited[a] | cited[b]), slug  # every work of either page, each once
        assert ("The works those two pages cite are listed below" in pair_html) == bool(listed), slug
        # Kept out of search: the same works are found on the concepts' own pages.
        entries = [d for d in index["docs"] if d["location"].startswith(f"compare/{slug}/")]
        assert entries, slug
        for key in listed:
            entry = re.search(f'id="{key}">(.*?)</p>', pair_html).group(1)
            words = " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", entry)).split())[:40]
            assert not any(words in d.get("text", "") + d.get("body", "") for d in entries), (slug, words)
        assert not any(d["location"].endswith("#references") for d in entries), slug
