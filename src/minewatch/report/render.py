"""Render a Profile to Markdown and to one self-contained HTML file.

Templates are Jinja2 files in ``report/templates``; a directory given with
``--templates DIR`` is searched first, so a user can override any of them
(``profile.md.j2``, ``profile.html.j2``, ``_sentences.j2``, ``style.css``).
Autoescaping is on for both formats: document text (titles, quotes,
publishers) can never inject markup into the HTML, nor raw HTML into the
Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from minewatch.model import Count
from minewatch.report.facts import fmt_cell
from minewatch.report.profile import Profile
from minewatch.report.prose import lower_article
from minewatch.reportdata import counts

#: The HTML profile loads nothing: no script, no network request, no frame;
#: only its own inline style sheet and inline SVG (and data: images).
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "script-src 'none'; connect-src 'none'; frame-src 'none'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)

GROUP_TITLES = {
    "civilian": "Civilian",
    "military": "Military",
    "deminer": "Deminer",
    "unknown": "Unknown",
    "all": "All groups",
}


def split_phrase(sp: counts.Split | None) -> str:
    """``3 killed, 5 killed or injured (no split reported)``."""
    if sp is None or not sp.any:
        return "number of people not reported"
    parts = []
    if sp.killed is not None:
        parts.append(f"{counts.fmt(sp.killed)} killed")
    if sp.injured is not None:
        parts.append(f"{counts.fmt(sp.injured)} injured")
    if sp.unsplit is not None:
        parts.append(f"{counts.fmt(sp.unsplit)} killed or injured (no split reported)")
    return ", ".join(parts)


#: Characters that start Markdown syntax inline: emphasis, code, links and
#: images, footnotes (``[^1]``), autolinks, tables, headings, strikethrough.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~!^])")
#: A host name or an IPv4/IPv6 literal, with an optional port.
_HOST = re.compile(
    r"^(?:[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63})*\.?|\[[0-9A-Fa-f:.]+\])"
    r"(?::\d{1,5})?$"
)
#: Characters kept as they are in a URL's path, query and fragment; everything
#: else (spaces, brackets, parentheses, quotes, angle brackets) is %-encoded so
#: the URL cannot close the Markdown or HTML around it.
_URL_SAFE = "/:@!$&'*+,;=%~-._?"


def md_escape(text: str) -> str:
    """``text`` with Markdown syntax made literal (and newlines as spaces)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines()))


def safe_url(url: str | None) -> str | None:
    """An http(s) URL rebuilt from its parsed parts, or None.

    Only ``http``/``https`` with a well-formed host become links (no
    ``javascript:``); path, query and fragment are %-encoded, so a URL such as
    ``https://ok.example/a) [x](javascript:alert(1)`` cannot end the link and
    start another.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not _HOST.match(parts.netloc or ""):
        return None
    path = quote(parts.path, safe=_URL_SAFE.replace("?", ""))
    query = quote(parts.query, safe=_URL_SAFE)
    frag = quote(parts.fragment, safe=_URL_SAFE)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, frag))


def _cell(c: Count | None) -> str:
    return counts.fmt(c, unknown="not reported")


def _md_cell(value: Any) -> Markup:
    """Escape a value for a Markdown table cell (Markdown, then HTML, escaped)."""
    if isinstance(value, Markup):
        return value
    return Markup(escape(md_escape(str(value))))


def _md_finalize(value: Any) -> Any:
    """Every ``{{ value }}`` in a Markdown template: Markdown-escaped, then
    HTML-escaped (autoescape); Markup (our own citations, links) passes."""
    if value is None or isinstance(value, Markup | int | float):
        return value
    return Markup(escape(md_escape(str(value))))


def _environment(fmt: str, templates: Path | None) -> Environment:
    loaders: list[Any] = []
    if templates is not None:
        loaders.append(FileSystemLoader(str(templates)))
    loaders.append(PackageLoader("minewatch.report", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        finalize=_md_finalize if fmt == "md" else None,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    cite: Callable[[list[int]], Markup]
    fcite: Callable[[Any, Any], Markup]
    if fmt == "html":

        def cite(refs: list[int]) -> Markup:
            if not refs:
                return Markup("")
            links = ", ".join(f'<a href="#src-{n}">{n}</a>' for n in refs)
            return Markup(f'<sup class="cite">[{links}]</sup>')

        def fcite(keys: Any, numbers: Any) -> Markup:
            if not keys:
                return Markup("")
            ns = sorted(numbers[k] for k in keys)
            links = ", ".join(f'<a href="#fsrc-{n}">F{n}</a>' for n in ns)
            return Markup(f'<sup class="cite">[{links}]</sup>')
    else:

        def cite(refs: list[int]) -> Markup:
            return Markup("".join(f"[^{n}]" for n in refs))

        def fcite(keys: Any, numbers: Any) -> Markup:
            return Markup("".join(f"[^F{n}]" for n in sorted(numbers[k] for k in keys)))

    def ocite(refs: list[int], citations: list[Any]) -> Markup:
        """Sources of a sentence, a secondary report's by the originals its notes cite."""
        by_orig = {c.ref for c in citations}
        marks = cite([r for r in refs if r not in by_orig])
        if fmt == "html":
            links = ", ".join(
                f'<a href="#orig-{c.ref}-{c.note}">{c.ref} n. {c.note}</a>' for c in citations
            )
            return marks + (Markup(f'<sup class="cite">[{links}]</sup>') if links else "")
        return marks + Markup("".join(f"[^{c.ref}n{c.note}]" for c in citations))

    env.globals.update(
        ocite=ocite,
        cite=cite,
        fcite=fcite,
        fmt=_cell,
        fmt_cell=fmt_cell,
        split_phrase=split_phrase,
        safe_url=safe_url,
        group_title=lambda g: GROUP_TITLES.get(g, g),
    )
    env.filters["mdcell"] = _md_cell
    env.filters["lower_article"] = lower_article
    return env


def render(
    profile: Profile,
    fmt: str = "html",
    templates: Path | None = None,
    files: dict[str, str] | None = None,
) -> str:
    """Render ``profile`` as ``html`` or ``md``.

    ``files`` maps graphic names (``casualties``, ``events``, ``map``) to the
    file names the Markdown links to; the HTML inlines the SVG instead.
    """
    if fmt not in ("html", "md"):
        raise ValueError(f"unknown format {fmt!r} (html or md)")
    env = _environment(fmt, templates)
    css = ""
    if fmt == "html":
        assert env.loader is not None
        css = env.loader.get_source(env, "style.css")[0]
    tpl = env.get_template(f"profile.{fmt}.j2")
    text = tpl.render(
        p=profile,
        css=Markup(css),
        svg={k: Markup(v) for k, v in profile.charts.items()},
        map_svg=Markup(profile.map_svg) if profile.map_svg else None,
        files=files or {},
        csp=Markup(CSP),
        fact_numbers=profile.fact_refs(),
    )
    if fmt == "md":
        # quotes need no escaping in Markdown; < > & stay escaped
        text = text.replace("&#34;", '"').replace("&#39;", "'")
    return text
