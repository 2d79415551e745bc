// Marks dist/cjs as CommonJS so Node and jest load the require() build of this ESM package.
import { writeFileSync } from 'node:fs';

writeFileSync('dist/cjs/package.json', `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
