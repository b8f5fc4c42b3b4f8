"""Compiled templates kept on disk (hooks/template_cache.py) are loaded only into an Environment that
would compile them to the same code."""

from __future__ import annotations

import jinja2
import pytest

from template_cache import TemplateCache, environment_key

SOURCE = "{{ name | shout }}{% if name is short %}!{% endif %}"


def plain_shout(value):
    return str(value).upper()


@jinja2.pass_context
def context_shout(context, value):
    return f"{context.get('greeting', '')}{str(value).upper()}"


def environment(folder, filters=None, tests=None, **options) -> jinja2.Environment:
    cache = TemplateCache()
    cache.use(str(folder))
    env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": SOURCE}), bytecode_cache=cache, **options)
    env.filters.update(filters if filters is not None else {"shout": plain_shout})
    env.tests.update(tests if tests is not None else {"short": lambda value: len(str(value)) < 5})
    return env


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """Names of the templates Jinja compiles (rather than loads from the cache) from here on."""
    names: list[str] = []
    original = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return names


def test_a_new_environment_like_the_first_loads_what_it_compiled(tmp_path, compiled):
    assert environment(tmp_path).get_template("page.html").render(name="lean") == "LEAN!"
    assert compiled == ["page.html"]
    assert environment(tmp_path).get_template("page.html").render(name="kaizen") == "KAIZEN"
    assert compiled == ["page.html"]  # loaded from the folder, not compiled again
    assert environment_key(environment(tmp_path)) == environment_key(environment(tmp_path))


def test_a_filter_passed_something_else_compiles_the_template_again(tmp_path, compiled):
    environment(tmp_path).get_template("page.html")
    changed = environment(tmp_path, filters={"shout": context_shout})
    assert changed.get_template("page.html").render(name="lean", greeting="hi ") == "hi LEAN!"
    assert compiled == ["page.html", "page.html"]


def test_a_filter_or_test_that_is_gone_is_reported_as_jinja_reports_it(tmp_path, compiled):
    environment(tmp_path).get_template("page.html")
    with pytest.raises(jinja2.TemplateAssertionError, match="No filter named 'shout'"):
        environment(tmp_path, filters={}).get_template("page.html")
    # A test inside an `if` may be missing when the template compiles: Jinja reports it when it renders.
    with pytest.raises(jinja2.TemplateRuntimeError, match="No test named 'short'"):
        environment(tmp_path, tests={}).get_template("page.html").render(name="lean")


@pytest.mark.parametrize("option", [{"trim_blocks": True}, {"autoescape": True}, {"variable_start_string": "[["},
                                    {"extensions": ["jinja2.ext.loopcontrols"]}])
def test_other_compile_options_compile_the_template_again(tmp_path, compiled, option):
    environment(tmp_path).get_template("page.html")
    environment(tmp_path, **option).get_template("page.html")
    assert compiled == ["page.html", "page.html"]
