// GET /version. kubectl on this machine is a dispatcher that picks the kubectl binary by
// the server's major/minor (kubectl-contract.md §0.1), so minor must be "32".
export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T00:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
} as const;
