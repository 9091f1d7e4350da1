"""Debian's python3-hnswlib and python3-faiss (HNSW) on the vectors of make-vectors.py, with the
settings corpus-proximity's search index uses (M = 16, efConstruction = 128, inner product on unit
vectors = cosine, 2 build threads, one query at a time): build time, index size, p50/p99 per
query and recall@10 against the exact top-10, for several efSearch.

  /usr/bin/python3 bench/search/reference.py --data /tmp/cp-search-bench/mixture-100000x384 [--ef 32,64,128,256] [--libraries hnswlib,faiss]
"""
import argparse, json, os, resource, tempfile, time
import numpy as np

p = argparse.ArgumentParser()
p.add_argument('--data', required=True)
p.add_argument('--ef', default='32,64,128,256')
p.add_argument('--libraries', default='hnswlib,faiss')
p.add_argument('--threads', type=int, default=2)
a = p.parse_args()
base = np.load(a.data + '.base.npy')
queries = np.load(a.data + '.queries.npy')
truth = np.load(a.data + '.truth.npy')
n, d = base.shape
load = lambda: ' '.join(f'{x:.2f}' for x in os.getloadavg())

def measure(library, search, ef):
    for q in queries[:100]:
        search(q)  # warm-up
    times, found = [], 0
    for i, q in enumerate(queries):
        t = time.perf_counter()
        ids = search(q)
        times.append((time.perf_counter() - t) * 1000)
        found += len(set(int(x) for x in ids) & set(int(x) for x in truth[i]))
    times.sort()
    return {'library': library, 'ef': ef, 'recall_at_10': found / (len(queries) * 10), 'p50_ms': round(times[len(times) // 2], 3), 'p99_ms': round(times[int(len(times) * 0.99)], 3), 'load': load()}

def report(library, build_s, build_cpu_s, build_load, size, results):
    for r in results:
        print(json.dumps(r), flush=True)
    good = next((r for r in results if r['recall_at_10'] >= 0.97), None)
    print(json.dumps({'summary': True, 'library': library, 'data': a.data, 'count': n, 'dimension': d, 'build_s': round(build_s, 3), 'build_cpu_s': round(build_cpu_s, 3), 'build_load': build_load,
                      'index_bytes': size, 'index_vs_raw_f32': round(size / (n * d * 4), 3), 'max_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, 'at_recall_097': good}), flush=True)

efs = [int(x) for x in a.ef.split(',')]
if 'hnswlib' in a.libraries:
    import hnswlib
    index = hnswlib.Index(space='ip', dim=d)
    index.init_index(max_elements=n, ef_construction=128, M=16, random_seed=42)
    t, c = time.perf_counter(), time.process_time()
    index.add_items(base, np.arange(n), num_threads=a.threads)
    build_s, build_cpu_s, build_load = time.perf_counter() - t, time.process_time() - c, load()
    with tempfile.NamedTemporaryFile(suffix='.hnswlib') as f:
        index.save_index(f.name)
        size = os.path.getsize(f.name)
    index.set_num_threads(1)
    results = []
    for ef in efs:
        index.set_ef(ef)
        results.append(measure('hnswlib 0.6.2', lambda q: index.knn_query(q, k=10)[0][0], ef))
    report('hnswlib', build_s, build_cpu_s, build_load, size, results)
    del index

if 'faiss' in a.libraries:
    import faiss
    faiss.omp_set_num_threads(a.threads)
    index = faiss.IndexHNSWFlat(d, 16, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 128
    t, c = time.perf_counter(), time.process_time()
    index.add(base)
    build_s, build_cpu_s, build_load = time.perf_counter() - t, time.process_time() - c, load()
    size = len(faiss.serialize_index(index))
    faiss.omp_set_num_threads(1)
    results = []
    for ef in efs:
        index.hnsw.efSearch = ef
        results.append(measure(f'faiss {faiss.__version__} HNSWFlat', lambda q: index.search(q[None, :], 10)[1][0], ef))
    report('faiss', build_s, build_cpu_s, build_load, size, results)
