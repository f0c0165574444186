"""Deployment: the header files written into the site, and the example pipelines, which must
parse and call only commands that exist and that the README documents."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from achats_ouverts import cli
from achats_ouverts.building import build, hosting, postchecks
from achats_ouverts.settings import Settings
from tests.fixtures.browser import read_host_headers
from tests.fixtures.folders import make_complete_data_dir
from tests.fixtures.paths import ROOT

EXAMPLES = ROOT / "exemples" / "deploiement"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("deploiement")
    out = base / "site"
    build(
        Settings(data_dir=make_complete_data_dir(base / "data"), output_dir=out, project_dir=ROOT)
    )
    return out


def inline_scripts(site: Path) -> set[str]:
    found = set()
    for path in site.rglob("*.html"):
        for script in LexborHTMLParser(path.read_text("utf-8")).css("script"):
            kind = script.attributes.get("type") or ""
            if "src" not in script.attributes and kind not in postchecks.DATA_SCRIPT_TYPES:
                found.add(script.text())
    return found


def test_the_policy_allows_exactly_the_inline_scripts_of_the_site(site: Path) -> None:
    rules = read_host_headers(site)
    headers = dict(rules["/*"])
    policy = headers["Content-Security-Policy"]
    scripts = inline_scripts(site)
    assert scripts, "the theme writes inline scripts"
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    allowed = set(re.findall(r"'sha256-[^']+'", directives["script-src"]))
    assert allowed == {postchecks.csp_hash(s) for s in scripts}
    styles = {
        node.attributes["style"] or ""
        for path in site.rglob("*.html")
        for node in LexborHTMLParser(path.read_text("utf-8")).css("[style]")
    }
    if styles:
        allowed_styles = set(re.findall(r"'sha256-[^']+'", directives["style-src-attr"]))
        assert allowed_styles == {postchecks.csp_hash(s) for s in styles}
    else:
        assert "style-src-attr" not in directives
    assert "unsafe-inline" not in policy
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_three_host_files_carry_the_same_policy(site: Path) -> None:
    policy = dict(read_host_headers(site)["/*"])["Content-Security-Policy"]
    apache = (site / ".htaccess").read_text("utf-8")
    nginx = (site / "_nginx.conf").read_text("utf-8")
    assert f'Header always set Content-Security-Policy "{policy}"' in apache
    assert f'add_header Content-Security-Policy "{policy}" always;' in nginx
    for suffix, kind in (
        (".ics", "text/calendar"),
        (".ttl", "text/turtle"),
        (".jsonld", "application/ld+json"),
        (".parquet", "application/vnd.apache.parquet"),
        (".xml", "application/xml"),
    ):
        assert f"AddType {kind} {suffix}" in apache
        assert f"{re.escape(suffix)}$" in nginx
        assert f'default_type "{kind}' in nginx
    assert nginx.count("{") == nginx.count("}")


def test_typed_files_are_listed_with_their_type(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "flux").mkdir(parents=True)
    (site / "flux" / "achats.xml").write_text('<?xml version="1.0"?><feed xmlns="x"/>', "utf-8")
    (site / "flux" / "achats.ics").write_text("BEGIN:VCALENDAR", "utf-8")
    (site / "catalogue.ttl").write_text("", "utf-8")
    (site / "catalogue.jsonld").write_text("{}", "utf-8")
    (site / "donnees.parquet").write_bytes(b"PAR1")
    (site / "sitemap.xml").write_text("<urlset/>", "utf-8")
    hosting.write_host_files(site, ["x"])
    rules = read_host_headers(site)
    types = {path: dict(headers).get("Content-Type") for path, headers in rules.items()}
    assert types == {
        "/*": None,
        "/catalogue.jsonld": "application/ld+json; charset=utf-8",
        "/catalogue.ttl": "text/turtle; charset=utf-8",
        "/donnees.parquet": "application/vnd.apache.parquet",
        "/flux/achats.ics": "text/calendar; charset=utf-8",
        "/flux/achats.xml": "application/atom+xml; charset=utf-8",
        "/sitemap.xml": "application/xml; charset=utf-8",
    }


# --- Example pipelines ------------------------------------------------------------------------


def commands(path: Path) -> list[str]:
    """The shell commands of a GitLab CI or GitHub Actions file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                walk(value, str(name))
        elif isinstance(node, list):
            for item in node:
                walk(item, key)
        elif isinstance(node, str) and key in ("run", "script", "before_script"):
            found.extend(line.strip() for line in node.splitlines() if line.strip())

    walk(data)
    return found


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, re.M))


def check_command(line: str) -> None:
    for part in re.split(r"&&|;", line):
        words = shlex.split(part)
        if not words:
            continue
        if words[0] == "make":
            targets = [w for w in words[1:] if "=" not in w and not w.startswith("-")]
            assert set(targets) <= make_targets(), line
        elif words[0] == "achats-ouverts":
            command = cli.main.commands.get(words[1])
            assert command is not None, f"sous-commande inconnue : {line}"
            options = {o for p in command.params if isinstance(p, click.Option) for o in p.opts}
            for word in words[2:]:
                if word.startswith("-"):
                    assert word.split("=")[0] in options, f"option inconnue : {line}"
        else:
            assert words[:4] == ["python", "-m", "pip", "install"], f"commande inattendue : {line}"


@pytest.mark.parametrize("name", ["gitlab-ci.yml", "github-actions.yml"])
def test_example_pipelines_call_existing_documented_commands(name: str) -> None:
    lines = commands(EXAMPLES / name)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert any(line.startswith("achats-ouverts build") for line in lines)
    assert any(line.startswith("achats-ouverts validate") for line in lines)
    for line in lines:
        check_command(line)
        if line.startswith("achats-ouverts"):
            documented = " ".join(line.split()[:3])
            assert documented in readme, f"commande absente du README : {line}"


def test_the_github_example_runs_on_a_schedule_and_publishes_the_built_folder() -> None:
    data = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text(encoding="utf-8"))
    triggers = data.get("on", data.get(True))
    assert "schedule" in triggers
    steps = data["jobs"]["construire"]["steps"]
    upload = next(s for s in steps if "upload-pages-artifact" in s.get("uses", ""))
    built = next(s["run"] for s in steps if s.get("run", "").startswith("achats-ouverts build"))
    assert built.split("-o ")[1] == upload["with"]["path"]


def test_the_gitlab_example_publishes_the_built_folder_on_a_schedule() -> None:
    job = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text(encoding="utf-8"))["pages"]
    assert any("schedule" in rule["if"] for rule in job["rules"])
    built = next(c for c in job["script"] if c.startswith("achats-ouverts build"))
    assert built.split("-o ")[1] in job["artifacts"]["paths"]


def test_a_wrong_command_in_a_pipeline_is_caught() -> None:
    for line in ("achats-ouverts publier data", "make deploy", "achats-ouverts build --vite"):
        with pytest.raises(AssertionError):
            check_command(line)


def test_style_attributes_are_allowed_by_hash_only() -> None:
    policy = hosting.content_security_policy(["a()"], ["fill: #333333", "fill: #333333"])
    assert "style-src 'self';" in policy
    assert f"style-src-attr 'unsafe-hashes' {postchecks.csp_hash('fill: #333333')};" in policy
    assert "unsafe-inline" not in policy
    assert "style-src-attr" not in hosting.content_security_policy(["a()"])


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_nginx_serves_the_site_with_the_snippet(site: Path, tmp_path: Path) -> None:
    """A real nginx on the loopback, with `include _nginx.conf;` in its server block, sends the
    policy and the right types (the README's instructions, run)."""
    if NGINX is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx absent en CI (.ci/run l'installe)")
        pytest.skip("nginx absent (apt-get install nginx-light)")
    served = tmp_path / "site"
    shutil.copytree(site, served)
    samples = {
        "catalogue.ttl": "text/turtle; charset=utf-8",
        "catalogue.jsonld": "application/ld+json; charset=utf-8",
        "flux/achats.ics": "text/calendar; charset=utf-8",
        "flux/achats.xml": "application/xml; charset=utf-8",
        "donnees/marches.parquet": "application/vnd.apache.parquet",
        "donnees/marches.csv": "text/csv; charset=utf-8",
    }
    for name in samples:
        (served / name).parent.mkdir(parents=True, exist_ok=True)
        if not (served / name).exists():
            (served / name).write_bytes(b"x")
    hosting.write_host_files(served, inline_scripts(served))
    port = free_port()
    temp = tmp_path / "nginx"
    temp.mkdir()
    config = temp / "nginx.conf"
    config.write_text(
        f"daemon off; user root; pid {temp}/nginx.pid; error_log {temp}/error.log;\n"
        "events {}\n"
        "http {\n  include /etc/nginx/mime.types; access_log off;\n"
        + "".join(f"  {kind}_temp_path {temp}/{kind};\n" for kind in ("client_body", "proxy"))
        + "".join(f"  {kind}_temp_path {temp}/{kind};\n" for kind in ("fastcgi", "uwsgi", "scgi"))
        + f"  server {{ listen 127.0.0.1:{port}; root {served};\n"
        f"    include {served}/_nginx.conf; }}\n}}\n",
        encoding="utf-8",
    )
    test = subprocess.run([NGINX, "-t", "-c", str(config)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    server = subprocess.Popen([NGINX, "-c", str(config)], stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        policy = dict(read_host_headers(served)["/*"])["Content-Security-Policy"]
        with urllib.request.urlopen(base, timeout=5) as response:
            assert response.headers["Content-Security-Policy"] == policy
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Content-Type"].startswith("text/html")
        for name, kind in samples.items():
            with urllib.request.urlopen(base + name, timeout=5) as response:
                assert response.headers["Content-Type"] == kind, name
                assert response.headers["Content-Security-Policy"] == policy, name
        for hidden in ("_headers", "_nginx.conf", ".htaccess"):
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(base + hidden, timeout=5)
    finally:
        server.terminate()
        server.wait(timeout=10)
