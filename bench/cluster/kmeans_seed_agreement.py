"""Seed-to-seed agreement of a flat clustering on the same vectors, as a yardstick for the tree's:
sklearn k-means (k-means++, n_init 3) with random_state 42/43/44 at each k, pairwise ARI.

Usage: /usr/bin/python3 kmeans_seed_agreement.py x.f32 n d k1,k2,...   -> one JSON line
"""
import json, sys
import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

path, n, d, ks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), [int(k) for k in sys.argv[4].split(",")]
x = np.fromfile(path, dtype=np.float32).reshape(n, d)
out = []
for k in ks:
    labels = [KMeans(n_clusters=k, n_init=3, random_state=seed).fit(x).labels_ for seed in (42, 43, 44)]
    out.append({"k": k, "ari": [round(adjusted_rand_score(labels[i], labels[j]), 4) for i, j in ((0, 1), (0, 2), (1, 2))]})
print(json.dumps(out))
