"""Group event records into incidents.

Greedy, most-specific-first, complete-linkage clustering:

1. Events are taken in order of specificity (a day in a named town before a
   year in a country), so precise reports found the incidents and vaguer ones
   are then matched against them.
2. An event joins an incident only if it fits *every* member (complete
   linkage: a vague report cannot chain two different incidents together)
   and the incident has no event from the same document (a document's events
   stay separate incidents).
3. If it fits several incidents about equally well (within ``MARGIN``), it is
   ambiguous: it becomes a *mention* of each of them (shown, counted in
   neither) instead of being assigned by chance. A vague summary that only
   fits its own document's incidents ("two separate incidents") is a mention
   of those.
4. Otherwise it founds a new incident.

Nothing unrelated is attached: an event joins (or is a mention of) an
incident only when its place and its time are both known (a country at
least; a bounded, dated interval) and so are those of every member. An event
with one of the two unknown is at most a *candidate* of the incidents it does
not contradict (listed apart for a reviewer, never a report of them); it
founds an incident of its own only when it fits none, and nothing joins that
one. Background mentions (``context``) come after every news event of their
part: one attaches to the incident it recalls (role ``background``) when type,
time and place match, else it is *background only*; period totals
(``aggregate``) are always background only. Neither ever founds an incident.

Human decisions enter as constraints: groups of events that must be together
(merges, seeded as incidents before anything else) and pairs that must stay
apart (splits).

The pass over events in that order is split into independent parts — one per
type and country, unless events of unknown country tie a type's countries
together (:func:`_components`) — and run part after part: the same decisions,
but one small region at a time stays in the CPU cache. Incidents are then
numbered as a single pass would have numbered them.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from minewatch.corroborate.blocking import BlockIndex
from minewatch.corroborate.compat import Matcher
from minewatch.corroborate.records import Rec

#: Two candidate incidents whose fit differs by less than this are a tie.
MARGIN = 0.1

#: Clusters independent parts somewhere else: tasks -> their results, in order.
RunParts = Callable[[list["PartTask"], Matcher], list["PartResult"]]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector.

    Clustering creates millions of small long-lived objects; Python's full
    collections would re-scan all of them again and again (half the run time
    at 100k events) while finding nothing to free. Reference counting still
    frees everything as usual.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass
class Clustering:
    """Result: member record indexes per cluster, and mentions per record."""

    clusters: list[list[int]]
    mentions: dict[int, list[int]] = field(default_factory=dict)
    comparisons: int = 0
    #: background record -> the incidents it recalls (attached, role ``background``)
    background: dict[int, list[int]] = field(default_factory=dict)
    #: background records that recall no incident (never an incident themselves)
    background_only: list[int] = field(default_factory=list)
    #: record of unknown place or time -> incidents it could belong to (not attached)
    candidates: dict[int, list[int]] = field(default_factory=dict)

    def cluster_of(self, n: int) -> list[int]:
        """Cluster index of every record (-1 for mention-only records)."""
        out = [-1] * n
        for cid, members in enumerate(self.clusters):
            for m in members:
                out[m] = cid
        return out


def cluster_records(
    recs: Sequence[Rec],
    matcher: Matcher | None = None,
    *,
    must_link: Iterable[Sequence[int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    by_parts: bool = True,
    run_parts: RunParts | None = None,
) -> Clustering:
    """Cluster records (see module docstring). ``recs[i].idx`` must equal ``i``.

    ``by_parts=False`` makes one pass over all events instead of one per
    independent region (same result, slower; kept for tests). ``run_parts``
    clusters the parts elsewhere (``run_parts(tasks, matcher)`` returns
    ``[cluster_part(t, matcher) for t in tasks]``, e.g. on a Dask cluster: see
    :mod:`minewatch.corroborate.parallel`); the result is the same.
    """
    with gc_paused():
        return _cluster(recs, matcher, must_link, cannot_link, by_parts, run_parts)


def _cluster(
    recs: Sequence[Rec],
    matcher: Matcher | None,
    must_link: Iterable[Sequence[int]],
    cannot_link: Iterable[tuple[int, int]],
    by_parts: bool,
    run_parts: RunParts | None,
) -> Clustering:
    matcher = matcher or Matcher()
    n = len(recs)
    cluster_of = [-1] * n
    clusters: list[list[int]] = []
    mentions: dict[int, list[int]] = {}
    background: dict[int, list[int]] = {}
    background_only: list[int] = []
    candidates: dict[int, list[int]] = {}
    apart: dict[int, set[int]] = {}
    for a, b in cannot_link:
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)

    for group in must_link:
        members = sorted({i for i in group if cluster_of[i] == -1})
        if not members:
            continue
        cid = len(clusters)
        clusters.append(members)
        for i in members:
            cluster_of[i] = cid

    # Most specific first. Events of different types never match, so taking
    # one type at a time changes nothing but keeps the working set small; ties
    # go by region, again for locality.
    order = _specific_first(recs)
    seeded = len(clusters)
    founded_at: list[int] = []  # position in `order` of each new cluster's founder
    comparisons = 0
    parts = _components(recs, order, clusters) if by_parts else [list(range(n))]
    tasks = [_part_task(recs, order, part, clusters, cluster_of, apart) for part in parts]
    results = run_parts(tasks, matcher) if run_parts is not None else None
    for t, part in enumerate(parts):
        task = tasks[t]
        out = results[t] if results is not None else cluster_part(task, matcher)
        here = [order[pos] for pos in part]
        comparisons += out.comparisons
        # local cluster numbers -> global: the part's seeds first, then its new ones
        glob = list(task.seed_cids)
        for k, members in zip(out.founded_at, out.clusters[len(glob) :], strict=True):
            glob.append(len(clusters))
            clusters.append([here[m] for m in members])
            founded_at.append(part[k])
        for c, members in enumerate(out.clusters[: len(task.seed_cids)]):
            clusters[glob[c]] += [here[m] for m in members[len(task.seeds[c]) :]]
        for table, local_table in (
            (mentions, out.mentions),
            (background, out.background),
            (candidates, out.candidates),
        ):
            for k, cids in local_table.items():
                table[here[k]] = [glob[c] for c in cids]
        background_only += [here[k] for k in out.background_only]
    # Number the incidents as one pass over `order` would have (seeded first).
    renumber = list(range(seeded))
    renumber += [0] * len(founded_at)
    by_founding = sorted(range(len(founded_at)), key=founded_at.__getitem__)
    for new, old in enumerate(by_founding, start=seeded):
        renumber[seeded + old] = new
    final: list[list[int]] = [[] for _ in clusters]
    for old, members in enumerate(clusters):
        final[renumber[old]] = members
    clusters = final
    for table in (mentions, background, candidates):
        for i, cids in table.items():
            table[i] = sorted(renumber[c] for c in cids)
    return Clustering(
        clusters, mentions, comparisons, background, sorted(background_only), candidates
    )


@dataclass
class PartTask:
    """One independent part, self-contained so that it can run elsewhere (a Dask
    worker): its records in clustering order, its seeded clusters and its
    must-stay-apart pairs, all as positions in the part."""

    recs: list[Rec]
    seeds: list[list[int]]
    seed_cids: list[int]  # global number of each seed
    apart: dict[int, set[int]]


@dataclass
class PartResult:
    """What clustering a part decided, in positions of the part: clusters (its
    seeds first, extended, then those it founded, in founding order), each
    founder's position, and the mention, background and candidate tables."""

    clusters: list[list[int]]
    founded_at: list[int]
    mentions: dict[int, list[int]]
    comparisons: int
    background: dict[int, list[int]]
    background_only: list[int]
    candidates: dict[int, list[int]]


def _part_task(
    recs: Sequence[Rec],
    order: list[int],
    part: list[int],
    clusters: list[list[int]],
    cluster_of: list[int],
    apart: dict[int, set[int]],
) -> PartTask:
    here = [order[pos] for pos in part]
    local_of = {i: k for k, i in enumerate(here)}
    seed_cids = sorted({cluster_of[i] for i in here if cluster_of[i] != -1})
    seeds = [[local_of[i] for i in clusters[c]] for c in seed_cids]
    local_apart = {
        local_of[i]: {local_of[j] for j in apart[i] if j in local_of} for i in here if i in apart
    }
    return PartTask([recs[i] for i in here], seeds, seed_cids, local_apart)


def cluster_part(task: PartTask, matcher: Matcher) -> PartResult:
    """Cluster one part (see the module docstring); pure: the task is not changed."""
    with gc_paused():
        return _cluster_part(task, matcher)


def _cluster_part(task: PartTask, matcher: Matcher) -> PartResult:
    local = task.recs
    # The part's own index and cluster numbers, by position in the part:
    # small arrays, read over and over, that stay in the CPU cache.
    index = BlockIndex(local)
    clusters = [list(members) for members in task.seeds]
    closed = [False] * len(clusters)  # founded by an event of unknown place or time: no joins
    cluster_here = [-1] * len(local)
    for cid, members in enumerate(clusters):
        for k in members:
            cluster_here[k] = cid  # (merged events are in clusters already; merges are open)
    apart = task.apart
    mentions: dict[int, list[int]] = {}
    background: dict[int, list[int]] = {}
    background_only: list[int] = []
    candidates: dict[int, list[int]] = {}
    founded_at: list[int] = []
    comparisons = 0
    score = matcher.score
    for k in range(len(local)):
        if cluster_here[k] != -1:
            continue
        r = local[k]
        loose = r.background or not r.known  # may not join: background, candidate
        seen: set[int] = set()
        own_doc: set[int] = set()
        joinable: list[tuple[float, int]] = []
        same_doc: list[tuple[float, int]] = []
        blocked = apart.get(k)
        for j in index.candidates(r):
            cid = cluster_here[j]
            if cid < 0 or cid in seen:
                continue
            seen.add(cid)
            if closed[cid] and not loose:
                continue
            members = clusters[cid]
            if blocked and not blocked.isdisjoint(members):
                continue
            total = 0.0
            mine = False  # does the incident hold an event of r's document?
            for m in members:
                comparisons += 1
                other = local[m]
                mine = mine or other.doc == r.doc
                s = score(r, other)
                if s is None:
                    break
                total += s
            else:
                (same_doc if mine else joinable).append((total / len(members), cid))
                if mine:
                    own_doc.add(cid)
        if loose:
            # (its own document's incidents are other events than the one it recalls)
            fits = [(sc, cid) for sc, cid in joinable if not closed[cid]]
            if r.background:
                if r.background == 1 and r.known and fits:
                    background[k] = _tied(fits, local, clusters)
                else:
                    background_only.append(k)
                continue
            fits = fits or [(sc, cid) for sc, cid in joinable if closed[cid]]
            if fits:
                candidates[k] = _tied(fits, local, clusters)
                continue
            cluster_here[k] = len(clusters)
            clusters.append([k])
            closed.append(True)
            founded_at.append(k)
            continue
        if joinable:
            # A vague report (a lede, a summary) may just as well restate one
            # of its own document's incidents: those compete for it too.
            rivals = joinable + same_doc if r.vague else joinable
            rivals.sort(key=lambda sc: (-sc[0], local[clusters[sc[1]][0]].key))
            best = rivals[0][0]
            tied = [cid for s, cid in rivals if best - s < MARGIN]
            own = [cid for cid in tied if cid in own_doc]
            if own:
                tied = own  # a lede most likely restates its own article's incident
            if len(tied) == 1 and not own:
                cid = tied[0]
                clusters[cid].append(k)
                cluster_here[k] = cid
            else:
                mentions[k] = tied
            continue
        if r.vague and same_doc:
            mentions[k] = [cid for _, cid in same_doc]
            continue
        cluster_here[k] = len(clusters)
        clusters.append([k])
        closed.append(False)
        founded_at.append(k)
    return PartResult(
        clusters, founded_at, mentions, comparisons, background, background_only, candidates
    )


def _tied(
    fits: list[tuple[float, int]], recs: Sequence[Rec], clusters: list[list[int]]
) -> list[int]:
    """The incidents that fit best, within ``MARGIN`` of one another."""
    fits = sorted(fits, key=lambda sc: (-sc[0], recs[clusters[sc[1]][0]].key))
    best = fits[0][0]
    return [cid for s, cid in fits if best - s < MARGIN]


def _specific_first(recs: Sequence[Rec]) -> list[int]:
    """Indexes by (type, background, -specificity, country, admin1, key).

    Sorted on one string per record (2.5x faster than on tuples at 100k
    events): the parts joined by NUL, the smallest character, order exactly as
    the tuples do; specificity enters as its rank, most specific first.
    """
    rank = {s: k for k, s in enumerate(sorted({r.spec for r in recs}, reverse=True))}
    # background mentions after every news event of their type (they never found one)
    keys = [
        f"{r.type}\0{r.background}\0{rank[r.spec]:06d}\0{r.country or ''}\0{r.admin1 or ''}"
        f"\0{r.key}"
        for r in recs
    ]
    if any(k.count("\0") != 5 for k in keys):  # a NUL inside a value: sort on tuples
        return sorted(
            range(len(recs)),
            key=lambda i: (
                recs[i].type,
                recs[i].background,
                -recs[i].spec,
                recs[i].country or "",
                recs[i].admin1 or "",
                recs[i].key,
            ),
        )
    return sorted(range(len(keys)), key=keys.__getitem__)


def _components(recs: Sequence[Rec], order: list[int], seeds: list[list[int]]) -> list[list[int]]:
    """``order`` split into parts that cannot affect one another (positions in ``order``).

    An event is only ever compared with events of its type and of its country
    or of unknown country (see :mod:`.blocking`). So when a type has no event
    of unknown country, each of its countries is a part of its own; else the
    type is one part. Human merges (``seeds``) join the parts of their events.
    Each part keeps the relative order of ``order``, so clustering part after
    part decides exactly what one pass over ``order`` decides — while working
    on one small region at a time (cache-friendly).
    """
    unknown_country = {r.type for r in recs if r.country is None}
    number: dict[tuple[str, str | None], int] = {}
    # the part of each record, in input order (a sequential pass)
    part_of = [
        number.setdefault((r.type, None if r.type in unknown_country else r.country), len(number))
        for r in recs
    ]
    joined = list(range(len(number)))  # union-find over part numbers

    def find(k: int) -> int:
        while joined[k] != k:
            k = joined[k]
        return k

    for group in seeds:
        roots = [find(part_of[i]) for i in group]
        for k in roots[1:]:
            joined[find(k)] = find(roots[0])
    root = [find(k) for k in range(len(number))]
    parts: list[list[int]] = [[] for _ in number]
    for pos, i in enumerate(order):
        parts[root[part_of[i]]].append(pos)
    return [p for p in parts if p]
