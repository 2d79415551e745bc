// `npm run sample -- <name>`: starts one sample, built by the npm script before.
const SAMPLES = [
  '01-preload',
  '02-tts',
  '03-production',
  '04-fleet-redis',
  '05-observability',
  'dashboard',
];

const name = process.argv[2] ?? '';
if (!SAMPLES.includes(name)) {
  console.error(`usage: npm run sample -- <name>, one of: ${SAMPLES.join(', ')}`);
  process.exit(2);
}
await import(`./${name}/main.js`);
