"""Runs umap-learn on x.f32 (n x d float32, raw) and scores both embeddings' trustworthiness (k=10).

Usage: /usr/bin/python3 umap_learn_reference.py folder n d n_components n_neighbors min_dist metric
Reads folder/x.f32 and folder/ours.f32 (n x n_components); prints one JSON line.
"""
import json, resource, sys, time
import numpy as np

folder, n, d, nc, k, min_dist, metric = sys.argv[1], *map(int, sys.argv[2:6]), float(sys.argv[6]), sys.argv[7]
x = np.fromfile(f"{folder}/x.f32", dtype=np.float32).reshape(n, d)
ours = np.fromfile(f"{folder}/ours.f32", dtype=np.float32).reshape(n, nc)
import umap  # noqa: E402  (import cost not counted)
from sklearn.manifold import trustworthiness  # noqa: E402

warm = umap.UMAP(n_components=nc, n_neighbors=k, min_dist=min_dist, metric=metric, random_state=1, n_epochs=10)
warm.fit_transform(x[:500])  # numba JIT warm-up, not counted
start = time.perf_counter()
theirs = umap.UMAP(n_components=nc, n_neighbors=k, min_dist=min_dist, metric=metric, random_state=42).fit_transform(x)
seconds = time.perf_counter() - start
sample = np.random.default_rng(0).choice(n, size=min(n, 5000), replace=False)
tw = lambda emb: float(trustworthiness(x[sample], emb[sample], n_neighbors=10, metric=metric))
print(json.dumps({
    "umap_learn_seconds": seconds,
    "umap_learn_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "trustworthiness_umap_learn": tw(theirs),
    "trustworthiness_ours": tw(ours),
}))
