"""The published site behind real servers, once per test session.

- ``site_context``: the package indexed for rendering, with the review's text;
- ``built_site``: the static site (``exop.site.build_site``) in a world-readable temporary
  folder (Apache's worker runs as an unprivileged user when the tests run as root);
- ``apache_site``: Debian's Apache httpd serving two loopback ports: the w3id rules
  (``docs/w3id/.htaccess``, placeholder host rewritten to the second port) in a
  ``<Directory>`` with ``AllowOverride All`` under ``/exop/``, as w3id.org runs them, and
  the static site with no content negotiation, as a static host serves it.

Under ``CI=true`` a missing tool fails instead of skipping (``.ci/run`` installs them).
``tests/conftest.py`` imports the fixtures (``__all__``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from exop import formats
from exop.site import build_site, paths
from exop.site.context import SiteContext
from exop.site.review import ReviewText, review_text_path
from exop.site.w3id import PLACEHOLDER_HOST

__all__ = ["apache_site", "built_site", "site_context"]

ROOT = Path(__file__).resolve().parent.parent
HTACCESS = ROOT / "docs" / "w3id" / ".htaccess"
APACHE = "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
STARTUP_TIMEOUT_S = 30.0


def require(tool: str, why: str) -> None:
    """Skip (fail under CI=true) when *tool* is missing."""
    if Path(tool).exists() or shutil.which(tool):
        return
    message = f"{tool} is not installed ({why}); .ci/run installs it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def review_text_file() -> Path | None:
    """The review's plain text, as the repository ships it."""
    return review_text_path()


def readable_tempdir(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


@pytest.fixture(scope="session")
def site_context() -> SiteContext:
    found = review_text_file()
    return SiteContext.from_package(review=ReviewText.read(found) if found else None)


@pytest.fixture(scope="session")
def built_site(site_context: SiteContext) -> Iterator[Path]:
    folder = readable_tempdir("exop-site-")
    target = folder / "site"
    build_site(target, site_context)
    yield target
    shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class ApacheSite:
    """The w3id rules and the static host, each on its own loopback port."""

    w3id: str
    """Base of the EXOP IRIs as served here: ``http://127.0.0.1:PORT/exop/``."""
    host: str
    """Root of the static host: ``http://127.0.0.1:PORT``."""
    root: Path
    redirects: bool = True
    """Answers an IRI with a 303 to a document (a live server would answer it directly)."""

    def iri_url(self, iri: str) -> str:
        """The loopback URL that plays the part of *iri*."""
        return self.w3id + iri[len(paths.BASE):]

    def document_url(self, iri: str, fmt: formats.Format) -> str:
        """Where the 303 for *iri* in *fmt* must point."""
        return f"{self.host}/{paths.document_for(iri, fmt)}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _types_config() -> str:
    """Content types of the static host, from the format registry (as hosts map suffixes)."""
    lines = []
    for fmt in paths.NEGOTIATED:
        lines.append(f'AddType "{fmt.content_type}" {fmt.suffix}')
    return "\n".join(lines)


def _config(folder: Path, site: Path, w3id_port: int, host_port: int) -> str:
    modules = ["mpm_event", "authz_core", "rewrite", "headers", "alias", "mime"]
    loads = "\n".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in modules)
    # As root, Apache's workers switch to an unprivileged user: name one that exists.
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    return f"""\
ServerRoot "{folder}"
ServerName 127.0.0.1
PidFile "{folder}/httpd.pid"
DefaultRuntimeDir "{folder}"
ErrorLog "{folder}/error.log"
LogLevel warn
{loads}
{user}
Listen 127.0.0.1:{w3id_port}
Listen 127.0.0.1:{host_port}
StartServers 1
ServerLimit 1
ThreadsPerChild 8
MaxRequestWorkers 8
TypesConfig /dev/null
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<VirtualHost 127.0.0.1:{w3id_port}>
    DocumentRoot "{folder}/w3id"
    <Directory "{folder}/w3id">
        Options FollowSymLinks
        AllowOverride All
        Require all granted
    </Directory>
</VirtualHost>
<VirtualHost 127.0.0.1:{host_port}>
    DocumentRoot "{site}"
    <Directory "{site}">
        Options None
        AllowOverride None
        Require all granted
    </Directory>
    {_types_config()}
    ErrorDocument 404 /404.html
</VirtualHost>
"""


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"apache2 exited with {process.returncode}: {errors[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"apache2 did not listen on 127.0.0.1:{port}")


@pytest.fixture(scope="session")
def apache_site(built_site: Path) -> Iterator[ApacheSite]:
    require(APACHE, "Debian apache2 runs the w3id rules")
    folder = readable_tempdir("exop-apache-")
    w3id_port, host_port = _free_port(), _free_port()
    host = f"http://127.0.0.1:{host_port}"
    rules = folder / "w3id" / "exop" / ".htaccess"
    rules.parent.mkdir(parents=True)
    (folder / "w3id").chmod(0o755)
    rules.parent.chmod(0o755)
    rules.write_text(HTACCESS.read_text(encoding="utf-8").replace(PLACEHOLDER_HOST, host),
                     encoding="utf-8")
    rules.chmod(0o644)
    conf = folder / "httpd.conf"
    conf.write_text(_config(folder, built_site, w3id_port, host_port), encoding="utf-8")
    log = folder / "error.log"
    process = subprocess.Popen([APACHE, "-f", str(conf), "-DFOREGROUND"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(w3id_port, process, log)
        _wait_for(host_port, process, log)
        yield ApacheSite(f"http://127.0.0.1:{w3id_port}/exop/", host, built_site)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
