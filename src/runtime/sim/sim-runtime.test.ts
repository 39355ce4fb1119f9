import { FakeClock } from '../../lib/testing/fake-clock.js';
import { describeRuntimeConformance } from '../testing/conformance.js';
import { SimRuntime } from './sim-runtime.js';

describeRuntimeConformance('sim', async () => {
  const clock = new FakeClock();
  const runtime = new SimRuntime({ clock });
  return {
    runtime,
    clock,
    image: 'docker.io/library/busybox:1.36',
    logRoot: '/var/lib/podbay/pods',
    reopen: async () => runtime,
    cleanup: async () => {
      for (const s of await runtime.listPodSandboxes()) {
        await runtime.removePodSandbox(s.id);
      }
    },
  };
});
