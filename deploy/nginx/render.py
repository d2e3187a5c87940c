"""Fill in the proxy's configuration for a run without Docker, and say how to start it.

    python deploy/nginx/render.py --upstream 127.0.0.1:8000 --listen 127.0.0.1:8080
    nginx -p var/nginx -c nginx.conf -g "daemon off;"      (the command it prints)

Writes var/nginx/ (or --out): nginx.conf, gigmarket.conf (the template with its
${NGINX_...} names filled in, exactly as the official image does) and the cache and
temporary folders. Only those names are replaced: nginx's own $variables stay.
"""

import argparse
import os
import re
import shlex
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NAMES = ("NGINX_LISTEN", "NGINX_UPSTREAM", "NGINX_STATIC_ROOT", "NGINX_MEDIA_ROOT", "NGINX_CACHE_DIR")


def fill(template: str, values: dict[str, str]) -> str:
    def replace(match):
        return values[match.group(1)]

    text = re.sub(r"\$\{(" + "|".join(NAMES) + r")\}", replace, template)
    if leftover := re.findall(r"\$\{NGINX_\w+\}", text):
        raise ValueError(f"no value for {', '.join(sorted(set(leftover)))}")
    return text


def render(*, out: Path, listen: str, upstream: str, static_root: Path, media_root: Path) -> Path:
    """Write the proxy's files into `out`; returns the main configuration file."""
    out.mkdir(parents=True, exist_ok=True)
    for folder in ("cache", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    values = {
        "NGINX_LISTEN": listen,
        "NGINX_UPSTREAM": upstream,
        "NGINX_STATIC_ROOT": str(Path(static_root).resolve()),
        "NGINX_MEDIA_ROOT": str(Path(media_root).resolve()),
        "NGINX_CACHE_DIR": str((out / "cache").resolve()),
    }
    (out / "gigmarket.conf").write_text(fill((HERE / "gigmarket.conf.template").read_text(), values))
    shutil.copyfile(HERE / "nginx.conf", out / "nginx.conf")
    return out / "nginx.conf"


def command(config: Path) -> list[str]:
    """nginx in the foreground with this configuration. Started by root, nginx runs its
    workers as "nobody", who cannot read a private checkout or write its cache: a local run
    started by root keeps them as root (in Docker, the image's own user does)."""
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    return ["nginx", "-p", str(config.parent), "-c", config.name, "-g", directives]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    var = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    parser.add_argument("--listen", default="127.0.0.1:8080")
    parser.add_argument("--upstream", default="127.0.0.1:8000", help="where gunicorn (or runserver) answers")
    parser.add_argument("--static-root", default=os.environ.get("STATIC_ROOT", str(var / "static")))
    parser.add_argument("--media-root", default=os.environ.get("MEDIA_ROOT", str(var / "media")))
    parser.add_argument("--out", default=str(var / "nginx"))
    args = parser.parse_args()
    config = render(out=Path(args.out), listen=args.listen, upstream=args.upstream,
                    static_root=Path(args.static_root), media_root=Path(args.media_root))  # fmt: skip
    print(shlex.join(command(config)), file=sys.stdout)


if __name__ == "__main__":
    main()
