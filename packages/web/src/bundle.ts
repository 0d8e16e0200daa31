// The entry of the prebuilt single-file bundle: the same API as the package's main entry.
export * from './index.js';
