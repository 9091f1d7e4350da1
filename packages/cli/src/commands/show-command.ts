import { loadCorpusIndex, walkBreadthFirst, type ClusterNode, type CorpusIndex } from '@corpus-proximity/core';
import { outliersPerNode } from '@corpus-proximity/core/internal';
import type { Command } from 'commander';
import { UsageError } from '../usage-error.js';

interface ShowFlags {
  index: string;
  tree?: boolean;
  list?: boolean;
  inspect?: string;
  showNoise?: boolean;
  name?: string;
  json?: boolean;
}

/** Registers `show`: look at an index's cluster tree, one cluster, noise, or search names. */
export function registerShowCommand(program: Command): void {
  program
    .command('show')
    .description("Show an index's cluster tree, a flat list, one cluster in detail, its noise, or clusters by name.")
    .requiredOption('--index <dir>', 'index folder')
    .option('--tree', 'the cluster tree (default)')
    .option('--list', 'one line per cluster')
    .option('--inspect <cluster-id>', 'one cluster: path, sizes, silhouette, children, sample chunks')
    .option('--show-noise', 'noise chunks per cluster (with --inspect: that cluster only)')
    .option('--name <text>', 'clusters whose name contains TEXT')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  $ corpus-proximity show --index my-index --tree
  $ corpus-proximity show --index my-index --inspect 0.2.1
  $ corpus-proximity show --index my-index --name "bird" --json`,
    )
    .action(async (flags: ShowFlags) => {
      const index = await loadCorpusIndex(flags.index);
      process.stdout.write(`${renderShow(index, flags)}\n`);
    });
}

/** Renders what `show` prints for the given flags. */
export function renderShow(index: CorpusIndex, flags: Omit<ShowFlags, 'index'>): string {
  if (flags.inspect !== undefined) {
    const node = index.getNode(flags.inspect);
    if (!node) throw new UsageError(`--inspect ${flags.inspect}: no such cluster; list them with --list`);
    return flags.showNoise ? renderNoise(index, [node], flags.json) : renderInspect(index, node, flags.json);
  }
  if (flags.showNoise) return renderNoise(index, allNodes(index.tree), flags.json);
  if (flags.name !== undefined) {
    const needle = flags.name.toLowerCase();
    const found = allNodes(index.tree).filter((node) => node.name.toLowerCase().includes(needle));
    if (flags.json) return JSON.stringify(found.map(summary), null, 2);
    return found.length === 0 ? `no cluster name contains "${flags.name}"` : found.map(listLine).join('\n');
  }
  if (flags.list) {
    const nodes = allNodes(index.tree);
    return flags.json ? JSON.stringify(nodes.map(summary), null, 2) : nodes.map(listLine).join('\n');
  }
  if (flags.json) return JSON.stringify(index.tree, null, 2);
  const outliers = outliersPerNode(index.tree, index.assignment);
  const layered = index.assignment.outlier_scores !== undefined;
  const noiseWord = layered ? 'outliers (each in its nearest leaf)' : 'noise';
  const lines = [`${index.tree.name} — ${index.count} chunks, ${index.manifest.counts.clusters} clusters, ${index.manifest.counts.noise} ${noiseWord} · ${index.manifest.embedder.id}`];
  lines.push('   (chunks, % of parent, % outliers, s = silhouette in the parent\'s split)');
  renderChildren(index.tree, '', lines, outliers);
  return lines.join('\n');
}

function renderChildren(node: ClusterNode, prefix: string, lines: string[], outliers: Map<string, number>): void {
  node.children.forEach((child, i) => {
    const last = i === node.children.length - 1;
    const share = `${percent(child.size, node.size)} of parent`;
    const outlierShare = `${percent(outliers.get(child.cluster_id) ?? 0, child.size)} outliers`;
    const noise = child.noise_count > 0 ? `, ${child.noise_count} noise kept here` : '';
    const silhouette = child.silhouette === null ? '' : `, s=${child.silhouette.toFixed(2)}`;
    lines.push(`${prefix}${last ? '└─' : '├─'} [${child.cluster_id}] ${child.name} (${child.size}, ${share}, ${outlierShare}${noise}${silhouette})`);
    renderChildren(child, `${prefix}${last ? '   ' : '│  '}`, lines, outliers);
  });
}

function percent(part: number, whole: number): string {
  return `${whole > 0 ? Math.round((100 * part) / whole) : 0}%`;
}

function renderInspect(index: CorpusIndex, node: ClusterNode, json?: boolean): string {
  const path = pathTo(index, node.cluster_id);
  const samples = node.samples.map((idx) => ({ idx, text: index.chunks[idx] ?? '', stage: index.metadata[idx]?.corpus_stage ?? null }));
  if (json) return JSON.stringify({ ...summary(node), path, children: node.children.map(summary), samples }, null, 2);
  const lines = [
    `[${node.cluster_id}] ${node.name}`,
    `  path:        ${path.join(' › ') || '(root)'}`,
    node.description ? `  about:       ${node.description}` : undefined,
    `  depth:       ${node.depth}`,
    `  chunks:      ${node.size} (${node.noise_count} noise kept here)`,
    `  silhouette:  ${node.silhouette?.toFixed(3) ?? '—'} in parent's split; ${node.split_silhouette?.toFixed(3) ?? '—'} of own split`,
    node.leaf_reason ? `  leaf:        ${node.leaf_reason}` : undefined,
    node.children.length > 0 ? `  children:\n${node.children.map((child) => `    [${child.cluster_id}] ${child.name} (${child.size})`).join('\n')}` : undefined,
    `  samples (nearest the centroid first):`,
    ...samples.map((sample) => `    #${sample.idx} ${sample.stage ? `(${sample.stage}) ` : ''}${truncate(sample.text, 160)}`),
  ];
  return lines.filter((line) => line !== undefined).join('\n');
}

function renderNoise(index: CorpusIndex, nodes: ClusterNode[], json?: boolean): string {
  const noise = new Set(index.assignment.noise);
  const rows = nodes
    .map((node) => ({ node, chunks: index.assignment.clusters.flatMap((cluster, idx) => (cluster === node.cluster_id && noise.has(idx) ? [idx] : [])) }))
    .filter((row) => row.chunks.length > 0);
  if (json) return JSON.stringify(rows.map((row) => ({ cluster_id: row.node.cluster_id, name: row.node.name, noise: row.chunks })), null, 2);
  if (rows.length === 0) return 'no noise chunks';
  return rows
    .map((row) => [`[${row.node.cluster_id}] ${row.node.name}: ${row.chunks.length} noise chunk(s)`, ...row.chunks.slice(0, 5).map((idx) => `    #${idx} ${truncate(index.chunks[idx] ?? '', 140)}`), row.chunks.length > 5 ? `    … ${row.chunks.length - 5} more` : undefined].filter(Boolean).join('\n'))
    .join('\n');
}

function pathTo(index: CorpusIndex, clusterId: string): string[] {
  const parts = clusterId.split('.');
  const names: string[] = [];
  for (let end = 2; end <= parts.length; end++) names.push(index.getNode(parts.slice(0, end).join('.'))?.name ?? '?');
  return names;
}

function allNodes(root: ClusterNode): ClusterNode[] {
  const nodes: ClusterNode[] = [];
  walkBreadthFirst(root, (node) => nodes.push(node));
  return nodes;
}

function summary(node: ClusterNode) {
  return { cluster_id: node.cluster_id, name: node.name, depth: node.depth, size: node.size, noise_count: node.noise_count, silhouette: node.silhouette, children: node.children.length };
}

function listLine(node: ClusterNode): string {
  return `${node.cluster_id.padEnd(10)} depth ${node.depth}  ${String(node.size).padStart(7)} chunks  ${String(node.noise_count).padStart(5)} noise  ${node.name}`;
}

function truncate(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}
