#!/usr/bin/env python3
"""Render an HTML file (the country profile) to a PNG with headless Chromium.

Usage: python scripts/screenshot.py PROFILE.html OUT.png [--width W] [--height H] [--colors 256]
       python scripts/screenshot.py PROFILE.html OUT.png --full   # the whole page, as tall as it is

Needs Debian's ``chromium`` (``apt-get install -y chromium``). Network use is
switched off as far as Chromium allows; the profile is self-contained anyway.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def screenshot(
    html: Path, png: Path, width: int = 1280, height: int = 4000, timeout: float = 120.0
) -> Path:
    """Write ``png``; raises RuntimeError when Chromium is missing or fails."""
    exe = find_chromium()
    if exe is None:
        raise RuntimeError("chromium not found (apt-get install -y chromium)")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="minewatch-chromium-") as profile_dir:
        cmd = [
            exe,
            *FLAGS,
            f"--user-data-dir={profile_dir}",
            f"--screenshot={png.resolve()}",
            f"--window-size={width},{height}",
            html.resolve().as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0 or not png.is_file():
        raise RuntimeError(f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return png


def crop_to_content(png: Path) -> Path:
    """Cut the blank rows below the page's end (``--full`` shoots a tall window)."""
    from PIL import Image, ImageChops  # ships with matplotlib

    with Image.open(png) as im:
        rgb = im.convert("RGB")
    w, h = rgb.size
    background = Image.new("RGB", (w, h), rgb.getpixel((w - 1, h - 1)))
    box = ImageChops.difference(rgb, background).getbbox()
    if box is not None and box[3] < h:
        rgb.crop((0, 0, w, min(h, box[3] + 24))).save(png)
    return png


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", type=Path)
    ap.add_argument("png", type=Path)
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=4000)
    ap.add_argument(
        "--colors", type=int, default=0, help="reduce to this many colours (smaller file, Pillow)"
    )
    ap.add_argument(
        "--full", action="store_true", help="the whole page: a tall window, cropped to the content"
    )
    args = ap.parse_args(argv)
    try:
        out = screenshot(args.html, args.png, args.width, 32000 if args.full else args.height)
        if args.full:
            crop_to_content(out)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if args.colors:
        from PIL import Image  # ships with matplotlib

        with Image.open(out) as im:
            small = im.convert("RGB").quantize(colors=args.colors)
        small.save(out, optimize=True)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
