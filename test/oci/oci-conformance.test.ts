// The shared Runtime conformance suite against the real runtime (root:
// runc, conmon, catatonit), each case on a fresh data dir that must be left
// clean.
import * as assert from 'node:assert/strict';
import { describeRuntimeConformance } from '../../src/runtime/testing/conformance.js';
import type { OciRuntime } from '../../src/runtime/oci/oci-runtime.js';
import { BUSYBOX_REF, makeTestBed } from './oci-fixtures.js';

describeRuntimeConformance('oci', async () => {
  const bed = await makeTestBed();
  const runtime: OciRuntime = await bed.open();
  return {
    runtime,
    image: BUSYBOX_REF,
    logRoot: bed.logRoot,
    reopen: () => bed.open(),
    cleanup: async () => {
      assert.deepEqual(await bed.cleanup(), [], 'nothing left behind');
    },
  };
});
