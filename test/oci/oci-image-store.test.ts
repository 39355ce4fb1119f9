// The oci runtime over the real image store (src/images): an image imported
// from a busybox root filesystem runs from its shared, read-only layer
// directory, and the ImageService half of the runtime maps the store.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { ImageService } from '../../src/images/image-service.js';
import { createOciImageSource } from '../../src/images/oci-image-source.js';
import { isRuntimeError, RuntimeError } from '../../src/runtime/runtime.js';
import { containerConfigFor, sandboxConfigFor } from '../../src/runtime/testing/runtime-builders.js';
import { makeTestBed } from './oci-fixtures.js';

const REF = 'localhost/podbay-test-busybox:v1';

test('a container runs from an image of the real store; the image cannot be removed while a container uses it', async () => {
  const bed = await makeTestBed({
    images: async (dataDir, layerDir) => {
      const service = new ImageService(dataDir);
      await service.importRootfs(layerDir, REF, { env: ['PATH=/bin'], cmd: ['sh', '-c', 'echo from-the-store'] });
      return createOciImageSource(service, { mapPullError: (e) => new RuntimeError(e.code, e.message, e.pullReason) });
    },
  });
  let left: string[] = [];
  try {
    const rt = await bed.open();
    const image = await rt.imageStatus({ image: REF });
    assert.match(image?.id ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.ok(
      image!.repoTags.some((t) => t.endsWith('podbay-test-busybox:v1')),
      image!.repoTags.join(','),
    );
    assert.deepEqual(image!.cmd, ['sh', '-c', 'echo from-the-store']);

    const sc = sandboxConfigFor('store', { logRoot: bed.logRoot });
    const sandboxId = await rt.runPodSandbox(sc);
    const containerId = await rt.createContainer(sandboxId, containerConfigFor('app', REF, []), sc);
    await rt.startContainer(containerId);
    for (let i = 0; i < 100 && (await rt.containerStatus(containerId)).state !== 'CONTAINER_EXITED'; i++) {
      await delay(100);
    }
    assert.equal((await rt.containerStatus(containerId)).exitCode, 0);
    assert.deepEqual(
      (await rt.readContainerLog(containerId)).map((e) => e.content),
      ['from-the-store'],
    );
    await assert.rejects(rt.removeImage({ image: REF }), (e) => isRuntimeError(e, 'FailedPrecondition'));
    await rt.removePodSandbox(sandboxId);
    await rt.removeImage({ image: REF });
    assert.equal(await rt.imageStatus({ image: REF }), undefined);
  } finally {
    left = await bed.cleanup();
  }
  assert.deepEqual(left, []);
});
