"""Fit content.typo's score weights (checks/spelling.py WEIGHTS, then WORD_WEIGHTS for the
whole-word repairs) on the tuning halves.

    pip install -e '.[bench]' && python bench/fit_typo_weights.py

Rows: every repair the detector's tables propose for every character of the even lines (tuning
half) of the 公文 and law sets — the sentences as written and their corrections — labelled true when
the correction puts that character there. Only rows a repair could score on are kept (the character
not inside a word of Zipf >= 4.5, the written window not a word of Zipf >= 3). A logistic regression
(scikit-learn, C = 1) on the features of spelling.py gives the weights, printed to paste into
WEIGHTS (the odd lines are never read). The learnt slips (lexicons/learned_pairs.txt) were learnt from the 公文 tuning
half, so on its rows they are perfect: those rows carry them in separate nuisance features, and the
weights of `learned`/`lmXlearned` come from the law rows alone.

The detector itself looks at fewer characters than these rows (inside words of Zipf >= 4.0 it does
not look, nor through windows that are common words, and it drops repairs whose evidence before the
character model is below PRUNE_Z): that is for speed, the weights were not refitted for it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from govinspect.checks import spelling as S
from govinspect.checks.charlm import char_lm

_spec = importlib.util.spec_from_file_location("bench_detectors", Path(__file__).with_name("detectors.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

NAMES = [k for k in S.WEIGHTS if k != "site"]
# rows: characters not inside a word this common, windows not a word this common (a little wider
# than the detector looks, spelling.SOLID_COVER_ZIPF and WINDOW_WORD_ZIPF)
FIT_COVER = 4.5
FIT_WINDOW = 3.0


def rows_of(text: str) -> list[tuple[int, str, dict[str, float]]]:
    """(position, repair character, features) of every proposal in `text`."""
    table, index, zipf, czipf = S.confusions(), S._masked_index(), S.word_zipf(), S.char_zipf()
    common, learned = S._pair_sets()
    lm = char_lm()
    out = []
    for m in S._HAN.finditer(text):
        run = m.group()
        if len(run) < 2:
            continue
        cover = S._cover_zipf(run, None)
        for i, c in enumerate(run):
            entry = table.get(c)
            if c in S._NEVER_SUSPECT or not entry or cover[i] >= FIT_COVER:
                continue
            best: dict[str, tuple[int, float, str]] = {}
            for size in (4, 3, 2):
                for s in range(max(0, i - size + 1), min(i, len(run) - size) + 1):
                    window = run[s : s + size]
                    for new, (_word, z) in index.get(window[: i - s] + "?" + window[i - s + 1 :], {}).items():
                        if new in entry[0] and (new not in best or (size, z) > best[new][:2]):
                            best[new] = (size, z, window)
            around = run[max(0, i - 4) : i + 5]
            at = i - max(0, i - 4)
            fwd, bwd = S._segment_sides(around)
            before = lm.local(run, i, c)
            left, right = (run[i - 1] if i else ""), (run[i + 1] if i + 1 < len(run) else "")
            for new, (_size, z, window) in best.items():
                if zipf.get(window, 0.0) >= FIT_WINDOW:
                    continue
                cand = S.Candidate(
                    start=0, window=window, repair="", position=i, kind=S._kind(entry, new),
                    repair_zipf=z, window_zipf=zipf.get(window, 0.0), cover_zipf=cover[i],
                    alternatives=len(best), site_repair=0, site_wrong=0,
                    gain=fwd[-1] - S._cost_with(around, at, new, fwd, bwd),
                    lm_gain=lm.local(run, i, new) - before, lm_before=before,
                    char_zipf_wrong=czipf.get(c, 0.0), char_zipf_right=czipf.get(new, 0.0),
                    bigrams_wrong=lm.around(left, c, right), bigrams_right=lm.around(left, new, right),
                    edge=i in (0, len(run) - 1), learned=(c, new) in learned, common_pair=(c, new) in common,
                )
                out.append((m.start() + i, new, features(cand)))
    return out


def features(c: S.Candidate) -> dict[str, float]:
    """The terms of spelling._z_known + _z_lm, one by one (weight 1 each)."""
    ones = dict.fromkeys(S.WEIGHTS, 0.0)
    values = {}
    for name in NAMES:
        w = dict(ones, **{name: 1.0})
        site = False
        values[name] = S._z_known(
            c.kind, c.common_pair, c.learned, c.window, c.window_zipf, c.repair_zipf, c.cover_zipf,
            c.alternatives, c.char_zipf_wrong, c.char_zipf_right, c.edge, site, c.gain, w,
        ) + S._z_lm(
            c.kind, c.common_pair, c.learned, c.window_zipf, c.lm_gain, c.lm_before, c.bigrams_wrong,
            c.bigrams_right, w,
        )
    return values


def main() -> None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X, Y = [], []
    for name in ("ecspell_odw.train", "ecspell_law.test"):
        gongwen = name == "ecspell_odw.train"
        for source, target in bench.spelling_pairs(name, "tune"):
            gold = {i: b for i, (a, b) in enumerate(zip(source, target, strict=True)) if a != b}
            texts = [(source, gold)] + ([(target, {})] if gold else [])
            for text, truth in texts:
                for pos, new, f in rows_of(text):
                    row = [f[n] for n in NAMES]
                    nuisance = [0.0, 0.0]
                    if gongwen:  # the learnt slips' own rows: out of `learned`/`lmXlearned`
                        nuisance = [f["learned"], f["lmXlearned"]]
                        row[NAMES.index("learned")] = row[NAMES.index("lmXlearned")] = 0.0
                    X.append(row + nuisance)
                    Y.append(truth.get(pos) == new)
    model = LogisticRegression(C=1.0, fit_intercept=False, max_iter=5000).fit(np.array(X), np.array(Y))
    weights = dict(zip(NAMES, model.coef_[0][: len(NAMES)], strict=True))
    print(f"{len(Y)} rows, {sum(Y)} true repairs")
    for name, value in weights.items():
        print(f'    "{name}": {value:.3f},')
    print(f"nuisance (公文 learnt-slip rows): {model.coef_[0][len(NAMES):].round(3).tolist()}")


def word_rows() -> tuple[list[list[float]], list[bool]]:
    """Whole-word repairs (spelling.word_candidates) of the tuning halves, labelled true when the
    correction writes the repair there."""
    X, Y = [], []
    for name in ("ecspell_odw.train", "ecspell_law.test"):
        for source, target in bench.spelling_pairs(name, "tune"):
            texts = [(source, target)] + ([(target, target)] if source != target else [])
            for text, truth in texts:
                for c in S.word_candidates(text):
                    X.append(list(S.word_features(c).values()))
                    Y.append(truth[c.start : c.start + len(c.window)] == c.repair and text != truth)
    return X, Y


def fit_words() -> None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X, Y = word_rows()
    names = [k for k in S.WORD_WEIGHTS if k != "site"]
    keep = [i for i, k in enumerate(S.WORD_WEIGHTS) if k != "site"]
    X = np.array(X)[:, keep]
    model = LogisticRegression(C=1.0, fit_intercept=False, max_iter=5000).fit(X, np.array(Y))
    print(f"whole-word repairs: {len(Y)} rows, {sum(Y)} true repairs")
    for name, value in zip(names, model.coef_[0], strict=True):
        print(f'    "{name}": {value:.3f},')


if __name__ == "__main__":
    main()
    fit_words()
