// Runs R's dbscan::hdbscan from Node (Debian: apt-get install r-cran-dbscan).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs R's hdbscan on the rows and returns labels in our convention (−1 noise, clusters from 0). */
export function rHdbscan(rows, minPts) {
  const folder = mkdtempSync(join(tmpdir(), 'r-hdbscan-'));
  writeFileSync(join(folder, 'x.csv'), rows.map((row) => row.join(',')).join('\n') + '\n');
  execFileSync('Rscript', ['-e', `suppressMessages(library(dbscan)); x <- as.matrix(read.csv("${folder}/x.csv", header = FALSE)); r <- hdbscan(x, minPts = ${minPts}); writeLines(as.character(r$cluster), "${folder}/labels.txt")`]);
  const labels = readFileSync(join(folder, 'labels.txt'), 'utf8').trim().split('\n').map((line) => Number(line) - 1);
  rmSync(folder, { recursive: true, force: true });
  return labels;
}

/** Like rHdbscan, but also returns the seconds R spent inside hdbscan() and R's peak RSS (from /usr/bin/time). */
export function rHdbscanTimed(rows, minPts) {
  const folder = mkdtempSync(join(tmpdir(), 'r-hdbscan-'));
  writeFileSync(join(folder, 'x.csv'), rows.map((row) => row.join(',')).join('\n') + '\n');
  const script = `suppressMessages(library(dbscan)); x <- as.matrix(read.csv("${folder}/x.csv", header = FALSE)); t <- system.time(r <- hdbscan(x, minPts = ${minPts})); writeLines(as.character(r$cluster), "${folder}/labels.txt"); writeLines(as.character(c(t[["elapsed"]], t[["user.self"]] + t[["sys.self"]])), "${folder}/seconds.txt")`;
  const run = spawnSync('/usr/bin/time', ['-f', '%M', 'Rscript', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) throw new Error(`Rscript failed: ${run.stderr}`);
  const timing = run.stderr.toString().trim().split('\n');
  const labels = readFileSync(join(folder, 'labels.txt'), 'utf8').trim().split('\n').map((line) => Number(line) - 1);
  const [seconds, cpuSeconds] = readFileSync(join(folder, 'seconds.txt'), 'utf8').trim().split('\n').map(Number);
  rmSync(folder, { recursive: true, force: true });
  return { labels, seconds, cpuSeconds, maxRssMb: Math.round(Number(timing.at(-1)) / 1024) };
}
