// A Store that keeps everything in memory: the MVCC rules of mvcc.ts over MemoryLog.
// For tests of the apiserver and friends; nothing survives the process.
import { MvccStore, type MvccStoreOptions } from '../mvcc.js';
import { MemoryLog } from './memory-log.js';

export class MemoryStore extends MvccStore {
  constructor(opts: MvccStoreOptions = {}) {
    super(new MemoryLog(), opts);
  }
}
