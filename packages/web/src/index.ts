// The public API of @message-center/web: the typed client and the custom
// elements (importing this defines them). `/client` is the client alone, for
// code that renders its own UI; `/bundle` is one prebuilt file for a <script>.
export * from './client/index.js';
export * from './components/index.js';
