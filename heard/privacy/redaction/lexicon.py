"""The word lists behind name detection: first names and surnames, and how common each word is in English.

Names come from Faker's person providers (every locale written in the Latin alphabet, so that the names of
people in a diverse country are found, not only Anglo ones). Word frequencies come from pyspellchecker's English
list (counts from film and television subtitles). Neither is derived from Heard's own data.

Building the lists imports some ninety Faker modules and reads a 650 kB compressed word list, which costs about
half a second. That matters for ``heard pii redact`` on a small file, so the result is cached as JSON in the
user's cache folder (``$HEARD_CACHE_DIR``, else ``$XDG_CACHE_HOME/heard`` or ``~/.cache/heard``), keyed by
both packages' installed files; a missing or unwritable cache only costs the time.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
import json
import os
import pkgutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Bump when the way the lists are built changes, so that old caches are ignored.
LEXICON_FORMAT = 4
# Words rarer than this in the subtitle counts are kept only if they are also names: for other words, being
# this rare is as good as not being English (it keeps the cache small and quick to read).
MINIMUM_WORD_COUNT = 100


@dataclass(frozen=True)
class Lexicon:
    first_names: frozenset[str]
    surnames: frozenset[str]
    # Lower-cased English word -> count per ~100 million words of subtitles.
    word_counts: dict[str, int]

    def count(self, word: str) -> int:
        return self.word_counts.get(word, 0)


def _is_latin_name(name: str) -> bool:
    # Letters (accented ones included), apostrophes and hyphens; no spaces, so "de la Cruz" adds no "de".
    return (
        len(name) >= 2
        and name[0].isalpha()
        and all(ch.isalpha() or ch in "'-" for ch in name)
        and all(ord(ch) < 0x250 for ch in name)
    )


def _faker_names() -> tuple[set[str], set[str]]:
    import faker.providers.person as person_providers

    first: set[str] = set()
    last: set[str] = set()
    for module_info in pkgutil.iter_modules(person_providers.__path__):
        provider = importlib.import_module(f"{person_providers.__name__}.{module_info.name}").Provider
        for attribute in dir(provider):
            if attribute.startswith("_") or "kana" in attribute or "pairs" in attribute:
                continue
            if not (attribute.startswith(("first_name", "last_name")) or attribute.endswith("last_names")):
                continue
            values = getattr(provider, attribute, None)
            if not isinstance(values, dict | list | tuple):
                continue  # properties and methods
            target = first if attribute.startswith("first") else last
            target.update(name.lower() for name in values if isinstance(name, str) and _is_latin_name(name))
    return first, last


def _word_counts(names: set[str]) -> dict[str, int]:
    resources = Path(importlib.import_module("spellchecker").__file__ or "").parent / "resources"
    with gzip.open(resources / "en.json.gz", "rt", encoding="utf-8") as handle:
        counts: dict[str, int] = json.load(handle)
    return {word: count for word, count in counts.items() if count >= MINIMUM_WORD_COUNT or word in names}


def _package_stamp(package: str) -> str:
    # The installed files' modification time stands for the version: importlib.metadata costs 30 ms to import,
    # which is a tenth of the time budget of a small file, and importing Faker itself costs 160 ms.
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{package} is not installed")
    return f"{package}-{os.stat(spec.origin).st_mtime_ns}"


def _cache_path() -> Path:
    base = (
        os.environ.get("HEARD_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    )
    stamp = f"{_package_stamp('faker')}-{_package_stamp('spellchecker')}"
    return Path(base) / "heard" / f"redaction-lexicon-{LEXICON_FORMAT}-{stamp}.json"


def build_lexicon() -> Lexicon:
    """The lists, built from the packages (slow: use ``lexicon()``)."""
    first, last = _faker_names()
    return Lexicon(
        first_names=frozenset(first), surnames=frozenset(last), word_counts=_word_counts(first | last)
    )


def _read_cache(path: Path) -> Lexicon | None:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        return Lexicon(
            first_names=frozenset(data["first_names"]),
            surnames=frozenset(data["surnames"]),
            word_counts=dict(data["word_counts"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(path: Path, built: Lexicon) -> None:
    data = {
        "first_names": sorted(built.first_names),
        "surnames": sorted(built.surnames),
        "word_counts": built.word_counts,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside, then rename: two processes starting at once never read half a file.
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as handle:
            json.dump(data, handle, separators=(",", ":"))
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home folder only costs start-up time


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lists, from the cache when it is there."""
    try:
        path: Path | None = _cache_path()
    except (OSError, RuntimeError):
        path = None
    if path is not None:
        cached = _read_cache(path)
        if cached is not None:
            return cached
    built = build_lexicon()
    if path is not None:
        _write_cache(path, built)
    return built
