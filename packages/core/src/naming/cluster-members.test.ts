import { describe, expect, it } from 'vitest';
import { clusterMembers } from './cluster-members.js';

describe('clusterMembers', () => {
  it('puts every chunk in its cluster and all its ancestors', () => {
    const members = clusterMembers({ clusters: ['0.1.0', '0.2', '0.1.1', '0', '0.1.0', '0.10.3'] });
    expect(Object.fromEntries(members)).toEqual({
      '0': [0, 1, 2, 3, 4, 5],
      '0.1': [0, 2, 4],
      '0.1.0': [0, 4],
      '0.1.1': [2],
      '0.2': [1],
      '0.10': [5],
      '0.10.3': [5],
    });
  });
});
