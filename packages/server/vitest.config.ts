import { packageConfig } from '../../vitest.shared.js';

export default packageConfig('server', { testTimeout: 30_000 });
