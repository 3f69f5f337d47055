"""Debian's nginx with the project's own configuration (deploy/nginx/reflect.conf) on
loopback, in front of app processes: used by tests/test_nginx.py and the benchmarks."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _swap(text: str, old: str, new: str) -> str:
    """Replace a line of the shipped file that must be there (a test never runs a
    configuration that has silently drifted from the shipped one)."""
    assert old in text, f"deploy/nginx/reflect.conf no longer has {old!r}"
    return text.replace(old, new)


def certificate(folder: Path) -> Path:
    """A throwaway self-signed certificate for localhost and 127.0.0.1 (its key beside it),
    made once per folder. Python's clients trust it through SSL_CERT_FILE (see trusted)."""
    cert, key = folder / "tls.pem", folder / "tls.key"
    if not cert.exists():
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj",
                        "/CN=localhost", "-addext",
                        "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True)
    return cert


def trusted(cert: Path) -> ssl.SSLContext:
    """A client context that trusts only the test certificate."""
    return ssl.create_default_context(cafile=str(cert))


def nginx_conf(folder: Path, listen: int, backends: list[int], plain: int,
               cert: Path | None = None) -> Path:
    """The project's nginx configuration, with our ports (TLS on listen, the redirect on
    plain), a test certificate (cert, or one made in folder) and logs in folder, in a
    complete nginx.conf."""
    site = (ROOT / "deploy" / "nginx" / "reflect.conf").read_text(encoding="utf-8")
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
                        for port in backends)
    lines = [line for line in site.splitlines() if not line.strip().startswith("server 127.")]
    site = _swap("\n".join(lines), "    hash $reflect_route consistent;",
                 "    hash $reflect_route consistent;\n" + servers)
    site = _swap(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{listen} ssl http2;")
    site = _swap(site, "listen 80;", f"listen 127.0.0.1:{plain};")
    site = _swap(site, "return 301 https://$host$request_uri;",
                 f"return 301 https://$host:{listen}$request_uri;")
    cert = cert or certificate(folder)
    site = _swap(site, "/etc/nginx/reflect/tls/fullchain.pem", str(cert))
    site = _swap(site, "/etc/nginx/reflect/tls/privkey.pem", str(cert.with_suffix(".key")))
    site = _swap(site, "/var/log/nginx/reflect-access.log", str(folder / "access.log"))
    site = _swap(site, "/var/log/nginx/reflect-error.log", str(folder / "reflect-error.log"))
    site = _swap(site, "root /var/www/acme;", f"root {folder / 'acme'};")
    # The calm page for when no app process answers, from this checkout.
    site = _swap(site, "alias /etc/nginx/reflect/unavailable.html;",
                 f"alias {ROOT / 'deploy' / 'nginx' / 'unavailable.html'};")
    conf = folder / "nginx.conf"
    # As root, nginx would run its workers as "nobody", who cannot write in pytest's folder.
    user = "user root root;" if os.geteuid() == 0 else ""
    conf.write_text(f"""
{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
worker_processes 1;
worker_rlimit_nofile 4096;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
{site}
}}
""", encoding="utf-8")
    return conf


def start_nginx(folder: Path, listen: int, backends: list[int],
                app_up: bool = True, plain: int | None = None,
                cert: Path | None = None) -> subprocess.Popen:
    """Debian's nginx in the foreground with the project's configuration: TLS on listen
    (https://localhost:listen), the redirect to it on plain (a free port if not given).
    cert: the certificate to serve (made in folder if not given). Wait until it answers
    through to an app process (or, with app_up False, until nginx itself answers). Used by
    tests/test_nginx.py and bench/."""
    if plain is None:
        from tests.browser_support import free_port

        plain = free_port()
    cert = cert or certificate(folder)
    conf = nginx_conf(folder, listen, backends, plain, cert)
    context = trusted(cert)
    with (folder / "nginx.out").open("w") as out:
        nginx = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf), "-g",
                                  "daemon off;"], stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"https://localhost:{listen}/_stcore/health",
                                   timeout=2, context=context).close()
            return nginx
        except urllib.error.HTTPError:
            if not app_up:  # nginx answered, for an app that is not there
                return nginx
        except OSError:
            pass
        if nginx.poll() is not None or time.monotonic() > deadline:
            nginx.terminate()
            nginx.wait(timeout=10)
            raise RuntimeError((folder / "error.log").read_text())
        time.sleep(0.2)
