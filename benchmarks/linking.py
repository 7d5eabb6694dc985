"""Linking and deduplication across documents: measured against planted truth.

    python benchmarks/linking.py [--events 700] [--synthetic 100000] [--seed 0]

1. fingerprint options on the generated corpus: document-duplicate precision/recall and
   the cost of one 2,000-character article;
2. the shipped pipeline (``zh_invest_ner.extract``) over the corpus, then ``link``:
   duplicate-meeting precision/recall, namesakes merged, short/full company names merged;
3. 100,000 documents: fingerprint + link measured on frames and texts synthesised from
   the corpus (names and texts varied per copy), against extraction extrapolated from the
   pipeline's chars/s measured in 2.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linking_corpus import Article, Generator  # noqa: E402

import zh_invest_ner  # noqa: E402
from zh_invest_ner.output.linking import company_form, link  # noqa: E402
from zh_invest_ner.text import fingerprint as fp  # noqa: E402


def pairs_of(labels: dict) -> set[tuple]:
    """All unordered pairs of keys sharing a label."""
    by: dict = defaultdict(list)
    for k, v in labels.items():
        by[v].append(k)
    return {(a, b) for ks in by.values() for i, a in enumerate(sorted(ks)) for b in sorted(ks)[i + 1:]}


def pr(pred: set, true: set) -> tuple[float, float]:
    tp = len(pred & true)
    return (tp / len(pred) if pred else 1.0), (tp / len(true) if true else 1.0)


def family(a: Article) -> str:
    return a.original or a.doc_id


# -- 1. fingerprints -----------------------------------------------------------------------

def time_per_doc(f, text: str, rounds: int = 300) -> float:
    f(text)
    t = time.perf_counter()
    for _ in range(rounds):
        f(text)
    return (time.perf_counter() - t) / rounds * 1000


def fingerprint_options(articles: list[Article]) -> None:
    truth = pairs_of({a.doc_id: family(a) for a in articles})
    long_text = ""
    for a in articles:
        if len(long_text) >= 2000:
            break
        long_text += a.text + "\n"
    long_text = long_text[:2000]
    print(f"\n## 1. Fingerprints ({len(articles)} docs, {len(truth)} true duplicate pairs; time per 2,000-char text)\n")
    print("| option | precision | recall | candidate pairs | ms/doc |")
    print("|---|---|---|---|---|")
    fps = {a.doc_id: fp.fingerprint(a.text) for a in articles}
    index = fp.DuplicateIndex()
    for k, v in fps.items():
        index.add(k, v)
    p, r = pr(pairs_of(index.groups()), truth)
    print(f"| b-bit MinHash 64×8 bit, body lines, 4-shingles in lines (shipped) | {p:.3f} | {r:.3f} | "
          f"{len(index.candidate_pairs())} | {time_per_doc(fp.fingerprint, long_text):.3f} |")

    def all_lines(text: str) -> str:  # the same without the body-line filter
        keep = fp.body_lines
        fp.body_lines = lambda t: [fp._NOT_CONTENT.sub("", x) for x in t.splitlines() if fp._NOT_CONTENT.sub("", x)]
        try:
            return fp.fingerprint(text)
        finally:
            fp.body_lines = keep

    groups = fp.duplicate_groups({a.doc_id: all_lines(a.text) for a in articles})
    p, r = pr(pairs_of(groups), truth)
    print(f"| same, all lines (no body filter) | {p:.3f} | {r:.3f} | – | {time_per_doc(all_lines, long_text):.3f} |")
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        print("| datasketch: not installed | | | | |")
    else:
        def ds(text: str, perm: int = 128) -> MinHash:
            m = MinHash(num_perm=perm)
            lines = fp.body_lines(text)
            m.update_batch({line[i:i + 4].encode() for line in lines for i in range(max(1, len(line) - 3))})
            return m

        def ds_int(text: str) -> MinHash:
            m = MinHash(num_perm=64, hashfunc=int)
            m.update_batch(fp.shingle_hashes(text).tolist())
            return m

        lsh = MinHashLSH(threshold=fp.THRESHOLD, num_perm=128)
        mh = {a.doc_id: ds(a.text) for a in articles}
        for k, m in mh.items():
            lsh.insert(k, m)
        pred = {tuple(sorted((k, o))) for k, m in mh.items() for o in lsh.query(m) if o != k}
        p, r = pr(pred, truth)
        print(f"| datasketch MinHash 128 (SHA-1) + MinHashLSH(0.6), 4096 hex | {p:.3f} | {r:.3f} | – | "
              f"{time_per_doc(ds, long_text):.3f} |")
        print(f"| datasketch MinHash 64, update_batch of our shingle ints | = shipped | | | "
              f"{time_per_doc(ds_int, long_text):.3f} |")
    try:
        from simhash import Simhash
    except ImportError:
        print("| simhash (PyPI `simhash`): not installed | | | | |")
    else:
        def sh(text: str) -> int:
            return Simhash([line[i:i + 4] for line in fp.body_lines(text) for i in range(max(1, len(line) - 3))]).value

        values = {a.doc_id: sh(a.text) for a in articles}
        for dist in (3, 6):
            # exact pairwise Hamming here (a benchmark); an index would need 4+ blocks
            keys = sorted(values)
            arr = np.array([values[k] for k in keys], dtype=np.uint64)
            pred = set()
            for i, k in enumerate(keys):
                x = arr[i + 1:] ^ arr[i]
                bits = np.unpackbits(x.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)
                pred.update((k, keys[i + 1 + j]) for j in np.nonzero(bits <= dist)[0])
            p, r = pr(pred, truth)
            print(f"| simhash 64-bit, Hamming ≤ {dist} | {p:.3f} | {r:.3f} | – | {time_per_doc(sh, long_text):.3f} |")


# -- 2. pipeline + link ---------------------------------------------------------------------

def load_pipeline():
    nlp = zh_invest_ner.load()
    try:  # a component being written by someone else may fail: say so, run without it
        nlp("市长王某会见了澄川新能源董事长李某。")
    except Exception as e:  # noqa: BLE001
        broken = nlp.pipe_names[-1]
        print(f"NOTE: the shipped pipeline fails in {broken} ({type(e).__name__}: {e}); run without it")
        nlp.disable_pipe(broken)
    return nlp


def truth_of_rows(meetings: pd.DataFrame, articles: dict[str, Article], gen: Generator) -> list[tuple | None]:
    """Each meeting row's planted (event, official name, official city), or None when it matches none."""
    out = []
    for row in meetings.itertuples(index=False):
        art = articles[row.doc_id]
        hit = None
        for eid in art.events:
            ev = gen.events[eid]
            people = [ev.official] + ([ev.accompanying] if ev.accompanying else [])
            person = next((o for o in people if o.name == row.official), None)
            company = row.company if isinstance(row.company, str) else ""
            if person and (isinstance(row.executive, str) and row.executive == ev.executive[0]
                           or ev.company.core in company):
                hit = (eid, person.name, person.city)
                break
        out.append(hit)
    return out


def meeting_figures(linked, truth: list[tuple | None], articles: dict[str, Article]) -> None:
    m = linked.meetings
    ok = [i for i, t in enumerate(truth) if t is not None]
    print(f"\nmeeting rows: {len(m)}; matched to a planted meeting: {len(ok)}; unmatched (extraction noise, left out): "
          f"{len(m) - len(ok)}")
    mids = m["meeting_id"].tolist()
    docs = m["doc_id"].tolist()
    fam = {i: family(articles[docs[i]]) for i in ok}
    pred = pairs_of({i: mids[i] for i in ok})
    true = pairs_of({i: truth[i] for i in ok})
    p, r = pr(pred, true)
    print(f"duplicate-meeting pairs: predicted {len(pred)}, true {len(true)}; **precision {p:.3f}, recall {r:.3f}**")
    reprints = pairs_of({i: (*truth[i], fam[i]) for i in ok})
    rewrites = true - reprints
    print(f"of the true pairs: {len(reprints)} within an article and its reprints (linked: {len(reprints & pred)}), "
          f"{len(rewrites)} across a rewrite by another outlet (linked: {len(rewrites & pred)}; a `date` column is "
          f"{'present' if 'date' in m.columns else 'absent'}, known on "
          f"{int(m['date'].notna().sum()) if 'date' in m.columns else 0} rows)")
    false = pred - true
    why = Counter()
    for a, b in false:
        ta, tb = truth[a], truth[b]
        if ta[1:] != tb[1:]:
            why["different officials" + (" (namesakes)" if ta[1] == tb[1] else "")] += 1
        else:
            why["same official, different planted meetings (repeat visit / other event)"] += 1
    print(f"false pairs by cause: {dict(why)}")
    # namesakes
    people_of: dict[str, set] = defaultdict(set)
    oids = m["official_id"].tolist()
    for i in ok:
        people_of[oids[i]].add((truth[i][1], truth[i][2]))
    merged = sum(1 for ps in people_of.values() if len({n for n, _ in ps}) < len(ps))
    ids_of: dict[tuple, set] = defaultdict(set)
    for i in ok:
        ids_of[(truth[i][1], truth[i][2])].add(oids[i])
    names = Counter(n for n, _ in ids_of)
    print(f"officials: {len(ids_of)} true people ({sum(1 for c in names.values() if c > 1)} names held by "
          f"namesakes in different cities), {len(people_of)} official_ids; **namesakes merged: {merged}**; "
          f"true officials with exactly one id: {sum(len(v) == 1 for v in ids_of.values()) / len(ids_of):.3f}")
    regions = m["official_region"].notna().sum() if "official_region" in m.columns else 0
    people = linked.people.set_index("person_id")
    region = {i: people.at[oids[i], "region"] for i in ok}
    region_ok = sum(1 for i in ok if isinstance(region[i], str) and region[i] == truth[i][2])
    region_any = sum(1 for i in ok if isinstance(region[i], str))
    print(f"official_region in the meetings frame: {regions}/{len(m)} rows; after linking (row's person has a region): "
          f"{region_any}/{len(ok)} matched rows, correct city: {region_ok}/{len(ok)}")


def company_figures(linked, articles: dict[str, Article], gen: Generator) -> None:
    m = linked.meetings
    forms: dict[str, set[str]] = defaultdict(set)
    cores = {c.core: c for c in gen.companies}
    for name in m["company"].dropna().unique().tolist():
        core = company_form(name).core
        if core in cores:
            forms[core].add(name)
    id_of = dict(zip(m["company"].tolist(), m["company_id"].tolist(), strict=True))
    both = [c for c, names in forms.items() if cores[c].full in names and len(names) > 1]
    merged = sum(1 for c in both if len({id_of[n] for n in forms[c]}) == 1)
    wrong: dict[str, set] = defaultdict(set)
    for name, cid in id_of.items():
        if isinstance(name, str) and isinstance(cid, str):
            wrong[cid].add(company_form(name).core)
    print(f"companies written both full and short in the meeting rows: {len(both)}; "
          f"**all forms under one company_id: {merged}/{len(both)} = {merged / max(1, len(both)):.3f}**; "
          f"company_ids covering two planted companies: {sum(1 for v in wrong.values() if len(v & set(cores)) > 1)}")


# -- 3. 100,000 documents -------------------------------------------------------------------

def shift_text(text: str, j: int) -> str:
    """Copy ``j`` of a text: every hanzi moved along the CJK block, so copies share no shingle."""
    if j == 0:
        return text
    off = j * 97
    return "".join(chr(0x4E00 + (ord(ch) - 0x4E00 + off) % 20000) if "\u4e00" <= ch <= "\u9fff" else ch
                   for ch in text)


def synthesise(meetings: pd.DataFrame, documents: pd.DataFrame, entities: pd.DataFrame, texts: dict[str, str],
               n_docs: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, str]]:
    copies = -(-n_docs // len(documents))
    ms, ds, es, ts = [], [], [], {}
    for j in range(copies):
        def name(v, j=j):
            return shift_text(v, j) if isinstance(v, str) else v

        def company(v, j=j):
            return v.replace(company_form(v).core, shift_text(company_form(v).core, j)) if isinstance(v, str) else v

        mm = meetings.copy()
        mm["doc_id"] = mm["doc_id"] + f"~{j}"
        for c in ("official", "executive"):
            mm[c] = mm[c].map(name).astype(meetings[c].dtype)
        mm["company"] = mm["company"].map(company).astype(meetings["company"].dtype)
        dd = documents.copy()
        dd["doc_id"] = dd["doc_id"] + f"~{j}"
        ee = entities.copy()
        ee["doc_id"] = ee["doc_id"] + f"~{j}"
        person = ee["label"] == "PERSON"
        ee.loc[person, "text"] = ee.loc[person, "text"].map(name)
        ms.append(mm)
        ds.append(dd)
        es.append(ee)
        for k, t in texts.items():
            ts[f"{k}~{j}"] = shift_text(t, j)
    d = pd.concat(ds, ignore_index=True).iloc[:n_docs]
    keep = set(d["doc_id"])
    m = pd.concat(ms, ignore_index=True)
    e = pd.concat(es, ignore_index=True)
    return (m[m["doc_id"].isin(keep)].reset_index(drop=True), d, e[e["doc_id"].isin(keep)].reset_index(drop=True),
            {k: v for k, v in ts.items() if k in keep})


def scale(result, texts: dict[str, str], chars_per_s: float, n_docs: int) -> None:
    t = time.perf_counter()
    m, d, e, ts = synthesise(result.meetings, result.documents.drop(columns=["fingerprint"], errors="ignore"),
                             result.entities, texts, n_docs)
    print(f"\n## 3. {len(d):,} documents (synthesised in {time.perf_counter() - t:.0f} s: {len(m):,} meeting rows, "
          f"{len(e):,} entity rows, {sum(map(len, ts.values())):,} chars)\n")
    t = time.perf_counter()
    d["fingerprint"] = [fp.fingerprint(ts[k]) for k in d["doc_id"]]
    t_fp = time.perf_counter() - t
    t = time.perf_counter()
    linked = link(m, d, e)
    t_link = time.perf_counter() - t
    chars = sum(map(len, ts.values()))
    t_extract = chars / chars_per_s
    print("| step | seconds | how |")
    print("|---|---|---|")
    print(f"| fingerprint {len(d):,} texts | {t_fp:.1f} | measured |")
    print(f"| link (groups, people, companies, meeting ids, unique meetings) | {t_link:.1f} | measured |")
    print(f"| extract the same {chars:,} chars | {t_extract:,.0f} | extrapolated from {chars_per_s:,.0f} chars/s "
          f"measured in 2 (one process) |")
    print(f"\nfingerprint + link = **{(t_fp + t_link) / t_extract:.4f}×** extraction (target ≤ 2×); "
          f"{len(linked.meetings_unique):,} unique meetings, {len(linked.people):,} people, "
          f"{len(linked.companies):,} companies")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=700)
    ap.add_argument("--synthetic", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--save", help="write the extracted frames as Parquet into this folder")
    args = ap.parse_args()
    gen = Generator(seed=args.seed, events=args.events)
    articles = gen.build()
    by_id = {a.doc_id: a for a in articles}
    texts = {a.doc_id: a.text for a in articles}
    n_reprints = sum(1 for a in articles if a.original)
    print(f"# Linking benchmark: {len(articles)} generated articles ({n_reprints} reprints, "
          f"{sum(1 for a in articles if a.rewrite_of)} rewrites), {len(gen.events)} planted meetings, "
          f"{len(gen.namesake_names)} namesake names")
    fingerprint_options(articles)

    nlp = load_pipeline()
    print(f"\n## 2. Pipeline + link ({', '.join(nlp.pipe_names)})\n")
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = zh_invest_ner.extract(texts, nlp=nlp, keep_docs=False)
    t_extract = time.perf_counter() - t
    if args.save:
        Path(args.save).mkdir(parents=True, exist_ok=True)
        result.to_parquet(args.save)
    chars = sum(map(len, texts.values()))
    print(f"extract: {len(articles)} docs, {chars:,} chars in {t_extract:.1f} s = {chars / t_extract:,.0f} chars/s "
          f"(measured); {int((result.documents['status'] == 'error').sum())} documents failed")
    docs = result.documents.copy()
    if "fingerprint" not in docs.columns:
        docs["fingerprint"] = [fp.fingerprint(texts[k]) for k in docs["doc_id"]]
    t = time.perf_counter()
    linked = link(result.meetings, docs, result.entities)
    print(f"link: {time.perf_counter() - t:.2f} s; {linked}")
    truth = truth_of_rows(result.meetings, by_id, gen)
    meeting_figures(linked, truth, by_id)
    company_figures(linked, by_id, gen)
    dropped = [c for c in ("official_region", "official_org") if c in result.meetings.columns]
    if dropped:  # the frames as they were before official_region: what the entities alone give
        print(f"\n### The same without {', '.join(dropped)} (regions from the entities' affiliations only)")
        meeting_figures(link(result.meetings.drop(columns=dropped), docs, result.entities), truth, by_id)
    if args.synthetic:
        scale(result, texts, chars / t_extract, args.synthetic)


if __name__ == "__main__":
    main()
