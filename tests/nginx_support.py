"""Debian's nginx with the project's own configuration (deploy/nginx/reflect.conf) on
loopback, in front of app processes: used by tests/test_nginx.py and the benchmarks."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_conf(folder: Path, listen: int, backends: list[int]) -> Path:
    """The project's nginx configuration, with our ports, in a complete nginx.conf."""
    site = (ROOT / "deploy" / "nginx" / "reflect.conf").read_text(encoding="utf-8")
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
                        for port in backends)
    lines = [line for line in site.splitlines() if not line.strip().startswith("server 127.")]
    site = "\n".join(lines).replace("    hash $reflect_route consistent;",
                                    "    hash $reflect_route consistent;\n" + servers)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    # The calm page for when no app process answers, from this checkout.
    site = site.replace("root /etc/nginx/reflect;", f"root {ROOT / 'deploy' / 'nginx'};")
    conf = folder / "nginx.conf"
    # As root, nginx would run its workers as "nobody", who cannot write in pytest's folder.
    user = "user root root;" if os.geteuid() == 0 else ""
    conf.write_text(f"""
{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
worker_processes 1;
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
                app_up: bool = True) -> subprocess.Popen:
    """Debian's nginx in the foreground with the project's configuration; wait until it
    answers through to an app process (or, with app_up False, until nginx itself answers).
    Used by tests/test_nginx.py and bench/."""
    conf = nginx_conf(folder, listen, backends)
    with (folder / "nginx.out").open("w") as out:
        nginx = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf), "-g",
                                  "daemon off;"], stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"http://localhost:{listen}/_stcore/health",
                                   timeout=2).close()
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
