"""Boilerplate is no evidence of rewriting; links stay bounded."""

from __future__ import annotations

import random

from minewatch.corroborate import boilerplate
from minewatch.corroborate.sources import derivative_links
from minewatch.model import DocumentMeta

RNG = random.Random(5)
VOCAB = [f"w{i}" for i in range(3000)]


def words(k: int) -> str:
    return " ".join(RNG.choice(VOCAB) for _ in range(k))


FOOTER = f"Subscribe to our newsletter for {words(25)}.\nRelated posts: {words(20)}."


def corpus(n: int, sites: int) -> tuple[dict[str, DocumentMeta], dict[str, str]]:
    metas, texts = {}, {}
    for i in range(n):
        d = f"d{i}"
        metas[d] = DocumentMeta(d, d, url=f"https://www.site{i % sites}.example/{i}")
        texts[d] = f"{words(120)}.\n{FOOTER}"
    return metas, texts


def test_site_of() -> None:
    assert boilerplate.site_of("https://www.Dailynk.com/english/x", "Daily NK") == "dailynk.com"
    assert boilerplate.site_of(None, " Daily NK ") == "daily nk"
    assert boilerplate.site_of(None, None) is None


def test_a_shared_footer_links_nothing_and_a_wire_copy_is_found() -> None:
    metas, texts = corpus(12, sites=2)
    # d11 carries d10's story with light edits (another site's footer is the same text)
    toks = texts["d10"].split("\n")[0].split()
    toks[::20] = [RNG.choice(VOCAB) for _ in toks[::20]]
    texts["d11"] = " ".join(toks) + "\n" + FOOTER
    links = derivative_links(metas, texts)
    assert [(lk.doc, lk.other) for lk in links] == [("d11", "d10")]
    masked = boilerplate.mask_boilerplate(texts, lambda d: "one site")
    assert "Subscribe" not in masked["d0"] and len(masked["d0"]) == len(texts["d0"])
    assert masked["d0"].split("\n")[0] == texts["d0"].split("\n")[0]  # the story stays


def test_links_are_bounded_when_one_passage_is_everywhere() -> None:
    # every document on its own site, all sharing one long passage: boilerplate of no
    # site and in fewer than ANY_DOCS documents; LSH buckets of too many documents drop
    def links(n: int) -> int:
        shared = words(60)
        metas = {f"d{i}": DocumentMeta(f"d{i}", f"d{i}", url=f"https://s{i}.x") for i in range(n)}
        texts = {d: f"{words(100)}. {shared}. {words(100)}." for d in metas}
        return len(derivative_links(metas, texts))

    small, large = links(40), links(160)
    assert large < 160 * boilerplate.MAX_BUCKET_DOCS  # (all pairs: 12,720)
    assert large < 8 * small  # x4 documents: about x4 links, far from x16
