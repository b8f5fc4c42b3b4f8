"""The real site, built with --strict in a temporary folder: pages, tables, consistency, cross-links."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_mkdocs
from html_pages import read_page

# Every record page, found the way the hook finds them: a new concept or comparison is covered by
# every test below without being listed here.
CONCEPTS = sorted(p.stem for p in (ROOT / "docs" / "concepts").glob("*.md") if p.stem != "index")
COMPARISONS = sorted(p.stem for p in (ROOT / "docs" / "compare").glob("*.md") if p.stem != "index")


def front_matter(path: Path) -> dict:
    """The YAML front matter of a source page, read independently of the hook."""
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


def record(slug: str) -> dict:
    return front_matter(ROOT / "docs" / "concepts" / f"{slug}.md")["concept"]


SCHEMA = yaml.safe_load((ROOT / "data" / "schema.yml").read_text(encoding="utf-8"))
SCHEMA_KEYS = [a["key"] for a in SCHEMA["attributes"]]
KINDS = {k["key"]: k for k in SCHEMA["kinds"]}


def applies(key: str, slug: str) -> bool:
    """Does the attribute apply to the concept's kind? (Read from the YAML, not from the hook.)"""
    attribute = next(a for a in SCHEMA["attributes"] if a["key"] == key)
    return record(slug)["kind"] in attribute.get("applies-to", KINDS)


def expected_cell(slug: str, key: str) -> list[str]:
    """The words a cell must contain: the kind's label, the record's items, or the not-applicable sentence."""
    values = record(slug)
    if key == "kind":
        return [KINDS[values["kind"]]["label"]]
    if not applies(key, slug):
        attribute = next(a for a in SCHEMA["attributes"] if a["key"] == key)
        return [f"Does not apply to {KINDS[values['kind']]['noun']}: {attribute['not-applicable']}"]
    return values[key] if isinstance(values[key], list) else [values[key]]


def test_every_record_has_its_public_url_and_home_exists(built_site):
    assert CONCEPTS and COMPARISONS  # the pages were found, not an empty glob
    for url in ["", *(f"concepts/{s}/" for s in CONCEPTS), *(f"compare/{s}/" for s in COMPARISONS)]:
        assert (built_site / url / "index.html").is_file(), url
        assert "Redirecting" not in (built_site / url / "index.html").read_text(encoding="utf-8")[:400], url


def test_every_reversed_comparison_url_redirects_to_its_page(built_site):
    for slug in COMPARISONS:
        a, b = front_matter(ROOT / "docs" / "compare" / f"{slug}.md")["comparison"]["concepts"]
        redirect = (built_site / "compare" / f"{b}-vs-{a}" / "index.html").read_text(encoding="utf-8")
        assert f'url=../{slug}/"' in redirect, slug


def test_no_comparison_source_holds_a_hand_written_table():
    for slug in COMPARISONS:
        text = (ROOT / "docs" / "compare" / f"{slug}.md").read_text(encoding="utf-8")
        assert not re.search(r"^\s*\|?\s*:?-{3,}:?\s*\|", text, re.MULTILINE), slug
        assert "<table" not in text, slug


@pytest.mark.parametrize("slug", COMPARISONS)
def test_comparison_table_is_generated_with_anchored_rows(built_site, slug):
    page = read_page(built_site, f"compare/{slug}/")
    tables = page.generated_tables
    assert len(tables) == 1
    head, *rows = tables[0].rows
    a, b = front_matter(ROOT / "docs" / "compare" / f"{slug}.md")["comparison"]["concepts"]
    assert [page.resolve(c.hrefs[0]) for c in head[1:]] == [f"concepts/{a}/", f"concepts/{b}/"]
    assert len(rows) >= 6
    anchors = [row[0].ids[0] for row in rows]
    # Kind first; then every row that means something for at least one of the two (none that applies to neither).
    assert anchors == [k for k in SCHEMA_KEYS if applies(k, a) or applies(k, b)]
    assert anchors[0] == "kind"
    for row, key in zip(rows, anchors, strict=True):
        assert page.resolve(row[0].hrefs[0]) == f"compare/{slug}/#{key}"  # the row's own link
        assert all(cell.text for cell in row)


@pytest.mark.parametrize("url", ["", *(f"concepts/{s}/" for s in CONCEPTS), *(f"compare/{s}/" for s in COMPARISONS)])
def test_ids_are_unique_on_every_page(built_site, url):
    ids = read_page(built_site, url).parsed.ids
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def _shown_values(built_site) -> dict[tuple[str, str], dict[str, str]]:
    """(concept, attribute) -> {page url: cell text} over every generated table on the site."""
    shown: dict[tuple[str, str], dict[str, str]] = {}
    for url in [*(f"concepts/{s}/" for s in CONCEPTS), *(f"compare/{s}/" for s in COMPARISONS)]:
        page = read_page(built_site, url)
        for table in page.generated_tables:
            head, *rows = table.rows
            columns = [page.resolve(c.hrefs[0]).split("/")[1] if c.hrefs else url.split("/")[1] for c in head[1:]]
            for row in rows:
                for slug, cell in zip(columns, row[1:], strict=True):
                    shown.setdefault((slug, row[0].ids[0]), {})[url] = cell.text
    return shown


def test_each_attribute_reads_the_same_on_every_page_that_shows_it(built_site):
    shown = _shown_values(built_site)
    for slug in CONCEPTS:
        values = record(slug)
        for key in SCHEMA_KEYS:
            pages = shown[(slug, key)]
            assert f"concepts/{slug}/" in pages, (slug, key)
            texts = set(pages.values())
            assert len(texts) == 1, (slug, key, pages)
            text = texts.pop()
            assert (key in values) == applies(key, slug), (slug, key)  # a record carries exactly its kind's fields
            for item in expected_cell(slug, key):
                assert item.casefold() in text.casefold(), (slug, key, item, text)


def test_every_comparison_shows_both_concepts_on_its_table(built_site):
    shown = _shown_values(built_site)
    for slug in COMPARISONS:
        a, b = slug.split("-vs-")
        assert f"compare/{slug}/" in shown[(a, "definition")]
        assert f"compare/{slug}/" in shown[(b, "definition")]


def _links(built_site, url: str) -> set[str]:
    page = read_page(built_site, url)
    return {page.resolve(h).split("#")[0] for h in page.parsed.main_links}


def test_relations_are_linked_in_both_directions(built_site):
    relations = [(slug, target) for slug in CONCEPTS
                 for targets in record(slug).get("relations", {}).values() for target in targets]
    assert len(relations) >= 5
    for source, target in relations:
        assert f"concepts/{target}/" in _links(built_site, f"concepts/{source}/"), (source, target)
        assert f"concepts/{source}/" in _links(built_site, f"concepts/{target}/"), (target, source)


def test_comparisons_and_concepts_link_each_other(built_site):
    for slug in COMPARISONS:
        for concept in slug.split("-vs-"):
            assert f"concepts/{concept}/" in _links(built_site, f"compare/{slug}/")
            assert f"compare/{slug}/" in _links(built_site, f"concepts/{concept}/")


def test_related_comparisons_link_those_sharing_a_concept(built_site):
    for slug in COMPARISONS:
        for other in COMPARISONS:
            if other != slug and set(slug.split("-vs-")) & set(other.split("-vs-")):
                assert f"compare/{other}/" in _links(built_site, f"compare/{slug}/"), (slug, other)


def test_home_lists_every_comparison_and_concept(built_site):
    links = _links(built_site, "")
    assert {f"compare/{s}/" for s in COMPARISONS} <= links
    assert {f"concepts/{s}/" for s in CONCEPTS} <= links


def test_concept_pages_take_title_and_description_from_their_record(built_site):
    for slug in CONCEPTS:
        page = read_page(built_site, f"concepts/{slug}/")
        assert page.parsed.meta["description"] == record(slug)["definition"]
        assert page.parsed.title.startswith(record(slug)["name"])


def test_strict_build_has_no_warning(tmp_path):
    result = run_mkdocs("build", "--strict", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_with_source_date_epoch_are_byte_identical(tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    for name in ("one", "two"):
        assert run_mkdocs("build", "--site-dir", str(tmp_path / name), env=env).returncode == 0
    one, two = _digest(tmp_path / "one"), _digest(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [k for k in one if one[k] != two[k]] == []


def _real_pages(site: Path) -> list[str]:
    pages = []
    for index in sorted(site.rglob("index.html")):
        if "Redirecting" not in index.read_text(encoding="utf-8")[:400]:
            url = str(index.parent.relative_to(site))
            pages.append("" if url == "." else url + "/")
    return pages


def test_every_page_previews_well_when_pasted_in_chat(built_site):
    from mkdocs.config import load_config

    site_url = load_config(str(ROOT / "mkdocs.yml")).site_url
    descriptions = set()
    for url in _real_pages(built_site):
        meta = read_page(built_site, url).parsed
        assert len(meta.meta.get("description", "")) > 40, url
        assert meta.meta["og:description"] == meta.meta["description"], url
        assert meta.meta["og:title"] and meta.meta["twitter:title"] == meta.meta["og:title"], url
        assert meta.meta["twitter:card"] == "summary", url
        assert meta.canonical == site_url + url and meta.meta["og:url"] == meta.canonical, url
        descriptions.add(meta.meta["description"])
    assert len(descriptions) == len(_real_pages(built_site))  # each page describes itself, not the site


def test_site_url_is_easy_to_change_for_another_host(tmp_path):
    env = {"SITE_URL": "https://concepts.example.net/guide/"}
    assert run_mkdocs("build", "--site-dir", str(tmp_path / "s"), env=env).returncode == 0
    page = read_page(tmp_path / "s", "concepts/lean/").parsed
    assert page.canonical == "https://concepts.example.net/guide/concepts/lean/"
    redirect = (tmp_path / "s" / "compare" / "process-improvement-vs-lean" / "index.html").read_text()
    assert 'href="https://concepts.example.net/guide/compare/lean-vs-process-improvement/"' in redirect


def test_every_record_page_reaches_mkdocs_without_its_record_and_as_mkdocs_reads_it():
    """concept_site.on_page_read_source hands MkDocs each record page the hook parsed: the Markdown
    MkDocs would read from the file, and no record for MkDocs to parse again."""
    from mkdocs.config import load_config
    from mkdocs.utils.meta import get_data

    import concept_site

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert any(str(getattr(m, "__module__", "")).endswith("concept_site.py")
               for m in config.plugins.events["page_read_source"])
    handed = concept_site.load(config).read_sources
    records = [f"concepts/{slug}.md" for slug in CONCEPTS] + [f"compare/{slug}.md" for slug in COMPARISONS]
    assert sorted(handed) == sorted(records)
    for src_uri in records:
        markdown, meta = get_data((ROOT / "docs" / src_uri).read_text(encoding="utf-8-sig"))
        assert set(meta) in ({"concept"}, {"comparison"})
        assert get_data(handed[src_uri]) == (markdown, {})


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_collector_pauses_while_the_records_load_and_is_as_it_was_after(monkeypatch, enabled_before):
    """on_config loads the records with the cycle collector paused (they live to the end of the build),
    and leaves it as it found it, whether the records load or are refused."""
    import gc

    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    import concept_site
    from concept_files import ContentError, Problem

    config = load_config(str(ROOT / "mkdocs.yml"))
    real_load, seen = concept_site.load, []

    def load(config, refuse=False):
        seen.append(gc.isenabled())
        if refuse:
            raise ContentError([Problem("docs/concepts/lean.md", "a problem for the test")])
        return real_load(config)

    was = gc.isenabled()
    try:
        if enabled_before:
            gc.enable()
        else:
            gc.disable()
        monkeypatch.setattr(concept_site, "load", load)
        concept_site.on_config(config)
        assert gc.isenabled() is enabled_before
        monkeypatch.setattr(concept_site, "load", lambda config: load(config, refuse=True))
        with pytest.raises(Abort):
            concept_site.on_config(config)
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable() if was else gc.disable()
    assert seen == [False, False]
