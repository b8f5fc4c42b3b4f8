"""Compiled Jinja templates, kept in memory for the rebuilds of one process and on disk for the next.

Not a hook: `build_cache` gives every Environment MkDocs creates the one `TemplateCache`. MkDocs makes a
new Environment for every build, so without a cache Material's templates are compiled again each time
(0.15-0.2 s of a build here).

Jinja's own file cache (`jinja2.FileSystemBytecodeCache`) keys a template on its name and file, and on
load checks a checksum of its source and the Python and bytecode versions. The code Jinja compiles
also depends on the Environment: which filters and tests exist and what each is passed (written into
the code: `jinja2/compiler.py`, `_filter_test_common`), the extensions, the delimiters and whitespace
options, autoescape, finalize, and the Jinja release itself. All of that goes into the key here
(`environment_key`), so a MkDocs or plugin upgrade that changes a filter, or a hook that adds one,
compiles the templates again instead of loading code made for another Environment.
"""

from __future__ import annotations

import logging
import os
import weakref

import jinja2
import jinja2.compiler
from jinja2.bccache import Bucket

from cache_keys import digest, named

log = logging.getLogger("mkdocs.hooks.template_cache")

# Environment options the compiler reads (jinja2.Environment.__init__ and the lexer).
_OPTIONS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
            "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
            "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized", "is_async")


def _jinja_release() -> str:
    """The installed Jinja, without asking package metadata (slow) or `__version__` (being retired):
    its compiler's file, size and time."""
    path = jinja2.compiler.__file__ or ""
    try:
        stat = os.stat(path)
    except OSError:
        return path
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


_KEYS: weakref.WeakKeyDictionary[jinja2.Environment, str] = weakref.WeakKeyDictionary()


def environment_key(environment: jinja2.Environment) -> str:
    """A digest of what, besides a template's source, its compiled code depends on (made once per Environment)."""
    key = _KEYS.get(environment)
    if key is None:
        parts = [_jinja_release(), *(f"{name}={getattr(environment, name, None)!r}" for name in _OPTIONS),
                 f"autoescape={named(environment.autoescape)}", f"finalize={named(environment.finalize)}",
                 f"ascii_str={environment.policies.get('compiler.ascii_str')!r}",
                 "extensions=" + ",".join(sorted(environment.extensions))]
        for kind, functions in (("filter", environment.filters), ("test", environment.tests)):
            parts += [f"{kind} {name} {getattr(function, 'jinja_pass_arg', None)}"
                      for name, function in sorted(functions.items())]
        key = _KEYS[environment] = digest(*parts)
    return key


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's bytecode cache: in memory, and in `directory` (Jinja's file cache) when one is given.
    A file that cannot be read as bytecode is compiled again; when a file cannot be written, the
    rest of the build still reads the folder but writes no more."""

    def __init__(self) -> None:
        super().__init__(directory=os.curdir)  # not None: Jinja would make a folder of its own
        self.directory: str | None = None  # type: ignore[assignment]  # given per build (`use`)
        self.code: dict[str, bytes] = {}
        self.writable = False

    def use(self, folder: str | None) -> None:
        self.directory = folder
        self.writable = folder is not None

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        key = digest(self.get_cache_key(name, filename), environment_key(environment))
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.code.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)
        elif self.directory is not None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 (a damaged file: Jinja compiles the template and writes it anew)
                bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
        if not self.writable:
            return
        try:
            os.makedirs(str(self.directory), exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError as err:  # read-only checkout, full disk: compile what is not there, each build
            log.debug(f"template cache: bytecode not written to {self.directory} ({err})")
            self.writable = False


def folder_beside(config_file_path: str | None) -> str | None:
    """Where compiled templates are kept between builds: .cache/jinja beside mkdocs.yml."""
    if not config_file_path:
        return None
    return os.path.join(os.path.dirname(os.path.abspath(config_file_path)), ".cache", "jinja")
