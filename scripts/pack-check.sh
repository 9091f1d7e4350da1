#!/usr/bin/env bash
# Packs every package as it would be published, installs the tarballs with npm in an empty folder,
# and runs index → annotate → show there (plus require() and a node10 type check), as a new user would.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/cp-pack-check-XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tarballs" "$work/app"
for package in "$root"/packages/*/; do
  (cd "$package" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
echo "pack-check: packed $(ls "$work/tarballs" | wc -l) packages"
cd "$work/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz typescript@5 >/dev/null
echo "pack-check: installed the tarballs with npm"
# The main job with a preset shipped inside the CLI package, on text nobody here wrote for this (our own docs).
npx --no-install corpus-proximity index "$root/docs" --output idx --config quick-test --yes -q
npx --no-install corpus-proximity annotate "$root/examples/outputs.jsonl" --index idx --yes > annotations.txt
grep -q "Source Analysis" annotations.txt
npx --no-install corpus-proximity show --index idx --tree > tree.txt
test -s tree.txt
echo "pack-check: index → annotate → show ran from the installed tarballs"
# CommonJS consumers (require of the ESM build, Node ≥ 20.19) and TypeScript with moduleResolution node10.
node -e "for (const p of ['@corpus-proximity/core', '@corpus-proximity/embedders', '@corpus-proximity/clusterers', '@corpus-proximity/namers', '@corpus-proximity/annotate', '@corpus-proximity/providers']) { if (Object.keys(require(p)).length === 0) throw new Error(p + ' exports nothing'); }"
cat > check.ts <<'TS'
import { loadCorpusIndex, CorpusProximityError } from '@corpus-proximity/core';
import { annotateText } from '@corpus-proximity/annotate';
import { createLsaEmbedder } from '@corpus-proximity/embedders';
export const used = [loadCorpusIndex, CorpusProximityError, annotateText, createLsaEmbedder];
TS
npx --no-install tsc --noEmit --strict --skipLibCheck --module commonjs --moduleResolution node10 check.ts
npx --no-install tsc --noEmit --strict --skipLibCheck --module nodenext --moduleResolution nodenext check.ts
echo "pack-check: require() and TypeScript (node10, nodenext) resolve every package"
