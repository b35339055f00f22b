"""Load a model card: the Hub's front matter, read strictly, with the line of every key.

huggingface_hub's `ModelCard` checks what the Hub checks (`model-index`); on top of it the
gate refuses what it would accept silently or only warn about: no or unclosed front matter,
duplicate keys, YAML aliases (a few lines can expand to gigabytes), values JSON cannot
carry, and malformed fields the gate reads (licence, base model, language, pipeline tag,
gating, `release_review`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from gatekeeper.bundle.documents import YamlDocument
from gatekeeper.bundle.validation import validate
from gatekeeper.canonical import sha256_digest
from gatekeeper.card.frontmatter import split_front_matter
from gatekeeper.card.gating import read_gating
from gatekeeper.card.models import CARD_PATH, CONTROL, CardFacts, ReleaseReview
from gatekeeper.errors import InvalidInput
from gatekeeper.input_files import decode_utf8, read_bounded
from gatekeeper.limits import MODEL_CARD_BYTES

RELEASE_REVIEW_SCHEMA = "model-card-release-review.schema.json"
FACTS_SCHEMA = "model-card-facts.schema.json"
_URL = re.compile(r"^https?://[^\s/]+\S*$")


def _where(line: int | None, field: str) -> str:
    return f"line {line} ($.{field})" if line is not None else f"$.{field}"


@dataclass(frozen=True)
class LoadedCard:
    path: Path
    facts: CardFacts
    document: YamlDocument

    def line(self, field: str) -> int | None:
        """The line of a dotted field (`release_review.weights_digest`) or its nearest parent."""
        return self.document.key_line(tuple(field.removeprefix("card.").split(".")))

    def where(self, field: str) -> str:
        return _where(self.line(field), field)

    def resolve(self, field: str, relative: str) -> Path:
        """A `release_review` path, which must name a file below the card's folder."""
        folder = self.path.parent.resolve()
        target = (folder / relative).resolve()
        if not target.is_relative_to(folder):
            raise InvalidInput(str(self.path), self.where(field),
                               f"{relative!r} leaves the card's folder (through a link)")
        if not target.is_file():
            raise InvalidInput(str(self.path), self.where(field), f"{relative!r} is not a file")
        return folder / relative


def _read(path: Path) -> tuple[bytes, str]:
    raw = read_bounded(path, MODEL_CARD_BYTES)
    return raw, decode_utf8(path, raw).removeprefix("\ufeff")  # huggingface_hub strips a BOM


def _hub_checks(text: str, card: Path, document: YamlDocument) -> None:
    """What the Hub validates on push (`model-index`), through huggingface_hub itself."""
    from huggingface_hub import ModelCard

    try:
        ModelCard(text)
    except ValueError as error:
        where = _where(document.key_line(("model-index",)), "model-index")
        reason = str(error).split(". Pass `ignore_metadata_errors")[0]
        raise InvalidInput(str(card), where, f"huggingface_hub refuses it: {reason}") from error


class _Reader:
    """Typed reads of the front matter's keys, each failure naming its line."""

    def __init__(self, data: dict[str, Any], document: YamlDocument) -> None:
        self.data = data
        self.document = document

    def refuse(self, key: str, problem: str) -> InvalidInput:
        where = _where(self.document.key_line((key,)), key)
        return InvalidInput(str(self.document.path), where, problem)

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.refuse(key, "must be a non-empty string")
        if CONTROL.search(value.strip()):
            raise self.refuse(key, "must be one line of text (no control characters)")
        return value.strip()

    def texts(self, key: str) -> list[str]:
        """A string or a list of strings (`base_model`, `language`), as a list."""
        value = self.data.get(key)
        items = [] if value is None else [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(
                isinstance(i, str) and i.strip() and not CONTROL.search(i.strip())
                for i in items):
            raise self.refuse(key, "must be a string or a list of one-line strings")
        return [i.strip() for i in items]


def _link_kind(reader: _Reader, link: str | None) -> Literal["url", "path"] | None:
    if link is None:
        return None
    if _URL.match(link):
        return "url"
    if CARD_PATH.match(link) and not re.search(r"\s", link):
        return "path"
    raise reader.refuse("license_link", f"{link[:80]!r} is neither an http(s) URL nor a "
                                        "relative path inside the repository (e.g. LICENSE)")


def _release_review(data: dict[str, Any], document: YamlDocument) -> ReleaseReview | None:
    block = data.get("release_review")
    if block is None:
        return None
    for key in ("release_plan", "evidence_bundle"):
        value = block.get(key) if isinstance(block, dict) else None
        if isinstance(value, str) and not CARD_PATH.match(value):
            raise InvalidInput(str(document.path), document.locate(("release_review", key)),
                               f"{value[:80]!r} must be a relative path below the card's "
                               "folder (no leading /, no `..`, no backslash)")
    return validate(block, RELEASE_REVIEW_SCHEMA, ReleaseReview, str(document.path),
                    locate=lambda parts: document.locate(("release_review", *parts)))


def load_card(path: Path) -> LoadedCard:
    """Parse, check and read the facts of one model card, or raise InvalidInput by line."""
    raw, text = _read(path)
    front = split_front_matter(text, str(path))
    document = YamlDocument(path, front.yaml, front.first_line)
    data = {} if document.data is None else document.data
    if not isinstance(data, dict):
        raise InvalidInput(str(path), f"line {front.first_line}",
                           "the front matter must be a mapping of keys to values")
    _hub_checks(text, path, document)
    reader = _Reader(data, document)
    link = reader.text("license_link")
    facts = CardFacts(
        file=str(path),
        digest=sha256_digest(raw),
        license=reader.text("license"),
        license_name=reader.text("license_name"),
        license_link=link,
        license_link_kind=_link_kind(reader, link),
        base_model=reader.texts("base_model"),
        base_model_relation=reader.text("base_model_relation"),
        language=reader.texts("language"),
        pipeline_tag=reader.text("pipeline_tag"),
        gating=read_gating(data, reader.refuse),
        release_review=_release_review(data, document),
    )
    return LoadedCard(path, facts, document)
