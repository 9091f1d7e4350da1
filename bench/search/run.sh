#!/bin/sh
# Runs the search benchmark on one vector set: corpus-proximity (usearch, i8 unless --quantization f16), then hnswlib and faiss,
# back to back in one run, each line of results tagged with the load average.
#   sh bench/search/run.sh /tmp/cp-search-bench/mixture-100000x384 [extra search.mjs flags]
set -e
data=$1; shift
: "${LIBRARIES:=hnswlib,faiss}"  # LIBRARIES=hnswlib for a shorter run
echo "# $(date -u +%FT%TZ) $(uptime)"
nice node bench/search/search.mjs --data "$data" --ef 32,64,128,256 "$@"
nice /usr/bin/python3 bench/search/reference.py --data "$data" --ef 32,64,128,256 ${LIBRARIES:+--libraries $LIBRARIES}
echo "# $(date -u +%FT%TZ) $(uptime)"
