#!/usr/bin/python3
"""Sparse TF-IDF nearest-neighbour baseline for bench/quality/verdict-quality.mjs.

usage: /usr/bin/python3 tfidf-baseline.py CORPUS.jsonl QUERIES.jsonl OUT.json [CALIBRATION=500] [SEED=42]

Fits TfidfVectorizer on the corpus texts (the indexed glosses) twice: word unigrams (sublinear_tf) and
character 3-5-grams inside word boundaries (analyzer='char_wb', sublinear_tf). Score of a query = max cosine
against every corpus text; its nearest neighbour is the argmax row (= chunk idx). A query with no known
token scores 0 (a zero vector has cosine 0 with everything), nearest -1.
Calibration, like the product's: a seeded sample of CALIBRATION corpus texts scored against the corpus
with their own row left out; their scores are written so the caller can set percentile bands.
"""
import json
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

corpus_path, queries_path, out_path = sys.argv[1:4]
calibration = int(sys.argv[4]) if len(sys.argv) > 4 else 500
seed = int(sys.argv[5]) if len(sys.argv) > 5 else 42

corpus = [json.loads(line)["text"] for line in open(corpus_path, encoding="utf8") if line.strip()]
queries = [json.loads(line)["text"] for line in open(queries_path, encoding="utf8") if line.strip()]
sample = np.random.default_rng(seed).choice(len(corpus), size=min(calibration, len(corpus)), replace=False)

VARIANTS = {
    "tfidf-word": dict(sublinear_tf=True),
    "tfidf-char-3-5": dict(sublinear_tf=True, analyzer="char_wb", ngram_range=(3, 5)),
}


def nearest(matrix, queries_matrix, exclude=None):
    """Max cosine and argmax row of each query against the (L2-normalized) corpus matrix, in blocks."""
    scores, rows = [], []
    for start in range(0, queries_matrix.shape[0], 512):
        sims = (queries_matrix[start:start + 512] @ matrix.T).toarray()
        if exclude is not None:
            sims[np.arange(sims.shape[0]), exclude[start:start + 512]] = -1.0
        best = sims.argmax(axis=1)
        top = sims[np.arange(sims.shape[0]), best]
        scores.extend(top.tolist())
        rows.extend(np.where(top > 0, best, -1).tolist())
    return scores, rows


results = {"corpus": len(corpus), "queries": len(queries), "calibration_sample": int(len(sample)), "variants": {}}
for name, settings in VARIANTS.items():
    started = time.perf_counter()
    vectorizer = TfidfVectorizer(**settings)
    matrix = vectorizer.fit_transform(corpus)
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    scores, rows = nearest(matrix, vectorizer.transform(queries))
    query_seconds = time.perf_counter() - started
    calibration_scores, _ = nearest(matrix, matrix[sample], exclude=sample)
    results["variants"][name] = {
        "settings": {k: list(v) if isinstance(v, tuple) else v for k, v in settings.items()},
        "vocabulary": len(vectorizer.vocabulary_),
        "fit_seconds": round(fit_seconds, 3),
        "query_seconds": round(query_seconds, 3),
        "scores": scores,
        "nearest": rows,
        "calibration_scores": calibration_scores,
    }

with open(out_path, "w", encoding="utf8") as out:
    json.dump(results, out)
