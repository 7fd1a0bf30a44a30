"""Tolls told after their event, in sentences that name no mine (DESIGN "Numbers").

Reporting often gives the blast in one sentence and part of its toll later: "Four
children died when an old mortar round exploded. [...] Six other children were hurt
and are in hospital." A sentence that holds no mention of its own, a few sentences
after a casualty or detonation event (same or next paragraph, no other event's mention
between), lends that event the counts its harm words carry:

- a kind of count the event lacks is taken ("six other children were hurt": injured 6);
- a count said to be more ("two more died", "another four were injured", "were also
  wounded") is added to the one the event has;
- a count with a revision cue ("the death toll has risen to 11") replaces the one the
  event has, the earlier kept as reported;
- anything else (a figure that differs with no cue) is left alone: it may be another
  event, and nothing is invented.

Sentences with a non-mine cause (shelling, gunfire), a period-total cue or a time of
their own are not read. A detonation that gains a toll becomes a casualty. Windows are
``tolls_*`` in windows.yaml; the additive cue is ``additive`` in cues.yaml.
"""

from __future__ import annotations

from minewatch.extract.counts import CountPhrase, add_counts
from minewatch.extract.dates import TimeExpr
from minewatch.extract.events import Draft
from minewatch.extract.mentions import EventMentionFinder
from minewatch.extract.rules import Rules
from minewatch.extract.scan import Mention, _inside
from minewatch.extract.text import Sentence
from minewatch.extract.victims import additive

KINDS = ("casualty", "detonation")


class TollBinder:
    """Binds later sentences' tolls to the event before them (see the module doc)."""

    def __init__(self, rules: Rules, reader: EventMentionFinder) -> None:
        self.rules = rules
        self.reader = reader
        self.after = rules.windows["tolls_sentences_after"]
        self.paras = rules.windows["tolls_paragraphs_after"]

    def bind(
        self,
        text: str,
        sents: list[Sentence],
        drafts: list[Draft],
        times: list[TimeExpr],
    ) -> None:
        """Add the later sentences' counts to ``drafts`` in place."""
        # sentences holding a mention: of a casualty or detonation they end the story
        # before them; of another type they are skipped
        harmful = {m.sent.index for d in drafts if d.type in KINDS for m in d.mentions}
        mentioned = {m.sent.index for d in drafts for m in d.mentions}
        owner: dict[int, Draft] = {}  # sentence -> the event it follows
        for d in sorted(drafts, key=lambda x: x.first.start):
            if d.type not in KINDS or any(m.aggregate for m in d.mentions):
                continue
            for m in d.mentions:
                if m.sent.headline:
                    continue
                for s in sents[m.sent.index + 1 : m.sent.index + 1 + self.after]:
                    if s.index in harmful or s.skip or s.para > m.sent.para + self.paras:
                        break
                    if s.index not in mentioned:
                        owner.setdefault(s.index, d)
        if owner:
            self._bind(text, sents, owner, times)
        for d in drafts:
            if (
                d.type == "casualty"
                and d.counts
                and all(c.count.best == 0 and c.count.high == 0 for c in d.counts.values())
            ):
                d.type = "detonation"  # "nobody was hurt": a mine went off, no toll

    def _bind(
        self, text: str, sents: list[Sentence], owner: dict[int, Draft], times: list[TimeExpr]
    ) -> None:
        self.reader._use_text(text)
        timed = [(t.start, t.end) for t in times if t.known]
        for idx, d in sorted(owner.items()):
            s = sents[idx]
            if any(s.start <= a < s.end for a, _ in timed):
                continue  # a time of its own: perhaps another event
            self._take(text, s, d)

    def _take(self, text: str, s: Sentence, d: Draft) -> None:
        r = self.rules
        st = text[s.start : s.end]
        if r.non_mine_cause.search(st) or r.aggregate.search(st):
            return
        men = self._toll(text, s)
        if men is None or not men.counts:
            return
        revised = r.revision.search(st) is not None
        for kind, cp in men.counts.items():
            if cp.refused:
                continue
            cur = d.counts.get(kind)
            harm = next((t[0] for t in men.triggers if t[0] >= cp.start), men.triggers[0][0])
            if cur is None:
                d.counts[kind] = cp
            elif additive(r, text, cp, harm) and (cp.count.best or 0) > 0:
                d.counts[kind] = CountPhrase(
                    min(cur.start, cp.start),
                    max(cur.end, cp.end),
                    add_counts(cur.count, cp.count),
                    min(cur.specificity, cp.specificity),
                )
            elif revised and cur.count != cp.count:
                d.earlier.append((kind, cur))
                d.counts[kind] = cp
            else:
                continue
            if d.victims in (None, "unknown") and men.victims:
                d.victims, d.victim_role, d.victim_span = (
                    men.victims,
                    men.victim_role,
                    men.victim_span,
                )
        if d.type == "detonation" and any((c.count.best or 0) > 0 for c in d.counts.values()):
            d.type = "casualty"

    def _toll(self, text: str, s: Sentence) -> Mention | None:
        """The counts and victims of a sentence's harm words (not negated, not a
        capability: "will kill"), read as in a casualty mention."""
        r, f = self.rules, self.reader
        st = text[s.start : s.end]
        harms: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for kind in ("casualties", "killed", "injured"):
            for m in f._matches(r.harm[kind], st, s.start):
                if _inside(*m.span(), taken) or any(
                    m.start() < b and a < m.end() for a, b in taken
                ):
                    continue
                if f._negated(st, m.start(), m.end()) or r.clauses["will_before"].search(
                    st, max(0, m.start() - r.windows["will_before"]), m.start()
                ):
                    continue
                harms.append((m.start(), m.end(), kind))
                taken.append(m.span())
        if not harms:
            return None
        harms.sort()
        men = Mention(
            "casualty", s, (s.start, s.end), [(a + s.start, b + s.start) for a, b, _ in harms]
        )
        f._counts_victims(st, s.start, harms, men)
        return men
