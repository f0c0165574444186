"""What a static host needs besides the files: the HTTP headers, computed at build time.

The Content-Security-Policy lets the browser run the site's own script files and the theme's inline
scripts (allowed by their SHA-256 hash, found by the safety scan), and nothing else: no inline
script, event handler or resource of another site. Files whose type hosts often get wrong (feeds,
calendars, catalogues, Parquet) get an explicit `Content-Type`.

The same headers are written for three kinds of host, at the root of the built site:
- `_headers`: Netlify, Cloudflare Pages and other hosts that read this file;
- `.htaccess`: Apache (with `AllowOverride FileInfo Indexes` or equivalent);
- `_nginx.conf`: a snippet to `include` in the nginx `server` block that serves the folder.
Hosts that take no header files (GitHub Pages, GitLab Pages) serve the same site without them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from achats_ouverts.building.safety import csp_hash
from achats_ouverts.output.urls import APACHE_FILE, HEADERS_FILE, NGINX_FILE

MEDIA_TYPES: dict[str, str] = {
    ".atom": "application/atom+xml; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".jsonld": "application/ld+json; charset=utf-8",
    ".parquet": "application/vnd.apache.parquet",
    ".rdf": "application/rdf+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
}
"""Types given explicitly by extension; an `.xml` file holding a feed gets the feed's type."""
FEED_TYPES = {
    b"<feed": "application/atom+xml; charset=utf-8",
    b"<rss": "application/rss+xml; charset=utf-8",
}


def content_security_policy(inline_scripts: Iterable[str], styles: Iterable[str] = ()) -> str:
    """Scripts: the site's files and the theme's inline scripts by hash. Styles: the site's
    files, and the `style` attributes of the pages (charts) by hash (`'unsafe-hashes'` applies
    only to attributes; no `<style>` element nor `'unsafe-inline'` is allowed)."""
    hashes = " ".join(sorted({csp_hash(script) for script in inline_scripts}))
    style_hashes = " ".join(sorted({csp_hash(style) for style in styles}))
    directives = [
        "default-src 'none'",
        f"script-src 'self' {hashes}".strip(),
        "style-src 'self'",
        *([f"style-src-attr 'unsafe-hashes' {style_hashes}"] if style_hashes else []),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def security_headers(
    inline_scripts: Iterable[str], styles: Iterable[str] = ()
) -> list[tuple[str, str]]:
    return [
        ("Content-Security-Policy", content_security_policy(inline_scripts, styles)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ]


def media_type(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix == ".xml":
        with path.open("rb") as handle:
            start = handle.read(512)
        for marker, kind in FEED_TYPES.items():
            if marker in start:
                return kind
    return MEDIA_TYPES.get(suffix)


def typed_files(site: Path) -> list[tuple[str, str]]:
    """(path from the site root, media type) of every file that needs an explicit type."""
    found = []
    for folder, _dirs, names in os.walk(site):
        for name in names:
            if "." + name.rpartition(".")[2].lower() in MEDIA_TYPES:
                path = Path(folder, name)
                kind = media_type(path)
                if kind:
                    found.append((path.relative_to(site).as_posix(), kind))
    return sorted(found)


def netlify_headers(headers: list[tuple[str, str]], files: list[tuple[str, str]]) -> str:
    lines = [
        "# En-têtes HTTP du site (Netlify, Cloudflare Pages…), calculés à la construction.",
        "/*",
    ]
    lines += [f"  {name}: {value}" for name, value in headers]
    for path, kind in files:
        lines += [f"/{path}", f"  Content-Type: {kind}"]
    return "\n".join(lines) + "\n"


def apache_config(headers: list[tuple[str, str]]) -> str:
    lines = [
        "# En-têtes HTTP du site pour Apache, calculés à la construction (mod_headers, mod_mime).",
        "<IfModule mod_headers.c>",
    ]
    lines += [f'  Header always set {name} "{value}"' for name, value in headers]
    lines.append("</IfModule>")
    for suffix, kind in sorted(MEDIA_TYPES.items()):
        base, _, charset = kind.partition("; charset=")
        lines.append(f"AddType {base} {suffix}")
        if charset:
            lines.append(f"AddCharset {charset} {suffix}")
    return "\n".join(lines) + "\n"


def nginx_config(headers: list[tuple[str, str]]) -> str:
    lines = [
        "# En-têtes HTTP du site pour nginx, calculés à la construction.",
        "# À inclure dans le bloc « server » qui sert le dossier :",
        "#   include /chemin/du/site/_nginx.conf;",
    ]
    lines += [f'add_header {name} "{value}" always;' for name, value in headers]
    for suffix, kind in sorted(MEDIA_TYPES.items()):
        pattern = suffix.replace(".", "\\.")
        lines.append(f'location ~* {pattern}$ {{ types {{ }} default_type "{kind}"; }}')
    lines.append("location ~ ^(.*/)?(_headers|_nginx\\.conf|\\.htaccess)$ { return 404; }")
    return "\n".join(lines) + "\n"


def write_host_files(site: Path, inline_scripts: Iterable[str], styles: Iterable[str] = ()) -> None:
    """Write `_headers`, `.htaccess` and `_nginx.conf` at the root of the built site."""
    headers = security_headers(inline_scripts, styles)
    files = typed_files(site)
    (site / HEADERS_FILE).write_text(netlify_headers(headers, files), encoding="utf-8")
    (site / APACHE_FILE).write_text(apache_config(headers), encoding="utf-8")
    (site / NGINX_FILE).write_text(nginx_config(headers), encoding="utf-8")
