"""Flat references for tree-quality.mjs on the same vectors: umap-learn (cosine, k=15, min_dist 0, seed 42)
to `nc` dimensions (written to folder/umap.f32 for HDBSCAN), and sklearn k-means (k-means++, n_init 3,
seed 42) at each k, scored against folder/labels.txt (NMI arithmetic, ARI).

Usage: /usr/bin/python3 tree_quality_reference.py folder n d nc k1,k2,...   -> one JSON line (nc 0: k-means only)
"""
import json, resource, sys, time
import numpy as np

folder, n, d, nc, ks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), [int(k) for k in sys.argv[5].split(",") if k]
x = np.fromfile(f"{folder}/x.f32", dtype=np.float32).reshape(n, d)
labels = np.loadtxt(f"{folder}/labels.txt", dtype=np.int64)
import umap  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402

out = {"kmeans": []}
if nc > 0:  # nc 0: k-means only
  start = time.perf_counter()
  precomputed = None
  if n > 100_000:
    # pynndescent 0.5.8's random-projection-tree init dies with SIGSEGV on all 117,791 WordNet glosses
    # (its recursion eats > 18 GB first); the neighbour graph comes from NN-descent without the trees
    # (pynndescent's tree_init=False; random init, same metric and k), handed to umap-learn.
    from pynndescent import NNDescent
    index = NNDescent(x, metric="cosine", n_neighbors=15, random_state=42, tree_init=False, low_memory=True)
    precomputed = (*index.neighbor_graph, index)
    out["umap_learn_knn"] = "pynndescent tree_init=False"
  y = umap.UMAP(n_components=nc, n_neighbors=15, min_dist=0.0, metric="cosine", random_state=42, precomputed_knn=precomputed or (None, None, None)).fit_transform(x)
  out["umap_learn_seconds"] = round(time.perf_counter() - start, 1)
  y.astype(np.float32).tofile(f"{folder}/umap.f32")
for k in ks:
    start = time.perf_counter()
    km = KMeans(n_clusters=k, n_init=3, random_state=42).fit(x)
    out["kmeans"].append({"k": k, "nmi": round(normalized_mutual_info_score(labels, km.labels_), 4), "ari": round(adjusted_rand_score(labels, km.labels_), 4), "seconds": round(time.perf_counter() - start, 1)})
out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out))
