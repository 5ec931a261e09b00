"""A per-site article classifier: does this article read like the column type it was filed under?

Trained on the site's OWN columns (no external labels exist): char n-gram TF-IDF over the title
(weighted) and the body head, plus a few document-form features (文号 present, cites a document),
then LogisticRegression. Each article is judged by a model that never saw it (k-fold
out-of-fold probabilities), so a misfiled article cannot vouch for itself. Deterministic.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import regex
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold


@dataclass
class ClassifierConfig:
    """Tunable settings (all from a rule's params); defaults follow tech-notes §5."""

    folds: int = 5
    ngram_max: int = 2
    title_weight: float = 2.0            # title block scale against the body block
    body_chars: int = 200                # body head used as text
    min_df: int = 2
    max_features: int | None = 200_000
    C: float = 10.0
    min_type_examples: int = 30          # types with fewer training articles are left out
    n_jobs: int = 1
    random_state: int = 0
    top_terms: int = 5


@dataclass
class Sample:
    """One article as the classifier sees it."""

    key: str                             # the article URL
    title: str
    text: str
    has_doc_number: bool
    label: str | None                    # column type; None = judge only, never train


@dataclass
class Judgement:
    """The out-of-fold view of one article: its own type's probability and the strongest other type."""

    key: str
    own_type: str
    own_prob: float
    best_type: str
    best_prob: float
    terms: list[str] = field(default_factory=list)   # title/body n-grams pushing towards best_type


@dataclass
class ClassifierResult:
    """What a fit produced: per-article judgements, the classes used, and why others were left out."""

    judgements: dict[str, Judgement]
    classes: list[str]
    skipped: str | None = None           # why no model was trained (Chinese-free, for logs)


_POLICY_REF = regex.compile(r"《[^》]{2,80}》|关于[^，。；]{2,60}的(?:通知|意见|决定|办法|规定|方案|批复)")


def _form_features(samples: Sequence[Sample]) -> sparse.csr_matrix:
    """Dense document-form features: has 文号, cites a document in the title, cites one in the body."""
    rows = [
        (1.0 if s.has_doc_number else 0.0,
         1.0 if _POLICY_REF.search(s.title) else 0.0,
         1.0 if _POLICY_REF.search(s.text) else 0.0)
        for s in samples
    ]
    return sparse.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(len(samples), 3))


_DIGITS = re.compile(r"[0-9０-９]+")


def _without_digits(text: str) -> str:
    """Numbers (batch numbers, dates, amounts) say nothing about a column's kind; one mark stands for all."""
    return _DIGITS.sub("#", text.lower())


class _Featuriser:
    """Title and body-head TF-IDF blocks side by side, plus the form features."""

    FORM_NAMES = ("[有文号]", "[标题引用文件]", "[正文引用文件]")

    def __init__(self, config: ClassifierConfig):
        self.config = config
        common = {"analyzer": "char", "ngram_range": (1, config.ngram_max), "sublinear_tf": True,
                  "min_df": config.min_df, "dtype": np.float32, "preprocessor": _without_digits}
        self.title = TfidfVectorizer(max_features=config.max_features, **common)
        self.body = TfidfVectorizer(max_features=config.max_features, **common)

    def fit_transform(self, samples: Sequence[Sample]) -> sparse.csr_matrix:
        # Fitting IDF on every article (labels unused) is transductive but leaks no label.
        titles = [s.title for s in samples]
        bodies = [s.text[: self.config.body_chars] for s in samples]
        try:
            t = self.title.fit_transform(titles)
        except ValueError:              # every title empty or below min_df
            self.title = None
            t = sparse.csr_matrix((len(samples), 0), dtype=np.float32)
        try:
            b = self.body.fit_transform(bodies)
        except ValueError:
            self.body = None
            b = sparse.csr_matrix((len(samples), 0), dtype=np.float32)
        return sparse.hstack([t * self.config.title_weight, b, _form_features(samples)], format="csr")

    def names(self) -> list[str]:
        names: list[str] = []
        if self.title is not None:
            names += [f"标题“{n}”" for n in self.title.get_feature_names_out()]
        if self.body is not None:
            names += [f"正文“{n}”" for n in self.body.get_feature_names_out()]
        return names + list(self.FORM_NAMES)


def _model(config: ClassifierConfig) -> LogisticRegression:
    return LogisticRegression(C=config.C, max_iter=300, random_state=config.random_state)


def _fit_fold(config, X, y, train_idx):
    model = _model(config)
    model.fit(X[train_idx], y[train_idx])
    return model


def judge(samples: Sequence[Sample], config: ClassifierConfig | None = None) -> ClassifierResult:
    """Out-of-fold probabilities for every labelled sample whose type has enough training examples."""
    config = config or ClassifierConfig()
    counts = Counter(s.label for s in samples if s.label is not None)
    classes = sorted(t for t, n in counts.items() if n >= max(config.min_type_examples, config.folds))
    if len(classes) < 2:
        return ClassifierResult({}, classes, skipped=f"fewer than 2 column types with "
                                                     f">= {config.min_type_examples} articles")
    used = [s for s in samples if s.label in classes]
    featuriser = _Featuriser(config)
    X = featuriser.fit_transform(used)
    index = {t: i for i, t in enumerate(classes)}
    y = np.asarray([index[s.label] for s in used])
    splitter = StratifiedKFold(n_splits=config.folds, shuffle=True, random_state=config.random_state)
    splits = list(splitter.split(np.zeros(len(used)), y))

    if config.n_jobs != 1:
        from joblib import Parallel, delayed
        models = Parallel(n_jobs=config.n_jobs)(delayed(_fit_fold)(config, X, y, tr) for tr, _ in splits)
    else:
        models = [_fit_fold(config, X, y, tr) for tr, _ in splits]

    names = featuriser.names()
    judgements: dict[str, Judgement] = {}
    for model, (_, test_idx) in zip(models, splits):
        proba = model.predict_proba(X[test_idx])
        for row, i in enumerate(test_idx):
            own = y[i]
            p = proba[row]
            others = p.copy()
            others[own] = -1.0
            best = int(np.argmax(others))
            judgements[used[i].key] = Judgement(
                key=used[i].key, own_type=classes[own], own_prob=float(p[own]),
                best_type=classes[best], best_prob=float(p[best]),
                terms=[] if config.top_terms <= 0 else
                _top_terms(X[i], model.coef_, own, best, names, config.top_terms),
            )
    return ClassifierResult(judgements, classes)


def _top_terms(x: sparse.csr_matrix, coef: np.ndarray, own: int, best: int, names: list[str],
               limit: int) -> list[str]:
    """The article's features that most favour `best` over `own` (value × coefficient difference)."""
    if coef.shape[0] == 1:              # binary LogisticRegression keeps one row: class 1 vs class 0
        delta = coef[0] if best == 1 else -coef[0]
    else:
        delta = coef[best] - coef[own]
    idx = x.indices
    contrib = x.data * delta[idx]
    order = np.argsort(-contrib)
    return [names[idx[j]] for j in order[:limit] if contrib[j] > 0]
