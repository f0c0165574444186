"""Rendering page contexts to HTML with jinja2: autoescape on, undefined variables fail, French
formats from `french` as filters, URLs from data limited to http(s) and mailto, and the site's
addresses as the global `urls` (with `relative_url(from_page, to_path)` to link between pages).

This module never imports pandas: contexts hold plain values.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from datetime import date
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import jinja2
import yaml
from markupsafe import Markup

from achats_ouverts.french import euros, french_date, number, percent, signed_percent
from achats_ouverts.output import urls
from achats_ouverts.settings import TEMPLATES_DIR

SAFE_SCHEMES = ("http", "https", "mailto")


def time_tag(value: date | str | None) -> Markup:
    """`<time datetime="2024-03-12">12 mars 2024</time>`."""
    if value is None or value == "":
        return Markup("—")
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), french_date(day))


def safe_url(value: str | None) -> str:
    """The URL if its scheme is http, https or mailto, or a relative path; else an inert '#'."""
    if not value:
        return "#"
    text = value.strip()
    if re.search(r"[\x00-\x20\"'<>\\`]", text):
        return "#"
    scheme = urlsplit(text).scheme.lower()
    if scheme and scheme not in SAFE_SCHEMES:
        return "#"
    if not scheme and (text.startswith("//") or ":" in text.split("/", 1)[0]):
        return "#"
    return text


def relative_url(from_page: str, to_path: str) -> str:
    """Link from the page at `from_page` (e.g. 'marches/x/') to the site path `to_path`."""
    base = posixpath.dirname(from_page.rstrip("/") + "/index.html") if from_page else ""
    target = to_path or "./"
    rel = posixpath.relpath(target, base or ".") if base else target
    if to_path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel in (".", "./") else rel


def json_for_script(data: Any) -> Markup:
    """JSON safe inside `<script type="application/ld+json">`: no `<`, `>` or `&` can close it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        euros=euros,
        nombre=number,
        pourcent=percent,
        evolution=signed_percent,
        date_fr=french_date,
        time=time_tag,
        url=safe_url,
        json_script=json_for_script,
    )
    env.globals.update(relative_url=relative_url, urls=urls)
    return env


def render(template: str, **context: Any) -> str:
    """Render a template to HTML with no blank line, so that Markdown passes it through whole."""
    text = environment().get_template(template).render(**context)
    return "\n".join(line for line in text.splitlines() if line.strip())


def front_matter(
    title: str,
    *,
    search: bool = True,
    hide: tuple[str, ...] = (),
    description: str = "",
    feeds: tuple[tuple[str, str], ...] = (),
    preview: str = "",
) -> str:
    """YAML front matter for a MkDocs page. MkDocs renders it unescaped, so values are escaped.

    `feeds` (title, site path) become `ao_flux`, which `overrides/main.html` renders as
    `<link rel="alternate">` in the head, escaping each value itself; `preview` (a site path, set
    by code only) becomes `ao_apercu`, the image of the page's link previews.
    """
    meta: dict[str, Any] = {"title": html.escape(title, quote=True)}
    if preview:
        meta["ao_apercu"] = preview
    if description:
        meta["description"] = html.escape(description, quote=True)
    if not search:
        meta["search"] = {"exclude": True}
    if hide:
        meta["hide"] = list(hide)
    if feeds:
        meta["ao_flux"] = [{"titre": titre, "chemin": chemin} for titre, chemin in feeds]
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n\n"


def markdown_page(
    title: str,
    body: str,
    *,
    search: bool = True,
    hide: tuple[str, ...] = (),
    description: str = "",
    feeds: tuple[tuple[str, str], ...] = (),
    preview: str = "",
) -> str:
    """A MkDocs page whose body is an HTML block rendered by jinja2 (already escaped)."""
    meta = front_matter(
        title, search=search, hide=hide, description=description, feeds=feeds, preview=preview
    )
    return meta + body + "\n"
