// The drop-in bundle: registers every element and exposes the client for scripting.
export * from './client/index.js';
export * from './components/index.js';
