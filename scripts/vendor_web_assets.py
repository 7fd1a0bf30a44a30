"""Fetch the web app's JavaScript/CSS from their npm packages into the package.

Run by hand when a version changes (the output is committed, so installs and
`minewatch serve` never touch the network):

    python scripts/vendor_web_assets.py

Needs `npm` (only `npm pack`, which downloads the published tarball).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

#: package -> (pinned version, files inside the tarball -> name under static/vendor/)
PACKAGES: dict[str, tuple[str, dict[str, str]]] = {
    "htmx.org": ("2.0.11", {"dist/htmx.min.js": "htmx.min.js", "LICENSE": "htmx-LICENSE.txt"}),
    "leaflet": (
        "1.9.4",
        {
            "dist/leaflet.js": "leaflet/leaflet.js",
            "dist/leaflet.css": "leaflet/leaflet.css",
            "dist/images/layers.png": "leaflet/images/layers.png",
            "dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
            "dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
            "dist/images/marker-icon-2x.png": "leaflet/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
            "LICENSE": "leaflet/LICENSE.txt",
        },
    ),
}
DEST = Path(__file__).resolve().parents[1] / "src" / "minewatch" / "web" / "static" / "vendor"


def main() -> None:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (version, files) in PACKAGES.items():
            out = subprocess.run(
                ["npm", "pack", f"{name}@{version}", "--silent"],
                cwd=tmp,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()[-1]
            with tarfile.open(Path(tmp) / out) as tar:
                for inner, target in files.items():
                    member = tar.extractfile(f"package/{inner}")
                    if member is None:
                        raise SystemExit(f"{name}@{version}: no {inner}")
                    dest = DEST / target
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with dest.open("wb") as fh:
                        shutil.copyfileobj(member, fh)
                    digest = hashlib.sha256(dest.read_bytes()).hexdigest()
                    lines.append(f"{digest}  {target}  ({name}@{version} {inner})")
    (DEST / "SOURCES.txt").write_text(
        "Vendored by scripts/vendor_web_assets.py from the npm registry; do not edit.\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
