import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { managedHostsFileContent, nodeHostsFileContent, resolvConfContent } from './etc-files.js';

test('the managed hosts file is the kubelet’s, with one line per pod IP', () => {
  assert.equal(
    managedHostsFileContent(['10.85.0.7'], 'web'),
    '# Kubernetes-managed hosts file.\n' +
      '127.0.0.1\tlocalhost\n' +
      '::1\tlocalhost ip6-localhost ip6-loopback\n' +
      'fe00::0\tip6-localnet\n' +
      'fe00::0\tip6-mcastprefix\n' +
      'fe00::1\tip6-allnodes\n' +
      'fe00::2\tip6-allrouters\n' +
      '10.85.0.7\tweb\n',
  );
});

test('a domain adds the FQDN before the hostname; host aliases follow under their header', () => {
  const s = managedHostsFileContent(['10.0.0.1'], 'db-0', 'db.default.svc.cluster.local', [
    { ip: '1.2.3.4', hostnames: ['a', 'b'] },
  ]);
  assert.ok(s.includes('10.0.0.1\tdb-0.db.default.svc.cluster.local\tdb-0\n'));
  assert.ok(s.endsWith('\n# Entries added by HostAliases.\n1.2.3.4\ta\tb\n'));
});

test('a host-network pod gets the node’s hosts file under its own header', () => {
  assert.equal(
    nodeHostsFileContent('127.0.0.1 localhost'),
    '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n',
  );
});

test('resolv.conf lists search, nameservers and options', () => {
  assert.equal(
    resolvConfContent({ servers: ['10.96.0.10', '8.8.8.8'], searches: ['ns.svc.cluster.local'], options: ['ndots:5'] }),
    'search ns.svc.cluster.local\nnameserver 10.96.0.10\nnameserver 8.8.8.8\noptions ndots:5\n',
  );
  assert.equal(resolvConfContent({ servers: ['1.1.1.1'], searches: [], options: [] }), 'nameserver 1.1.1.1\n');
});
