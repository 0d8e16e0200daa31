import { packageConfig } from '../../vitest.shared.js';

// Only the report's pure functions are tested here; the load itself runs from `npm run bench`.
export default packageConfig('bench');
