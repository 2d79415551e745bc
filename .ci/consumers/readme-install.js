// The install lines of README.md's Quick start, read (not copied) so CI runs what users copy.
import { readFileSync } from 'node:fs';

/**
 * The arguments of the `npm install` line that follows the comment `# <label>` in the first ```bash
 * block under "## Quick start", with the package name `nestjs-hamsa` replaced by `tarball`.
 * Throws an Error that says what is missing from the README.
 * @example readmeInstall('README.md', 'NestJS 11', '/tmp/nestjs-hamsa-1.0.0.tgz')
 *   // → ['/tmp/nestjs-hamsa-1.0.0.tgz', '@nestjs/axios@4', …]
 */
export function readmeInstall(readmePath, label, tarball) {
  const section = readFileSync(readmePath, 'utf8')
    .split(/^## /m)
    .find((part) => part.startsWith('Quick start\n'));
  if (!section) throw new Error(`${readmePath} has no "## Quick start" section`);
  const block = /^```bash\n([\s\S]*?)^```/m.exec(section)?.[1];
  if (!block) throw new Error('the "## Quick start" section of README.md has no ```bash block');

  const lines = block.split('\n').map((line) => line.trim());
  // `# NestJS 1` must not match `# NestJS 11`.
  const marker = new RegExp(`^# ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.])`);
  const at = lines.findIndex((line) => marker.test(line));
  const line = (lines[at + 1] ?? '').replace(/\s+#.*$/, ''); // a trailing comment is no argument
  if (at < 0 || !line.startsWith('npm install ')) {
    throw new Error(
      `the Quick start's bash block of README.md needs a line "# ${label}" followed by its "npm install …" line`,
    );
  }
  // Run without a shell: refuse what only a shell would understand.
  if (/["'`$;&|<>\\]/.test(line)) {
    throw new Error(
      `README.md's ${label} install line must be plain words (no quotes or shell operators): ${line}`,
    );
  }
  const args = line.split(/\s+/).slice(2);
  if (args.filter((arg) => arg === 'nestjs-hamsa').length !== 1) {
    throw new Error(`README.md's ${label} install line must name nestjs-hamsa once: ${line}`);
  }
  return args.map((arg) => (arg === 'nestjs-hamsa' ? tarball : arg));
}
