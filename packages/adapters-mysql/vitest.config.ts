import { packageConfig } from '../../vitest.shared.js';

export default packageConfig('adapters-mysql', { testTimeout: 30_000, hookTimeout: 120_000 });
