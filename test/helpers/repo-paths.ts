import { fileURLToPath } from 'node:url';

/**
 * The repository root, from this file's place in the build output
 * (<root>/<outDir>/test/helpers/repo-paths.js).
 */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The podbay launcher the tests run: ./bin/podbay, written by `make build` (the tests
 * build nothing themselves). PODBAY_BIN overrides it, e.g. for a launcher over another
 * output dir.
 */
export const PODBAY_BIN = process.env.PODBAY_BIN ?? fileURLToPath(new URL('../../../bin/podbay', import.meta.url));
