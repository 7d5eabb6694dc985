"""Regenerate the README pictures: docs/images/network.png and docs/images/displacy.png.

Uses the same helpers and the same choices as notebooks/explore.ipynb (the example
articles, the shipped pipeline, the article with the most meetings), so the README
shows what a new user will see. Run it after retraining the model or changing the
helpers:

    python scripts/make_readme_images.py

The network is drawn with matplotlib. The displaCy view is HTML, so a headless
Chromium takes its screenshot (``apt-get install -y chromium``; any Chrome works);
without one, the HTML is written next to where the PNG would go and the script says so.
Both need a CJK font for the hanzi (``apt-get install -y fonts-noto-cjk``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no window

import zh_invest_ner  # noqa: E402
from zh_invest_ner.explore import viz  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# Flags that keep a headless browser from phoning home or needing a desktop session.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


def screenshot(html_path: Path, png_path: Path, width: int = 960, height: int = 2400) -> None:
    """Render ``html_path`` with headless Chromium and crop the page's blank margin."""
    browser = next((b for b in map(shutil.which, BROWSERS) if b), None)
    if browser is None:
        raise FileNotFoundError("no Chromium/Chrome found: apt-get install -y chromium")
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={png_path}",
             f"--window-size={width},{height}", html_path.resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    _crop(png_path)


def _crop(png_path: Path, margin: int = 24) -> None:
    """Cut the white space below and around the content (the window is taller than the page)."""
    from PIL import Image, ImageChops

    image = Image.open(png_path).convert("RGB")
    background = Image.new("RGB", image.size, (255, 255, 255))
    box = ImageChops.difference(image, background).getbbox()
    if box is None:
        return
    left, top, right, bottom = box
    box = (max(0, left - margin), max(0, top - margin), min(image.width, right + margin),
           min(image.height, bottom + margin))
    image.crop(box).save(png_path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=ROOT / "examples", help="folder of .txt articles")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="where the PNGs go")
    parser.add_argument("--model", type=Path, default=None, help="a pipeline other than the shipped one")
    parser.add_argument("--doc", default=None,
                        help="file name of the article to render (default: the one with most meetings)")
    args = parser.parse_args(argv)

    nlp = zh_invest_ner.load(args.model)
    # doc_id = file name, so the picture shows "article_02.txt", not a path on this machine
    files = {p.name: p for p in sorted(args.articles.glob("*.txt"))}
    result = zh_invest_ner.extract(files, nlp=nlp)
    print(result)
    args.out.mkdir(parents=True, exist_ok=True)
    print("CJK font:", viz.cjk_font() or "none found: hanzi will be boxes (apt-get install fonts-noto-cjk)")

    ax = viz.draw_network(result.meetings, color_by="topic")
    network = args.out / "network.png"
    ax.figure.savefig(network, dpi=100, bbox_inches="tight", facecolor="white")
    print("wrote", network)

    if args.doc:
        doc = next(d for d in result.docs if d._.doc_id == args.doc)
    else:  # as in the notebook
        doc = max(result.docs, key=lambda d: len(d._.meetings or []))
    displacy_png = args.out / "displacy.png"
    with tempfile.TemporaryDirectory() as tmp:
        html_path = Path(tmp) / "displacy.html"
        html_path.write_text(viz.render_doc(doc, jupyter=False, page=True), encoding="utf-8")
        try:
            screenshot(html_path, displacy_png)
        except (FileNotFoundError, subprocess.SubprocessError) as e:
            kept = displacy_png.with_suffix(".html")
            shutil.copy(html_path, kept)
            print(f"no screenshot ({e}); the HTML is at {kept}", file=sys.stderr)
            return 1
    print("wrote", displacy_png, f"({doc._.doc_id})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
