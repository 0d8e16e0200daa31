import { packageConfig } from '../../vitest.shared.js';

// Browser-driven suites start Chromium and a server, so they get more time than unit suites.
export default packageConfig('web', { testTimeout: 60_000, hookTimeout: 120_000 });
