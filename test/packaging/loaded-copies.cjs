// Which builds of nestjs-hamsa this process has loaded through Node's CommonJS loader.
// require.cache holds every CommonJS file, and also every ES module loaded with require(esm), so
// a CommonJS app that loaded only its own copy lists ['dist/cjs'], and an ESM app, whose imports
// never go through that loader, lists [] unless it pulled in the CommonJS copy.
const { dirname, join, relative } = require('node:path');

const packageRoot = dirname(require.resolve('nestjs-hamsa/package.json'));

module.exports = function loadedCopies() {
  const copies = new Set();
  for (const file of Object.keys(require.cache)) {
    const inPackage = relative(packageRoot, file);
    const [dist, format] = inPackage.split(/[\\/]/);
    if (dist === 'dist') copies.add(join(dist, format));
  }
  return [...copies].sort();
};
